// events.onChange against many writers at once: transactions that commit in another order than they
// wrote their events, subscribers that join late or resume from any event, and (on a real PostgreSQL)
// a second server instance with its own pool. What every subscriber receives is compared with what the
// outbox holds.
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initORM, query, type MikroORM } from '@chatsynth/db';
import { createAnnotation } from '../src/services/annotations';
import { createHarness, sampleContent, type Harness } from './harness';
import { callerOn, closeEventStreams, firstEventAfter, openEventStream, type ReceivedEvent } from './event-stream';

const onRealServer = Boolean(process.env.DATABASE_URL);

afterEach(closeEventStreams);

/** Hundreds of writes and a resume from every event: seconds alone, more on a busy machine. */
const LONG_TEST_MS = 240_000;

type Account = { token: string; userId: string };

/** What the outbox holds for the user: the truth every subscriber must match. */
async function storedEvents(orm: MikroORM, userId: string) {
  const rows = await query(orm.em.fork())
    .selectFrom('chat_events')
    .select(['type', 'chatlog_id as chatlogId', 'version'])
    .where('user_id', '=', userId)
    .execute();
  return rows.map((row) => `${row.type} ${row.chatlogId} ${row.version}`).sort();
}

const described = (events: ReceivedEvent[]) => events.map((event) => `${event.type} ${event.chatlogId} ${event.version}`).sort();

/** Ids received more than once. */
const repeated = (events: ReceivedEvent[]) => events.map((e) => e.id).filter((id, i, ids) => ids.indexOf(id) !== i);

/**
 * One person's work in a tab: a conversation created, then edited, annotated and re-tagged, each
 * change its own transaction, as the web app sends them.
 */
async function writer(orm: MikroORM, account: Account, n: number, rounds: number) {
  const caller = callerOn(orm, account.token);
  const log = await caller.chatlogs.create({ source: 'chatgpt', title: `Ferry timetable ${n}`, content: sampleContent(4, n) });
  let version = log.version;
  for (let round = 0; round < rounds; round++) {
    version = (await caller.chatlogs.update({ id: log.id, expectedVersion: version, title: `Ferry timetable ${n}, draft ${round + 2}` })).version;
    await caller.annotations.create({ chatlogId: log.id, content: `Check the winter sailings (${n}.${round})`, messageIndex: 1 });
    await caller.chatlogs.setTags({ id: log.id, tags: ['travel', `draft-${round}`] });
  }
  return log.id;
}

