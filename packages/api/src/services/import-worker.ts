import { query, type MikroORM } from '@chatsynth/db';
import { claimNextImport } from './imports';
import { HEARTBEAT_MS, runImportJob, type RunImportOptions } from './import-runner';

export type ImportWorker = {
  /** Look for work now (after an upload) instead of at the next poll. */
  wake(): void;
  /**
   * Stops after the current batch and hands an unfinished job back to the queue, where any instance
   * resumes it from its last checkpoint; a stop in good order is not one of the job's attempts.
   */
  stop(): Promise<void>;
};

/**
 * Polls the imports table for queued jobs and runs them one at a time. Every server instance may run
 * one; the claim in PostgreSQL keeps two from taking the same job, and a job whose worker stopped
 * sending heartbeats (a crash) is taken over after `staleAfterMs`, at most MAX_IMPORT_ATTEMPTS times.
 */
export function startImportWorker(
  orm: MikroORM,
  options: { pollMs?: number; staleAfterMs?: number; run?: RunImportOptions } = {},
): ImportWorker {
  const pollMs = options.pollMs ?? 2_000;
  const staleAfterMs = options.staleAfterMs ?? HEARTBEAT_MS * 6;
  const controller = new AbortController();
  let wake: () => void = () => {};

  const loop = async () => {
    while (!controller.signal.aborted) {
      let jobId: string | null = null;
      try {
        jobId = await claimNextImport(orm.em.fork(), staleAfterMs);
        if (jobId) await runImportJob(orm, jobId, { ...options.run, signal: controller.signal });
      } catch (error) {
        if (!controller.signal.aborted) console.error(`Import worker: ${jobId ?? 'claim'} failed:`, error);
      }
      if (jobId && controller.signal.aborted) await releaseImport(orm, jobId);
      if (!jobId && !controller.signal.aborted) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  };
  const running = loop();
  return {
    wake: () => wake(),
    async stop() {
      controller.abort();
      wake();
      await running;
    },
  };
}

/**
 * Gives a job this worker was stopped in the middle of back to the queue, uncounted: only a server
 * that dies while importing (and so never gets here) uses up one of the job's attempts.
 */
async function releaseImport(orm: MikroORM, jobId: string) {
  try {
    await query(orm.em.fork())
      .updateTable('imports')
      .set((eb) => ({ status: 'queued', attempts: eb('attempts', '-', 1), heartbeat_at: null }))
      .where('id', '=', jobId)
      .where('status', '=', 'running')
      .execute();
  } catch (error) {
    // The database is going away too: the job is taken over once its heartbeat is stale, as after a crash.
    console.error(`Import worker: could not hand ${jobId} back:`, error);
  }
}
