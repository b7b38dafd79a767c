// pnpm bench:search — BENCH_SEARCH_CONVERSATIONS (default 100,000) conversations of 10 messages loaded
// into a fresh database on the PostgreSQL at DATABASE_URL, then chatlogs.search measured through HTTP
// on the built server for rare words, common words, phrases, prefixes and exclusions, each next to the
// same statements run directly through `pg` (the floor), interleaved so both see the same machine.
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { parseSearchQuery, searchQuery } from '@chatsynth/api';
import { createChatSynthClient } from '@chatsynth/client';
import { startBuiltServer } from '@chatsynth/server/testing';
import { initORM } from '@chatsynth/db';
import { buildCorpus, generateConversations, type Corpus, type GeneratedConversation } from './generate-search-corpus';

const conversations = Number(process.env.BENCH_SEARCH_CONVERSATIONS ?? 100_000);
const MESSAGES_PER_CONVERSATION = 10;
const RUNS = Number(process.env.BENCH_SEARCH_RUNS ?? 50);
// The machine is shared and noisy: the same measurement is repeated on the loaded database.
const ROUNDS = Number(process.env.BENCH_SEARCH_ROUNDS ?? 2);
const WARMUP = 10;
const TARGET_P95_MS = 50;
const TARGET_RATIO = 1.5;
const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// To work on search without reloading for minutes each time: BENCH_SEARCH_KEEP=1 keeps the loaded
// database (its URL is printed) and BENCH_SEARCH_DATABASE=<that URL> measures on it again.
const reuseUrl = process.env.BENCH_SEARCH_DATABASE;
const keep = process.env.BENCH_SEARCH_KEEP === '1' || Boolean(reuseUrl);

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function freshDatabase() {
  const name = `chatsynth_bench_search_${Date.now().toString(36)}`;
  await admin(`create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const db = await initORM({ databaseUrl: url.toString() });
  await db.close();
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/**
 * Straight into chatlogs with multi-row unnest inserts on two connections (the machine has two cores);
 * the search index is filled by its triggers, in the same transactions, as for any other write.
 */
async function load(url: string, userId: string, corpus: Corpus) {
  const clients = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })];
  await Promise.all(clients.map((c) => c.connect()));
  const insert = (client: pg.Client, batch: GeneratedConversation[]) =>
    client.query(
      `insert into chatlogs (id, user_id, source, title, content, summary, metadata, version, content_hash,
                             message_count, started_at, created_at, updated_at)
       select id, $2, source, title, content, summary, '{}', 1, md5(content::text), message_count, started_at, now(), now()
       from unnest($1::uuid[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $7::int[], $8::timestamptz[])
         as x(id, source, title, content, summary, message_count, started_at)`,
      [
        batch.map(() => uuidv7()),
        userId,
        batch.map((_, i) => (i % 5 === 0 ? 'claude' : 'chatgpt')),
        batch.map((c) => c.title),
        batch.map((c) => JSON.stringify({ messages: c.messages })),
        batch.map((c) => c.summary),
        batch.map((c) => c.messages.length),
        batch.map((c) => c.startedAt),
      ],
    );
  const start = process.hrtime.bigint();
  const inflight: Array<Promise<unknown> | undefined> = [undefined, undefined];
  let batch: GeneratedConversation[] = [];
  let sent = 0;
  let batches = 0;
  const dispatch = async () => {
    const slot = batches++ % clients.length;
    await inflight[slot];
    inflight[slot] = insert(clients[slot]!, batch);
    sent += batch.length;
    batch = [];
    if (batches % 40 === 0) process.stdout.write(`\r  ${sent} conversations, ${seconds(start).toFixed(0)} s`);
  };
  try {
    for (const conversation of generateConversations(corpus, conversations, MESSAGES_PER_CONVERSATION)) {
      batch.push(conversation);
      if (batch.length >= 250) await dispatch();
    }
    if (batch.length) await dispatch();
    await Promise.all(inflight);
    const loadSeconds = seconds(start);
    process.stdout.write('\n');
    // What autovacuum would do soon after such a load: fresh statistics for the planner, and the GIN
    // indexes' pending lists merged.
    const vacuumStart = process.hrtime.bigint();
    await clients[0]!.query('vacuum analyze chatlog_search_meta, chatlog_search_messages, chatlogs');
    await clients[0]!.query('analyze chatlog_search_entries');
    const rows = await clients[0]!.query<{ rows: number; size: string }>(
      `select count(*)::int as rows, pg_size_pretty(pg_total_relation_size('chatlog_search_messages') + pg_total_relation_size('chatlog_search_meta')) as size
       from chatlog_search_entries`,
    );
    return { loadSeconds, vacuumSeconds: seconds(vacuumStart), indexRows: rows.rows[0]!.rows, indexSize: rows.rows[0]!.size };
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

/** Fifty queries of each form, chosen from the corpus so their frequencies are known. */
function queryForms(corpus: Corpus): Record<string, string[]> {
  const v = corpus.vocabulary;
  const take = <T>(items: T[]) => items.slice(0, RUNS);
  return {
    // Each planted in exactly corpus.rarePerWord messages.
    'rare word': take(corpus.rareWords),
    // Zipf ranks 1-50: the most common is in ~80% of all messages, the 50th in ~5%.
    'common word': take(v.slice(0, 50)),
    // Half planted phrases (300 messages each), half two adjacent common words.
    phrase: take([
      ...corpus.phrases.slice(0, 25).map(([a, b]) => `"${a} ${b}"`),
      ...Array.from({ length: 25 }, (_, i) => `"${v[i]} ${v[i + 1]}"`),
    ]),
    // What someone has typed so far: the first 3-5 letters of words of every frequency.
    prefix: take(Array.from({ length: 50 }, (_, i) => v[Math.floor(Math.pow(1.2, i)) % v.length]!.slice(0, 3 + (i % 3)))),
    // A common word without another.
    exclusion: take(Array.from({ length: 50 }, (_, i) => `${v[i % 25]} -${v[(i * 7 + 3) % 40]}`)),
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

async function measure(serverUrl: string, databaseUrl: string, token: string, userId: string, forms: Record<string, string[]>) {
  // One search at a time, as a service would call it: no batching timer between the call and the request.
  const client = createChatSynthClient({ url: serverUrl, token, batch: false });
  const floor = new pg.Client({ connectionString: databaseUrl });
  await floor.connect();
  // The floor runs the API's own statement, compiled once per query, straight through pg.
  const compiler = await initORM({ databaseUrl, migrate: false });
  const floorSearch = async (query: string) => {
    const statement = searchQuery({ em: compiler.orm.em.fork(), userId }, { parsed: parseSearchQuery(query), limit: 21 }).compile();
    return (await floor.query<{ id: string }>(statement.sql, [...statement.parameters])).rows;
  };
  const timed = async (fn: () => Promise<unknown>) => {
    const start = process.hrtime.bigint();
    await fn();
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  try {
    // Warm-up: connections, plan caches, the pages a first query reads from disk.
    for (const queries of Object.values(forms)) {
      for (const query of queries.slice(0, WARMUP)) {
        const api = await client.chatlogs.search.query({ query });
        const rows = await floorSearch(query);
        const apiIds = api.items.map((i) => i.chatlog.id);
        const floorIds = rows.slice(0, 20).map((r) => r.id);
        if (JSON.stringify(apiIds) !== JSON.stringify(floorIds)) throw new Error(`API and floor disagree on ${JSON.stringify(query)}`);
      }
    }
    const results: Array<{ form: string; api: number[]; floor: number[]; hits: number }> = [];
    for (const [form, queries] of Object.entries(forms)) {
      const api: number[] = [];
      const floorTimes: number[] = [];
      let hits = 0;
      for (const [i, query] of queries.entries()) {
        // Alternate which goes first, so neither always finds the other's pages in the cache.
        const runApi = () => timed(async () => (hits += (await client.chatlogs.search.query({ query })).items.length));
        const runFloor = () => timed(() => floorSearch(query));
        if (i % 2 === 0) {
          api.push(await runApi());
          floorTimes.push(await runFloor());
        } else {
          floorTimes.push(await runFloor());
          api.push(await runApi());
        }
      }
      results.push({ form, api: api.sort((a, b) => a - b), floor: floorTimes.sort((a, b) => a - b), hits: hits / queries.length });
    }
    return results;
  } finally {
    await floor.end();
    await compiler.close();
  }
}

const corpus = buildCorpus();
const forms = queryForms(corpus);
console.log(`Search benchmark: ${conversations} conversations × ${MESSAGES_PER_CONVERSATION} messages, PostgreSQL at ${baseUrl}`);
const database = reuseUrl ? { url: reuseUrl, drop: async () => {} } : await freshDatabase();
const server = await startBuiltServer({ databaseUrl: database.url });
let failed = false;
try {
  const anonymous = createChatSynthClient({ url: server.url });
  const account = { username: 'bench', email: 'bench@example.com', password: 'correct horse battery' };
  const { token, user } = reuseUrl
    ? await anonymous.auth.signIn.mutate({ login: account.username, password: account.password })
    : await anonymous.auth.signUp.mutate(account);

  if (reuseUrl) {
    console.log(`Measuring on the database loaded before: ${reuseUrl}`);
  } else {
    console.log('Loading (bulk inserts into chatlogs; triggers fill the search index)…');
    const loaded = await load(database.url, user.id, corpus);
    const messages = conversations * MESSAGES_PER_CONVERSATION;
    console.log(
      `  ${loaded.loadSeconds.toFixed(0)} s (${(messages / loaded.loadSeconds).toFixed(0)} messages/s), vacuum analyze ${loaded.vacuumSeconds.toFixed(0)} s; ` +
        `index: ${loaded.indexRows} rows, ${loaded.indexSize}`,
    );
  }

  for (let round = 1; round <= ROUNDS; round++) {
    console.log(`Round ${round} of ${ROUNDS}: ${RUNS} queries per form after ${WARMUP} warm-up queries each, API (HTTP) and floor (pg) interleaved…`);
    const results = await measure(server.url, database.url, token, user.id, forms);
    const cell = (ms: number) => ms.toFixed(1).padStart(8);
    console.log('');
    console.log(`${'form'.padEnd(13)}${'hits'.padStart(6)}  ${'API p50'.padStart(8)}${'p95'.padStart(8)}  ${'pg p50'.padStart(8)}${'p95'.padStart(8)}  ${'ratio p50'.padStart(9)}${'p95'.padStart(7)}`);
    let missed = false;
    for (const r of results) {
      const [a50, a95, f50, f95] = [percentile(r.api, 0.5), percentile(r.api, 0.95), percentile(r.floor, 0.5), percentile(r.floor, 0.95)];
      const ok = a95 < TARGET_P95_MS && a95 / f95 <= TARGET_RATIO;
      if (!ok) missed = true;
      console.log(
        `${r.form.padEnd(13)}${r.hits.toFixed(0).padStart(6)}  ${cell(a50)}${cell(a95)}  ${cell(f50)}${cell(f95)}  ${(a50 / f50).toFixed(2).padStart(9)}${(a95 / f95).toFixed(2).padStart(7)}  ${ok ? 'ok' : 'MISSED'}`,
      );
    }
    console.log(`load average after the round: ${loadavg().map((l) => l.toFixed(1)).join(' ')} (${cpus().length} cores)`);
    console.log('');
    failed = missed;
  }
  console.log(`targets: API p95 < ${TARGET_P95_MS} ms for every form, API p95 within ${TARGET_RATIO}× of the pg floor (ms; hits = mean items on the first page); round 1 reads most pages from disk for the first time, round 2 repeats the same queries; the last round sets the exit code`);
} finally {
  await server.stop();
  if (keep) console.log(`kept: BENCH_SEARCH_DATABASE=${database.url}`);
  else await database.drop();
}
if (failed) process.exitCode = 1;
