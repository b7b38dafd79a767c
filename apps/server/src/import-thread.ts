// The import worker's own thread (see import-thread-host.ts): its own connection pool to the real
// PostgreSQL, running startImportWorker exactly as the server's main thread would.
import { parentPort, workerData } from 'node:worker_threads';
import { startImportWorker } from '@chatsynth/api/import-worker';
import { initORM } from '@chatsynth/db';

const { databaseUrl } = workerData as { databaseUrl: string };
// The main thread applied the migrations before starting this thread.
const db = await initORM({ databaseUrl, migrate: false });
const worker = startImportWorker(db.orm);

parentPort!.on('message', (message: 'wake' | 'stop') => {
  if (message === 'wake') return worker.wake();
  void (async () => {
    await worker.stop();
    await db.close();
    parentPort!.close();
  })();
});
