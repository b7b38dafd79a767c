import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unzipSync, strFromU8 } from 'fflate';
import { runImportJob } from '@chatsynth/api';
import { createTestDatabase } from '@chatsynth/db/testing';
import { createApp } from '../src/app';
import { callerFor as callerForToken, ORIGIN, signUpThrough } from './helpers';


describe('exports', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: ReturnType<typeof createApp>;
  let uploadDir: string;

  const signUp = (username: string) => signUpThrough(app, username);
  const callerFor = (token: string) => callerForToken(db.orm, token);
  const importAs = async (token: string, body: ConstructorParameters<typeof Response>[0]) => {
    const res = await app.request(`${ORIGIN}/api/imports`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body });
    expect(res.status, await res.clone().text()).toBe(202);
    const { importId } = (await res.json()) as { importId: string };
    await runImportJob(db.orm, importId);
    return (await callerFor(token)).imports.get({ id: importId });
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    uploadDir = mkdtempSync(join(tmpdir(), 'chatsynth-exports-'));
    app = createApp({ orm: db.orm, uploadDir });
  });
  afterAll(async () => {
    await db?.close();
    rmSync(uploadDir, { recursive: true, force: true });
  });

  const content = {
    messages: [
      { role: 'system' as const, content: 'Be brief.' },
      { role: 'user' as const, content: 'Write hello world in Python', createdAt: '2024-03-01T10:00:00.000Z' },
      {
        role: 'assistant' as const,
        content: 'Here it is:',
        model: 'gpt-4o',
        createdAt: '2024-03-01T10:00:05.000Z',
        parts: [{ type: 'code' as const, language: 'python', text: 'print("hello")' }],
      },
    ],
  };

  it('exports one log as Markdown, JSON and OpenAI messages, and the JSON imports back to the same messages', async () => {
    const token = await signUp('exporter');
    const api = await callerFor(token);
    const log = await api.chatlogs.create({ source: 'api', title: 'Hello, World!', content, tags: ['code'] });

    const markdown = await api.chatlogs.export({ id: log.id, format: 'markdown' });
    expect(markdown).toMatchObject({ filename: expect.stringMatching(/^hello-world-.{8}\.md$/), mimeType: expect.stringContaining('text/markdown') });
    expect(markdown.body).toContain('# Hello, World!');
    expect(markdown.body).toContain('## Assistant (gpt-4o)');
    expect(markdown.body).toContain('```python\nprint("hello")\n```');

    const openai = JSON.parse((await api.chatlogs.export({ id: log.id, format: 'openai' })).body);
    expect(openai.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Write hello world in Python' },
      { role: 'assistant', content: 'Here it is:' },
    ]);

    const json = await api.chatlogs.export({ id: log.id, format: 'json' });
    const other = await signUp('receiver');
    const report = await importAs(other, json.body);
    expect(report.counts).toMatchObject({ conversations: 1, created: 1, failed: 0 });
    const receiver = await callerFor(other);
    const [imported] = (await receiver.chatlogs.list()).items;
    expect(imported).toMatchObject({ title: 'Hello, World!', source: 'api', tags: ['code'] });
    expect((await receiver.chatlogs.get({ id: imported!.id })).content).toEqual(content);

    expect((await importAs(other, json.body)).counts).toMatchObject({ unchanged: 1, created: 0 });
  });

  it('streams a zip of all logs that imports back whole', async () => {
    const token = await signUp('zipper');
    const api = await callerFor(token);
    for (let i = 0; i < 3; i++) await api.chatlogs.create({ source: 'api', title: `Log ${i}`, content, tags: [`t${i}`] });
    const res = await app.request(`${ORIGIN}/api/exports?format=json`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="chatsynth-json-/);
    const zip = new Uint8Array(await res.arrayBuffer());
    const files = unzipSync(zip);
    expect(Object.keys(files)).toHaveLength(3);
    const first = JSON.parse(strFromU8(Object.values(files)[0]!));
    expect(first).toMatchObject({ format: 'chatsynth', version: 1, chatlog: { title: 'Log 0', tags: ['t0'] } });

    const md = await app.request(`${ORIGIN}/api/exports?format=markdown`, { headers: { authorization: `Bearer ${token}` } });
    expect(Object.keys(unzipSync(new Uint8Array(await md.arrayBuffer()))).every((n) => n.endsWith('.md'))).toBe(true);

    const other = await signUp('unzipper');
    const report = await importAs(other, new Blob([zip]));
    expect(report.counts).toMatchObject({ conversations: 3, created: 3, failed: 0 });
    expect((await (await callerFor(other)).chatlogs.list()).items.map((i) => i.title).sort()).toEqual(['Log 0', 'Log 1', 'Log 2']);

    expect((await app.request(`${ORIGIN}/api/exports?format=json`)).status).toBe(401);
    expect((await app.request(`${ORIGIN}/api/exports?format=pdf`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(400);
  });
});
