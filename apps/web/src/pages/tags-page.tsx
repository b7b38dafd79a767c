import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { normaliseTagName, TAG_LIMITS } from '@chatsynth/importers/canonical';
import { ConfirmDialog } from '../components/curation/confirm-dialog';
import { PageLoading } from '../components/page-loading';
import { LoadError } from '../components/route-error';
import { useToasts } from '../components/toasts';
import { describeError } from '../lib/errors';
import { plural } from '../lib/format';
import { runMutation } from '../lib/run-mutation';
import { useTRPC } from '../lib/trpc';
import { useDocumentTitle } from '../lib/use-document-title';

type Pending = { kind: 'merge'; from: string; to: string } | { kind: 'delete'; name: string; count: number };

/**
 * Every tag with its count; rename (merging into a tag that exists, after confirmation) and delete.
 * A plain rename can be undone from its notification: renaming back is exact while the old name is
 * free. A merge or a delete cannot (which logs had which tag is gone), so those ask first.
 */
export function TagsPage() {
  useDocumentTitle('Tags');
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tags = useQuery(trpc.tags.list.queryOptions());
  const [renaming, setRenaming] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const toasts = useToasts();

  const refresh = () => Promise.all([queryClient.invalidateQueries(trpc.tags.list.queryFilter()), queryClient.invalidateQueries(trpc.chatlogs.pathFilter())]);
  /** Renames `to` back to `from`, from a notification: the page may be gone by then. */
  const renameBack = (from: string, to: string) =>
    runMutation(
      queryClient,
      trpc.tags.rename.mutationOptions({
        onSuccess: (result) => toasts.show({ tone: 'success', message: `Renamed ${from} back to ${result.name}.` }),
        onError: (error) => toasts.show({ tone: 'error', message: `Could not rename ${from} back to ${to}. ${describeError(error).message}` }),
        onSettled: refresh,
      }),
      { from, to },
    );
  const rename = useMutation(
    trpc.tags.rename.mutationOptions({
      onSuccess: async (result, input) => {
        const merged = pending?.kind === 'merge';
        setPending(null);
        setRenaming(null);
        await refresh();
        if (merged) {
          toasts.show({ tone: 'success', message: `Merged ${input.from} into ${result.name} (${plural(result.count, 'chat log')}).` });
        } else {
          const from = normaliseTagName(input.from);
          toasts.show({
            tone: 'success',
            message: `Renamed ${from} to ${result.name}.`,
            actions: [{ label: 'Undo', onClick: () => void renameBack(result.name, from) }],
          });
        }
      },
    }),
  );
  const remove = useMutation(
    trpc.tags.delete.mutationOptions({
      onSuccess: async (_, input) => {
        setPending(null);
        await refresh();
        toasts.show({ tone: 'success', message: `Deleted the tag ${input.name}. The chat logs that had it are still in the library.` });
      },
    }),
  );

  const cancelRename = (name: string) => {
    setRenaming(null);
    // The form replaced the row's Rename button; focus goes back to it.
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-rename="${CSS.escape(name)}"]`)?.focus());
  };
  const submitRename = (from: string) => (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const to = normaliseTagName(String(new FormData(event.currentTarget).get('to') ?? ''));
    if (!to || to === from) {
      setRenaming(null);
      return;
    }
    if (tags.data?.some((tag) => tag.name === to)) setPending({ kind: 'merge', from, to });
    else rename.mutate({ from, to });
  };
  const renameError = rename.error && pending?.kind !== 'merge' ? describeError(rename.error) : null;

  return (
    <section className="page" aria-labelledby="tags-heading">
      <div className="page-heading">
        <h1 id="tags-heading">Tags</h1>
      </div>
      {tags.isPending ? (
        <PageLoading label="Loading tags…" />
      ) : tags.isError ? (
        <LoadError what="your tags" error={tags.error} onRetry={() => void tags.refetch()} retrying={tags.isFetching} />
      ) : !tags.data.length ? (
        <div className="panel empty-state">
          <p className="empty-title">No tags yet</p>
          <p className="muted">Add tags on a chat log’s page, or when you paste a new one, to group your conversations.</p>
        </div>
      ) : (
        <div className="panel table-panel">
          <table className="data-table tags-table">
            <caption className="visually-hidden">Your tags and how many chat logs have each</caption>
            <thead>
              <tr>
                <th scope="col">Tag</th>
                <th scope="col" className="numeric">
                  Chat logs
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tags.data.map((tag) => (
                <tr key={tag.name}>
                  <th scope="row">
                    {renaming === tag.name ? (
                      <form
                        className="rename-form"
                        onSubmit={submitRename(tag.name)}
                        onKeyDown={(event) => {
                          if (event.key !== 'Escape') return;
                          event.preventDefault();
                          cancelRename(tag.name);
                        }}
                        noValidate
                      >
                        <label htmlFor={`rename-${tag.name}`}>New name for {tag.name}</label>
                        <input id={`rename-${tag.name}`} name="to" defaultValue={tag.name} maxLength={TAG_LIMITS.tag} autoFocus autoComplete="off" />
                        <button type="submit" className="button small primary" disabled={rename.isPending}>
                          {rename.isPending ? 'Renaming…' : 'Rename'}
                        </button>
                        <button type="button" className="button small" onClick={() => cancelRename(tag.name)}>
                          Cancel
                        </button>
                        {renameError ? (
                          <p className="form-error" role="alert">
                            {Object.values(renameError.fieldErrors).flat()[0] ?? renameError.message}
                          </p>
                        ) : null}
                      </form>
                    ) : (
                      <Link className="tag-chip" to={`/?tag=${encodeURIComponent(tag.name)}`}>
                        <span className="visually-hidden">Library filtered by tag </span>
                        {tag.name}
                      </Link>
                    )}
                  </th>
                  <td className="numeric">{tag.count.toLocaleString()}</td>
                  <td className="row-actions">
                    {renaming === tag.name ? null : (
                      <>
                        <button
                          type="button"
                          className="button small"
                          data-rename={tag.name}
                          onClick={() => {
                            rename.reset();
                            setRenaming(tag.name);
                          }}
                        >
                          Rename<span className="visually-hidden"> {tag.name}</span>
                        </button>
                        <button type="button" className="button small danger-outline" onClick={() => setPending({ kind: 'delete', name: tag.name, count: tag.count })}>
                          Delete<span className="visually-hidden"> {tag.name}</span>
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <ConfirmDialog
        open={pending?.kind === 'merge'}
        title={pending?.kind === 'merge' ? `Merge ${pending.from} into ${pending.to}?` : ''}
        confirmLabel="Merge tags"
        pendingLabel="Merging…"
        tone="primary"
        pending={rename.isPending}
        error={rename.error && pending?.kind === 'merge' ? describeError(rename.error).message : null}
        onConfirm={() => pending?.kind === 'merge' && rename.mutate({ from: pending.from, to: pending.to })}
        onClose={() => {
          setPending(null);
          rename.reset();
        }}
      >
        {pending?.kind === 'merge' ? (
          <p>
            You already have a tag {pending.to}. Every chat log tagged {pending.from} will be tagged {pending.to} instead, and {pending.from} goes
            away.
          </p>
        ) : null}
      </ConfirmDialog>
      <ConfirmDialog
        open={pending?.kind === 'delete'}
        title={pending?.kind === 'delete' ? `Delete the tag ${pending.name}?` : ''}
        confirmLabel="Delete tag"
        pendingLabel="Deleting…"
        pending={remove.isPending}
        error={remove.error ? describeError(remove.error).message : null}
        onConfirm={() => pending?.kind === 'delete' && remove.mutate({ name: pending.name })}
        onClose={() => {
          setPending(null);
          remove.reset();
        }}
      >
        {pending?.kind === 'delete' ? <p>It comes off {plural(pending.count, 'chat log')}. The chat logs themselves stay in your library.</p> : null}
      </ConfirmDialog>
    </section>
  );
}
