import type { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initORM } from '@chatsynth/db';
import { ChangeFeed, eventPolling, listenForChanges } from '../src';
import { createAnnotation } from '../src/services/annotations';
import { callerOn, openEventStream } from './event-stream';
import { createHarness, sampleContent, type Harness } from './harness';

type Event = { type: string; chatlogId: string; version: number | null };
/** Server-side callers see tracked() events as their [id, data] envelope. */
const unwrap = (value: unknown): [string, Event] => {
  const [id, data] = value as [string, Event];
  return [id, data];
};

describe('events.onChange', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h?.close());

  it("streams the caller's changes in order, and only theirs, resuming from lastEventId", async () => {
    const alice = await h.signUp('eventalice');
    const bob = await h.signUp('eventbob');
    const stream = await alice.caller.events.onChange();
    const iterator = stream[Symbol.asyncIterator]();
    // The subscription starts when first read (as an SSE connection starts when opened).
    const first = iterator.next();
    await new Promise((resolve) => setTimeout(resolve, 300));

    const log = await alice.caller.chatlogs.create({ source: 'api', title: 'Watched', content: sampleContent(2) });
    await bob.caller.chatlogs.create({ source: 'api', title: 'Not yours', content: sampleContent(2) });
    await alice.caller.chatlogs.update({ id: log.id, expectedVersion: 1, title: 'Watched, edited' });
    await alice.caller.chatlogs.setTags({ id: log.id, tags: ['watched'] });
    await alice.caller.chatlogs.delete({ id: log.id });
    await alice.caller.chatlogs.restore({ id: log.id });

    const seen: Array<{ id: string; type: string; chatlogId: string; version: number | null }> = [];
    while (seen.length < 5) {
      const next = seen.length === 0 ? await first : await iterator.next();
      const [id, event] = unwrap(next.value);
      seen.push({ id, ...event });
    }
    await iterator.return?.();
    expect(seen.map((e) => e.type)).toEqual(['chatlog.created', 'chatlog.updated', 'chatlog.tagged', 'chatlog.trashed', 'chatlog.restored']);
    expect(new Set(seen.map((e) => e.chatlogId))).toEqual(new Set([log.id]));
    expect(seen[1]!.version).toBe(2);

    // A reconnecting client gets exactly what came after the last event it saw.
    const resumed = (await alice.caller.events.onChange({ lastEventId: seen[2]!.id }))[Symbol.asyncIterator]();
    const next = await resumed.next();
    await resumed.return?.();
    expect(unwrap(next.value)[1].type).toBe('chatlog.trashed');
  });

  it('refuses a lastEventId it did not give with BAD_REQUEST on the field, never a 500', async () => {
    const alice = await h.signUp('eventbadids');
    const refused = [
      'garbage',
      '',
      '-1',
      '1-',
      '-5',
      '1-2-3',
      ' 12',
      '1e3',
      '0x10',
      '١٢٣',
      // Past bigint, past xid8, and a transaction no one has started yet.
      '9999999999999999999',
      '1-9223372036854775808',
      '18446744073709551616-1',
      '18446744073709551615-1',
      '9'.repeat(500),
    ];
    for (const lastEventId of refused) {
      const error = await alice.caller.events.onChange({ lastEventId }).then(
        () => null,
        (e: TRPCError) => e,
      );
      expect({ lastEventId, code: error?.code, message: error?.message }).toMatchObject({ lastEventId, code: 'BAD_REQUEST', message: expect.stringContaining('lastEventId') });
    }
    // "0", null and nothing are the beginning, now and now.
    for (const input of [{ lastEventId: '0' }, { lastEventId: null }, {}, undefined]) {
      const abort = new AbortController();
      await callerOn(h.db.orm, alice.token, abort.signal).events.onChange(input);
      abort.abort();
    }
  });
});

