import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './entities';
import { migrationsList } from './migrations';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded';
import { readDbEnv } from './env';

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
  debug?: boolean;
};

export function ormConfig(clientUrl: string, embedded: boolean, debug = false): Options {
  return {
    clientUrl,
    entities,
    extensions: [Migrator],
    migrations: { migrationsList, transactional: true, allOrNothing: true, snapshot: false, silent: true },
    // PGlite has exactly one connection; a real server gets a normal pool.
    pool: embedded ? { min: 1, max: 1 } : { min: 0, max: 10 },
    debug,
    // Entities are defined with defineEntity: no reflection, no discovery by folder.
    discovery: { warnWhenNoEntities: true },
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
    orm = await MikroORM.init(ormConfig(url, Boolean(embedded), options.debug ?? env.CHATSYNTH_SQL_DEBUG));
    if (options.migrate !== false) await orm.getMigrator().up();
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
