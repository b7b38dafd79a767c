// Input the schemas once let through to PostgreSQL, which refused it: the caller got
// INTERNAL_SERVER_ERROR with the SQL statement (and their own data) in the message. Each case here
// must be a BAD_REQUEST that names the field, stores nothing, and shows no SQL.
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { query } from '@chatsynth/db';
import { createHarness, sampleContent, type Caller, type Harness } from './harness';
import { INTERNALS } from './internals';

/** The error a call ends with; fails the test when it succeeds. */
async function errorOf(promise: Promise<unknown>): Promise<TRPCError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TRPCError);
    return error as TRPCError;
  }
  throw new Error('the call succeeded');
}

/** The issues of a BAD_REQUEST as the error formatter words them ("parts.0.input: is nested …"). */
const issuesOf = (error: TRPCError) =>
  error.cause instanceof ZodError ? error.cause.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') : error.message;

/** BAD_REQUEST, naming the field, with no internals in the message. */
async function expectRefused(promise: Promise<unknown>, field?: RegExp) {
  const error = await errorOf(promise);
  expect({ code: error.code, message: error.message }).toEqual({ code: 'BAD_REQUEST', message: expect.not.stringMatching(INTERNALS) });
  if (field) expect(issuesOf(error)).toMatch(field);
}

const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const SOME_ID = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';