describe('events.onChange wake-ups', () => {
  let h: Harness;
  const usual = eventPolling.fallbackMs;
  beforeAll(async () => {
    h = await createHarness();
    // Longer than the test's timeout: only a wake-up can deliver the event in time.
    eventPolling.fallbackMs = 10 * 60_000;
  });
  afterAll(async () => {
    eventPolling.fallbackMs = usual;
    await h?.close();
  });

  it('delivers a change at once, without waiting for the poll', async () => {
    const alice = await h.signUp('wakealice');
    const iterator = (await alice.caller.events.onChange())[Symbol.asyncIterator]();
    const first = iterator.next();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const log = await alice.caller.chatlogs.create({ source: 'api', title: 'Woken', content: sampleContent(2) });
    const [, event] = unwrap((await first).value);
    await iterator.return?.();
    expect(event).toMatchObject({ type: 'chatlog.created', chatlogId: log.id });
  });

  it.runIf(process.env.DATABASE_URL)('hears changes made by another server instance through LISTEN/NOTIFY', async () => {
    const alice = await h.signUp('wakeotherinstance');
    const me = await alice.caller.auth.me();
    // Another instance: its own connection pool on the same database, its own feed.
    const other = await initORM({ databaseUrl: (h.db as { url?: string }).url! });
    const feed = new ChangeFeed();
    const listener = await listenForChanges(other.orm, { feed });
    try {
      const before = feed.generation(me!.id);
      const woken = feed.waitAfter(me!.id, before, 10 * 60_000);
      // Written through this instance's API: the other feed only hears it from PostgreSQL.
      await alice.caller.chatlogs.create({ source: 'api', title: 'Seen elsewhere', content: sampleContent(2) });
      await woken;
      expect(feed.generation(me!.id)).toBeGreaterThan(before);
    } finally {
      await listener.close();
      await other.close();
    }
  });

  it.runIf(process.env.DATABASE_URL)('hears tag changes made by another server instance too', async () => {
    const alice = await h.signUp('wakeothertags');
    const bob = await h.signUp('wakeothertagsbob');
    const [aliceId, bobId] = [(await alice.caller.auth.me())!.id, (await bob.caller.auth.me())!.id];
    const log = await alice.caller.chatlogs.create({ source: 'api', title: 'Tagged elsewhere', content: sampleContent(2) });
    const other = await initORM({ databaseUrl: (h.db as { url?: string }).url! });
    // Which users the other instance heard of, in the order PostgreSQL delivered the notifications.
    const heard: string[] = [];
    const feed = new (class extends ChangeFeed {
      override publish(userId: string) {
        heard.push(userId);
        super.publish(userId);
      }
    })();
    const listener = await listenForChanges(other.orm, { feed });
    try {
      // Only chat_tags rows change (the log's own columns do not), so only that trigger can notify.
      await alice.caller.chatlogs.setTags({ id: log.id, tags: ['ferries'] });
      // Notifications arrive in commit order: once Bob's is heard, Alice's tag change had its turn.
      const bobHeard = feed.waitAfter(bobId, feed.generation(bobId), 10 * 60_000);
      await bob.caller.chatlogs.create({ source: 'api', title: 'After the tags', content: sampleContent(2) });
      await bobHeard;
      expect(heard).toEqual([aliceId, bobId]);
    } finally {
      await listener.close();
      await other.close();
    }
  });

  it.runIf(process.env.DATABASE_URL)("delivers events held back by another user's open transaction as soon as it ends", async () => {
    const alice = await h.signUp('heldalice');
    const bob = await h.signUp('heldbob');
    const bobId = (await bob.caller.auth.me())!.id;
    const bobsLog = await bob.caller.chatlogs.create({ source: 'api', title: 'Slow import', content: sampleContent(2) });

    // Bob's transaction writes an event and stays open: every later transaction waits behind it.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let annotated = () => {};
    const written = new Promise<void>((resolve) => (annotated = resolve));
    const slow = h.db.orm.em.fork().transactional(async (em) => {
      await createAnnotation({ em, userId: bobId }, { chatlogId: bobsLog.id, content: 'Still importing' });
      annotated();
      await held;
    });
    try {
      await written;
      const stream = await openEventStream(h.db.orm, alice.token);
      // Alice's change commits (and wakes her subscription) while Bob's transaction is still open.
      const log = await alice.caller.chatlogs.create({ source: 'api', title: 'Made meanwhile', content: sampleContent(2) });
      release();
      await slow;
      // Bob's commit notifies only Bob; with the fallback poll at ten minutes, only the held-back
      // re-read can bring Alice's event within the test's time.
      const [event] = await stream.until((events) => events.length > 0);
      await stream.close();
      expect(event).toMatchObject({ type: 'chatlog.created', chatlogId: log.id });
    } finally {
      release();
      await slow;
    }
  });
});
