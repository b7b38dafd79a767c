import type { MikroORM } from '@chatsynth/db';
import { appRouter, authenticate, createCallerFactory, createContextInner } from '../src';

const createCaller = createCallerFactory(appRouter);

export type ReceivedEvent = { id: string; type: string; chatlogId: string; version: number | null };

/**
 * A caller on `orm` (one server instance) whose subscriptions end when `signal` aborts, as an SSE
 * stream ends when its request does.
 */
export function callerOn(orm: MikroORM, token: string, signal?: AbortSignal) {
  return createCaller(
    async () => {
      const em = orm.em.fork();
      const auth = await authenticate(em, new Headers({ authorization: `Bearer ${token}` }));
      em.clear();
      return createContextInner({ em, user: auth?.user ?? null, credential: auth?.credential ?? null, meta: { ip: '127.0.0.1' } });
    },
    { signal },
  );
}

/**
 * An `events.onChange` subscription read in the background, as a client reads its stream: every event
 * lands in `events` in the order received; `until` waits for what a test expects to have arrived.
 */
export type EventStream = {
  events: ReceivedEvent[];
  until(done: (events: ReceivedEvent[]) => boolean): Promise<ReceivedEvent[]>;
  /** Ends the subscription (aborts its request) and waits for the stream to finish. */
  close(): Promise<void>;
};

/** Streams not closed yet: a failed test leaves none open behind it (`closeEventStreams` in afterEach). */
const opened = new Set<EventStream>();

export async function closeEventStreams(): Promise<void> {
  await Promise.all([...opened].map((stream) => stream.close()));
}

export async function openEventStream(orm: MikroORM, token: string, lastEventId?: string): Promise<EventStream> {
  const abort = new AbortController();
  const caller = callerOn(orm, token, abort.signal);
  const iterable = await caller.events.onChange(lastEventId === undefined ? undefined : { lastEventId });
  const events: ReceivedEvent[] = [];
  let failure: unknown = null;
  let wake = () => {};
  const reading = (async () => {
    try {
      for await (const value of iterable) {
        if (abort.signal.aborted) break;
        // Server-side callers see tracked() events as their [id, data] envelope.
        const [id, event] = value as unknown as [string, Omit<ReceivedEvent, 'id'>];
        events.push({ id, ...event });
        wake();
      }
    } catch (error) {
      if (!abort.signal.aborted) failure = error;
    } finally {
      wake();
    }
  })();
  let ended = false;
  void reading.then(() => (ended = true));
  const stream: EventStream = {
    events,
    async until(done) {
      while (!done(events)) {
        if (failure) throw failure;
        if (ended) throw new Error(`The stream ended after ${events.length} events without what was awaited.`);
        await new Promise<void>((resolve) => (wake = resolve));
      }
      return events;
    },
    async close() {
      opened.delete(stream);
      abort.abort();
      await reading;
    },
  };
  opened.add(stream);
  return stream;
}

/** The first event a subscription resuming from `lastEventId` yields. */
export async function firstEventAfter(orm: MikroORM, token: string, lastEventId: string): Promise<ReceivedEvent> {
  const stream = await openEventStream(orm, token, lastEventId);
  try {
    return (await stream.until((events) => events.length > 0))[0]!;
  } finally {
    await stream.close();
  }
}
