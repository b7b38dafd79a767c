// Random and hostile input at every procedure of the router, found by walking appRouter so that a new
// procedure is covered the day it is added. Inputs are generated from each procedure's own zod schema
// (so they reach past the strict outer object into content, parts, cursors and metadata) with hostile
// values at every leaf: NUL, lone surrogates, huge strings, deep nesting, __proto__ keys, numbers
// past PostgreSQL's integer, NaN and Infinity, dates out of range, forged base64url cursors, unknown
// keys, wrong types, and the ids of another user's objects. Every call, as the user who owns the
// data, as another user and signed out, must end in a result the wire format can write or a
// TRPCError that is not INTERNAL_SERVER_ERROR, whose message shows no SQL or stack, and a rejected
// mutation must leave every stored row as it was.
import { TRPCError, type AnyProcedure } from '@trpc/server';
import { query } from '@chatsynth/db';
import fc from 'fast-check';
import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter, authenticate, createCallerFactory, createContextInner, createImportJob, type Authenticated } from '../src';
import { createHarness, sampleContent, type Harness } from './harness';
import { anything, inputFor, NO_TARGET, placesOf, type Known } from './hostile-inputs';
import { INTERNALS } from './internals';
import { transformer } from '../src/transformer';

const createCaller = createCallerFactory(appRouter);
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, AnyProcedure>);

/** Real objects of both users, filled in once they exist. */
const known: Known = { logs: [], ids: [], cursors: [], tags: ['ferries', 'travel'] };

/** A run's target (one place of the input, or none) and the input made for it. */
function inputsOf(procedure: AnyProcedure): { places: string[]; arbitrary: fc.Arbitrary<{ target: string; input: unknown }> } {
  const [schema] = procedure._def.inputs;
  if (!schema) {
    return { places: [NO_TARGET, ''], arbitrary: fc.oneof(fc.constant({ target: NO_TARGET, input: undefined }), anything.map((input) => ({ target: '', input }))) };
  }
  const places = [NO_TARGET, ...new Set(placesOf(schema))];
  return { places, arbitrary: fc.constantFrom(...places).chain((target) => inputFor(schema, target, known).map((input) => ({ target, input }))) };
}

/** Every row a call could change, as one string. */
async function snapshot(h: Harness): Promise<string> {
  const { rows } = await sql<{ snapshot: unknown }>`select json_build_object(
      'users', (select json_agg(u order by u.id) from (select id, username, email, display_name, password_hash, updated_at from users) u),
      'chatlogs', (select json_agg(c order by c.id) from (select id, user_id, source, title, summary, metadata, version, content_hash, deleted_at, updated_at from chatlogs) c),
      'versions', (select json_agg(v order by v.chatlog_id, v.version) from (select chatlog_id, version, title from chatversions) v),
      'annotations', (select json_agg(a order by a.id) from (select id, chatlog_id, content, metadata, message_index, updated_at from annotations) a),
      'chatTags', (select json_agg(t order by t.chat_id, t.tag_id) from chat_tags t),
      'tags', (select json_agg(t.name order by t.name) from tags t),
      'tokens', (select json_agg(t order by t.id) from (select id, user_id, name, revoked_at from api_tokens) t),
      'sessions', (select json_agg(s.id order by s.id) from sessions s),
      'imports', (select json_agg(i order by i.id) from (select id, status from imports) i)
    ) as snapshot`.execute(query(h.db.orm.em.fork()));
  return JSON.stringify(rows[0]!.snapshot);
}

