import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import superjson from 'superjson';
import { appRouter, changeFeed, claimNextImport, createCallerFactory, createContextInner, authenticate, runImportJob } from '@chatsynth/api';
import { ChatLog, ImportJob } from '@chatsynth/db';
import { createTestDatabase } from '@chatsynth/db/testing';
import { createApp } from '../src/app';
import { chatgptConversation } from '@chatsynth/importers/testing';

const ORIGIN = 'http://localhost:3000';

describe('imports through POST /api/imports', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: ReturnType<typeof createApp>;
  let uploadDir: string;
  let token: string;
  let queued = 0;

  const caller = async () => {
    const em = db.orm.em.fork();
    const auth = await authenticate(em, new Headers({ authorization: `Bearer ${token}` }));
    return createCallerFactory(appRouter)(createContextInner({ em, user: auth!.user, credential: auth!.credential }));
  };

  const upload = (body: ConstructorParameters<typeof Response>[0], query = '', headers: Record<string, string> = {}) =>
    app.request(`${ORIGIN}/api/imports${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, ...headers },
      body,
    });

  /** Uploads, runs the queued job to the end as the worker would, and returns its report. */
  const importFile = async (body: ConstructorParameters<typeof Response>[0], query = '') => {
    const res = await upload(body, query);
    expect(res.status, await res.clone().text()).toBe(202);
    const { importId } = (await res.json()) as { importId: string };
    await runImportJob(db.orm, importId);
    return (await caller()).imports.get({ id: importId });
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    uploadDir = mkdtempSync(join(tmpdir(), 'chatsynth-uploads-'));
    app = createApp({ orm: db.orm, uploadDir, maxUploadBytes: 1024 * 1024, onImportQueued: () => (queued += 1) });
    const signUp = await app.request(`${ORIGIN}/trpc/auth.signUp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(superjson.serialize({ username: 'importer', email: 'importer@example.com', password: 'correct horse battery' })),
    });
    token = superjson.deserialize<{ token: string }>(((await signUp.json()) as { result: { data: never } }).result.data).token;
  });
  afterAll(async () => {
    await db?.close();
    rmSync(uploadDir, { recursive: true, force: true });
  });

  const v1 = [
    chatgptConversation({ id: 'conv-a', title: 'Ferries', turns: [{ user: 'How do ferries work?', assistant: 'They float.' }] }),
    chatgptConversation({ id: 'conv-b', title: 'Bread', turns: [{ user: 'Sourdough tips?', assistant: 'Patience.' }] }),
  ];

  it('imports a ChatGPT conversations.json posted as the raw body', async () => {
    const report = await importFile(JSON.stringify(v1), '?filename=conversations.json');
    expect(report).toMatchObject({
      status: 'succeeded',
      format: 'chatgpt',
      filename: 'conversations.json',
      counts: { conversations: 2, created: 2, updated: 0, unchanged: 0, failed: 0 },
      problems: [],
    });
    expect(queued).toBe(1);
    const { items } = await (await caller()).chatlogs.list({ sort: 'startedAt', order: 'asc' });
    expect(items.map((i) => [i.title, i.source, i.messageCount])).toEqual([
      ['Ferries', 'chatgpt', 2],
      ['Bread', 'chatgpt', 2],
    ]);
    const log = await (await caller()).chatlogs.get({ id: items[0]!.id });
    expect(log.content.messages.map((m) => [m.role, m.content, m.model])).toEqual([
      ['user', 'How do ferries work?', undefined],
      ['assistant', 'They float.', 'gpt-4o'],
    ]);
    expect(log.metadata).toMatchObject({ stats: { models: ['gpt-4o'] } });
    expect(readdirSync(uploadDir)).toEqual([]);
  });

  it('changes nothing when the same export is imported again', async () => {
    const report = await importFile(JSON.stringify(v1), '?filename=100%25%20mine.json');
    expect(report.filename).toBe('100% mine.json');
    expect(report.counts).toEqual({ conversations: 2, created: 0, updated: 0, unchanged: 2, failed: 0 });
    expect(await db.orm.em.fork().count(ChatLog)).toBe(2);
  });

  it('adds new conversations and versions changed ones, keeping the user’s title, tags and annotations', async () => {
    const api = await caller();
    const ferries = (await api.chatlogs.list()).items.find((i) => i.title === 'Ferries')!;
    await api.chatlogs.update({ id: ferries.id, expectedVersion: 1, title: 'My ferry notes' });
    await api.chatlogs.setTags({ id: ferries.id, tags: ['travel'] });

    const v2 = [
      chatgptConversation({
        id: 'conv-a',
        title: 'Ferries',
        turns: [
          { user: 'How do ferries work?', assistant: 'They float.' },
          { user: 'And in storms?', assistant: 'They stay in port.' },
        ],
      }),
      v1[1]!,
      chatgptConversation({ id: 'conv-c', title: 'New one', turns: [{ user: 'Hi', assistant: 'Hello' }] }),
    ];
    const report = await importFile(JSON.stringify(v2));
    expect(report.counts).toEqual({ conversations: 3, created: 1, updated: 1, unchanged: 1, failed: 0 });

    const after = await (await caller()).chatlogs.get({ id: ferries.id });
    expect(after).toMatchObject({ title: 'My ferry notes', tags: ['travel'], messageCount: 4, version: 3 });
  });

  it('accepts the multipart field "file" and names every conversation it could not take', async () => {
    const broken = [
      chatgptConversation({ id: 'conv-d', title: 'Fine', turns: [{ user: 'ok', assistant: 'ok' }] }),
      { title: 'No mapping', id: 'conv-e', conversation_id: 'conv-e', current_node: 'missing', mapping: {} },
    ];
    const form = new FormData();
    form.append('file', new Blob([JSON.stringify(broken)], { type: 'application/json' }), 'export.json');
    const res = await upload(form);
    expect(res.status).toBe(202);
    const { importId } = (await res.json()) as { importId: string };
    await runImportJob(db.orm, importId);
    const report = await (await caller()).imports.get({ id: importId });
    expect(report).toMatchObject({ status: 'succeeded', filename: 'export.json' });
    expect(report.counts).toMatchObject({ conversations: 2, created: 1, failed: 1 });
    expect(report.problems).toEqual([expect.objectContaining({ conversation: expect.stringMatching(/conv-e|No mapping/) })]);
  });

  it('names the user’s file, not the server’s temporary one, when the file breaks off', async () => {
    const whole = JSON.stringify(v1);
    const report = await importFile(whole.slice(0, whole.length - 200), '?filename=truncated.json');
    expect(report.status).toBe('succeeded');
    expect(report.problems.length).toBeGreaterThan(0);
    expect(JSON.stringify(report.problems)).not.toMatch(/\.upload/);
    expect(JSON.stringify(report.problems)).toContain('truncated.json');
  });

  it('refuses what it cannot import with a clear error, and queues nothing', async () => {
    const jobs = await db.orm.em.fork().count(ImportJob);
    const notExport = await upload('just some words that are not an export');
    expect(notExport.status).toBe(400);
    expect(((await notExport.json()) as { error: string }).error.length).toBeGreaterThan(10);
    expect((await upload('')).status).toBe(400);
    expect((await upload('[]', '?format=myspace')).status).toBe(400);
    const tooLarge = await upload(new Blob([new Uint8Array(2 * 1024 * 1024).fill(32)]));
    expect(tooLarge.status).toBe(413);
    const anonymous = await app.request(`${ORIGIN}/api/imports`, { method: 'POST', body: JSON.stringify(v1) });
    expect(anonymous.status).toBe(401);
    const form = new FormData();
    form.append('other', 'x');
    expect((await upload(form)).status).toBe(400);
    expect(await db.orm.em.fork().count(ImportJob)).toBe(jobs);
    expect(readdirSync(uploadDir)).toEqual([]);
  });

  it('resumes an interrupted job after its last committed batch, counting nothing twice', async () => {
    const many = Array.from({ length: 12 }, (_, i) =>
      chatgptConversation({ id: `bulk-${i}`, title: `Bulk ${i}`, turns: [{ user: `Question ${i}`, assistant: `Answer ${i}` }] }),
    );
    const res = await upload(JSON.stringify(many));
    const { importId } = (await res.json()) as { importId: string };
    // A worker claims it, and stops after its first batch commits, as a server shutting down would.
    // The stop lands the moment that batch has committed (the runner announces each commit to the
    // change feed), so the second batch is never read, however fast the machine: polling the
    // checkpoint from here let a fast runner finish all three batches first.
    expect(await claimNextImport(db.orm.em.fork(), 60_000)).toBe(importId);
    const controller = new AbortController();
    const publish = changeFeed.publish.bind(changeFeed);
    const afterFirstBatch = vi.spyOn(changeFeed, 'publish').mockImplementation((userId) => {
      publish(userId);
      controller.abort();
    });
    try {
      await runImportJob(db.orm, importId, { batchSize: 5, signal: controller.signal });
    } finally {
      afterFirstBatch.mockRestore();
    }
    const interrupted = await db.orm.em.fork().findOneOrFail(ImportJob, { id: importId });
    expect(interrupted.status).toBe('running');
    expect(interrupted.processed).toBe(5);
    expect(interrupted.counts.created).toBe(5);

    // Its heartbeat has stopped; another worker takes it over and resumes it.
    expect(await claimNextImport(db.orm.em.fork(), 60_000)).toBeNull();
    expect(await claimNextImport(db.orm.em.fork(), 0)).toBe(importId);
    await runImportJob(db.orm, importId, { batchSize: 5 });
    const report = await (await caller()).imports.get({ id: importId });
    expect(report.status).toBe('succeeded');
    expect(report.counts).toEqual({ conversations: 12, created: 12, updated: 0, unchanged: 0, failed: 0 });
    expect(await db.orm.em.fork().count(ChatLog, { externalId: { $like: 'bulk-%' } })).toBe(12);
  });

  it("keeps another user's imports out of reach", async () => {
    const other = await app.request(`${ORIGIN}/trpc/auth.signUp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(superjson.serialize({ username: 'nosy', email: 'nosy@example.com', password: 'correct horse battery' })),
    });
    const nosyToken = superjson.deserialize<{ token: string }>(((await other.json()) as { result: { data: never } }).result.data).token;
    const em = db.orm.em.fork();
    const auth = await authenticate(em, new Headers({ authorization: `Bearer ${nosyToken}` }));
    const nosy = createCallerFactory(appRouter)(createContextInner({ em, user: auth!.user, credential: auth!.credential }));
    const mine = await (await caller()).imports.list();
    expect(mine.length).toBeGreaterThan(0);
    expect(await nosy.imports.list()).toEqual([]);
    await expect(nosy.imports.get({ id: mine[0]!.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
