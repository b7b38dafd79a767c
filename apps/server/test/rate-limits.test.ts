import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import superjson from 'superjson';
import { createRateLimiter, rateLimitStoreFor, type RateLimiter, type RateLimitStore } from '@chatsynth/api';
import { initORM, type Database } from '@chatsynth/db';
import { createTestDatabase } from '@chatsynth/db/testing';
import { createApp } from '../src/app';

const ORIGIN = 'http://localhost:3000';
const PASSWORD = 'correct horse battery';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Two server instances, as two `createApp` over their own connection pools and their own limiters
 * built as index.ts builds them, behind a proxy that names the client in X-Forwarded-For. A guesser
 * who spreads guesses over both gets no more than from one.
 */
describe('sign-in limits shared by every instance', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let second: Database | null = null;
  let uploadDir: string;
  const limiters: RateLimiter[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    // The second instance's own pool on the same database (the embedded one has a single client).
    if (db.url) second = await initORM({ databaseUrl: db.url, migrate: false });
    uploadDir = mkdtempSync(join(tmpdir(), 'chatsynth-uploads-'));
  });
  afterAll(async () => {
    await Promise.all(limiters.map((l) => l.close()));
    await second?.close();
    await db?.close();
    rmSync(uploadDir, { recursive: true, force: true });
  });

  async function instance(database: Database, store: RateLimitStore, keyPrefix?: string) {
    const rateLimiter = await createRateLimiter(store, { keyPrefix });
    limiters.push(rateLimiter);
    const app = createApp({ orm: database.orm, uploadDir, trustProxy: true, rateLimiter });
    return (path: string, input: unknown, ip: string) =>
      app.request(`${ORIGIN}/trpc/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
        body: JSON.stringify(superjson.serialize(input)),
      });
  }

  async function guessAcross(instances: Awaited<ReturnType<typeof instance>>[], username: string) {
    const [a] = instances;
    expect((await a!('auth.signUp', { username, email: `${username}@example.com`, password: PASSWORD }, '10.9.0.1')).status).toBe(200);
    const statuses: number[] = [];
    // Ten wrong guesses from one address, alternating instances: each answers 401.
    for (let i = 0; i < 10; i++) {
      const res = await instances[i % instances.length]!('auth.signIn', { login: username, password: `guess ${i}` }, '203.0.113.7');
      statuses.push(res.status);
    }
    expect(statuses).toEqual(Array(10).fill(401));
    // The eleventh, on either instance, is refused with the time to wait.
    for (const send of instances) {
      const refused = await send('auth.signIn', { login: `${username}@example.com`, password: 'guess 11' }, '203.0.113.7');
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = (await refused.json()) as { error: { json: { message: string; data: { code: string } } } };
      expect(body.error.json.data.code).toBe('TOO_MANY_REQUESTS');
      expect(body.error.json.message).toMatch(/^Too many attempts\. Try again in \d+ seconds\.$/);
    }
    // The owner, from another address, signs in on both.
    for (const send of instances) expect((await send('auth.signIn', { login: username, password: PASSWORD }, '198.51.100.20')).status).toBe(200);
  }

  it.skipIf(!process.env.DATABASE_URL)('counts guesses in PostgreSQL, together for two instances on one database', async () => {
    const a = await instance(db, rateLimitStoreFor(db));
    const b = await instance(second!, rateLimitStoreFor(second!));
    expect(limiters.map((l) => l.store)).toEqual(['postgres', 'postgres']);
    await guessAcross([a, b], 'shared-pg');
    // A third instance started later (a restart) still knows.
    const c = await instance(second!, rateLimitStoreFor(second!));
    expect((await c('auth.signIn', { login: 'shared-pg', password: PASSWORD }, '203.0.113.7')).status).toBe(429);
  });

  it('counts guesses in Redis (REDIS_URL, else the local one), together for two instances', async () => {
    // A prefix of this run's own, so reruns against the same Redis start from zero.
    const keyPrefix = `chatsynth-test-${randomBytes(4).toString('hex')}`;
    const store = rateLimitStoreFor(db, REDIS_URL);
    expect(store.kind).toBe('redis');
    const a = await instance(db, store, keyPrefix);
    const b = await instance(second ?? db, store, keyPrefix);
    await guessAcross([a, b], 'shared-redis');
  });

  it('counts in the process on the embedded database, and answers 429 with Retry-After', async () => {
    const store = rateLimitStoreFor({ orm: db.orm, embedded: true });
    expect(store.kind).toBe('memory');
    await guessAcross([await instance(db, store)], 'embedded-one');
  });
});
