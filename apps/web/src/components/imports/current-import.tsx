import { useImportJob } from '../../lib/use-import-job';
import { formatBytes, percent } from '../../lib/upload';
import { ProgressBar } from '../progress-bar';
import { LoadError } from '../route-error';
import { formatLabel, statusLabel } from './import-formats';
import { ImportReport } from './import-report';

/** The import just started: its progress while it runs, then its report. */
export function CurrentImport({ id, filename }: { id: string; filename: string }) {
  const job = useImportJob(id);
  return (
    <section className="panel current-import" aria-labelledby="current-import-heading" aria-busy={!job.data}>
      <h2 id="current-import-heading">{filename}</h2>
      {job.data ? (
        <>
          <p className="import-status" data-status={job.data.status}>
            <span className="status-badge" data-status={job.data.status}>
              {statusLabel(job.data.status)}
            </span>{' '}
            <span className="muted">{formatLabel(job.data.format)}</span>
          </p>
          <ProgressBar
            label="Import progress"
            value={job.data.status === 'succeeded' ? 100 : percent(job.data.bytesRead, job.data.bytes)}
            valueText={`${formatBytes(job.data.bytesRead)} of ${formatBytes(job.data.bytes)} read`}
          />
          <ImportReport job={job.data} live />
        </>
      ) : job.isError ? (
        <LoadError compact what="this import" error={job.error} onRetry={() => void job.refetch()} retrying={job.isFetching} />
      ) : (
        <p className="muted">Starting…</p>
      )}
    </section>
  );
}
