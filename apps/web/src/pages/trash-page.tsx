import { useState } from 'react';
import { useInfiniteQuery, useMutation, useMutationState, useQueryClient } from '@tanstack/react-query';
import { ConfirmDialog } from '../components/curation/confirm-dialog';
import { PageLoading } from '../components/page-loading';
import { ListFooter } from '../components/list-footer';
import { LoadError } from '../components/route-error';
import { useToasts } from '../components/toasts';
import { useChatLogActions } from '../lib/chat-log-actions';
import { focusAfterRemoval } from '../lib/focus-after-removal';
import { describeError } from '../lib/errors';
import { formatDate, formatDateTime, plural } from '../lib/format';
import { useTRPC, useTRPCClient } from '../lib/trpc';
import { useDocumentTitle } from '../lib/use-document-title';

const PAGE_SIZE = 20;

/**
 * Logs moved to the trash: restore them (at once, with Undo in the notification), or delete them for
 * good (after confirmation: that one cannot be undone).
 */
export function TrashPage() {
  useDocumentTitle('Trash');
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const actions = useChatLogActions();
  const toasts = useToasts();
  const [purging, setPurging] = useState<{ id: string; title: string } | null>(null);

  const input = { limit: PAGE_SIZE };
  const trash = useInfiniteQuery({
    queryKey: trpc.chatlogs.trash.infiniteQueryKey(input),
    queryFn: ({ pageParam, signal }) => client.chatlogs.trash.query({ ...input, cursor: pageParam }, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  // Logs on their way back to the library leave the list at once, even from an answer already on its way.
  const restoring = useMutationState({
    filters: { mutationKey: trpc.chatlogs.restore.mutationKey(), status: 'pending' },
    select: (mutation) => (mutation.state.variables as { id: string } | undefined)?.id,
  });
  const items = (trash.data?.pages.flatMap((page) => page.items) ?? []).filter((log) => !restoring.includes(log.id));

  const purge = useMutation(
    trpc.chatlogs.purge.mutationOptions({
      onSuccess: async (_result, { id }) => {
        const title = purging?.title ?? 'the chat log';
        setPurging(null);
        queryClient.removeQueries({ queryKey: trpc.chatlogs.get.queryKey({ id }) });
        await Promise.all([
          queryClient.invalidateQueries(trpc.chatlogs.trash.pathFilter()),
          queryClient.invalidateQueries(trpc.chatlogs.stats.pathFilter()),
          queryClient.invalidateQueries(trpc.tags.list.pathFilter()),
        ]);
        toasts.show({ tone: 'success', message: `Deleted “${title}” for good.` });
      },
    }),
  );

  return (
    <section className="page" aria-labelledby="trash-heading">
      <div className="page-heading">
        <h1 id="trash-heading" tabIndex={-1}>
          Trash
        </h1>
      </div>
      <p className="muted page-intro">Chat logs stay here for 30 days after you delete them, then they are deleted for good.</p>

      {trash.isPending ? (
        <PageLoading label="Loading the trash…" />
      ) : !trash.data ? (
        <LoadError what="the trash" error={trash.error} onRetry={() => void trash.refetch()} retrying={trash.isFetching} />
      ) : !items.length ? (
        <div className="panel empty-state">
          <p className="empty-title">The trash is empty</p>
          <p className="muted">Chat logs you delete come here first, so you can bring them back.</p>
        </div>
      ) : (
        <>
          <ul className="chat-list trash-list" aria-label="Chat logs in the trash" aria-busy={trash.isFetching}>
            {items.map((log, index) => (
              <li key={log.id} className="chat-row trash-row">
                <div className="chat-row-main">
                  <h2 className="chat-row-title">{log.title}</h2>
                  <p className="chat-row-meta">
                    <span className="source-badge static">{log.source}</span>
                    <span>{plural(log.messageCount, 'message')}</span>
                    <span>
                      Deleted <time dateTime={log.deletedAt.toISOString()}>{formatDateTime(log.deletedAt)}</time>
                    </span>
                    <span>
                      Deleted for good on <time dateTime={log.purgeAt.toISOString()}>{formatDate(log.purgeAt)}</time>
                    </span>
                  </p>
                </div>
                <div className="actions">
                  <button
                    type="button"
                    className="button small trash-restore"
                    onClick={(event) => {
                      void actions.restore(log);
                      focusAfterRemoval(event.currentTarget, '.trash-restore', index, () => document.getElementById('trash-heading'));
                    }}
                  >
                    Restore<span className="visually-hidden"> “{log.title}”</span>
                  </button>
                  <button type="button" className="button small danger-outline" onClick={() => setPurging({ id: log.id, title: log.title })}>
                    Delete forever<span className="visually-hidden"> “{log.title}”</span>
                  </button>
                </div>
              </li>
            ))}
          </ul>
          <ListFooter list={trash} what={{ nextPage: 'more of the trash', refresh: 'the latest trash' }} />
        </>
      )}

      <ConfirmDialog
        open={purging !== null}
        title={`Delete “${purging?.title ?? ''}” forever?`}
        confirmLabel="Delete forever"
        pendingLabel="Deleting…"
        pending={purge.isPending}
        error={purge.error ? describeError(purge.error).message : null}
        onConfirm={() => purging && purge.mutate({ id: purging.id })}
        onClose={() => {
          setPurging(null);
          purge.reset();
        }}
      >
        <p>Its messages, versions and notes are deleted and cannot be brought back.</p>
      </ConfirmDialog>
    </section>
  );
}
