import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBuiltServer, type RunningServer } from '@chatsynth/server/testing';

/**
 * The client as another team's service meets it: packed, installed with npm into a plain Node project
 * outside the monorepo (no workspace, no @chatsynth/api), compiled with `tsc --strict`, run against
 * the built server. npm fetches the client's dependencies and TypeScript from the registry.
 */
const run = promisify(execFile);
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const workspace = here('../../..');
const versionOf = (name: string) => (JSON.parse(readFileSync(here(`../node_modules/${name}/package.json`), 'utf8')) as { version: string }).version;

/** The first ```ts block of a README (after `heading`): the example it promises works. */
function readmeExample(file: string, heading = ''): string {
  const readme = readFileSync(file, 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf(heading)));
  if (!block) throw new Error(`${file} has no ts example`);
  return block[1]!;
}

const probes = `
import { createChatSynthClient, type RouterInputs, type RouterOutputs } from '@chatsynth/client';

const client = createChatSynthClient({ url: 'http://127.0.0.1:1' });
type IsAny<T> = 0 extends 1 & T ? true : false;

// Nothing is any: the client, a procedure, an output.
export const clientIsTyped: IsAny<typeof client> = false;
export const listIsTyped: IsAny<typeof client.chatlogs.list> = false;
export const outputIsTyped: IsAny<RouterOutputs['chatlogs']['get']> = false;
export const inputIsTyped: IsAny<RouterInputs['chatlogs']['list']> = false;

export async function probes() {
  // @ts-expect-error a misspelt input key
  await client.chatlogs.list.query({ limti: 5 });
  // @ts-expect-error a wrong input type
  await client.chatlogs.list.query({ limit: '5' });
  // @ts-expect-error a procedure that does not exist
  await client.chatlogs.lst.query();
  // @ts-expect-error a query is not a mutation
  await client.chatlogs.list.mutate({});
  // @ts-expect-error dates are a Date or an ISO string
  await client.chatlogs.list.query({ from: 20240101 });
  // @ts-expect-error a scope that does not exist
  await client.apiTokens.create.mutate({ name: 'x', scopes: ['admin'] });
  // @ts-expect-error an import format that does not exist
  await client.imports.upload(new Uint8Array(1), { format: 'word' });
  // @ts-expect-error an export format that does not exist
  await client.exports.download({ format: 'pdf' });

  const log = await client.chatlogs.get.query({ id: 'x' });
  const when: Date = log.createdAt;
  const started: Date | null = log.startedAt;
  // @ts-expect-error a title is a string
  const title: number = log.title;
  const role: 'user' | 'assistant' | 'system' | 'tool' | undefined = log.content.messages[0]?.role;
  const importId: string = await client.imports.upload(new Blob(['{}']));
  const zip: ReadableStream<Uint8Array> & { filename: string } = await client.exports.download();
  const list = await client.chatlogs.list.query({ from: new Date(), to: '2030-01-01T00:00:00Z' });
  const tags: string[] = list.items[0]?.tags ?? [];
  client.events.onChange.subscribe({ lastEventId: '0' }, { onData: ({ id, data }) => console.log(id.length, data.chatlogId.length) });
  return { when, started, title, role, importId, zip, tags };
}
`;

/** Scopes and errors at run time, through the installed package. */
const scopes = `
import { createChatSynthClient, isTRPCClientError } from '@chatsynth/client';

const url = process.env.CHATSYNTH_URL!;
const owner = createChatSynthClient({ url, token: process.env.CHATSYNTH_TOKEN });
const codeOf = (promise: Promise<unknown>) =>
  promise.then(() => 'ok', (error: unknown) => (isTRPCClientError(error) ? String(error.data?.code) : 'not a TRPCClientError: ' + String(error)));

const reader = createChatSynthClient({ url, token: (await owner.apiTokens.create.mutate({ name: 'reader', scopes: ['read'] })).token });
const writer = createChatSynthClient({ url, token: (await owner.apiTokens.create.mutate({ name: 'writer', scopes: ['write'] })).token });
const log = { source: 'api', title: 'Scoped', content: { messages: [{ role: 'user' as const, content: 'hi' }] } };
const created = await owner.chatlogs.create.mutate(log);

// Replayed from the beginning ("0"): the create above is there.
const replayed = await new Promise<string[]>((resolve, reject) => {
  const seen: string[] = [];
  const subscription = owner.events.onChange.subscribe({ lastEventId: '0' }, {
    onData: ({ data }) => {
      seen.push(data.type);
      if (data.chatlogId === created.id) { subscription.unsubscribe(); resolve(seen); }
    },
    onError: reject,
  });
});

console.log(JSON.stringify({
  readerCreates: await codeOf(reader.chatlogs.create.mutate(log)),
  readerUploads: await codeOf(reader.imports.upload(new TextEncoder().encode('[]'), { format: 'chatgpt' })),
  readerLists: await codeOf(reader.chatlogs.list.query()),
  readerExports: await codeOf(reader.exports.download().then((zip) => zip.cancel())),
  writerLists: await codeOf(writer.chatlogs.list.query()),
  writerCreates: await codeOf(writer.chatlogs.create.mutate(log)),
  anonymousUploads: await codeOf(createChatSynthClient({ url }).imports.upload(new Uint8Array(1))),
  notAnExport: await codeOf(owner.imports.upload(new TextEncoder().encode('hello'), { filename: 'hello.txt' })),
  replayed,
}));
`;

