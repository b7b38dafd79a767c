import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

// The counters of rate-limiter-flexible's RateLimiterPostgres (packages/api/src/services/rate-limit.ts),
// in the shape that library reads and writes: one row per limited key, `points` consumed in the window
// that ends at `expire` (epoch milliseconds). Declared here so the entities stay the one schema source;
// the library is told the table exists and never creates it. Living in PostgreSQL, the counters are
// shared by every server instance on the database and survive a restart.
export const RateLimitCounter = defineEntity({
  name: 'RateLimitCounter',
  tableName: 'rate_limits',
  properties: {
    key: p.string().length(255).primary(),
    points: p.integer().default(0),
    expire: p.bigint('number').nullable(),
  },
  // The library deletes rows that expired an hour ago, every five minutes.
  indexes: [{ name: 'rate_limits_expire_index', properties: ['expire'] }],
});
export type IRateLimitCounter = InferEntity<typeof RateLimitCounter>;
