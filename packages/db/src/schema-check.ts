import { sql } from 'kysely';
import type { MikroORM } from './db-types';
import { SQL_OWNED } from './sql-owned';

/**
 * What stands between the migrated database and the schema the code expects: the statements that
 * would bring the tables to what the entities declare (the one schema source), and the SQL-owned
 * objects (sql-owned.ts) that are missing. Both are empty on a correctly migrated database.
 */
export async function schemaDrift(orm: MikroORM): Promise<{ statements: string[]; missing: string[] }> {
  const sql = await orm.schema.getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: true });
  const statements = sql
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('--'));
  return { statements, missing: await missingSqlOwned(orm) };
}

async function missingSqlOwned(orm: MikroORM): Promise<string[]> {
  const db = orm.em.fork().getKysely();
  const names = async (query: Promise<Array<{ name: string }>>) => new Set((await query).map((r) => r.name));
  const relations = await names(
    sql<{ name: string }>`select relname as name from pg_class where relnamespace = 'public'::regnamespace`.execute(db).then((r) => r.rows),
  );
  const functions = await names(
    sql<{ name: string }>`select proname as name from pg_proc where pronamespace = 'public'::regnamespace`.execute(db).then((r) => r.rows),
  );
  const triggers = await names(sql<{ name: string }>`select tgname as name from pg_trigger where not tgisinternal`.execute(db).then((r) => r.rows));
  const configs = await names(sql<{ name: string }>`select cfgname as name from pg_ts_config`.execute(db).then((r) => r.rows));
  const extensions = await names(sql<{ name: string }>`select extname as name from pg_extension`.execute(db).then((r) => r.rows));
  return [
    ...[...SQL_OWNED.tables, ...SQL_OWNED.views].filter((n) => !relations.has(n)).map((n) => `table or view ${n}`),
    ...SQL_OWNED.functions.filter((n) => !functions.has(n)).map((n) => `function ${n}`),
    ...SQL_OWNED.triggers.filter((n) => !triggers.has(n)).map((n) => `trigger ${n}`),
    ...SQL_OWNED.textSearchConfigs.filter((n) => !configs.has(n)).map((n) => `text search configuration ${n}`),
    ...SQL_OWNED.extensions.filter((n) => !extensions.has(n)).map((n) => `extension ${n}`),
  ];
}
