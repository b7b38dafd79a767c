import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { query, refreshStatistics } from '../src';
import { createTestDatabase } from '../src/testing';

// The rule itself, on an empty library: the server's counters may lag a commit, so what the caller
// says it wrote is what these cases go by.
describe('refreshStatistics', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.close());
  const refresh = (written: Parameters<typeof refreshStatistics>[1]) => refreshStatistics(db.orm.em.fork(), written);

  it('analyzes a table once more rows changed than 50 + a tenth of it, and nothing before', async () => {
    expect((await refresh({ written: { chatlogs: 50, chatlog_search_entries: 40 } })).analyzed).toEqual([]);
    expect((await refresh({ written: { chatlogs: 51, chatlog_search_entries: 40 } })).analyzed).toEqual(['chatlogs']);
    const { rows } = await sql<{ n: number }>`select analyze_count::int as n from pg_stat_user_tables where relname = 'chatlogs'`.execute(query(db.orm.em.fork()));
    expect(rows[0]!.n).toBe(1);
  });

  it('analyzes the partitioned search index through its parent, partitions included', async () => {
    expect((await refresh({ written: { chatlog_search_entries: 500 } })).analyzed).toEqual(['chatlog_search_entries']);
    const { rows } = await sql<{ relname: string; n: number }>`
      select relname, analyze_count::int as n from pg_stat_user_tables
      where relname in ('chatlog_search_meta', 'chatlog_search_messages') order by relname`.execute(query(db.orm.em.fork()));
    expect(rows).toEqual([
      { relname: 'chatlog_search_messages', n: 1 },
      { relname: 'chatlog_search_meta', n: 1 },
    ]);
  });

  it('counts any change to the few tag names', async () => {
    expect((await refresh({ written: { tags: 1 } })).analyzed).toEqual(['tags']);
  });
});
