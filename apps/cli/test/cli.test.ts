import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatSynthClient } from '@chatsynth/client';
import { chatgptConversation } from '@chatsynth/importers/testing';
import { startBuiltServer, type RunningServer } from '@chatsynth/server/testing';

const cliEntry = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const PASSWORD = 'correct horse battery';
const MAX_UPLOAD_BYTES = 1024 * 1024;

type Run = { code: number | null; stdout: string; stderr: string };

describe('the built chatsynth CLI against the built server', () => {
  let server: RunningServer;
  let dir: string;
  let configFile: string;

  /** Runs `node dist/cli.js …` as a user would, with its own HOME and config file, stdin piped (not a terminal). */
  const chatsynth = (args: string[], options: { input?: string; env?: Record<string, string> } = {}) =>
    new Promise<Run>((resolve, reject) => {
      const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir, CHATSYNTH_CONFIG: configFile, ...options.env };
      if (!options.env?.CHATSYNTH_URL) delete env.CHATSYNTH_URL;
      if (!options.env?.CHATSYNTH_TOKEN) delete env.CHATSYNTH_TOKEN;
      delete env.CHATSYNTH_DEBUG;
      const child = spawn(process.execPath, [cliEntry, ...args], { cwd: dir, env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(options.input ?? '');
    });

  const file = (name: string, content: string | Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  const savedLogin = () => JSON.parse(readFileSync(configFile, 'utf8')) as { url: string; token: string; tokenId: string; username: string };

  const v1 = [
    chatgptConversation({ id: 'conv-ferries', title: 'Ferries & <boats>', turns: [{ user: 'How do ferries work?', assistant: 'They float on water.' }] }),
    chatgptConversation({ id: 'conv-bread', title: 'Bread', turns: [{ user: 'Sourdough tips?', assistant: 'Patience, and a warm kitchen.' }] }),
    // A conversation whose message tree is missing: the report must name it and say why.
    { title: 'No mapping', id: 'conv-broken', conversation_id: 'conv-broken', current_node: 'missing', mapping: {} },
  ];

  beforeAll(async () => {
    server = await startBuiltServer({ env: { CHATSYNTH_MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) } });
    dir = mkdtempSync(join(tmpdir(), 'chatsynth-cli-'));
    configFile = join(dir, 'config', 'chatsynth.json');
    await createChatSynthClient({ url: server.url }).auth.signUp.mutate({ username: 'clara', email: 'clara@example.com', password: PASSWORD });
  });
  afterAll(async () => {
    await server?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints usage for --help, and usage on stderr with exit 2 for unknown commands and options', async () => {
    const help = await chatsynth(['--help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: chatsynth <command>/);
    for (const command of ['login', 'logout', 'import', 'imports', 'list', 'search', 'export']) expect(help.stdout).toContain(`  ${command} `);

    const importHelp = await chatsynth(['import', '--help']);
    expect(importHelp.code).toBe(0);
    expect(importHelp.stdout).toContain('Usage: chatsynth import <file>');

    const unknown = await chatsynth(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    expect(unknown.stderr).toContain('Usage: chatsynth <command>');

    const badOption = await chatsynth(['list', '--colour']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain("Unknown option '--colour'");
    expect(badOption.stderr).toContain('Usage: chatsynth list');

    expect((await chatsynth(['import'])).code).toBe(2);
    expect((await chatsynth(['list', '--limit', 'lots'])).stderr).toContain('--limit must be a whole number');
    expect((await chatsynth(['export', '--format', 'pdf'])).code).toBe(2);
    expect((await chatsynth([])).code).toBe(2);
  });

  it('says how to log in before any login', async () => {
    const list = await chatsynth(['list']);
    expect(list.code).toBe(2);
    expect(list.stderr).toBe('chatsynth: Not logged in: run `chatsynth login --url <server>`, or set CHATSYNTH_URL and CHATSYNTH_TOKEN.\n');
  });

  it('refuses a wrong password with the server’s message and saves nothing', async () => {
    const wrong = await chatsynth(['login', '--url', server.url, '--username', 'clara', '--password-stdin'], { input: 'not my password\n' });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe('chatsynth: Invalid username, email or password.\n');
    expect(existsSync(configFile)).toBe(false);
  });

  it('logs in with --password-stdin, saving a named API token readable only by its owner', async () => {
    const login = await chatsynth(['login', '--url', `${server.url}/`, '--username', 'clara', '--password-stdin'], { input: `${PASSWORD}\n` });
    expect(login.stderr).toContain(`Logged in to ${server.url} as clara. The API token "cli@${hostname()}" (scopes: read, write, import) is saved in`);
    expect(login.code).toBe(0);
    expect(statSync(configFile).mode & 0o777).toBe(0o600);
    const saved = savedLogin();
    expect(saved).toMatchObject({ url: server.url, username: 'clara', token: expect.stringMatching(/^csk_/) });

    const tokens = await createChatSynthClient({ url: server.url, token: saved.token }).apiTokens.list.query();
    expect(tokens).toEqual([
      expect.objectContaining({ id: saved.tokenId, name: `cli@${hostname()}`, revokedAt: null, scopes: ['read', 'write', 'import'] }),
    ]);
  });

  it('imports a ChatGPT export, streaming it, and prints the report with every problem', async () => {
    const path = file('conversations.json', JSON.stringify(v1));
    const run = await chatsynth(['import', path]);
    // Not a terminal: plain progress lines, no bar redrawn with \r and escape codes.
    expect(run.stderr).not.toContain('\r');
    expect(run.stderr).not.toContain('\u001b');
    expect(run.stderr).toContain('Uploading conversations.json (');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Import of conversations\.json \(chatgpt\) succeeded/);
    expect(run.stdout).toMatch(/conversations: +3\n/);
    expect(run.stdout).toMatch(/created: +2\n/);
    expect(run.stdout).toMatch(/updated: +0\n/);
    expect(run.stdout).toMatch(/unchanged: +0\n/);
    expect(run.stdout).toMatch(/failed: +1\n/);
    expect(run.stdout).toMatch(/1 problem:\n {2}- .*(No mapping|conv-broken).*: .+/);
  });

  it('lists the imported conversations as JSON and as a table', async () => {
    const json = await chatsynth(['list', '--json']);
    expect(json.code).toBe(0);
    const items = JSON.parse(json.stdout) as Array<{ title: string; source: string; messageCount: number }>;
    expect(items.map((i) => [i.title, i.source, i.messageCount]).sort()).toEqual([
      ['Bread', 'chatgpt', 2],
      ['Ferries & <boats>', 'chatgpt', 2],
    ]);

    const table = await chatsynth(['list', '--source', 'chatgpt']);
    expect(table.code).toBe(0);
    const [header, ...rows] = table.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID +TITLE +SOURCE +MESSAGES +TAGS +UPDATED$/);
    expect(rows).toHaveLength(2);
    expect(table.stdout).toContain('Ferries & <boats>');

    const none = await chatsynth(['list', '--tag', 'nothing-tagged-so']);
    expect(none).toMatchObject({ code: 0, stdout: '' });
  });

  it('changes nothing when the same export is imported again', async () => {
    const run = await chatsynth(['import', join(dir, 'conversations.json'), '--format', 'chatgpt']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/created: +0\n/);
    expect(run.stdout).toMatch(/updated: +0\n/);
    expect(run.stdout).toMatch(/unchanged: +2\n/);
    const items = JSON.parse((await chatsynth(['list', '--json'])).stdout) as unknown[];
    expect(items).toHaveLength(2);
  });

  it('exits 2 with the server’s own message for a file that is no export, or one too large', async () => {
    const garbage = 'these are some words, and they are not a chat export of any kind';
    const path = file('notes.txt', garbage);
    const direct = await fetch(`${server.url}/api/imports?format=auto`, {
      method: 'POST',
      headers: { authorization: `Bearer ${savedLogin().token}` },
      body: garbage,
    });
    expect(direct.status).toBe(400);
    const { error } = (await direct.json()) as { error: string };

    const run = await chatsynth(['import', path]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`chatsynth: ${error}\n`);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace

    // Just over the limit: the server reads up to it, then answers 413 with its message.
    const over = await chatsynth(['import', file('over.json', new Uint8Array(MAX_UPLOAD_BYTES + 16 * 1024).fill(32))]);
    expect(over.code).toBe(2);
    expect(over.stderr).toContain('chatsynth: The file is larger than 1 MiB.\n');
    // Far over it: the server answers on the Content-Length alone and closes the connection, and
    // sometimes its answer is lost with it (EPIPE); either way the CLI says so in one line.
    const large = await chatsynth(['import', file('large.json', new Uint8Array(4 * MAX_UPLOAD_BYTES).fill(32))]);
    expect(large.code).toBe(2);
    expect(large.stderr).toMatch(/\nchatsynth: (The file is larger than 1 MiB\.|The server stopped the upload after .+ of 4\.0 MB \(E[A-Z]+\): it may not take files this large\.)\n$/);

    const missing = await chatsynth(['import', join(dir, 'nowhere.json')]);
    expect(missing).toMatchObject({ code: 2, stderr: `chatsynth: ${join(dir, 'nowhere.json')}: no such file.\n` });

    const badFormat = await chatsynth(['import', path, '--format', 'myspace']);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain('--format must be one of auto, chatgpt, claude');
  });

  it('queues an import with --no-wait and follows it later with `imports <id> --wait`', async () => {
    const v2 = [...v1.slice(0, 2), chatgptConversation({ id: 'conv-kites', title: 'Kites', turns: [{ user: 'Why do kites fly?', assistant: 'Wind and lift.' }] })];
    const queued = await chatsynth(['import', file('newer.json', JSON.stringify(v2)), '--no-wait']);
    expect(queued.code).toBe(0);
    const importId = queued.stdout.trim();
    expect(importId).toMatch(/^[0-9a-f-]{36}$/);
    expect(queued.stderr).toContain(`chatsynth imports ${importId} --wait`);

    const followed = await chatsynth(['imports', importId, '--wait', '--json']);
    expect(followed.code).toBe(0);
    expect(JSON.parse(followed.stdout)).toMatchObject({
      id: importId,
      status: 'succeeded',
      filename: 'newer.json',
      counts: { conversations: 3, created: 1, updated: 0, unchanged: 2, failed: 0 },
    });

    const list = await chatsynth(['imports']);
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(/^ID +STATUS +FORMAT +CONVERSATIONS +FAILED +STARTED +FILE$/);
    expect(list.stdout).toContain(importId);
  });

  it('searches, marking the matches in [brackets] when the output is not a terminal', async () => {
    const run = await chatsynth(['search', 'ferries']);
    expect(run.code).toBe(0);
    const [title, meta, ...snippets] = run.stdout.trimEnd().split('\n');
    expect(title).toBe('Ferries & <boats>');
    expect(meta).toMatch(/^ {2}[0-9a-f-]{36} {2}· {2}chatgpt {2}· .* {2}· {2}score \d+\.\d{3}$/);
    expect(snippets).toContain('  message 1: How do [ferries] work?');
    expect(run.stdout).not.toMatch(/<\/?mark>|&amp;|&lt;/);

    const json = await chatsynth(['search', 'kites OR sourdough', '--limit', '5', '--json']);
    expect(json.code).toBe(0);
    const hits = JSON.parse(json.stdout) as Array<{ chatlog: { title: string }; score: number }>;
    expect(hits.map((h) => h.chatlog.title).sort()).toEqual(['Bread', 'Kites']);

    const none = await chatsynth(['search', 'zeppelin']);
    expect(none).toMatchObject({ code: 0, stdout: '', stderr: 'No matches.\n' });
    // A misspelt word: the user's own word is offered, on stderr.
    const misspelt = await chatsynth(['search', 'ferires ']);
    expect(misspelt).toMatchObject({ code: 0, stdout: '', stderr: 'No matches.\nDid you mean "ferries"?\n' });
  });

  it('exports everything as a zip, streamed to a file', async () => {
    const target = join(dir, 'everything.zip');
    const run = await chatsynth(['export', '-o', target]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`Saved ${target}`);
    const entries = unzipSync(readFileSync(target));
    const names = Object.keys(entries);
    expect(names).toHaveLength(3);
    expect(names.every((name) => name.startsWith('chatsynth/') && name.endsWith('.json'))).toBe(true);
    const titles = names.map((name) => (JSON.parse(strFromU8(entries[name]!)) as { chatlog: { title: string } }).chatlog.title);
    expect(titles.sort()).toEqual(['Bread', 'Ferries & <boats>', 'Kites']);
    expect(existsSync(`${target}.part`)).toBe(false);

    // Into a folder, under the server's name, as Markdown.
    const folder = join(dir, 'exports');
    mkdirSync(folder);
    const markdown = await chatsynth(['export', '--format', 'markdown', '-o', folder]);
    expect(markdown.code).toBe(0);
    const saved = /Saved (\S+\.zip)/.exec(markdown.stderr)?.[1];
    expect(saved).toMatch(new RegExp(`^${folder}/chatsynth-markdown-\\d{4}-\\d{2}-\\d{2}\\.zip$`));
    expect(Object.keys(unzipSync(readFileSync(saved!))).every((name) => name.endsWith('.md'))).toBe(true);
  });

  it('exports one chat log as Markdown to stdout or to a file', async () => {
    const items = JSON.parse((await chatsynth(['list', '--json'])).stdout) as Array<{ id: string; title: string }>;
    const ferries = items.find((i) => i.title.startsWith('Ferries'))!;

    const run = await chatsynth(['export', ferries.id, '--format', 'markdown']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^# Ferries & <boats>\n/);
    expect(run.stdout).toContain('## User\n\nHow do ferries work?');
    expect(run.stdout).toContain('They float on water.');

    const target = join(dir, 'ferries.json');
    const toFile = await chatsynth(['export', ferries.id, '--format', 'json', '-o', target]);
    expect(toFile.code).toBe(0);
    expect(JSON.parse(readFileSync(target, 'utf8'))).toMatchObject({ format: 'chatsynth', chatlog: { title: 'Ferries & <boats>' } });

    const missing = await chatsynth(['export', '01a21494-f551-73f2-87fe-000000000000']);
    expect(missing).toMatchObject({ code: 2, stdout: '', stderr: 'chatsynth: Chat log not found.\n' });
  });

  it('takes CHATSYNTH_URL and CHATSYNTH_TOKEN over the saved login', async () => {
    const { token } = savedLogin();
    const run = await chatsynth(['list', '--json'], {
      env: { CHATSYNTH_URL: server.url, CHATSYNTH_TOKEN: token, CHATSYNTH_CONFIG: join(dir, 'absent.json') },
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveLength(3);

    const wrongServer = await chatsynth(['list'], { env: { CHATSYNTH_URL: 'http://127.0.0.1:9' } });
    expect(wrongServer.code).toBe(2);
    // The saved token is for another server: it is not sent to this one.
    expect(wrongServer.stderr).toContain('Not logged in');

    const unreachable = await chatsynth(['list'], { env: { CHATSYNTH_URL: 'http://127.0.0.1:9', CHATSYNTH_TOKEN: 'csk_x' } });
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(/^chatsynth: Cannot reach the server at http:\/\/127\.0\.0\.1:9 /);
  });

  it('logs out: revokes the token on the server and forgets it', async () => {
    const { token } = savedLogin();
    const run = await chatsynth(['logout']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`Logged out of ${server.url}.`);
    expect(existsSync(configFile)).toBe(false);

    const revoked = await chatsynth(['list'], { env: { CHATSYNTH_URL: server.url, CHATSYNTH_TOKEN: token } });
    expect(revoked.code).toBe(2);
    expect(revoked.stderr).toContain('run `chatsynth login` again');

    const again = await chatsynth(['logout']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('Not logged in');
  });

  it('logs in with --scopes for a narrower token, which imports and reads, changes nothing, and logs out', async () => {
    const typo = await chatsynth(['login', '--url', server.url, '--username', 'clara', '--password-stdin', '--scopes', 'read,imports'], { input: `${PASSWORD}\n` });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('--scopes takes read, write, import, separated by commas: not "imports".');
    expect(existsSync(configFile)).toBe(false);

    const login = await chatsynth(['login', '--url', server.url, '--username', 'clara', '--password-stdin', '--scopes', 'import,read'], { input: `${PASSWORD}\n` });
    expect(login.code).toBe(0);
    expect(login.stderr).toContain('(scopes: read, import)');
    const { token, tokenId } = savedLogin();
    const asToken = createChatSynthClient({ url: server.url, token });
    expect((await asToken.apiTokens.list.query()).find((t) => t.id === tokenId)?.scopes).toEqual(['read', 'import']);

    const path = file('scoped.json', JSON.stringify([chatgptConversation({ id: 'conv-scoped', title: 'Scoped', turns: [{ user: 'Hi', assistant: 'Hello' }] })]));
    const imported = await chatsynth(['import', path]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/created: +1\n/);
    expect((await chatsynth(['list'])).stdout).toContain('Scoped');
    const refused = await asToken.tags.rename.mutate({ from: 'a', to: 'b' }).catch((error: Error) => error);
    expect(refused).toMatchObject({ message: 'This API token lacks the write scope.' });

    // An export-only token cannot upload: the server says which scope it lacks, the CLI how to get it.
    const readOnly = await chatsynth(['login', '--url', server.url, '--username', 'clara', '--password-stdin', '--scopes', 'read'], { input: `${PASSWORD}\n` });
    expect(readOnly.stderr).toContain('(scopes: read)');
    const upload = await chatsynth(['import', path]);
    expect(upload.code).toBe(2);
    expect(upload.stderr).toContain('This API token lacks the import scope. Run `chatsynth login` again for a token with it (see --scopes).');

    // Logging in again revoked the read+import token; logging out revokes the read-only one itself.
    expect(await asToken.apiTokens.list.query().catch((error: Error) => error.message)).toMatch(/Sign in/);
    const readOnlyToken = savedLogin().token;
    const out = await chatsynth(['logout']);
    expect(out.code).toBe(0);
    expect(existsSync(configFile)).toBe(false);
    expect(await createChatSynthClient({ url: server.url, token: readOnlyToken }).auth.me.query()).toBeNull();
  });
});
