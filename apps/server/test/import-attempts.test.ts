import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import superjson from 'superjson';
import {
  appRouter,
  authenticate,
  claimNextImport,
  createCallerFactory,
  createContextInner,
  MAX_IMPORT_ATTEMPTS,
  runImportJob,
  startImportWorker,
} from '@chatsynth/api';
import { ImportJob } from '@chatsynth/db';
import { createTestDatabase } from '@chatsynth/db/testing';
import { chatgptConversation } from '@chatsynth/importers/testing';
import { createApp } from '../src/app';

const ORIGIN = 'http://localhost:3000';

/**
 * A job whose import brings its server down (out of memory on a hostile file, say) is claimed again
 * when its heartbeat stops. Each claim counts an attempt; past MAX_IMPORT_ATTEMPTS it ends `failed`
 * with a reason a person can act on, instead of taking down one server after another for ever.
 * A claim with a zero heartbeat window stands for a server that died just after claiming.
 */
describe('import jobs that crash their process', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: ReturnType<typeof createApp>;
  let uploadDir: string;
  let token: string;

  const caller = async () => {
    const em = db.orm.em.fork();
    const auth = await authenticate(em, new Headers({ authorization: `Bearer ${token}` }));
    return createCallerFactory(appRouter)(createContextInner({ em, user: auth!.user, credential: auth!.credential }));
  };
  const upload = async (ids: string[]) => {
    const body = JSON.stringify(ids.map((id) => chatgptConversation({ id, title: id, turns: [{ user: `About ${id}?`, assistant: 'Yes.' }] })));
    const res = await app.request(`${ORIGIN}/api/imports?filename=conversations.json`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body,
    });
    expect(res.status).toBe(202);
    return ((await res.json()) as { importId: string }).importId;
  };
  const job = (id: string) => db.orm.em.fork().findOneOrFail(ImportJob, { id });

  beforeAll(async () => {
    db = await createTestDatabase();
    uploadDir = mkdtempSync(join(tmpdir(), 'chatsynth-uploads-'));
    app = createApp({ orm: db.orm, uploadDir });
    const signUp = await app.request(`${ORIGIN}/trpc/auth.signUp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(superjson.serialize({ username: 'crasher', email: 'crasher@example.com', password: 'correct horse battery' })),
    });
    token = superjson.deserialize<{ token: string }>(((await signUp.json()) as { result: { data: never } }).result.data).token;
  });
  afterAll(async () => {
    await db?.close();
    rmSync(uploadDir, { recursive: true, force: true });
  });

  it(`ends a job failed after ${MAX_IMPORT_ATTEMPTS} claims that never finished, and runs the next`, async () => {
    const deadly = await upload(['deadly-1']);
    const next = await upload(['after-1', 'after-2']);
    const file = (await job(deadly)).filePath!;
    // Claimed, and its server dies each time before a heartbeat: every claim takes the same job.
    for (let attempt = 1; attempt <= MAX_IMPORT_ATTEMPTS; attempt++) {
      expect(await claimNextImport(db.orm.em.fork(), 0)).toBe(deadly);
      expect(await job(deadly)).toMatchObject({ status: 'running', attempts: attempt });
    }
    // The next claim gives it up and takes the job behind it.
    expect(await claimNextImport(db.orm.em.fork(), 0)).toBe(next);
    const report = await (await caller()).imports.get({ id: deadly });
    expect(report.status).toBe('failed');
    expect(report.error).toMatch(/^The import stopped its server 3 times before it could finish/);
    expect(report.error).not.toMatch(/select|update|imports|attempts/i);
    expect(report.finishedAt).toBeInstanceOf(Date);
    expect(existsSync(file)).toBe(false);
    expect(await claimNextImport(db.orm.em.fork(), 0)).toBe(next); // the live one only, never the failed one

    await runImportJob(db.orm, next);
    expect(await (await caller()).imports.get({ id: next })).toMatchObject({ status: 'succeeded', counts: { created: 2 } });
    expect(await claimNextImport(db.orm.em.fork(), 0)).toBeNull();
  });

  it('resumes a job that crashed fewer times, and does not count a server stopped in good order', async () => {
    const id = await upload(['resumed-1', 'resumed-2']);
    expect(await claimNextImport(db.orm.em.fork(), 0)).toBe(id);
    expect(await claimNextImport(db.orm.em.fork(), 0)).toBe(id);
    // A worker takes it over and is stopped at once (a deploy, SIGTERM): it hands the job back,
    // queued for any instance and not counted, instead of leaving it claimed until it looks dead.
    const worker = startImportWorker(db.orm, { pollMs: 60_000, staleAfterMs: 0 });
    await worker.stop();
    expect(await job(id)).toMatchObject({ status: 'queued', attempts: 2, heartbeatAt: null });
    // So the next claim is its third, and that one finishes.
    expect(await claimNextImport(db.orm.em.fork(), 60_000)).toBe(id);
    await runImportJob(db.orm, id);
    expect(await (await caller()).imports.get({ id })).toMatchObject({ status: 'succeeded', counts: { created: 2 } });
  });
});