describe('hostile input', () => {
  let h: Harness;
  let alice: Caller;
  let logId: string;
  const rowCounts = async () => {
    const em = h.db.orm.em.fork();
    const count = async (table: 'chatlogs' | 'chatversions' | 'annotations') =>
      Number((await query(em).selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    return { chatlogs: await count('chatlogs'), chatversions: await count('chatversions'), annotations: await count('annotations') };
  };

  beforeAll(async () => {
    h = await createHarness();
    alice = (await h.signUp('alice')).caller;
    logId = (await alice.chatlogs.create({ source: 'api', content: sampleContent(2) })).id;
    await alice.chatlogs.delete({ id: (await alice.chatlogs.create({ source: 'api', content: sampleContent(2) })).id });
  });
  afterAll(async () => h?.close());

  const withPart = (part: Record<string, unknown>) => ({
    messages: [{ role: 'assistant' as const, content: 'Calling the tool.', parts: [{ type: 'tool_call' as const, name: 'search', ...part }] }],
  });

  it('refuses NUL and lone surrogates inside a tool call input or output', async () => {
    const before = await rowCounts();
    await expectRefused(alice.chatlogs.create({ source: 'api', content: withPart({ input: { query: 'ferries\u0000winter' } }) }), /parts\.0\.input/);
    await expectRefused(alice.chatlogs.create({ source: 'api', content: withPart({ output: ['tide \ud800 tables'] }) }), /parts\.0\.output/);
    await expectRefused(alice.chatlogs.create({ source: 'api', content: withPart({ input: { ['key\u0000']: 1 } }) }), /parts\.0\.input/);
    await expectRefused(alice.chatlogs.update({ id: logId, expectedVersion: 1, content: withPart({ output: '\udfff' }) }), /parts\.0\.output/);
    expect(await rowCounts()).toEqual(before);
  });

  it('bounds a tool call input and output in size and depth, as metadata', async () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 40; i++) deep = { next: deep };
    await expectRefused(alice.chatlogs.create({ source: 'api', content: withPart({ input: deep }) }), /deeper/);
    await expectRefused(alice.chatlogs.create({ source: 'api', content: withPart({ output: 'x'.repeat(2 * 1024 * 1024) }) }), /2 MB/);
    await expectRefused(alice.chatlogs.create({ source: 'api', content: sampleContent(1), metadata: { notes: 'x'.repeat(300 * 1024) } }), /256 KB/);
    await expectRefused(alice.chatlogs.create({ source: 'api', content: withPart({ output: Number.NaN }) }), /finite/);
    // Within bounds, any JSON is kept as it came.
    const kept = { query: 'ferries', filters: [1, 2.5, null, true, { nested: ['a'] }] };
    const log = await alice.chatlogs.create({ source: 'api', content: withPart({ input: kept, output: 'three results' }) });
    expect(log.content.messages[0]!.parts![0]).toMatchObject({ input: kept, output: 'three results' });
  });

  it('refuses keys the wire format cannot send back, so no stored value breaks a read', async () => {
    // superjson refuses these keys (prototype pollution) when it writes a response: stored, they
    // would make every read of the log fail.
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const value = JSON.parse(`{"${key}": {"polluted": true}}`) as Record<string, unknown>;
      await expectRefused(alice.chatlogs.create({ source: 'api', content: sampleContent(1), metadata: value }), /metadata/);
      await expectRefused(alice.chatlogs.create({ source: 'api', content: withPart({ input: { args: value } }) }), /input/);
    }
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('refuses message times PostgreSQL cannot hold (year 0, five-digit years)', async () => {
    const at = (createdAt: string) => ({ messages: [{ role: 'user' as const, content: 'When?', createdAt }] });
    await expectRefused(alice.chatlogs.create({ source: 'api', content: at('0000-01-01T00:00:00Z') }), /createdAt/);
    await expectRefused(alice.chatlogs.update({ id: logId, expectedVersion: 1, content: at('0000-06-30T23:59:59.999+00:00') }), /createdAt/);
    await expectRefused(alice.chatlogs.create({ source: 'api', content: at('2024-02-30T00:00:00Z') }), /createdAt/);
    // The edges of what the API promises are kept.
    const log = await alice.chatlogs.create({ source: 'api', content: at('0001-01-01T00:00:00Z') });
    expect(log.startedAt?.toISOString()).toBe('0001-01-01T00:00:00.000Z');
    const late = await alice.chatlogs.create({ source: 'api', content: at('9999-12-31T23:59:59+00:00') });
    expect(late.startedAt?.toISOString()).toBe('9999-12-31T23:59:59.000Z');
  });

  const forgedCursors = [
    forge(['0000-01-01 00:00:00+00', SOME_ID]),
    forge(['2024-13-45', SOME_ID]),
    forge(['99999-01-01T00:00:00Z', SOME_ID]),
    forge(['+099999-01-01T00:00:00Z', SOME_ID]),
    forge(['2024-01-01 12:00:00+00', '------------------------------------']),
    forge(['2024-01-01 12:00:00+00', 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz']),
    forge(['2024-01-01 12:00:00+00', SOME_ID, 'extra']),
    forge({ sortKey: '2024-01-01', id: SOME_ID }),
    'not base64 at all!',
  ];

  it('refuses forged list and trash cursors as BAD_REQUEST', async () => {
    for (const cursor of forgedCursors) {
      await expectRefused(alice.chatlogs.list({ cursor }), /cursor/);
      await expectRefused(alice.chatlogs.list({ cursor, sort: 'startedAt', order: 'asc' }), /cursor/);
      await expectRefused(alice.chatlogs.trash({ cursor }), /cursor/);
    }
  });

  it('refuses forged search cursors as BAD_REQUEST', async () => {
    const forged = [
      forge([1, '0000-01-01 00:00:00+00', SOME_ID]),
      forge([1, '2024-13-45', SOME_ID]),
      forge([1, '99999-01-01T00:00:00Z', SOME_ID]),
      forge([1, '2024-01-01 12:00:00+00', '------------------------------------']),
      // A score JSON reads as Infinity.
      Buffer.from(`[1e999, "2024-01-01 12:00:00+00", "${SOME_ID}"]`).toString('base64url'),
      forge(['1', '2024-01-01 12:00:00+00', SOME_ID]),
      forge([1, '2024-01-01 12:00:00+00']),
    ];
    for (const cursor of forged) await expectRefused(alice.chatlogs.search({ query: 'ferries', cursor }), /cursor/);
  });

  it('still pages with real cursors across the whole date range', async () => {
    const page = await alice.chatlogs.list({ limit: 1, sort: 'startedAt', order: 'asc' });
    expect(page.nextCursor).not.toBeNull();
    const next = await alice.chatlogs.list({ limit: 1, sort: 'startedAt', order: 'asc', cursor: page.nextCursor });
    expect(next.items[0]!.id).not.toBe(page.items[0]!.id);
  });

  it('refuses an event id past PostgreSQL bigint', async () => {
    await expectRefused(alice.events.onChange({ lastEventId: '9999999999999999999' }), /lastEventId/);
  });
});
