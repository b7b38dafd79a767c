import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const serverEntry = fileURLToPath(new URL('../dist/index.js', import.meta.url));

export type RunningServer = {
  url: string;
  /** The server's process id (to read its memory from /proc). */
  pid: number;
  /** The server's output so far, for failure messages. */
  output(): string;
  /** Stops the process (SIGTERM, as an operator would). */
  stop(): Promise<void>;
  /** Stops it and removes the database or data folder it used. */
  dispose(): Promise<void>;
};

export type StartOptions = {
  /** Reuse an existing data folder (embedded) or database URL, e.g. to test a restart. */
  dataDir?: string;
  databaseUrl?: string;
  env?: Record<string, string>;
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts the BUILT server (`dist/index.js`) as a user would, on a fresh database: a new database on the
 * PostgreSQL server named by DATABASE_URL when it is set, else an embedded PGlite in a temporary folder.
 */
export async function startBuiltServer(options: StartOptions = {}): Promise<RunningServer & { dataDir?: string; databaseUrl?: string }> {
  if (!existsSync(serverEntry)) throw new Error(`${serverEntry} is missing: run \`pnpm build\` first.`);
  const baseUrl = process.env.DATABASE_URL;
  let databaseUrl = options.databaseUrl;
  let dataDir = options.dataDir;
  let dropDatabase: (() => Promise<void>) | undefined;
  let removeDir: (() => void) | undefined;
  if (!databaseUrl && !dataDir) {
    if (baseUrl) {
      const name = `chatsynth_e2e_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
      await admin(baseUrl, `create database ${name}`);
      const url = new URL(baseUrl);
      url.pathname = `/${name}`;
      databaseUrl = url.toString();
      dropDatabase = () => admin(baseUrl, `drop database if exists ${name} with (force)`);
    } else {
      dataDir = mkdtempSync(join(tmpdir(), 'chatsynth-data-'));
      const dir = dataDir;
      removeDir = () => rmSync(dir, { recursive: true, force: true });
    }
  }

  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), NODE_ENV: 'production', ...options.env };
  delete env.DATABASE_URL;
  delete env.CHATSYNTH_DATA_DIR;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  if (dataDir) env.CHATSYNTH_DATA_DIR = dataDir;

  let output = '';
  const child: ChildProcess = spawn(process.execPath, [serverEntry], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The server exited during start:\n${output}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The server did not become ready within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
  };
  return {
    url,
    pid: child.pid!,
    dataDir,
    databaseUrl,
    output: () => output,
    stop,
    async dispose() {
      await stop();
      await dropDatabase?.();
      removeDir?.();
    },
  };
}

async function admin(baseUrl: string, sql: string) {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
