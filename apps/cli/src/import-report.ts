import type { RouterOutputs } from '@chatsynth/client';

export type ImportJob = RouterOutputs['imports']['get'];

export const isFinished = (job: Pick<ImportJob, 'status'>) => job.status === 'succeeded' || job.status === 'failed';

function duration(job: ImportJob): string {
  if (!job.startedAt || !job.finishedAt) return '';
  const seconds = (job.finishedAt.getTime() - job.startedAt.getTime()) / 1000;
  return seconds < 60 ? ` in ${seconds.toFixed(1)} s` : ` in ${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/**
 * The end of an import as a person reads it: the outcome, each count, and every problem with the
 * conversation it concerns, so nothing is lost silently.
 */
export function formatImportReport(job: ImportJob): string {
  const lines: string[] = [];
  const format = job.format ? ` (${job.format})` : '';
  lines.push(`Import of ${job.filename}${format} ${job.status}${isFinished(job) ? duration(job) : ''}.`);
  if (job.status === 'failed' && job.error) lines.push(`  Error: ${job.error}`);
  const { conversations, created, updated, unchanged, failed } = job.counts;
  const rows: Array<[string, number]> = [
    ['conversations', conversations],
    ['created', created],
    ['updated', updated],
    ['unchanged', unchanged],
    ['failed', failed],
  ];
  for (const [label, value] of rows) lines.push(`  ${`${label}:`.padEnd(15)}${value}`);
  if (job.problems.length) {
    lines.push(`${job.problems.length} ${job.problems.length === 1 ? 'problem' : 'problems'}:`);
    for (const problem of job.problems) lines.push(`  - ${problem.conversation ? `${problem.conversation}: ` : ''}${problem.reason}`);
  }
  return lines.join('\n');
}

/** 0 when the import succeeded, 1 when it failed, as `chatsynth import` promises. */
export const exitCodeOf = (job: ImportJob) => (job.status === 'failed' ? 1 : 0);
