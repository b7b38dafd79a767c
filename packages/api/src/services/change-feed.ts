import type { MikroORM } from '@chatsynth/db';
import pg from 'pg';
import type { CredentialCache } from './credential-cache';

/**
 * Wakes a user's event subscriptions when their data changes, so `events.onChange` answers at once
 * instead of at its next poll. The events themselves always come from the chat_events outbox (exact,
 * resumable); this only says when to look. Wake-ups come from this process's own mutations and, on a
 * real PostgreSQL, from LISTEN on the channel the outbox triggers NOTIFY, so changes made by another
 * server instance or an import anywhere wake subscribers here too.
 */
export class ChangeFeed {
  private readonly generations = new Map<string, number>();
  private readonly waiters = new Map<string, Set<() => void>>();

  /** Changes counted so far for the user; pass it to `waitAfter` to miss nothing in between. */
  generation(userId: string): number {
    return this.generations.get(userId) ?? 0;
  }

  publish(userId: string): void {
    this.generations.set(userId, this.generation(userId) + 1);
    const waiting = this.waiters.get(userId);
    if (!waiting) return;
    this.waiters.delete(userId);
    for (const wake of waiting) wake();
  }

  /** Resolves when the user has a change after `generation`, after `timeoutMs`, or on abort. */
  waitAfter(userId: string, generation: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.generation(userId) !== generation || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.waiters.get(userId)?.delete(done);
        if (this.waiters.get(userId)?.size === 0) this.waiters.delete(userId);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
      let waiting = this.waiters.get(userId);
      if (!waiting) this.waiters.set(userId, (waiting = new Set()));
      waiting.add(done);
    });
  }
}

/** The process's feed: mutations publish to it, subscriptions wait on it. */
export const changeFeed = new ChangeFeed();

/** The channel the outbox triggers (events migration) notify with the user's id as payload. */
export const CHANGE_CHANNEL = 'chatsynth_events';
/** The channel changes to sessions, API tokens and users notify (credentials migration), same payload. */
export const CREDENTIALS_CHANNEL = 'chatsynth_credentials';

/**
 * LISTENs on a real PostgreSQL through one connection of its own (outside the pool, which must not
 * hold a session-level LISTEN), reconnecting after a drop. Not for the embedded database: PGlite is one
 * connection, and its notifications do not cross its socket; there the feed is in process only.
 * With `credentials`, it also keeps that cache true to the database: users named on the credentials
 * channel are forgotten, and while the connection is down the cache is off.
 */
export async function listenForChanges(
  orm: MikroORM,
  options: { feed?: ChangeFeed; credentials?: CredentialCache } = {},
): Promise<{ close(): Promise<void> }> {
  const feed = options.feed ?? changeFeed;
  const credentials = options.credentials;
  credentials?.setEnabled(false);
  const connectionString = orm.config.get('clientUrl');
  let closed = false;
  let current: pg.Client | null = null;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const connection = new pg.Client({ connectionString });
    await connection.connect();
    connection.on('notification', (message) => {
      if (message.channel === CHANGE_CHANNEL && message.payload) feed.publish(message.payload);
      if (message.channel === CREDENTIALS_CHANNEL && message.payload) credentials?.forgetUser(message.payload);
    });
    const reconnect = () => {
      if (closed || current !== connection) return;
      current = null;
      credentials?.setEnabled(false);
      connection.end().catch(() => {});
      retry = setTimeout(() => void connect().catch(reconnectLater), 1_000);
    };
    connection.on('error', reconnect);
    connection.on('end', reconnect);
    try {
      await connection.query(`listen ${CHANGE_CHANNEL}`);
      if (credentials) await connection.query(`listen ${CREDENTIALS_CHANNEL}`);
    } catch (error) {
      await connection.end().catch(() => {});
      throw error;
    }
    current = connection;
    if (closed) await connection.end();
    else credentials?.setEnabled(true);
  };
  // While the listener is down, subscriptions still see every event at their fallback poll.
  const reconnectLater = (error: unknown) => {
    if (closed) return;
    console.error('Change listener: reconnecting after', error instanceof Error ? error.message : error);
    retry = setTimeout(() => void connect().catch(reconnectLater), 5_000);
  };

  await connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      credentials?.setEnabled(false);
      const connection = current;
      current = null;
      await connection?.end().catch(() => {});
    },
  };
}