describe('every procedure under random and hostile input', () => {
  let h: Harness;
  const as: Record<'owner' | 'other' | 'anonymous', Authenticated | null> = { owner: null, other: null, anonymous: null };

  beforeAll(async () => {
    h = await createHarness();
    const owner = await h.signUp('alice');
    const other = await h.signUp('bob');
    for (const [who, token] of [['owner', owner.token], ['other', other.token]] as const) {
      as[who] = await authenticate(h.db.orm.em.fork(), new Headers({ authorization: `Bearer ${token}` }));
    }
    // Data that looks like a real library: logs with parts and notes, versions, tags, the trash,
    // an import and a token, for both users; their ids are what hostile inputs pick from.
    for (const { caller, user } of [owner, other]) {
      const log = await caller.chatlogs.create({
        source: 'chatgpt',
        title: 'Ferries in winter',
        tags: ['ferries', 'travel'],
        metadata: { model: 'gpt-4o' },
        content: {
          messages: [
            ...sampleContent(3).messages,
            { role: 'assistant', content: 'Checking the timetable.', parts: [{ type: 'tool_call', name: 'search', input: { query: 'ferry timetable' }, output: ['08:00', '12:30'] }] },
          ],
        },
      });
      await caller.chatlogs.update({ id: log.id, expectedVersion: 1, title: 'Ferries in winter, edited' });
      const second = await caller.chatlogs.create({ source: 'claude', title: 'Ferry timetables', content: sampleContent(2, 5) });
      const note = await caller.annotations.create({ chatlogId: log.id, content: 'Check the timetable.', messageIndex: 1, start: 0, end: 7 });
      const trashed = await caller.chatlogs.create({ source: 'api', content: sampleContent(2) });
      await caller.chatlogs.delete({ id: trashed.id });
      const token = await caller.apiTokens.create({ name: 'laptop CLI' });
      const importId = await createImportJob(h.db.orm.em.fork(), {
        userId: user.id, filename: 'conversations.json', format: 'chatgpt', requestedFormat: 'auto', bytes: 1234, filePath: '/nonexistent/upload',
      });
      const pages = [await caller.chatlogs.list({ limit: 1 }), await caller.chatlogs.search({ query: 'ferries', limit: 1 })];
      const sessions = await caller.auth.sessions.list();
      known.logs.push(log.id, second.id, trashed.id);
      known.ids.push(log.id, second.id, trashed.id, note.id, token.id, importId, user.id, ...sessions.map((s) => s.id));
      known.cursors.push(...pages.flatMap((page) => (page.nextCursor ? [page.nextCursor] : [])));
    }
    known.ids.push(uuidv7());
  });
  afterAll(async () => {
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    await h?.close();
  });

  function callerFor(who: keyof typeof as, signal?: AbortSignal) {
    const auth = as[who];
    return createCaller(
      async () =>
        createContextInner({
          em: h.db.orm.em.fork(),
          user: auth?.user ?? null,
          credential: auth?.credential ?? null,
          meta: { ip: '203.0.113.7', userAgent: 'fuzz' },
        }),
      { signal },
    );
  }

  /** Runs one call to its end: a subscription for its first few events, then stopped. */
  async function run(path: string, type: string, who: keyof typeof as, input: unknown): Promise<unknown> {
    const abort = new AbortController();
    const procedure = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], callerFor(who, abort.signal)) as (input: unknown) => Promise<unknown>;
    // What the HTTP layer would write: a stored value superjson refuses would fail every read of it.
    if (type !== 'subscription') return transformer.output.serialize(await procedure(input));
    const events = (await procedure(input)) as AsyncIterable<unknown>;
    const iterator = events[Symbol.asyncIterator]();
    setTimeout(() => abort.abort(), 30);
    try {
      for (let i = 0; i < 3; i++) if ((await iterator.next()).done) break;
    } finally {
      abort.abort();
      await iterator.return?.(undefined).catch(() => {});
    }
    return undefined;
  }

  it('covers the whole router', () => {
    expect(procedures.length).toBeGreaterThan(30);
    expect(procedures.map(([path]) => path)).toEqual(expect.arrayContaining(['chatlogs.create', 'annotations.list', 'events.onChange']));
  });

  for (const [path, procedure] of procedures) {
    const type = procedure._def.type;
    const { places, arbitrary } = inputsOf(procedure);
    it(`${path} (${type})`, async () => {
      await fc.assert(
        fc.asyncProperty(arbitrary, fc.constantFrom('owner', 'owner', 'owner', 'other', 'anonymous' as const), async ({ target, input }, who) => {
          const before = type === 'mutation' ? await snapshot(h) : null;
          let failure: unknown = null;
          try {
            await run(path, type, who, input);
          } catch (error) {
            failure = error;
          }
          if (failure === null) return;
          // Always a TRPCError of ours: never a driver's error, never a 500, never internals.
          expect(failure, `${path} as ${who}, hostile at ${target}`).toBeInstanceOf(TRPCError);
          const error = failure as TRPCError;
          expect({ path, target, code: error.code }).not.toEqual({ path, target, code: 'INTERNAL_SERVER_ERROR' });
          expect(error.message).not.toMatch(INTERNALS);
          expect(error.message).not.toMatch(/database cannot store/);
          if (before !== null) expect(await snapshot(h), `${path} as ${who}, hostile at ${target}: a rejected call changed stored data`).toBe(before);
        }),
        // Every place of the input gets its hostile values a few times over; subscriptions cost more.
        { numRuns: type === 'subscription' ? 3 * places.length : Math.min(90, 3 * places.length) },
      );
    });
  }
});
