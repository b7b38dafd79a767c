// pnpm bench:import — a ChatGPT export of BENCH_IMPORT_MB (default 300) MB imported through
// POST /api/imports into a real PostgreSQL, next to two floors measured on the same file:
// the streaming parser alone, and the same rows written by plain `pg` bulk statements.
import { mkdtempSync, rmSync, statSync, createReadStream, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { readExport } from '@chatsynth/importers';
import { prepareConversation } from '@chatsynth/api';
import { createChatSynthClient } from '@chatsynth/client';
import { startBuiltServer } from '@chatsynth/server/testing';
import { initORM } from '@chatsynth/db';
import { generateChatGPTExport } from './generate-chatgpt-export';

const megabytes = Number(process.env.BENCH_IMPORT_MB ?? 300);
const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database on the server, dropped by the returned function. */
async function freshDatabase(label: string) {
  const name = `chatsynth_bench_${label}_${Date.now().toString(36)}`;
  await admin(`create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const db = await initORM({ databaseUrl: url.toString() });
  await db.close();
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

async function parseFloor(file: string) {
  const start = process.hrtime.bigint();
  let conversations = 0;
  let messages = 0;
  for await (const item of readExport(file)) {
    if (item.kind === 'conversation') {
      conversations += 1;
      messages += item.conversation.messages.length;
    }
  }
  return { seconds: seconds(start), conversations, messages };
}

/** The same rows, prepared the same way, written with multi-row unnest inserts through plain pg. */
async function pgFloor(file: string) {
  const database = await freshDatabase('floor');
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const userId = uuidv7();
    await client.query(
      `insert into users (id, username, email, password_hash, created_at, updated_at) values ($1, 'floor', 'floor@example.com', 'x', now(), now())`,
      [userId],
    );
    const start = process.hrtime.bigint();
    let batch: ReturnType<typeof prepareConversation>[] = [];
    const flush = async () => {
      if (!batch.length) return;
      const ids = batch.map(() => uuidv7());
      await client.query('begin');
      await client.query(
        `insert into chatlogs (id, user_id, source, title, content, summary, metadata, version, external_id, content_hash, message_count, started_at, created_at, updated_at)
         select id, $2, source, title, content, summary, metadata, 1, external_id, content_hash, message_count, started_at, now(), now()
         from unnest($1::uuid[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $7::jsonb[], $8::text[], $9::text[], $10::int[], $11::timestamptz[])
           as x(id, source, title, content, summary, metadata, external_id, content_hash, message_count, started_at)`,
        [
          ids,
          userId,
          batch.map((c) => c.source),
          batch.map((c) => c.title),
          batch.map((c) => JSON.stringify(c.content)),
          batch.map((c) => c.summary),
          batch.map((c) => JSON.stringify(c.metadata)),
          batch.map((c) => c.externalId),
          batch.map((c) => c.contentHash),
          batch.map((c) => c.content.messages.length),
          batch.map((c) => c.startedAt),
        ],
      );
      await client.query(
        `insert into chatversions (id, chatlog_id, version, title, summary, content, metadata, change, message_count, created_at)
         select id, chatlog_id, 1, title, summary, content, metadata, 'imported', message_count, now()
         from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[], $7::int[])
           as x(id, chatlog_id, title, summary, content, metadata, message_count)`,
        [
          batch.map(() => uuidv7()),
          ids,
          batch.map((c) => c.title),
          batch.map((c) => c.summary),
          batch.map((c) => JSON.stringify(c.content)),
          batch.map((c) => JSON.stringify(c.metadata)),
          batch.map((c) => c.content.messages.length),
        ],
      );
      await client.query('commit');
      batch = [];
    };
    for await (const item of readExport(file)) {
      if (item.kind !== 'conversation') continue;
      batch.push(prepareConversation(item, 'floor'));
      if (batch.length >= 200) await flush();
    }
    await flush();
    return { seconds: seconds(start) };
  } finally {
    await client.end();
    await database.drop();
  }
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function endToEnd(file: string, bytes: number) {
  const database = await freshDatabase('e2e');
  const server = await startBuiltServer({ databaseUrl: database.url });
  try {
    const anonymous = createChatSynthClient({ url: server.url });
    const { token } = await anonymous.auth.signUp.mutate({ username: 'bench', email: 'bench@example.com', password: 'correct horse battery' });
    const client = createChatSynthClient({ url: server.url, token });

    // Latency of other requests while the import runs: the event loop must stay responsive.
    const latencies: number[] = [];
    let probing = true;
    const probe = (async () => {
      while (probing) {
        const t = process.hrtime.bigint();
        await fetch(`${server.url}/healthz`);
        latencies.push(seconds(t) * 1000);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    const start = process.hrtime.bigint();
    const res = await fetch(`${server.url}/api/imports?filename=conversations.json`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-length': String(bytes) },
      body: Readable.toWeb(createReadStream(file)) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    if (res.status !== 202) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
    const uploaded = seconds(start);
    const { importId } = (await res.json()) as { importId: string };
    let report;
    for (;;) {
      report = await client.imports.get.query({ id: importId });
      if (report.status === 'succeeded' || report.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const total = seconds(start);
    probing = false;
    await probe;
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      seconds: total,
      uploadSeconds: uploaded,
      report,
      peakRssMb: peakRssMb(server.pid),
      latencyP50: sorted[Math.floor(sorted.length * 0.5)] ?? 0,
      latencyP99: sorted[Math.floor(sorted.length * 0.99)] ?? 0,
      latencyMax: sorted[sorted.length - 1] ?? 0,
    };
  } finally {
    await server.dispose();
    await database.drop();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'chatsynth-bench-'));
try {
  const file = join(dir, 'conversations.json');
  console.log(`Generating a ${megabytes} MB ChatGPT export…`);
  const generated = await generateChatGPTExport(file, megabytes);
  const mb = statSync(file).size / 1024 / 1024;
  console.log(`  ${mb.toFixed(0)} MB, ${generated.conversations} conversations, ${generated.messages} messages`);

  console.log('Floor 1: the streaming parser alone…');
  const parse = await parseFloor(file);
  console.log('Floor 2: the same rows through plain pg bulk inserts…');
  const floor = await pgFloor(file);
  console.log('End to end: POST /api/imports on the built server, PostgreSQL at DATABASE_URL…');
  const e2e = await endToEnd(file, statSync(file).size);

  const row = (name: string, s: number) =>
    `${name.padEnd(28)} ${s.toFixed(1).padStart(7)} s ${(mb / s).toFixed(1).padStart(7)} MB/s ${(generated.conversations / s).toFixed(0).padStart(7)} conv/s ${(generated.messages / s).toFixed(0).padStart(8)} msg/s`;
  console.log('');
  console.log(row('parser alone', parse.seconds));
  console.log(row('parser + plain pg (floor)', floor.seconds));
  console.log(row('ChatSynth end to end', e2e.seconds));
  console.log('');
  const ratio = floor.seconds / e2e.seconds;
  console.log(`import status: ${e2e.report.status}, counts ${JSON.stringify(e2e.report.counts)}, problems ${e2e.report.problems.length}`);
  console.log(`upload took ${e2e.uploadSeconds.toFixed(1)} s of the end-to-end time`);
  console.log(`end to end / pg floor speed: ${(ratio * 100).toFixed(0)}% (target >= 60%)`);
  console.log(`server peak RSS: ${e2e.peakRssMb.toFixed(0)} MB (target < 400 MB)`);
  console.log(
    `/healthz latency during the import: p50 ${e2e.latencyP50.toFixed(1)} ms, p99 ${e2e.latencyP99.toFixed(1)} ms, max ${e2e.latencyMax.toFixed(1)} ms (target: max < 100 ms)`,
  );
  if (parse.conversations !== generated.conversations || e2e.report.counts.created !== generated.conversations) {
    console.error('Mismatch: not every conversation was read or stored.');
    process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
