import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export type EmbeddedPostgres = {
  /** postgres:// URL of the loopback socket in front of PGlite. */
  url: string;
  stop(): Promise<void>;
};

/**
 * Starts PGlite (persisted in `dataDir`, or in memory when it is undefined) behind a loopback socket so
 * MikroORM uses its ordinary postgres driver. PGlite is a single connection: callers must use a pool of 1,
 * because statements from two pooled connections interleave and an open BEGIN on one blocks the other for good.
 */
export async function startEmbeddedPostgres(dataDir?: string): Promise<EmbeddedPostgres> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // Search folds accents with the unaccent dictionary and finds the words a misspelt one resembles with
  // pg_trgm (indexed with the owner through btree_gin); PGlite loads contrib extensions only when asked.
  const db = await PGlite.create(dataDir ?? 'memory://', { extensions: { unaccent, pg_trgm, btree_gin } });
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 1 });
  await server.start();
  const url = `postgres://postgres@${server.getServerConn()}/postgres`;
  return {
    url,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
