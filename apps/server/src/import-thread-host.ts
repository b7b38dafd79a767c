import { Worker } from 'node:worker_threads';
import type { ImportWorker } from '@chatsynth/api';

/**
 * Runs the import worker in a thread of its own, so parsing and preparing an export (CPU work and
 * garbage of hundreds of MB) never holds up the event loop that answers requests. Only on a real
 * PostgreSQL: the embedded one is a single connection, which a second pool in a thread would break.
 * A thread that dies is started again (after 1 s, doubling up to a minute while it keeps dying); its
 * job is resumed from its last checkpoint. Needs the built bundle: tsx's loader does not reach worker
 * threads, so under `pnpm dev` the worker runs in process (see index.ts).
 */
export const canRunImportThread = import.meta.url.endsWith('.js');

/**
 * The import thread's young generation, as Node 20 sized it. Node 24's V8 grows the nursery to 64 MB
 * semi-spaces, and an import makes garbage fast enough to fill them: a 300 MB export peaked at 480 MB
 * RSS on Node 24 against 295 MB on Node 20 (pnpm bench:import). Scavenging more often costs a few
 * per cent of import speed; the request thread keeps V8's defaults.
 */
const IMPORT_THREAD_LIMITS = { maxYoungGenerationSizeMb: 48 };

export function startImportThread(databaseUrl: string): ImportWorker {
  const entry = new URL('./import-thread.js', import.meta.url);
  let stopping = false;
  let thread: Worker;
  let delay = 500;
  const start = () => {
    const startedAt = Date.now();
    thread = new Worker(entry, { workerData: { databaseUrl }, resourceLimits: IMPORT_THREAD_LIMITS });
    thread.on('error', (error) => console.error('Import thread failed:', error));
    thread.on('exit', (code) => {
      if (stopping) return;
      delay = Date.now() - startedAt > 60_000 ? 1_000 : Math.min(delay * 2, 60_000);
      console.error(`Import thread exited (${code}); starting it again in ${delay / 1000} s.`);
      setTimeout(start, delay).unref();
    });
  };
  start();
  return {
    wake: () => thread.postMessage('wake'),
    async stop() {
      stopping = true;
      const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
      thread.postMessage('stop');
      await exited;
    },
  };
}
