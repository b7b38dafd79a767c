// The plain HTTP routes' error handler: an error nobody handled reaches the caller as a reference
// only, logged under it; a PostgreSQL data exception (input the routes should have refused) is a 400.
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { logger } from '@chatsynth/api';
import { createTestDatabase } from '@chatsynth/db/testing';
import { apiError, onError } from '../src/http-error';

describe('plain HTTP errors', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: Hono;
  beforeAll(async () => {
    db = await createTestDatabase();
    app = new Hono()
      .get('/api/bug', () => {
        throw new Error('select * from chatlogs where user_id = $1 - alice@example.com');
      })
      .get('/api/date', async () => {
        await db.orm.em.fork().execute(`select '0000-01-01 00:00:00+00'::timestamptz`);
        return new Response('unreachable');
      })
      .get('/api/ours', () => {
        throw apiError(404, 'NOT_FOUND', 'No such import.');
      });
    app.onError(onError);
  });
  afterAll(async () => db?.close());

  it('answers an unexpected error with a reference only and logs it under that reference', async () => {
    const logged = vi.spyOn(logger, 'error');
    const res = await app.request('/api/bug');
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: string; code: string };
    expect(body).toEqual({ code: 'INTERNAL_SERVER_ERROR', error: expect.stringMatching(/^Something went wrong on the server \(reference [\w-]+\)/) });
    const ref = /reference ([\w-]+)/.exec(body.error)![1];
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ ref, method: 'GET', path: '/api/bug' }), 'unexpected error');
    logged.mockRestore();
  });

  it('answers a PostgreSQL data exception as 400 without its text', async () => {
    const res = await app.request('/api/date');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; code: string };
    expect(body.code).toBe('BAD_REQUEST');
    expect(body.error).toMatch(/^The input holds a value the database cannot store \(reference [\w-]+\)/);
    expect(body.error).not.toMatch(/0000|out of range|select/);
  });

  it('answers our own errors as they were thrown', async () => {
    const res = await app.request('/api/ours');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'No such import.', code: 'NOT_FOUND' });
  });
});
