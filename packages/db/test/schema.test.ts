import { readFileSync } from 'node:fs';
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_TOKEN_SCOPES, ChatLog, User, schemaDrift } from '../src';
import { createTestDatabase } from '../src/testing';

type Db = Awaited<ReturnType<typeof createTestDatabase>>;

describe.each(['env', 'embedded'] as const)('the one schema source, on the %s database', (kind) => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('has no drift between the entities and the migrated database', async () => {
    expect(await schemaDrift(db.orm)).toEqual({ statements: [], missing: [] });
  });

  it('reports a dropped key and a dropped trigger', async () => {
    const k = db.orm.em.fork().getKysely();
    await sql`drop index chatlogs_user_source_external_unique`.execute(k);
    await sql`drop trigger chatlogs_events on chatlogs`.execute(k);
    const drift = await schemaDrift(db.orm);
    expect(drift.statements.join('\n')).toMatch(/create unique index "chatlogs_user_source_external_unique"/);
    expect(drift.missing).toEqual(['trigger chatlogs_events']);
  });
});

// A database migrated and used by main before MikroORM 7 (pg_dump --inserts of the v6 schema with
// two users' logs, versions, tags, notes, a trashed log, a token and an import job).
const OLD_DUMP = readFileSync(new URL('./fixtures/schema-2026-12-03-mikro-orm-6.sql', import.meta.url), 'utf8');

async function restore(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(OLD_DUMP);
    // pg_dump empties search_path for its session, which on PGlite (one session for every client) outlives it.
    await client.query('reset search_path');
  } finally {
    await client.end();
  }
}

describe.each(['env', 'embedded'] as const)('a database from before the upgrade, on the %s database', (kind) => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDatabase(kind, { beforeConnect: restore });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('keeps every row and needs no migration', async () => {
    expect(await db.orm.migrator.getPending()).toEqual([]);
    const em = db.orm.em.fork();
    expect(await em.count(User, {})).toBe(2);
    // Two live logs for Ada and one for Bob; the trashed one only without the `live` filter.
    expect(await em.count(ChatLog, {})).toBe(3);
    expect(await em.count(ChatLog, {}, { filters: { live: false } })).toBe(4);
    const k = em.getKysely();
    const counts = await sql<Record<string, number>>`
      select (select count(*)::int from chatversions) as versions, (select count(*)::int from annotations) as annotations,
             (select count(*)::int from chat_tags) as tagged, (select count(*)::int from chat_events) as events,
             (select count(*)::int from chatlog_search_entries) as indexed, (select count(*)::int from imports) as imports`.execute(k);
    expect(counts.rows[0]).toMatchObject({ versions: 5, annotations: 2, tagged: 3, imports: 1 });
    expect(counts.rows[0]!.indexed).toBeGreaterThan(0);
    expect(await schemaDrift(db.orm)).toEqual({ statements: [], missing: [] });
  });

  it('gives the token made before scopes existed every scope, so it does what it did', async () => {
    const tokens = await db.orm.em.fork().getKysely().selectFrom('api_tokens').select(['name', 'scopes']).execute();
    expect(tokens).toEqual([{ name: 'cli', scopes: [...API_TOKEN_SCOPES] }]);
  });

  it('takes new writes through the entities and its triggers', async () => {
    const em = db.orm.em.fork();
    const ada = await em.findOneOrFail(User, { email: 'ada@example.com' });
    em.create(ChatLog, { user: ada, source: 'chatgpt', title: 'After the upgrade', content: { messages: [] }, contentHash: 'h' });
    await em.flush();
    const events = await em
      .getKysely()
      .selectFrom('chat_events')
      .select(['type'])
      .where('user_id', '=', ada.id)
      .orderBy('id', 'desc')
      .limit(1)
      .execute();
    expect(events).toEqual([{ type: 'chatlog.created' }]);
  });
});
