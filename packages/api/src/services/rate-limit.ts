import { TRPCError } from '@trpc/server';
import { query, type MikroORM } from '@chatsynth/db';
import type { Redis } from 'ioredis';
import { CompiledQuery } from 'kysely';
import type * as Flexible from 'rate-limiter-flexible';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';

// rate-limiter-flexible and ioredis are loaded when a limiter is made, not with this module: the
// import thread loads the same bundle and never limits anything, and the two cost ~40 MB of RSS in
// each thread that loads them (ioredis alone ~30 MB, only when REDIS_URL is set).

/** What is limited: at most `points` in `duration` seconds, counted per key. */
export const RATE_LIMITS = {
  /** Accounts made from one client address. */
  signUp: { points: 20, duration: 60 * 60 },
  /** Wrong passwords from one client address, whatever the account: password spraying. */
  signInAddress: { points: 100, duration: 60 * 60 },
  /**
   * Wrong passwords for one account from one client address; a correct one clears it. Keyed by the
   * address too, so a guesser elsewhere never locks the owner out.
   */
  signInAccount: { points: 10, duration: 15 * 60 },
  /** Password changes by one user (each checks the current password). */
  passwordChange: { points: 10, duration: 15 * 60 },
} as const;
export type RateLimitName = keyof typeof RATE_LIMITS;

/**
 * Where the counters live. Every instance that shares a database must share them, or three instances
 * give a guesser three times the tries: PostgreSQL's `rate_limits` table (the RateLimitCounter
 * entity), or Redis when the operator runs one. The embedded database has one process as its only
 * client, whose memory is the whole truth (and a second pool to PGlite would hang it).
 */
export type RateLimitStore = { kind: 'memory' } | { kind: 'postgres'; orm: MikroORM } | { kind: 'redis'; url: string };

/** The store for a server: Redis when REDIS_URL is set, else the database's own, else memory. */
export function rateLimitStoreFor(db: { orm: MikroORM; embedded: boolean }, redisUrl?: string): RateLimitStore {
  if (redisUrl) return { kind: 'redis', url: redisUrl };
  return db.embedded ? { kind: 'memory' } : { kind: 'postgres', orm: db.orm };
}

export type RateLimiter = {
  readonly store: RateLimitStore['kind'];
  /** Counts one attempt on `key`: null while within the limit, else the seconds to wait. */
  consume(name: RateLimitName, key: string): Promise<number | null>;
  /** Gives back one attempt that turned out to be no abuse (a correct password). */
  reward(name: RateLimitName, key: string): Promise<void>;
  /** Forgets the key's attempts. */
  reset(name: RateLimitName, key: string): Promise<void>;
  /** Removes counters whose window has ended (PostgreSQL keeps rows until asked; Redis expires keys). */
  prune(): Promise<void>;
  close(): Promise<void>;
};

/**
 * The limits on rate-limiter-flexible, in `store`. A shared store that fails (Redis down) falls back to
 * this process's memory until it answers again, so sign-in stays limited and available.
 * `keyPrefix` separates the counters of tests that share one Redis.
 */
export async function createRateLimiter(
  store: RateLimitStore = { kind: 'memory' },
  options: { keyPrefix?: string } = {},
): Promise<RateLimiter> {
  const redis = store.kind === 'redis' ? await connectRedis(store.url) : null;
  return limiterOn(await import('rate-limiter-flexible'), store, redis, options.keyPrefix ?? 'chatsynth');
}

/** Limits in this process's memory only: a server on the embedded database, and tests. Made at first use. */
export function createMemoryRateLimiter(): RateLimiter {
  let limiter: Promise<RateLimiter> | undefined;
  const ready = () => (limiter ??= createRateLimiter({ kind: 'memory' }));
  return {
    store: 'memory',
    consume: async (name, key) => (await ready()).consume(name, key),
    reward: async (name, key) => (await ready()).reward(name, key),
    reset: async (name, key) => (await ready()).reset(name, key),
    prune: async () => {},
    close: async () => {},
  };
}

async function connectRedis(url: string): Promise<Redis> {
  // No offline queue: while Redis is unreachable a count fails at once and the memory fallback
  // answers, instead of sign-in waiting on a reconnect. Connected before use, so a wrong REDIS_URL
  // stops the server at start with one line.
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  let lastError: unknown = null;
  // It reconnects by itself; meanwhile each count uses the fallback.
  redis.on('error', (error) => (lastError = error));
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    const cause = lastError ?? error;
    throw new Error(`Redis at REDIS_URL is unreachable (${cause instanceof Error ? cause.message : String(cause)}).`);
  }
  return redis;
}

function limiterOn(flexible: typeof Flexible, store: RateLimitStore, redis: Redis | null, prefix: string): RateLimiter {
  const { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes } = flexible;
  const postgresClient = store.kind === 'postgres' ? kyselyClient(store.orm) : null;

  const limiters = Object.fromEntries(
    Object.entries(RATE_LIMITS).map(([name, limit]) => {
      const opts = { ...limit, keyPrefix: `${prefix}:${name}` };
      const memory = new RateLimiterMemory(opts);
      let limiter: RateLimiterAbstract = memory;
      if (redis) limiter = new RateLimiterRedis({ ...opts, storeClient: redis, insuranceLimiter: memory });
      if (postgresClient) {
        limiter = new RateLimiterPostgres({
          ...opts,
          storeClient: postgresClient,
          storeType: 'pool',
          // The table is the RateLimitCounter entity, made by the migrations; prune() empties it.
          tableName: 'rate_limits',
          tableCreated: true,
          clearExpiredByTimeout: false,
          insuranceLimiter: memory,
        });
      }
      return [name, limiter];
    }),
  ) as Record<RateLimitName, RateLimiterAbstract>;

  return {
    store: store.kind,
    async consume(name, key) {
      try {
        await limiters[name].consume(key);
        return null;
      } catch (rejection) {
        // Over the limit the library rejects with its result; anything else is the store failing.
        if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        throw rejection;
      }
    },
    async reward(name, key) {
      await limiters[name].reward(key);
    },
    async reset(name, key) {
      await limiters[name].delete(key);
    },
    async prune() {
      if (store.kind !== 'postgres') return;
      await query(store.orm.em.fork()).deleteFrom('rate_limits').where('expire', '<', Date.now()).execute();
    },
    async close() {
      if (redis) await redis.quit().catch(() => redis?.disconnect());
    },
  };
}

/**
 * The node-postgres shape RateLimiterPostgres calls (`query({ text, values })` → `{ rows, rowCount }`),
 * over the ORM's own pool: no second pool, and its statements run exactly as the library writes them.
 */
function kyselyClient(orm: MikroORM) {
  return {
    async query(statement: { text: string; values?: unknown[] }) {
      const result = await query(orm.em.fork()).executeQuery(CompiledQuery.raw(statement.text, statement.values ?? []));
      const rowCount = result.numAffectedRows === undefined ? result.rows.length : Number(result.numAffectedRows);
      return { rows: result.rows, rowCount };
    },
  };
}

export function tooManyRequests(retryAfterSeconds: number, setHeader: (name: string, value: string) => void): never {
  setHeader('Retry-After', String(retryAfterSeconds));
  throw new TRPCError({
    code: 'TOO_MANY_REQUESTS',
    message: `Too many attempts. Try again in ${retryAfterSeconds} seconds.`,
  });
}
