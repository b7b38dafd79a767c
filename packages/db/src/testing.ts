import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { initORM, type Database, type InitOrmOptions } from './orm';
import { readDbEnv } from './env';

export type TestDatabaseKind = 'env' | 'embedded';

/**
 * A fresh, migrated database for one test file: a new database on the real server when DATABASE_URL
 * is set (dropped afterwards), otherwise an in-memory embedded PGlite. `kind: 'embedded'` forces PGlite.
 */
export async function createTestDatabase(
  kind: TestDatabaseKind = 'env',
  options: Pick<InitOrmOptions, 'beforeConnect'> = {},
): Promise<Database & { url?: string }> {
  const baseUrl = kind === 'env' ? readDbEnv().DATABASE_URL : undefined;
  if (!baseUrl) return initORM({ inMemory: true, ...options });

  const name = `chatsynth_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await adminQuery(baseUrl, `create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const db = await initORM({ databaseUrl: url.toString(), ...options });
  return {
    ...db,
    url: url.toString(),
    async close() {
      await db.close();
      await adminQuery(baseUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

async function adminQuery(baseUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
