// pnpm bench:search — BENCH_SEARCH_CONVERSATIONS (default 100,000) conversations of 10 messages loaded
// into a fresh database on the PostgreSQL at DATABASE_URL, then chatlogs.search measured through HTTP
// on the built server for rare words, common words, pages 2-5 of common words, phrases, prefixes,
// exclusions and the filters (source, tag, dates, role), each next to the same statements run directly
// through `pg` (the floor), interleaved so both see the same machine.
//
// Autovacuum is off for the loaded tables and nothing analyzes them but what the product's import
// calls at its end (refreshStatistics from @chatsynth/db): the first queries after the load are
// measured before any warm-up, as a user who just imported would run them. BENCH_SEARCH_STALE=1 first
// measures them with no statistics at all (the import before it refreshed them: seconds a query).
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { parseSearchQuery, searchQuery } from '@chatsynth/api';
import { createChatSynthClient } from '@chatsynth/client';
import { startBuiltServer } from '@chatsynth/server/testing';
import { initORM, refreshStatistics, type RowsWritten } from '@chatsynth/db';
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
const measureStale = process.env.BENCH_SEARCH_STALE === '1';
/** Queries of each form in the first-queries table (no warm-up). */
const FIRST = Number(process.env.BENCH_SEARCH_FIRST ?? 3);
/** Every TAG_EVERY-th conversation carries the tag the tag filter asks for. */
const TAG = 'work';
const TAG_EVERY = 10;
/** What the bench loads and the import would have counted: autovacuum never touches them here. */
const LOADED_TABLES = ['chatlogs', 'chat_tags', 'tags', 'chatlog_search_meta', 'chatlog_search_messages', 'chatlog_search_words'];

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
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    for (const table of LOADED_TABLES) await client.query(`alter table ${table} set (autovacuum_enabled = off)`);
  } finally {
    await client.end();
  }
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
  const tagId = uuidv7();
  await clients[0]!.query(`insert into tags (id, name, created_at) values ($1, $2, now())`, [tagId, TAG]);
  let loadedLogs = 0;
  let tagged = 0;
  const insert = async (client: pg.Client, batch: GeneratedConversation[]) => {
    const ids = batch.map(() => uuidv7());
    const tags = ids.filter((_, i) => (loadedLogs + i) % TAG_EVERY === 0);
    loadedLogs += batch.length;
    tagged += tags.length;
    await client.query(
      `insert into chatlogs (id, user_id, source, title, content, summary, metadata, version, content_hash,
                             message_count, started_at, created_at, updated_at)
       select id, $2, source, title, content, summary, '{}', 1, md5(content::text), message_count, started_at, now(), now()
       from unnest($1::uuid[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $7::int[], $8::timestamptz[])
         as x(id, source, title, content, summary, message_count, started_at)`,
      [
        ids,
        userId,
        batch.map((_, i) => (i % 5 === 0 ? 'claude' : 'chatgpt')),
        batch.map((c) => c.title),
        batch.map((c) => JSON.stringify({ messages: c.messages })),
        batch.map((c) => c.summary),
        batch.map((c) => c.messages.length),
        batch.map((c) => c.startedAt),
      ],
    );
    await client.query(`insert into chat_tags (chat_id, tag_id) select x, $2 from unnest($1::uuid[]) as x`, [tags, tagId]);
  };
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
    // No analyze, no vacuum: what the planner knows now is what the product itself told it.
    const rows = await clients[0]!.query<{ rows: number; size: string }>(
      `select count(*)::int as rows, pg_size_pretty(pg_total_relation_size('chatlog_search_messages') + pg_total_relation_size('chatlog_search_meta')) as size
       from chatlog_search_entries`,
    );
    // What an import of the same conversations counts as written (import-runner.ts).
    const written: RowsWritten = { chatlogs: loadedLogs, chat_tags: tagged, chatlog_search_entries: rows.rows[0]!.rows };
    return { loadSeconds, indexRows: rows.rows[0]!.rows, indexSize: rows.rows[0]!.size, written };
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

