import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { query } from '@chatsynth/db';
import type { ChatSynthExport, ChatSynthExportedLog } from '@chatsynth/importers';
import { createImportJob, runImportJob } from '../src';
import type { RunImportOptions } from '../src/services/import-runner';
import { createHarness, type Harness } from './harness';

// An import refreshes the planner statistics of what search and the lists read once it wrote enough
// to make them stale, without autovacuum (off here, and lagging a bulk load anywhere).
const TABLES = ['chatlogs', 'chat_tags', 'chatlog_search_meta', 'chatlog_search_messages'];

function exportedLog(n: number, messages: number): ChatSynthExportedLog {
  const at = new Date(Date.UTC(2024, 0, 1) + n * 60_000).toISOString();
  return {
    id: `0190a000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    source: 'chatgpt',
    externalId: `conversation-${n}`,
    title: `Ferry timetable ${n}`,
    summary: null,
    content: {
      messages: Array.from({ length: messages }, (_, i) => ({
        role: i % 2 === 0 ? ('user' as const) : ('assistant' as const),
        content: i % 2 === 0 ? `When does ferry ${n}-${i} leave?` : `Ferry ${n}-${i} leaves at ${i}:00 from pier ${n % 7}.`,
      })),
    },
    metadata: {},
    tags: [n % 2 ? 'travel' : 'work'],
    annotations: [],
    createdAt: at,
    updatedAt: at,
    startedAt: at,
  };
}

describe('imports refresh planner statistics', () => {
  let h: Harness;
  let userId: string;
  let dir: string;
  let next = 0;

  const importLogs = async (count: number, messages: number, options: RunImportOptions = {}) => {
    const logs = Array.from({ length: count }, () => exportedLog(++next, messages));
    const body = JSON.stringify({ format: 'chatsynth', version: 1, exportedAt: '2024-06-01T00:00:00.000Z', chatlogs: logs } satisfies ChatSynthExport);
    const filePath = join(dir, `${next}.upload`);
    writeFileSync(filePath, body);
    const id = await createImportJob(h.db.orm.em.fork(), { userId, filename: 'export.json', format: 'chatsynth', requestedFormat: 'auto', bytes: Buffer.byteLength(body), filePath });
    await runImportJob(h.db.orm, id, options);
    const { rows } = await sql<{ status: string }>`select status from imports where id = ${id}`.execute(query(h.db.orm.em.fork()));
    expect(rows[0]!.status).toBe('succeeded');
  };
  const analyzeCounts = async () => {
    const { rows } = await sql<{ relname: string; analyzed: number }>`
      select relname, analyze_count::int as analyzed from pg_stat_user_tables where relname = any (${TABLES}::text[])`.execute(query(h.db.orm.em.fork()));
    return Object.fromEntries(TABLES.map((t) => [t, rows.find((r) => r.relname === t)?.analyzed ?? -1]));
  };

  beforeAll(async () => {
    h = await createHarness();
    userId = (await h.signUp('alice')).user.id;
    dir = mkdtempSync(join(tmpdir(), 'chatsynth-statistics-'));
    // Nothing but the import may analyze these tables during the test.
    for (const table of TABLES) await sql`alter table ${sql.table(table)} set (autovacuum_enabled = off)`.execute(query(h.db.orm.em.fork()));
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a handful of logs does not pay for an analyze', async () => {
    await importLogs(3, 4);
    expect(await analyzeCounts()).toEqual({ chatlogs: 0, chat_tags: 0, chatlog_search_meta: 0, chatlog_search_messages: 0 });
  });

  it('an import of thousands of messages analyzes while it runs and when its data committed', async () => {
    // 300 logs of 10 messages in batches of 10: a refresh at the 20th batch (the tables were empty),
    // and one at the end (the last 100 logs are more than a tenth of what the statistics saw).
    await importLogs(300, 10, { batchSize: 10 });
    expect(await analyzeCounts()).toEqual({ chatlogs: 2, chat_tags: 2, chatlog_search_meta: 2, chatlog_search_messages: 2 });

    const { rows } = await sql<{ relname: string; reltuples: number; pending: number }>`
      select c.relname, c.reltuples::float8 as reltuples, s.n_mod_since_analyze::int as pending
      from pg_class c join pg_stat_user_tables s on s.relid = c.oid
      where c.relname = any (${TABLES}::text[]) order by c.relname`.execute(query(h.db.orm.em.fork()));
    // What the planner knows is what is there: 303 logs, 3,012 messages, a title row and a tag per log.
    expect(rows.map((r) => [r.relname, r.reltuples])).toEqual([
      ['chat_tags', 303],
      ['chatlog_search_messages', 3_012],
      ['chatlog_search_meta', 303],
      ['chatlogs', 303],
    ]);
  });

  it('a later small import into the same tables does not analyze again', async () => {
    // A backend reports its row counts up to 10 s after its commits (PostgreSQL's idle flush), so the
    // last batches of the import above may reach the counters after its own analyze and make the tables
    // look stale to the next one. Let them arrive and analyze once by hand: what follows is this import's.
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    for (const table of TABLES) await sql`analyze ${sql.table(table)}`.execute(query(h.db.orm.em.fork()));
    const before = await analyzeCounts();
    await importLogs(5, 4);
    expect(await analyzeCounts()).toEqual(before);
  }, 30_000);
});
