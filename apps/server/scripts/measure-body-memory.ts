// Memory of the BUILT server under many large tRPC bodies at once (`pnpm build` first):
//   npx tsx scripts/measure-body-memory.ts            (in apps/server) 20 bodies of 19 MB from one address
//   SPREAD=1 npx tsx scripts/measure-body-memory.ts   ... each from its own address
// Starts the server on a new database of the PostgreSQL at DATABASE_URL (default the local one),
// signs up, sends N chatlogs.create calls whose 19 MB title validation refuses (so each is read and
// parsed whole, and nothing is stored), and prints the server's RSS before, at its peak (sampled every
// 10 ms) and after, with the statuses it answered. A measurement, not a test: nothing is asserted.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const serverDir = fileURLToPath(new URL('..', import.meta.url));
const N = Number(process.env.N ?? 20);
const spread = process.env.SPREAD === '1';
const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const admin = async (sql: string) => {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  await client.query(sql).finally(() => client.end());
};

const dbName = `chatsynth_body_memory_${Date.now().toString(36)}`;
await admin(`create database ${dbName}`);
const databaseUrl = new URL(baseUrl);
databaseUrl.pathname = `/${dbName}`;
const port = 39_000 + Math.floor(Math.random() * 1000);
const child = spawn(process.execPath, ['dist/index.js'], {
  cwd: serverDir,
  env: { ...process.env, PORT: String(port), DATABASE_URL: databaseUrl.toString(), CHATSYNTH_TRUST_PROXY: '1', LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
try {
  const url = `http://127.0.0.1:${port}`;
  const rssMB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024;
  for (let tries = 0; ; tries++) {
    if (tries > 300) throw new Error('The server did not start.');
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const call = (input: unknown) => JSON.stringify({ json: input });
  const signUp = await fetch(`${url}/trpc/auth.signUp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: call({ username: 'measurer', email: 'measurer@example.com', password: 'correct horse battery' }),
  });
  const token = ((await signUp.json()) as { result: { data: { json: { token: string } } } }).result.data.json.token;
  await new Promise((r) => setTimeout(r, 1000));

  const before = rssMB();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMB())), 10);
  const body = call({ source: 'measure', title: 'x'.repeat(19 * 1024 * 1024), content: { messages: [] } });
  const statuses = await Promise.all(
    Array.from({ length: N }, async (_, i) => {
      try {
        const res = await fetch(`${url}/trpc/chatlogs.create`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(spread ? { 'x-forwarded-for': `10.77.0.${i + 1}` } : {}) },
          body,
        });
        await res.arrayBuffer();
        return res.status;
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause;
        return `error ${cause?.code ?? String(error)}`;
      }
    }),
  );
  await new Promise((r) => setTimeout(r, 300));
  clearInterval(sampler);
  const counts: Record<string, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  console.log(JSON.stringify({ bodies: N, addresses: spread ? N : 1, rssBeforeMB: Math.round(before), rssPeakMB: Math.round(peak), rssAfterMB: Math.round(rssMB()), statuses: counts }));
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await admin(`drop database if exists ${dbName} with (force)`);
}