describe('events.onChange with concurrent writers', () => {
  let h: Harness;
  let other: Awaited<ReturnType<typeof initORM>> | null = null;
  beforeAll(async () => {
    h = await createHarness();
    // A second server instance: its own pool on the same database (a real PostgreSQL only; the
    // embedded one is a single connection inside this process).
    if (onRealServer) other = await initORM({ databaseUrl: (h.db as { url?: string }).url! });
  });
  afterAll(async () => {
    await other?.close();
    await h?.close();
  });

  it('delivers every event exactly once and in one order to every subscriber, live, late or resumed', async () => {
    const alice = await h.signUp('ferryalice');
    const account = { token: alice.token, userId: (await alice.caller.auth.me())!.id };
    const instances = [h.db.orm, other?.orm ?? h.db.orm];

    const early = await Promise.all([
      openEventStream(instances[0]!, account.token, '0'),
      openEventStream(instances[1]!, account.token, '0'),
      openEventStream(instances[0]!, account.token, '0'),
    ]);
    // 20 writers at once, half of them through the other instance.
    const writing = Promise.all(Array.from({ length: 20 }, (_, n) => writer(instances[n % 2]!, account, n, 11)));
    // Subscribers that join while the writers are at it: one from the start, one resuming from where
    // an early subscriber had got to.
    await early[0]!.until((events) => events.length >= 200);
    const late = await openEventStream(instances[1]!, account.token, '0');
    const resumedAt = early[0]!.events.length;
    const resumed = await openEventStream(instances[0]!, account.token, early[0]!.events[resumedAt - 1]!.id);
    await writing;

    // A last change after every writer is done: once a subscriber has it, it has had its chance at all.
    const last = await alice.caller.chatlogs.create({ source: 'api', title: 'Last one', content: sampleContent(2) });
    const subscribers = [...early, late, resumed];
    await Promise.all(subscribers.map((s) => s.until((events) => events.some((e) => e.chatlogId === last.id))));
    await Promise.all(subscribers.map((s) => s.close()));

    const stored = await storedEvents(h.db.orm, account.userId);
    expect(stored.length).toBeGreaterThan(900);
    const [reference, ...others] = early.map((s) => s.events);
    const tally = (events: ReceivedEvent[]) => ({ missing: stored.length - new Set(events.map((e) => e.id)).size, repeated: repeated(events).length });
    expect([...early, late].map((s) => tally(s.events))).toEqual(Array(4).fill({ missing: 0, repeated: 0 }));
    for (const events of [reference!, ...others, late.events]) {
      expect(described(events)).toEqual(stored);
      // One order for everyone.
      expect(events.map((e) => e.id)).toEqual(reference!.map((e) => e.id));
    }
    expect(resumed.events.map((e) => e.id)).toEqual(reference!.slice(resumedAt).map((e) => e.id));

    // Each log's own changes in the order they were made: created first, versions rising.
    const byLog = Map.groupBy(reference!, (e) => e.chatlogId);
    for (const events of byLog.values()) {
      expect(events[0]!.type).toBe('chatlog.created');
      const versions = events.filter((e) => e.type === 'chatlog.updated').map((e) => e.version!);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
    }

    // Resuming from any event gives exactly the one after it.
    const ids = reference!.map((e) => e.id);
    const misses: string[] = [];
    for (let i = 0; i < ids.length - 1; i++) {
      const next = await firstEventAfter(instances[i % 2]!, account.token, ids[i]!);
      if (next.id !== ids[i + 1]) misses.push(`after ${ids[i]}: ${next.id}, not ${ids[i + 1]}`);
    }
    expect(misses).toEqual([]);
  }, LONG_TEST_MS);

  it.runIf(onRealServer)('holds back a change committed while an earlier writer is still open, then sends both in order', async () => {
    const bob = await h.signUp('ferrybob');
    const account = { token: bob.token, userId: (await bob.caller.auth.me())!.id };
    const noted = await bob.caller.chatlogs.create({ source: 'claude', title: 'Night ferries', content: sampleContent(4) });
    const edited = await bob.caller.chatlogs.create({ source: 'claude', title: 'Day ferries', content: sampleContent(4) });
    const live = await openEventStream(h.db.orm, account.token, '0');
    await live.until((events) => events.length === 2);

    // A transaction writes its event, then stays open while later ones commit.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let annotated = () => {};
    const written = new Promise<void>((resolve) => (annotated = resolve));
    const slow = h.db.orm.em.fork().transactional(async (em) => {
      await createAnnotation({ em, userId: account.userId }, { chatlogId: noted.id, content: 'Slow note: the 23:40 sails on Sundays only' });
      annotated();
      await held;
    });
    try {
      await written;
      await bob.caller.chatlogs.update({ id: edited.id, expectedVersion: 1, title: 'Day ferries (summer)' });
      await bob.caller.chatlogs.setTags({ id: edited.id, tags: ['travel'] });
      // Give the subscriber the chance to read past them; nothing it does meanwhile is asserted.
      await Promise.race([live.until((events) => events.length >= 4), new Promise((resolve) => setTimeout(resolve, 500))]);
    } finally {
      release();
      await slow;
    }
    const last = await bob.caller.chatlogs.create({ source: 'api', title: 'Last one', content: sampleContent(2) });
    await live.until((events) => events.some((e) => e.chatlogId === last.id));
    await live.close();

    expect(live.events.map((e) => e.type)).toEqual([
      'chatlog.created',
      'chatlog.created',
      'annotation.changed',
      'chatlog.updated',
      'chatlog.tagged',
      'chatlog.created',
    ]);
    expect(described(live.events)).toEqual(await storedEvents(h.db.orm, account.userId));
  });
});

describe('events.onChange resuming through many pages', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h?.close());

  it('resumes from "0" and from every event exactly, across pages and digit lengths', async () => {
    const carol = await h.signUp('ferrycarol');
    const userId = (await carol.caller.auth.me())!.id;
    const log = await carol.caller.chatlogs.create({ source: 'chatgpt', title: 'Harbour notes', content: sampleContent(6) });
    // 2,203 notes in one statement, as a restore or a bulk import writes them: one event each (the
    // outbox trigger), 2,204 with the log's own, so the ids cross 9→10, 99→100 and 999→1000.
    await sql`
      insert into annotations (id, user_id, chatlog_id, content, message_index, version, metadata, created_at, updated_at)
      select gen_random_uuid(), ${userId}::uuid, ${log.id}::uuid, 'Pier ' || n || ': check the tide table', n % 6, 1, '{}'::jsonb, now(), now()
      from generate_series(1, 2203) as n`.execute(query(h.db.orm.em.fork()));
    const last = await carol.caller.chatlogs.create({ source: 'api', title: 'Last one', content: sampleContent(2) });

    const all = await openEventStream(h.db.orm, carol.token, '0');
    const events = await all.until((received) => received.some((e) => e.chatlogId === last.id));
    await all.close();
    expect({ received: events.length, unique: new Set(events.map((e) => e.id)).size }).toEqual({ received: 2205, unique: 2205 });
    expect(described(events)).toEqual(await storedEvents(h.db.orm, userId));

    const misses: string[] = [];
    for (let i = 0; i < events.length - 1; i++) {
      const next = await firstEventAfter(h.db.orm, carol.token, events[i]!.id);
      if (next.id !== events[i + 1]!.id) misses.push(`after ${events[i]!.id}: ${next.id}, not ${events[i + 1]!.id}`);
    }
    expect(misses).toEqual([]);
  }, LONG_TEST_MS);
});
