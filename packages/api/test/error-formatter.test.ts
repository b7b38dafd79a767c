// The error formatter is the last line between an unexpected error and the caller: whatever a
// procedure throws that is not a TRPCError of ours (a driver error with SQL and the caller's data in
// its message, a bug), the answer holds only a reference, and the error is logged under it.
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { createTestDatabase } from '@chatsynth/db/testing';
import { query, type MikroORM } from '@chatsynth/db';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createContextInner, logger } from '../src';
import { createTRPCRouter, publicProcedure } from '../src/trpc';
import { badInput, notFound } from '../src/services/errors';

const router = createTRPCRouter({
  bug: publicProcedure.query(() => {
    throw new Error('insert into chatlogs (title) values ($1) - alice@example.com: secret title');
  }),
  // A real PostgreSQL data exception (22021: NUL is no UTF-8 text), as input the schemas missed would cause.
  storeNul: publicProcedure.mutation(async ({ ctx }) => {
    await sql`select ${'private\u0000text'}::text`.execute(query(ctx.em));
  }),
  dateOutOfRange: publicProcedure.query(async ({ ctx }) => {
    await sql`select ${'0000-01-01 00:00:00+00'}::timestamptz`.execute(query(ctx.em));
  }),
  missing: publicProcedure.query(() => {
    throw notFound('Chat log');
  }),
  badField: publicProcedure.query(() => {
    throw badInput('messageIndex', 'must be below 2');
  }),
});

type ErrorBody = { error: { json: { message: string; code: number; data: Record<string, unknown> } } };

describe('error formatter', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let orm: MikroORM;
  beforeAll(async () => {
    db = await createTestDatabase();
    orm = db.orm;
  });
  afterAll(async () => db?.close());

  async function call(path: string, method: 'GET' | 'POST' = 'GET') {
    const response = await fetchRequestHandler({
      endpoint: '/trpc',
      req: new Request(`http://localhost/trpc/${path}`, method === 'POST' ? { method, body: '{}', headers: { 'content-type': 'application/json' } } : {}),
      router,
      createContext: () => createContextInner({ em: orm.em.fork() }),
    });
    return { status: response.status, body: (await response.json()) as ErrorBody };
  }

  it('answers a bug with a reference only, logs the error under it, and never sends a stack', async () => {
    const logged = vi.spyOn(logger, 'error');
    const { status, body } = await call('bug');
    expect(status).toBe(500);
    const { message, data } = body.error.json;
    expect(message).toMatch(/^Something went wrong on the server \(reference [\w-]+\)/);
    expect(JSON.stringify(body)).not.toMatch(/insert into|alice@example\.com|secret|\.ts:\d+/);
    expect(data).not.toHaveProperty('stack');
    expect(data).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', httpStatus: 500, path: 'bug' });
    const ref = /reference ([\w-]+)/.exec(message)![1];
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ ref, path: 'bug', err: expect.objectContaining({ message: expect.stringContaining('insert into chatlogs') }) }), 'unexpected error');
    logged.mockRestore();
  });

  it('answers a PostgreSQL data exception that got past the schemas as BAD_REQUEST, without its text', async () => {
    const logged = vi.spyOn(logger, 'error');
    for (const [path, method, sqlState] of [
      ['storeNul', 'POST', /^22/],
      ['dateOutOfRange', 'GET', /^22008$/],
    ] as const) {
      const { status, body } = await call(path, method);
      expect(status).toBe(400);
      expect(body.error.json.message).toMatch(/^The input holds a value the database cannot store \(reference [\w-]+\)/);
      expect(JSON.stringify(body)).not.toMatch(/private|0000-01-01|invalid byte|out of range|select/);
      expect(body.error.json.data).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400 });
      expect(body.error.json.data).not.toHaveProperty('stack');
      expect(logged).toHaveBeenLastCalledWith(expect.objectContaining({ sqlState: expect.stringMatching(sqlState), path }), 'unexpected error');
    }
    logged.mockRestore();
  });

  it('passes our own errors through as they are, without a stack and without logging them', async () => {
    const logged = vi.spyOn(logger, 'error');
    const missing = await call('missing');
    expect(missing.status).toBe(404);
    expect(missing.body.error.json.message).toBe('Chat log not found.');
    expect(missing.body.error.json.data).not.toHaveProperty('stack');
    const bad = await call('badField');
    expect(bad.status).toBe(400);
    expect(bad.body.error.json.data.zodError).toEqual({ formErrors: [], fieldErrors: { messageIndex: ['must be below 2'] } });
    expect(logged).not.toHaveBeenCalled();
    logged.mockRestore();
  });
});
