import { useInfiniteQuery } from '@tanstack/react-query';
import { describeError } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { ARRAY_PAGE, nextArrayPage } from '../../lib/array-pages';
import { useTRPC, useTRPCClient, type ImportJob } from '../../lib/trpc';
import { formatBytes } from '../../lib/upload';
import { ListFooter } from '../list-footer';
import { PageLoading } from '../page-loading';
import { formatLabel, statusLabel } from './import-formats';
import { ImportReport } from './import-report';

/** The person's imports, newest first, a page at a time, each opening to its report. */
export function PastImports() {
  const trpc = useTRPC();
  const trpcClient = useTRPCClient();
  const imports = useInfiniteQuery({
    queryKey: trpc.imports.list.infiniteQueryKey({ limit: ARRAY_PAGE }),
    queryFn: ({ pageParam, signal }) => trpcClient.imports.list.query({ limit: ARRAY_PAGE, cursor: pageParam }, { signal }),
    initialPageParam: null as { id: string } | null,
    getNextPageParam: nextArrayPage((last: ImportJob) => ({ id: last.id })),
  });
  const jobs = imports.data?.pages.flat() ?? [];

  return (
    <section aria-labelledby="past-imports-heading" className="past-imports">
      <h2 id="past-imports-heading">Past imports</h2>
      {imports.isPending ? (
        <PageLoading label="Loading imports…" />
      ) : imports.isError && !jobs.length ? (
        <div className="panel error-panel" role="alert">
          <p>Could not load your imports. {describeError(imports.error).message}</p>
          <button type="button" className="button" onClick={() => void imports.refetch()}>
            Try again
          </button>
        </div>
      ) : jobs.length === 0 ? (
        <p className="panel muted">No imports yet. The files you import appear here with their reports.</p>
      ) : (
        <>
          <ul className="import-list">
            {jobs.map((job) => (
              <li key={job.id}>
                <details>
                  <summary>
                    <span className="import-list-line">
                      <span className="import-list-name">{job.filename}</span>
                      <span className="status-badge" data-status={job.status}>
                        {statusLabel(job.status)}
                      </span>
                      <span className="import-list-meta">
                        {formatLabel(job.format)} · {formatBytes(job.bytes)} · {formatDateTime(job.createdAt)}
                      </span>
                    </span>
                    <span className="import-list-counts">
                      {job.counts.created} created, {job.counts.updated} updated, {job.counts.unchanged} unchanged,{' '}
                      {job.counts.failed} failed
                      {job.problems.length ? `, ${job.problems.length} problem${job.problems.length === 1 ? '' : 's'}` : ''}
                    </span>
                  </summary>
                  <div className="import-list-report">
                    <p className="muted">
                      Started {formatDateTime(job.startedAt) || '—'}, finished {formatDateTime(job.finishedAt) || '—'}.
                    </p>
                    <ImportReport job={job} />
                  </div>
                </details>
              </li>
            ))}
          </ul>
          <ListFooter list={imports} what={{ nextPage: 'more imports', refresh: 'your imports' }} />
        </>
      )}
    </section>
  );
}
