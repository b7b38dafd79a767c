import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBuiltServer, type RunningServer } from '@chatsynth/server/testing';
import type * as ClientModule from '../src/index';

const run = promisify(execFile);
const clientDist = pathToFileURL(fileURLToPath(new URL('../dist/index.js', import.meta.url))).href;

/** A plain Node 20 ES module in a folder outside the monorepo, importing only the built client. */
function writeScript(dir: string, body: string) {
  const file = join(dir, 'script.mjs');
  writeFileSync(file, `import { createChatSynthClient, TRPCClientError } from ${JSON.stringify(clientDist)};\n${body}`);
  return file;
}

describe('@chatsynth/client from a plain Node script against the built server', () => {
  let server: RunningServer;
  let dir: string;
  beforeAll(async () => {
    server = await startBuiltServer();
    dir = mkdtempSync(join(tmpdir(), 'chatsynth-client-'));
  });
  afterAll(async () => {
    await server?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs up, creates and lists chat logs, and gets typed errors', async () => {
    const script = writeScript(
      dir,
      `
const url = process.argv[2];
const anonymous = createChatSynthClient({ url });
const { token, user } = await anonymous.auth.signUp.mutate({ username: 'scripted', email: 'scripted@example.com', password: 'correct horse battery' });
const client = createChatSynthClient({ url, token });
const apiToken = await client.apiTokens.create.mutate({ name: 'script' });
const viaApiToken = createChatSynthClient({ url, token: apiToken.token });
const log = await viaApiToken.chatlogs.create.mutate({
  source: 'api', title: 'From a script', tags: ['Scripts'],
  content: { messages: [{ role: 'user', content: 'Hello' }, { role: 'assistant', content: 'Hi there' }] },
});
const list = await client.chatlogs.list.query({ limit: 10 });
let code = null;
try { await anonymous.chatlogs.get.query({ id: log.id }); } catch (e) { code = e instanceof TRPCClientError ? e.data?.code : 'other'; }
let badRequest = null;
try { await client.chatlogs.create.mutate({ source: 'api', title: 'x'.repeat(501), content: { messages: [] } }); } catch (e) { badRequest = e.data?.zodError?.fieldErrors ?? null; }
console.log(JSON.stringify({
  user: user.username,
  createdAtIsDate: log.createdAt instanceof Date,
  version: log.version,
  tags: log.tags,
  titles: list.items.map((i) => i.title),
  unauthorised: code,
  badRequest,
}));
`,
    );
    const { stdout } = await run(process.execPath, [script, server.url], { cwd: dir });
    expect(JSON.parse(stdout)).toEqual({
      user: 'scripted',
      createdAtIsDate: true,
      version: 1,
      tags: ['scripts'],
      titles: ['From a script'],
      unauthorised: 'UNAUTHORIZED',
      badRequest: { title: [expect.stringContaining('500')] },
    });
  });

  it('batches calls in one request and still answers each', async () => {
    const script = writeScript(
      dir,
      `
const client = createChatSynthClient({ url: process.argv[2] });
const results = await Promise.all(Array.from({ length: 25 }, () => client.health.query()));
console.log(JSON.stringify(results.every((r) => r.ok)));
`,
    );
    const { stdout } = await run(process.execPath, [script, server.url], { cwd: dir });
    expect(stdout.trim()).toBe('true');
  });

  it('sends one request per call with batch: false', async () => {
    const script = writeScript(
      dir,
      `
let requests = 0;
const client = createChatSynthClient({ url: process.argv[2], batch: false, fetch: (...args) => (requests++, fetch(...args)) });
const results = await Promise.all(Array.from({ length: 3 }, () => client.health.query()));
console.log(JSON.stringify({ ok: results.every((r) => r.ok), requests }));
`,
    );
    const { stdout } = await run(process.execPath, [script, server.url], { cwd: dir });
    expect(JSON.parse(stdout)).toEqual({ ok: true, requests: 3 });
  });
});

describe('the built server on the embedded database', () => {
  it('keeps users and logs across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'chatsynth-restart-'));
    try {
      const { createChatSynthClient } = (await import(clientDist)) as typeof ClientModule;
      const first = await startBuiltServer({ dataDir });
      try {
        const { token } = await createChatSynthClient({ url: first.url }).auth.signUp.mutate({
          username: 'persistent',
          email: 'persistent@example.com',
          password: 'correct horse battery',
        });
        await createChatSynthClient({ url: first.url, token }).chatlogs.create.mutate({
          source: 'api',
          title: 'Survives',
          content: { messages: [{ role: 'user', content: 'still here?' }] },
        });
      } finally {
        await first.stop();
      }
      const second = await startBuiltServer({ dataDir });
      try {
        const { token } = await createChatSynthClient({ url: second.url }).auth.signIn.mutate({
          login: 'persistent',
          password: 'correct horse battery',
        });
        const list = await createChatSynthClient({ url: second.url, token }).chatlogs.list.query();
        expect(list.items.map((i) => i.title)).toEqual(['Survives']);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
