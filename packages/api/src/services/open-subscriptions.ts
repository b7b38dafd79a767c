import { TRPCError } from '@trpc/server';

/**
 * Subscriptions (events.onChange and imports.onProgress together) one user may hold open at once on
 * one server process. Each is a held connection and a loop reading the database; a browser tab needs
 * one or two, so 16 leaves room for many tabs and a few scripts while one account cannot hold hundreds.
 */
export const MAX_OPEN_SUBSCRIPTIONS = 16;

/** What a refused client is told to wait before trying again (a slot frees when any stream ends). */
const RETRY_AFTER_SECONDS = 5;

/** Counts each user's open subscriptions in this process. */
export class OpenSubscriptions {
  private readonly open = new Map<string, number>();

  constructor(readonly limit = MAX_OPEN_SUBSCRIPTIONS) {}

  count(userId: string): number {
    return this.open.get(userId) ?? 0;
  }

  /**
   * Takes one of the user's slots, or refuses with TOO_MANY_REQUESTS and Retry-After. The slot is
   * given back once, by the returned function or when `signal` aborts (the client went away), whichever
   * comes first.
   */
  take(userId: string, signal: AbortSignal | undefined, setHeader: (name: string, value: string) => void): () => void {
    if (this.count(userId) >= this.limit) {
      setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      throw new TRPCError({
        code: 'TOO_MANY_REQUESTS',
        message: `Too many live connections: at most ${this.limit} subscriptions may be open at once for one account on this server. Close one (another tab or script) and try again.`,
      });
    }
    this.open.set(userId, this.count(userId) + 1);
    let given = false;
    const giveBack = () => {
      if (given) return;
      given = true;
      signal?.removeEventListener('abort', giveBack);
      const left = this.count(userId) - 1;
      if (left > 0) this.open.set(userId, left);
      else this.open.delete(userId);
    };
    signal?.addEventListener('abort', giveBack, { once: true });
    return giveBack;
  }
}

/** This process's count. */
export const openSubscriptions = new OpenSubscriptions();

/**
 * A subscription's stream holding a slot: `start` runs at once (a refusal or a bad input is the
 * procedure's error), and the slot is given back when the stream ends, however it ends.
 */
export async function withSubscriptionSlot<T>(
  ctx: { user: { id: string }; response: { set(name: string, value: string): void } },
  signal: AbortSignal | undefined,
  start: () => Promise<AsyncGenerator<T, void>>,
): Promise<AsyncGenerator<T, void>> {
  const giveBack = openSubscriptions.take(ctx.user.id, signal, (name, value) => ctx.response.set(name, value));
  let stream: AsyncGenerator<T, void>;
  try {
    stream = await start();
  } catch (error) {
    giveBack();
    throw error;
  }
  return (async function* () {
    try {
      yield* stream;
    } finally {
      giveBack();
    }
  })();
}
