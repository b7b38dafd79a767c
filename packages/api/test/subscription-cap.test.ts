// One account may hold at most MAX_OPEN_SUBSCRIPTIONS subscriptions (events.onChange and
// imports.onProgress together) on one server process; on main, 45 SSE streams for one user were all
// accepted. A slot is given back as soon as its stream ends or its request is aborted.
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import superjson from 'superjson';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { appRouter, createContext, createImportJob } from '../src';
import { MAX_OPEN_SUBSCRIPTIONS, openSubscriptions } from '../src/services/open-subscriptions';
import { callerOn, closeEventStreams, openEventStream } from './event-stream';
import { codeOf, createHarness, type Harness } from './harness';

afterEach(closeEventStreams);

describe('open subscriptions per user', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h?.close());

  /** An imports.onProgress subscription on a job that stays queued (no worker runs here), read until aborted. */
  async function followImport(token: string, importId: string) {
    const abort = new AbortController();
    const stream = await callerOn(h.db.orm, token, abort.signal).imports.onProgress({ id: importId });
    const reading = (async () => {
      for await (const _ of stream) if (abort.signal.aborted) break;
    })();
    return {
      async close() {
        abort.abort();
        await reading;
      },
    };
  }

  it(`accepts ${MAX_OPEN_SUBSCRIPTIONS} for one account, refuses the next with TOO_MANY_REQUESTS, and frees a slot when a stream is aborted`, async () => {
    const alice = await h.signUp('capalice');
    const bob = await h.signUp('capbob');
    const aliceId = (await alice.caller.auth.me())!.id;
    const importId = await createImportJob(h.db.orm.em.fork(), {
      userId: aliceId,
      filename: 'conversations.json',
      format: 'chatgpt',
      requestedFormat: 'auto',
      bytes: 1024,
      filePath: '/nonexistent/upload',
    });

    const progress = await followImport(alice.token, importId);
    const streams = await Promise.all(Array.from({ length: MAX_OPEN_SUBSCRIPTIONS - 1 }, () => openEventStream(h.db.orm, alice.token)));
    expect(openSubscriptions.count(aliceId)).toBe(MAX_OPEN_SUBSCRIPTIONS);

    // Both kinds count against the same cap, and the refusal says what to do.
    const refused = callerOn(h.db.orm, alice.token).events.onChange();
    await expect(refused).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS', message: expect.stringMatching(/at most 16 subscriptions.*Close one/) });
    expect(await codeOf(callerOn(h.db.orm, alice.token).imports.onProgress({ id: importId }))).toBe('TOO_MANY_REQUESTS');
    // Another account is not affected.
    const bobs = await openEventStream(h.db.orm, bob.token);
    await bobs.close();

    // An aborted stream gives its slot back at once, whichever kind it was.
    await streams[0]!.close();
    const again = await openEventStream(h.db.orm, alice.token);
    expect(await codeOf(callerOn(h.db.orm, alice.token).events.onChange())).toBe('TOO_MANY_REQUESTS');
    await progress.close();
    const another = await openEventStream(h.db.orm, alice.token);

    await Promise.all([...streams.slice(1), again, another].map((stream) => stream.close()));
    expect(openSubscriptions.count(aliceId)).toBe(0);
  });

  it('gives the slot back when a subscription fails or is refused for its input', async () => {
    const carol = await h.signUp('capcarol');
    const carolId = (await carol.caller.auth.me())!.id;
    // Someone else's (or no) import: NOT_FOUND from inside the stream, which then ends.
    const missing = await callerOn(h.db.orm, carol.token).imports.onProgress({ id: '01900000-0000-7000-8000-000000000000' });
    await expect((async () => {
      for await (const _ of missing) break;
    })()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // A place in the feed no transaction has reached: BAD_REQUEST before the stream starts.
    expect(await codeOf(callerOn(h.db.orm, carol.token).events.onChange({ lastEventId: '18446744073709551615-1' }))).toBe('BAD_REQUEST');
    expect(openSubscriptions.count(carolId)).toBe(0);
  });

  it('answers the refused SSE request with TOO_MANY_REQUESTS and Retry-After, and frees the slot when the request is aborted', async () => {
    const dave = await h.signUp('capdave');
    const daveId = (await dave.caller.auth.me())!.id;
    const open = async () => {
      const abort = new AbortController();
      const req = new Request(`http://localhost/trpc/events.onChange?input=${encodeURIComponent(JSON.stringify(superjson.serialize(undefined)))}`, {
        headers: { authorization: `Bearer ${dave.token}`, accept: 'text/event-stream' },
        signal: abort.signal,
      });
      const response = await fetchRequestHandler({
        endpoint: '/trpc',
        req,
        router: appRouter,
        createContext: ({ req, resHeaders }) => createContext({ orm: h.db.orm, req, resHeaders }),
      });
      return { response, abort };
    };
    const held = await Promise.all(Array.from({ length: MAX_OPEN_SUBSCRIPTIONS }, open));
    // The streams run as a server runs them: read until aborted.
    const reading = held.map(({ response }) => response.body!.pipeTo(new WritableStream()).catch(() => {}));
    expect(openSubscriptions.count(daveId)).toBe(MAX_OPEN_SUBSCRIPTIONS);

    const refused = await open();
    expect(refused.response.headers.get('retry-after')).toBe('5');
    const body = await refused.response.text();
    expect(body).toMatch(/event: serialized-error/);
    expect(body).toContain('TOO_MANY_REQUESTS');

    held[0]!.abort.abort();
    expect(openSubscriptions.count(daveId)).toBe(MAX_OPEN_SUBSCRIPTIONS - 1);
    for (const { abort } of held) abort.abort();
    await Promise.all(reading);
    expect(openSubscriptions.count(daveId)).toBe(0);
  });
});