type Filters = { source?: string; tags?: string[]; from?: Date; to?: Date; role?: 'user' | 'assistant' };
/** One search: a query, its filters, and which page of its results (1 = the first). */
type Case = { query: string; filters?: Filters; page?: number };

/** Fifty searches of each form, chosen from the corpus so their frequencies are known. */
function queryForms(corpus: Corpus): Record<string, Case[]> {
  const v = corpus.vocabulary;
  const take = (queries: string[], filters?: Filters) => queries.slice(0, RUNS).map((query) => ({ query, filters }));
  // Half rare words, half common ones: a filter narrows both kinds of candidates.
  const mixed = Array.from({ length: 50 }, (_, i) => (i % 2 ? corpus.rareWords[i]! : v[i]!));
  return {
    // Each planted in exactly corpus.rarePerWord messages.
    'rare word': take(corpus.rareWords),
    // Zipf ranks 1-50: the most common is in ~80% of all messages, the 50th in ~5%.
    'common word': take(v.slice(0, 50)),
    // Someone paging on: pages 2-5 of the ten most common words.
    'common p2-5': Array.from({ length: 40 }, (_, i) => ({ query: v[i % 10]!, page: 2 + (i % 4) })).slice(0, RUNS),
    // Half planted phrases (300 messages each), half two adjacent common words.
    phrase: take([
      ...corpus.phrases.slice(0, 25).map(([a, b]) => `"${a} ${b}"`),
      ...Array.from({ length: 25 }, (_, i) => `"${v[i]} ${v[i + 1]}"`),
    ]),
    // What someone has typed so far: the first 3-5 letters of words of every frequency.
    prefix: take(Array.from({ length: 50 }, (_, i) => v[Math.floor(Math.pow(1.2, i)) % v.length]!.slice(0, 3 + (i % 3)))),
    // A common word without another.
    exclusion: take(Array.from({ length: 50 }, (_, i) => `${v[i % 25]} -${v[(i * 7 + 3) % 40]}`)),
    // One log in five is from Claude.
    source: take(mixed, { source: 'claude' }),
    // One log in TAG_EVERY carries the tag.
    tag: take(mixed, { tags: [TAG] }),
    // Three months in the middle of the three years the library spans.
    dates: take(mixed, { from: new Date('2024-03-01T00:00:00Z'), to: new Date('2024-06-01T00:00:00Z') }),
    // What the user wrote.
    role: take(mixed, { role: 'user' }),
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

type FloorRow = { id: string; score: number; sortKey: string };

/** The API through HTTP and its own statement straight through pg, for the same cases. */
async function searchers(serverUrl: string, databaseUrl: string, token: string, userId: string) {
  // One search at a time, as a service would call it: no batching timer between the call and the request.
  const client = createChatSynthClient({ url: serverUrl, token, batch: false });
  const floor = new pg.Client({ connectionString: databaseUrl });
  await floor.connect();
  // The floor runs the API's own statement, compiled once per query, straight through pg.
  const compiler = await initORM({ databaseUrl, migrate: false });
  const floorPage = async (c: Case, after?: FloorRow) => {
    const statement = searchQuery(
      { em: compiler.orm.em.fork(), userId },
      { parsed: parseSearchQuery(c.query), ...c.filters, limit: 21, after: after && { score: after.score, sortKey: after.sortKey, id: after.id } },
    ).compile();
    return (await floor.query<FloorRow>(statement.sql, [...statement.parameters])).rows;
  };
  const apiPage = (c: Case, cursor?: string) => client.chatlogs.search.query({ query: c.query, ...c.filters, cursor });
  // Where page n starts, for each: walked once, untimed; null when the results end before it.
  const starts = new Map<Case, { cursor?: string; after?: FloorRow } | null>();
  const prepare = async (c: Case) => {
    if ((c.page ?? 1) === 1 || starts.has(c)) return;
    let cursor: string | undefined;
    let after: FloorRow | undefined;
    for (let page = 1; page < c.page!; page++) {
      const [api, rows] = [await apiPage(c, cursor), await floorPage(c, after)];
      cursor = api.nextCursor ?? undefined;
      after = rows[19];
      if (!cursor || !after) {
        starts.set(c, null);
        return;
      }
    }
    starts.set(c, { cursor, after });
  };
  const check = async (c: Case) => {
    await prepare(c);
    const start = starts.get(c);
    if (start === null) return;
    if (start === undefined) return compare(c, {});
    return compare(c, start);
  };
  const compare = async (c: Case, start: { cursor?: string; after?: FloorRow }) => {
    const apiIds = (await apiPage(c, start.cursor)).items.map((i) => i.chatlog.id);
    const floorIds = (await floorPage(c, start.after)).slice(0, 20).map((r) => r.id);
    if (JSON.stringify(apiIds) !== JSON.stringify(floorIds)) throw new Error(`API and floor disagree on ${JSON.stringify(c)}`);
  };
  const timed = async (fn: () => Promise<unknown>) => {
    const start = process.hrtime.bigint();
    await fn();
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  /** Each case through both, alternating which goes first so neither always finds the other's pages cached. */
  const run = async (cases: Case[]) => {
    const api: number[] = [];
    const floorTimes: number[] = [];
    let hits = 0;
    for (const c of cases) await prepare(c);
    // A page past the end of a query's results is not a search anyone makes.
    const missing = cases.filter((c) => starts.get(c) === null).length;
    for (const [i, c] of cases.filter((c) => starts.get(c) !== null).entries()) {
      const start = starts.get(c) ?? {};
      const runApi = () => timed(async () => (hits += (await apiPage(c, start.cursor)).items.length));
      const runFloor = () => timed(() => floorPage(c, start.after));
      if (i % 2 === 0) {
        api.push(await runApi());
        floorTimes.push(await runFloor());
      } else {
        floorTimes.push(await runFloor());
        api.push(await runApi());
      }
    }
    return { api: api.sort((a, b) => a - b), floor: floorTimes.sort((a, b) => a - b), hits: hits / Math.max(1, api.length), missing };
  };
  return {
    check,
    run,
    close: async () => {
      await floor.end();
      await compiler.close();
    },
  };
}

type Searchers = Awaited<ReturnType<typeof searchers>>;
const cell = (ms: number | undefined) => (ms ?? NaN).toFixed(1).padStart(9);
const gone = (missing: number) => (missing ? `  (${missing} of the pages asked for are past the results' end)` : '');

/**
 * The first FIRST searches of each form, with no warm-up: what a user who has just imported meets.
 * Pages after the first are walked to (untimed) before their form is measured.
 */
async function measureFirst(searcher: Searchers, forms: Record<string, Case[]>, title: string) {
  console.log(`${title}: the first ${FIRST} searches of each form, no warm-up`);
  console.log(`${'form'.padEnd(13)}${'hits'.padStart(6)}  ${'API p50'.padStart(9)}${'max'.padStart(9)}  ${'pg p50'.padStart(9)}${'max'.padStart(9)}  ${'ratio p50'.padStart(9)}`);
  const started = process.hrtime.bigint();
  for (const [form, cases] of Object.entries(forms)) {
    const r = await searcher.run(cases.slice(0, FIRST));
    const [a50, f50] = [percentile(r.api, 0.5), percentile(r.floor, 0.5)];
    console.log(`${form.padEnd(13)}${r.hits.toFixed(0).padStart(6)}  ${cell(a50)}${cell(r.api.at(-1))}  ${cell(f50)}${cell(r.floor.at(-1))}  ${(a50 / f50).toFixed(2).padStart(9)}${gone(r.missing)}`);
  }
  console.log(`(${seconds(started).toFixed(0)} s)`);
  console.log('');
}

/** What the planner expects of the user's messages in the index and of their logs, against what is there. */
async function estimates(databaseUrl: string, userId: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const estimate = async (from: string) => {
      const plan = await client.query<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }>(`explain (format json) select 1 from ${from}`, [userId]);
      const actual = await client.query<{ n: number }>(`select count(*)::int as n from ${from}`, [userId]);
      return `${plan.rows[0]!['QUERY PLAN'][0]!.Plan['Plan Rows']} estimated, ${actual.rows[0]!.n} there`;
    };
    return (
      `user's messages in the index: ${await estimate(`chatlog_search_entries e where e.user_id = $1 and e.kind = 'm'`)}; ` +
      `user's logs: ${await estimate('chatlogs c where c.user_id = $1 and c.deleted_at is null')}`
    );
  } finally {
    await client.end();
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
  const searcher = await searchers(server.url, database.url, token, user.id);
  try {
    if (reuseUrl) {
      console.log(`Measuring on the database loaded before: ${reuseUrl}`);
    } else {
      console.log(`Loading (bulk inserts into chatlogs, one log in ${TAG_EVERY} tagged; triggers fill the search index; autovacuum off, no analyze)…`);
      const loaded = await load(database.url, user.id, corpus);
      const messages = conversations * MESSAGES_PER_CONVERSATION;
      console.log(`  ${loaded.loadSeconds.toFixed(0)} s (${(messages / loaded.loadSeconds).toFixed(0)} messages/s); index: ${loaded.indexRows} rows, ${loaded.indexSize}`);
      if (measureStale) {
        console.log(`  planner, before any analyze: ${await estimates(database.url, user.id)}`);
        console.log('');
        await measureFirst(searcher, forms, 'No statistics (the import before refreshing them)');
      }
      // Exactly what an import calls once its data committed (import-runner.ts), with what it counts.
      const db = await initORM({ databaseUrl: database.url, migrate: false });
      try {
        const refreshed = await refreshStatistics(db.orm.em.fork(), { written: loaded.written });
        console.log(`The import's statistics refresh: analyzed ${refreshed.analyzed.join(', ') || 'nothing'} in ${refreshed.seconds.toFixed(1)} s`);
      } finally {
        await db.close();
      }
      console.log(`  planner, after: ${await estimates(database.url, user.id)}`);
      console.log('');
      await measureFirst(searcher, forms, measureStale ? 'After the refresh' : 'Right after the import');
    }

    for (let round = 1; round <= ROUNDS; round++) {
      console.log(`Round ${round} of ${ROUNDS}: ${RUNS} queries per form after ${WARMUP} warm-up queries each, API (HTTP) and floor (pg) interleaved…`);
      // Warm-up: connections, plan caches, the pages a first query reads from disk; and API = floor.
      for (const cases of Object.values(forms)) for (const c of cases.slice(0, WARMUP)) await searcher.check(c);
      console.log('');
      console.log(`${'form'.padEnd(13)}${'hits'.padStart(6)}  ${'API p50'.padStart(9)}${'p95'.padStart(9)}  ${'pg p50'.padStart(9)}${'p95'.padStart(9)}  ${'ratio p50'.padStart(9)}${'p95'.padStart(7)}`);
      let missed = false;
      for (const [form, cases] of Object.entries(forms)) {
        const r = await searcher.run(cases);
        const [a50, a95, f50, f95] = [percentile(r.api, 0.5), percentile(r.api, 0.95), percentile(r.floor, 0.5), percentile(r.floor, 0.95)];
        const ok = a95 < TARGET_P95_MS && a95 / f95 <= TARGET_RATIO;
        if (!ok) missed = true;
        console.log(
          `${form.padEnd(13)}${r.hits.toFixed(0).padStart(6)}  ${cell(a50)}${cell(a95)}  ${cell(f50)}${cell(f95)}  ${(a50 / f50).toFixed(2).padStart(9)}${(a95 / f95).toFixed(2).padStart(7)}  ${ok ? 'ok' : 'MISSED'}${gone(r.missing)}`,
        );
      }
      console.log(`load average after the round: ${loadavg().map((l) => l.toFixed(1)).join(' ')} (${cpus().length} cores)`);
      console.log('');
      failed = missed;
    }
  } finally {
    await searcher.close();
  }
  console.log(`targets: API p95 < ${TARGET_P95_MS} ms for every form, API p95 within ${TARGET_RATIO}× of the pg floor (ms; hits = mean items on the page); round 1 reads most pages from disk for the first time, round 2 repeats the same queries; the last round sets the exit code`);
} finally {
  await server.stop();
  if (keep) console.log(`kept: BENCH_SEARCH_DATABASE=${database.url}`);
  else await database.drop();
}
if (failed) process.exitCode = 1;
