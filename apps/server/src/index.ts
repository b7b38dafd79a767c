import { serve } from '@hono/node-server';
import { initORM } from '@chatsynth/db';
import { join } from 'node:path';
import {
  CredentialCache,
  createRateLimiter,
  listenForChanges,
  pruneEvents,
  purgeExpiredTrash,
  rateLimitStoreFor,
  startImportWorker,
} from '@chatsynth/api';
import { readDbEnv } from '@chatsynth/db';
import { createApp } from './app';
import { canRunImportThread, startImportThread } from './import-thread-host';
import { readServerEnv } from './env';

/** A setting the operator must fix (a bad value, an unreachable Redis): one line, and no server. */
function refuseToStart(error: unknown): never {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

let env: ReturnType<typeof readServerEnv>;
try {
  env = readServerEnv();
} catch (error) {
  refuseToStart(error);
}
const db = await initORM();
console.log(`Database: ${db.embedded ? `embedded PostgreSQL (PGlite) in ${process.env.CHATSYNTH_DATA_DIR ?? '.data'}` : 'PostgreSQL at DATABASE_URL'}`);
// Sign-in, sign-up and password-change counters, shared by every instance on the same database (or Redis).
const rateLimiter = await createRateLimiter(rateLimitStoreFor(db, env.REDIS_URL)).catch(async (error: unknown) => {
  await db.close();
  return refuseToStart(error);
});
console.log(`Rate limits: ${{ memory: 'in this process', postgres: 'in PostgreSQL', redis: 'in Redis at REDIS_URL' }[rateLimiter.store]}`);

const databaseUrl = readDbEnv().DATABASE_URL;
const importWorker =
  !db.embedded && databaseUrl && canRunImportThread ? startImportThread(databaseUrl) : startImportWorker(db.orm);
// Changes made by other instances (or their imports) reach this one's subscribers through NOTIFY.
// The embedded database has this process as its only client, so every change to a credential passes
// through here; a real PostgreSQL tells the listener about changes made anywhere else.
const credentialCache = new CredentialCache();
const changeListener = db.embedded ? null : await listenForChanges(db.orm, { credentials: credentialCache });
const app = createApp({
  orm: db.orm,
  webDist: env.CHATSYNTH_WEB_DIST,
  trustProxy: env.CHATSYNTH_TRUST_PROXY,
  uploadDir: env.CHATSYNTH_UPLOAD_DIR ?? join(readDbEnv().CHATSYNTH_DATA_DIR, 'uploads'),
  maxUploadBytes: env.CHATSYNTH_MAX_UPLOAD_BYTES,
  credentialCache,
  rateLimiter,
  onImportQueued: () => importWorker.wake(),
});
const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST });

server.on('listening', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  console.log(`ChatSynth is listening on http://localhost:${port}`);
});

// Housekeeping, hourly and once at start: the trash past its retention, and old change events.
const purge = async () => {
  try {
    const removed = await purgeExpiredTrash({ em: db.orm.em.fork() });
    if (removed) console.log(`Purged ${removed} chat logs from the trash after their retention period.`);
    await pruneEvents(db.orm.em.fork());
    await rateLimiter.prune();
  } catch (error) {
    console.error('Trash purge failed:', error);
  }
};
void purge();
const purgeTimer = setInterval(purge, 60 * 60 * 1000);
purgeTimer.unref();

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  console.log(`${signal}: shutting down`);
  clearInterval(purgeTimer);
  server.close();
  await importWorker.stop();
  await changeListener?.close();
  await rateLimiter.close();
  await db.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
