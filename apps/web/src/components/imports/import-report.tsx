import { plural } from '../../lib/format';
import type { ImportJob } from '../../lib/trpc';

const COUNTS = [
  ['created', 'Created'],
  ['updated', 'Updated'],
  ['unchanged', 'Unchanged'],
  ['failed', 'Failed'],
] as const;

/** What an import did: the counts, and every conversation or part it could not take, with why. */
export function ImportReport({ job, live = false }: { job: ImportJob; live?: boolean }) {
  return (
    <div className="import-report">
      <dl className="import-counts" aria-live={live ? 'polite' : undefined}>
        <div>
          <dt>Conversations</dt>
          <dd>{job.counts.conversations.toLocaleString()}</dd>
        </div>
        {COUNTS.map(([key, label]) => (
          <div key={key} data-count={key} data-nonzero={job.counts[key] > 0}>
            <dt>{label}</dt>
            <dd>{job.counts[key].toLocaleString()}</dd>
          </div>
        ))}
      </dl>
      {job.error ? (
        <p className="form-error" role={live ? 'alert' : undefined}>
          The import stopped: {job.error}
        </p>
      ) : null}
      {job.problems.length ? (
        <div className="import-problems">
          <h3>{plural(job.problems.length, 'problem')}</h3>
          <ul>
            {job.problems.map((problem, i) => (
              <li key={i}>
                {problem.conversation ? <strong>{problem.conversation}: </strong> : null}
                {problem.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : job.status === 'succeeded' ? (
        <p className="muted">No problems: every conversation was taken.</p>
      ) : null}
    </div>
  );
}
