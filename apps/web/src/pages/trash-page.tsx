import { useState } from 'react';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ConfirmDialog } from '../components/curation/confirm-dialog';
import { PageLoading } from '../components/page-loading';
import { describeError } from '../lib/errors';
import { formatDate, formatDateTime, plural } from '../lib/format';
import { useTRPC, useTRPCClient } from '../lib/trpc';
import { useDocumentTitle } from '../lib/use-document-title';

const PAGE_SIZE = 20;

/** Logs moved to the trash: restore them, or delete them for good (after confirmation). */
export function TrashPage() {
  useDocumentTitle('Trash');
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [purging, setPurging] = useState<{ id: string; title: string } | null>(null);
  const [notice, setNotice] = useState<{ text: string; id?: string } | null>(null);

  const input = { limit: PAGE_SIZE };
  const trash = useInfiniteQuery({
    queryKey: trpc.chatlogs.trash.infiniteQueryKey(input),
    queryFn: ({ pageParam, signal }) => client.chatlogs.trash.query({ ...input, cursor: pageParam }, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  const items = trash.data?.pages.flatMap((page) => page.items) ?? [];
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries(trpc.chatlogs.pathFilter()),
      queryClient.invalidateQueries(trpc.tags.list.queryFilter()),
    ]);

  const restore = useMutation(
    trpc.chatlogs.restore.mutationOptions({
      onSuccess: async (log) => {
        await refresh();
        setNotice({ text: `Restored “${log.title}” to the library.`, id: log.id });
      },
    }),
  );
  const purge = useMutation(
    trpc.chatlogs.purge.mutationOptions({
      onSuccess: async () => {
        const title = purging?.title ?? 'the chat log';
        setPurging(null);
        await refresh();
        setNotice({ text: `Deleted “${title}” for good.` });
      },
    }),
  );

  return (
    <section className="page" aria-labelledby="trash-heading">
      <div className="page-heading">
        <h1 id="trash-heading">Trash</h1>
      </div>
      <p className="muted page-intro">Chat logs stay here for 30 days after you delete them, then they are deleted for good.</p>
      <div role="status" className="notice-region">
        {notice ? (
          <p className="notice">
            {notice.text} {notice.id ? <Link to={`/chats/${notice.id}`}>Open it</Link> : null}
          </p>
        ) : null}
      </div>
      {restore.error ? (
        <p className="form-error" role="alert">
          Could not restore: {describeError(restore.error).message}
        </p>
      ) : null}

      {trash.isPending ? (
        <PageLoading label="Loading the trash…" />
      ) : !trash.data ? (
        <div className="panel error-panel" role="alert">
          <p>Could not load the trash. {describeError(trash.error).message}</p>
          <button type="button" className="button" onClick={() => void trash.refetch()}>
            Try again
          </button>
        </div>
      ) : !items.length ? (
        <div className="panel empty-state">
          <p className="empty-title">The trash is empty</p>
          <p className="muted">Chat logs you delete come here first, so you can bring them back.</p>
        </div>
      ) : (
        <>
          <ul className="chat-list trash-list" aria-label="Chat logs in the trash" aria-busy={trash.isFetching}>
            {items.map((log) => (
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
                  <button type="button" className="button small" onClick={() => restore.mutate({ id: log.id })} disabled={restore.isPending}>
                    Restore<span className="visually-hidden"> “{log.title}”</span>
                  </button>
                  <button type="button" className="button small danger-outline" onClick={() => setPurging({ id: log.id, title: log.title })}>
                    Delete forever<span className="visually-hidden"> “{log.title}”</span>
                  </button>
                </div>
              </li>
            ))}
          </ul>
          {trash.hasNextPage ? (
            <p className="load-more">
              <button type="button" className="button" onClick={() => void trash.fetchNextPage()} disabled={trash.isFetchingNextPage}>
                {trash.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            </p>
          ) : null}
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
