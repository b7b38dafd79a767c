import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatSynthClient } from '@chatsynth/client';
import { chatgptConversation } from '@chatsynth/importers/testing';
import { startBuiltServer, type RunningServer } from '@chatsynth/server/testing';

const run = promisify(execFile);
const workspace = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * The README's way in: `pnpm --filter @chatsynth/cli pack`, then `npm i -g` of the tarball puts
 * `chatsynth` on PATH (here a prefix of the test's own, so the machine's stays as it was).
 */
describe('the chatsynth command installed globally from its tarball', () => {
  let dir: string;
  let server: RunningServer;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chatsynth-global-'));
    // dist/ is built already (turbo builds before it tests): packing skips the prepack build, which
    // would rewrite dist/ under the other tests reading it.
    await run('pnpm', ['--config.ignore-scripts=true', '--filter', '@chatsynth/cli', 'pack', '--pack-destination', dir], { cwd: workspace });
    const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'))!;
    const prefix = join(dir, 'prefix');
    await run('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', join(dir, tarball)], {
      cwd: dir,
      timeout: 240_000,
    });
    server = await startBuiltServer();
    const session = await createChatSynthClient({ url: server.url }).auth.signUp.mutate({
      username: 'globetrotter',
      email: 'globetrotter@example.com',
      password: 'correct horse battery',
    });
    const { token } = await createChatSynthClient({ url: server.url, token: session.token }).apiTokens.create.mutate({ name: 'global cli' });
    // Only the prefix's bin and the directory of the node running the tests: no workspace on PATH.
    env = {
      PATH: `${join(prefix, 'bin')}:${join(process.execPath, '..')}:/usr/bin:/bin`,
      HOME: dir,
      CHATSYNTH_CONFIG: join(dir, 'config.json'),
      CHATSYNTH_URL: server.url,
      CHATSYNTH_TOKEN: token,
    };
  }, 300_000);

  afterAll(async () => {
    await server?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs as `chatsynth` from PATH: imports a file with its report, then lists what it stored', async () => {
    const version = await run('chatsynth', ['--version'], { cwd: dir, env });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);

    const file = join(dir, 'conversations.json');
    writeFileSync(file, JSON.stringify([chatgptConversation({ id: 'conv-global', title: 'Installed globally', turns: [{ user: 'Does it run?', assistant: 'From PATH.' }] })]));
    const imported = await run('chatsynth', ['import', file], { cwd: dir, env, timeout: 60_000 });
    expect(imported.stdout).toMatch(/succeeded/);
    expect(imported.stdout).toMatch(/created: +1$/m);

    const listed = await run('chatsynth', ['list'], { cwd: dir, env });
    expect(listed.stdout).toContain('Installed globally');
  }, 90_000);
});
