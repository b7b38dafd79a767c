import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { PageLoading } from '../page-loading';
import { LoadError } from '../route-error';
import { describeError } from '../../lib/errors';
import { formatDateTime, plural } from '../../lib/format';
import { useChatLogActions } from '../../lib/chat-log-actions';
import { ARRAY_PAGE, fetchAllPages } from '../../lib/array-pages';
import { useTRPC, useTRPCClient, type ChatLog } from '../../lib/trpc';
import { ConfirmDialog } from './confirm-dialog';
import { VersionDiff } from './version-diff';

const CHANGE_LABELS: Record<string, string> = { created: 'Created', edited: 'Edited', imported: 'Imported', restored: 'Restored' };

/**
 * The log's history: every version, two of them compared, and restore. A restore names the version
 * the page shows; if the log moved on meanwhile the server answers CONFLICT and the panel reloads.
 * A done restore is announced in a notification with Undo; the panel's own notice is for conflicts.
 */
export function VersionsPanel({ log }: { log: ChatLog }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const actions = useChatLogActions();
  const trpcClient = useTRPCClient();
  // The whole history, however many pages: the pickers compare any two versions. The key is tRPC's,
  // so invalidating `versions.list` for the log reaches this query.
  const versions = useQuery({
    queryKey: trpc.versions.list.queryKey({ chatlogId: log.id }),
    queryFn: ({ signal }) =>
      fetchAllPages(
        (cursor) => trpcClient.versions.list.query({ chatlogId: log.id, limit: ARRAY_PAGE, cursor }, { signal }),
        (last: { version: number }) => ({ version: last.version }),
      ),
  });
  const [picked, setPicked] = useState<{ from: number; to: number } | null>(null);
  // The version to restore and the log's version when the dialog opened: the log may refresh under the
  // open dialog (live updates), and restoring must then answer CONFLICT, not apply to unseen changes.
  const [restoring, setRestoring] = useState<number | null>(null);
  const [restoringFrom, setRestoringFrom] = useState(log.version);
  const openRestore = (version: number) => {
    setRestoringFrom(log.version);
    setRestoring(version);
  };
  const [notice, setNotice] = useState<string | null>(null);

  const list = versions.data ?? [];
  // Until the person picks, compare the previous version with the current one.
  const from = picked?.from ?? list[1]?.version ?? list[0]?.version ?? 1;
  const to = picked?.to ?? list[0]?.version ?? 1;
  const diff = useQuery({ ...trpc.versions.diff.queryOptions({ chatlogId: log.id, from, to }), enabled: list.length > 1 && from !== to });

  const reload = async () => {
    await Promise.all([
      queryClient.invalidateQueries(trpc.versions.list.queryFilter({ chatlogId: log.id })),
      queryClient.invalidateQueries(trpc.versions.diff.pathFilter()),
    ]);
  };
  const restore = useMutation(
    trpc.versions.restore.mutationOptions({
      onSuccess: (updated, input) => {
        setRestoring(null);
        setPicked(null);
        setNotice(null);
        // The log, the history and a notification whose Undo restores the version that was current.
        actions.versionRestored(updated, input);
      },
      onError: async (error) => {
        if (describeError(error).code !== 'CONFLICT') return;
        setRestoring(null);
        const fresh = await queryClient.fetchQuery({ ...trpc.chatlogs.get.queryOptions({ id: log.id }), staleTime: 0 }).catch(() => null);
        await reload();
        setNotice(
          `This chat log changed since you opened it${fresh ? ` (it is now version ${fresh.version})` : ''}. ` +
            'The history has been reloaded: check it and restore again.',
        );
      },
    }),
  );

  if (versions.isPending) return <PageLoading label="Loading the history…" />;
  if (versions.isError) {
    return <LoadError compact what="the history" error={versions.error} onRetry={() => void versions.refetch()} retrying={versions.isFetching} />;
  }
  if (!list.length) return <p className="muted">No versions recorded yet.</p>;

  const failure = restore.error && describeError(restore.error).code !== 'CONFLICT' ? describeError(restore.error).message : null;
  return (
    <div className="versions">
      <div role="status" className="notice-region">
        {notice ? <p className="notice">{notice}</p> : null}
      </div>
      <div className="table-scroll">
        <table className="data-table versions-table">
          <caption className="visually-hidden">Versions of this chat log, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Date</th>
              <th scope="col">Change</th>
              <th scope="col">Title</th>
              <th scope="col">Messages</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((v) => (
              <tr key={v.version} aria-current={v.version === log.version ? 'true' : undefined}>
                <th scope="row">
                  {v.version}
                  {v.version === log.version ? <span className="current-badge">current</span> : null}
                </th>
                <td>
                  <time dateTime={v.createdAt.toISOString()}>{formatDateTime(v.createdAt)}</time>
                </td>
                <td>{CHANGE_LABELS[v.change] ?? v.change}</td>
                <td className="versions-title">{v.title}</td>
                <td>{plural(v.messageCount, 'message')}</td>
                <td>
                  {v.version === log.version ? null : (
                    <button type="button" className="button small" onClick={() => openRestore(v.version)}>
                      Restore<span className="visually-hidden"> version {v.version}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {list.length > 1 ? (
        <section className="compare" aria-labelledby="compare-heading">
          <h3 id="compare-heading">Compare two versions</h3>
          <div className="compare-pickers">
            <div className="field">
              <label htmlFor="compare-from">From version</label>
              <select id="compare-from" value={from} onChange={(e) => setPicked({ from: Number(e.currentTarget.value), to })}>
                {list.map((v) => (
                  <option key={v.version} value={v.version}>
                    {v.version} · {CHANGE_LABELS[v.change] ?? v.change}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="compare-to">To version</label>
              <select id="compare-to" value={to} onChange={(e) => setPicked({ from, to: Number(e.currentTarget.value) })}>
                {list.map((v) => (
                  <option key={v.version} value={v.version}>
                    {v.version} · {CHANGE_LABELS[v.change] ?? v.change}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div aria-live="polite" aria-busy={diff.isFetching} className="diff-result">
            {from === to ? (
              <p className="muted">Pick two different versions to see what changed.</p>
            ) : diff.isPending ? (
              <PageLoading label="Comparing…" />
            ) : diff.isError ? (
              <LoadError compact what="the comparison" error={diff.error} onRetry={() => void diff.refetch()} retrying={diff.isFetching} />
            ) : (
              <VersionDiff diff={diff.data} from={from} to={to} />
            )}
          </div>
        </section>
      ) : (
        <p className="muted">Only one version so far: edit the title, import again or restore to make more.</p>
      )}

      <ConfirmDialog
        open={restoring !== null}
        title={`Restore version ${restoring ?? ''}?`}
        confirmLabel={`Restore version ${restoring ?? ''}`}
        pendingLabel="Restoring…"
        tone="primary"
        pending={restore.isPending}
        error={failure}
        onConfirm={() => restoring !== null && restore.mutate({ chatlogId: log.id, version: restoring, expectedVersion: restoringFrom })}
        onClose={() => {
          setRestoring(null);
          restore.reset();
        }}
      >
        <p>
          The chat log gets version {restoring}’s title, summary and messages as a new version {restoringFrom + 1}. Version {restoringFrom} stays
          in the history, so you can come back to it.
        </p>
      </ConfirmDialog>
    </div>
  );
}
