import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initORM } from '@chatsynth/db';
import { ChangeFeed, eventPolling, listenForChanges } from '../src';
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
});
