import { Worker } from 'node:worker_threads';
import type { ImportWorker } from '@chatsynth/api';

/**
 * Runs the import worker in a thread of its own, so parsing and preparing an export (CPU work and
 * garbage of hundreds of MB) never holds up the event loop that answers requests. Only on a real
 * PostgreSQL: the embedded one is a single connection, which a second pool in a thread would break.
 * A thread that dies is started again; its job is resumed from its last checkpoint.
 */
export function startImportThread(databaseUrl: string): ImportWorker {
  // Built: dist/import-thread.js beside dist/index.js. In development (tsx): the .ts source.
  const source = import.meta.url.endsWith('.ts');
  const entry = new URL(source ? './import-thread.ts' : './import-thread.js', import.meta.url);
  let stopping = false;
  let thread: Worker;
  const start = () => {
    thread = new Worker(entry, { workerData: { databaseUrl }, execArgv: source ? ['--import', 'tsx'] : [] });
    thread.on('error', (error) => console.error('Import thread failed:', error));
    thread.on('exit', (code) => {
      if (stopping) return;
      console.error(`Import thread exited (${code}); starting it again.`);
      setTimeout(start, 1_000).unref();
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
