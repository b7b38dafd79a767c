import { MikroORM as PostgreSqlMikroORM, type Options } from '@mikro-orm/postgresql';
import type { EntityManager, Entities, MikroORM } from './db-types';
import { Migrator } from '@mikro-orm/migrations';
import pg from 'pg';
import { entities } from './entities';
import { migrationsList } from './migrations';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded';
import { readDbEnv } from './env';
import { ChatSynthNamingStrategy, migrationFileName } from './naming';
import { SQL_OWNED } from './sql-owned';
import { ChatSynthMigrationGenerator } from './migration-generator';

export type Database = {
  orm: MikroORM;
  /** True when running on the embedded PGlite (one connection, events in process). */
  embedded: boolean;
  close(): Promise<void>;
};

export type InitOrmOptions = {
  /** A real PostgreSQL server. Without it, the embedded PGlite is started. */
  databaseUrl?: string;
  /** Use the embedded PGlite even when DATABASE_URL is set. */
  embedded?: boolean;
  /** Where the embedded database persists (default CHATSYNTH_DATA_DIR). */
  dataDir?: string;
  /** An embedded database kept in memory only (tests). */
  inMemory?: boolean;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
  /** Runs on the database before the ORM connects (tests restore a dump of an older schema here). */
  beforeConnect?: (url: string) => Promise<void>;
  debug?: boolean;
};

/**
 * How the pool reads values: as pg does by default (timestamptz as a Date, jsonb parsed), except the
 * zone-less date types, which stay text as MikroORM keeps them. MikroORM would keep timestamptz as
 * text too and convert it while hydrating entities; typed queries (`query(em)`) read rows without
 * entities, so they get Dates from the driver itself and need no conversion pass over each row.
 */
const pgTypes = new pg.TypeOverrides();
for (const oid of [1082 /* date */, 1114 /* timestamp */, 1186 /* interval */]) pgTypes.setTypeParser(oid, (value: string) => value);

export function ormConfig(clientUrl: string, embedded: boolean, debug = false): Options<EntityManager, Entities> {
  return {
    clientUrl,
    entities,
    extensions: [Migrator],
    migrations: {
      migrationsList,
      transactional: true,
      allOrNothing: true,
      // New migrations are diffs of the entities against a database migrated to the last one.
      snapshot: false,
      silent: true,
      generator: ChatSynthMigrationGenerator,
      fileName: migrationFileName,
    },
    // PGlite has exactly one connection; a real server gets a normal pool.
    pool: embedded ? { min: 1, max: 1 } : { min: 0, max: 10 },
    driverOptions: { types: pgTypes },
    debug,
    // Entities are defined with defineEntity: no reflection, no discovery by folder.
    discovery: { warnWhenNoEntities: true },
    namingStrategy: ChatSynthNamingStrategy,
    schemaGenerator: {
      // What the migrations own in SQL and the entities do not describe (sql-owned.ts says why):
      // the derived search index, and the triggers and functions behind it and the change outbox.
      skipTables: [...SQL_OWNED.tables],
      skipViews: [...SQL_OWNED.views],
      ignoreTriggers: true,
      ignoreRoutines: true,
    },
    forceUtcTimezone: true,
    allowGlobalContext: false,
  };
}

/** Connects (starting the embedded database if no URL is given) and applies migrations. */
export async function initORM(options: InitOrmOptions = {}): Promise<Database> {
  const env = readDbEnv();
  const forceEmbedded = options.embedded || options.inMemory;
  const databaseUrl = forceEmbedded ? undefined : (options.databaseUrl ?? env.DATABASE_URL);
  let embedded: EmbeddedPostgres | undefined;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(options.inMemory ? undefined : (options.dataDir ?? env.CHATSYNTH_DATA_DIR));
  }
  const url = databaseUrl ?? embedded!.url;
  let orm: MikroORM;
  try {
    await options.beforeConnect?.(url);
    orm = await PostgreSqlMikroORM.init(ormConfig(url, Boolean(embedded), options.debug ?? env.CHATSYNTH_SQL_DEBUG));
    if (options.migrate !== false) await orm.migrator.up();
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  return {
    orm,
    embedded: Boolean(embedded),
    async close() {
      await orm.close(true);
      await embedded?.stop();
    },
  };
}

/** Liveness of the database for /readyz. */
export async function pingDatabase(orm: MikroORM): Promise<boolean> {
  try {
    await orm.em.getConnection().execute('select 1');
    return true;
  } catch {
    return false;
  }
}