describe('@chatsynth/client installed from its tarball in a project outside the monorepo', () => {
  let dir: string;
  let server: RunningServer;
  let token: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chatsynth-consumer-'));
    // dist/ is built already (turbo builds before it tests): packing skips the prepack build, which
    // would rewrite dist/ under the other tests reading it.
    await run('pnpm', ['--config.ignore-scripts=true', '--filter', '@chatsynth/client', 'pack', '--pack-destination', dir], { cwd: workspace });
    const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'))!;
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', types: ['node'], outDir: 'out', skipLibCheck: false },
        include: ['*.ts'],
      }),
    );
    await run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', `./${tarball}`, `typescript@${versionOf('typescript')}`, `@types/node@${versionOf('@types/node')}`],
      { cwd: dir, timeout: 240_000 },
    );
    server = await startBuiltServer();
    const { createChatSynthClient } = await import(join(dir, 'node_modules/@chatsynth/client/dist/index.js'));
    const session = await createChatSynthClient({ url: server.url }).auth.signUp.mutate({
      username: 'service',
      email: 'service@example.com',
      password: 'correct horse battery',
    });
    token = (await createChatSynthClient({ url: server.url, token: session.token }).apiTokens.create.mutate({ name: 'consumer' })).token;
  }, 300_000);

  afterAll(async () => {
    await server?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('installs with no workspace package and its declarations import only its dependencies', async () => {
    const installed = readdirSync(join(dir, 'node_modules/@chatsynth'));
    expect(installed).toEqual(['client']);
    const declarations = readFileSync(join(dir, 'node_modules/@chatsynth/client/dist/index.d.ts'), 'utf8');
    const imported = new Set([...declarations.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]!.split('/').slice(0, m[1]!.startsWith('@') ? 2 : 1).join('/')));
    expect([...imported]).toEqual(['zod']);
    // A CommonJS service on Node 22.12+ requires it as it is (require of an ES module).
    const required = await run(process.execPath, ['--input-type=commonjs', '-e', "console.log(typeof require('@chatsynth/client').createChatSynthClient)"], { cwd: dir });
    expect(required.stdout.trim()).toBe('function');
  });

  it('compiles under tsc --strict: typed probes hold, wrong procedures, keys and types fail, the README example compiles', async () => {
    writeFileSync(join(dir, 'probes.ts'), probes);
    writeFileSync(join(dir, 'scopes.ts'), scopes);
    const example = readmeExample(here('../README.md'));
    // The repository's README shows the same example in its client section.
    expect(readmeExample(join(workspace, 'README.md'), '## The typed client')).toBe(example);
    writeFileSync(join(dir, 'example.ts'), example);
    const tsc = join(dir, 'node_modules/typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', '.', '--strict'], { cwd: dir }).catch((error: { stdout: string }) => error);
    expect(result.stdout).toBe('');
  }, 120_000);

  it('runs the README example against the server: create, list, search, subscribe, upload, export', async () => {
    copyFileSync(here('../../importers/test/fixtures/chatgpt/conversations.json'), join(dir, 'conversations.json'));
    const { stdout } = await run(process.execPath, ['out/example.js'], {
      cwd: dir,
      env: { ...process.env, CHATSYNTH_URL: server.url, CHATSYNTH_TOKEN: token, EXPORT_FILE: 'conversations.json' },
      timeout: 60_000,
    });
    expect(stdout).toMatch(/^created [0-9a-f-]{36}, version 1, at \d{4}-/m);
    expect(stdout).toMatch(/^1 travel logs$/m);
    expect(stdout).toMatch(/^Ferry timetables: /m);
    expect(stdout).toMatch(/^event \d+-\d+: chatlog\.created [0-9a-f-]{36}$/m);
    expect(stdout).toMatch(/^import succeeded: [1-9]\d* chat logs created$/m);
    expect(stdout).toMatch(/^as expected: NOT_FOUND$/m);
    const saved = /^saved (.+\.zip)$/m.exec(stdout)?.[1];
    expect(saved).toBeDefined();
    expect(readFileSync(join(dir, saved!)).subarray(0, 2).toString()).toBe('PK');
  }, 90_000);

  it('refuses each token what its scopes do not allow, with the server’s code as a typed error, and replays events from "0"', async () => {
    const { stdout } = await run(process.execPath, ['out/scopes.js'], {
      cwd: dir,
      env: { ...process.env, CHATSYNTH_URL: server.url, CHATSYNTH_TOKEN: token },
      timeout: 60_000,
    });
    expect(JSON.parse(stdout)).toEqual({
      readerCreates: 'FORBIDDEN',
      readerUploads: 'FORBIDDEN',
      readerLists: 'ok',
      readerExports: 'ok',
      writerLists: 'FORBIDDEN',
      writerCreates: 'ok',
      anonymousUploads: 'UNAUTHORIZED',
      notAnExport: 'BAD_REQUEST',
      replayed: expect.arrayContaining(['chatlog.created']),
    });
  }, 90_000);
});
