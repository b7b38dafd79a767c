import { TRPCError } from '@trpc/server';

/**
 * Fixed-window counters in process memory: enough to slow password guessing against one server.
 * (Several instances each keep their own window; a shared store can replace this behind the same interface.)
 */
export type RateLimiter = {
  /** Counts one hit on `key`; throws TOO_MANY_REQUESTS with the seconds to wait once over `limit`. */
  hit(key: string, limit: number, windowMs: number): { retryAfterSeconds: number } | null;
  reset(key: string): void;
};

export function createRateLimiter(now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, { count: number; resetAt: number }>();
  return {
    hit(key, limit, windowMs) {
      const time = now();
      if (windows.size > 100_000) {
        for (const [k, w] of windows) if (w.resetAt <= time) windows.delete(k);
      }
      let window = windows.get(key);
      if (!window || window.resetAt <= time) {
        window = { count: 0, resetAt: time + windowMs };
        windows.set(key, window);
      }
      window.count += 1;
      return window.count > limit ? { retryAfterSeconds: Math.ceil((window.resetAt - time) / 1000) } : null;
    },
    reset(key) {
      windows.delete(key);
    },
  };
}

export function tooManyRequests(retryAfterSeconds: number, setHeader: (name: string, value: string) => void): never {
  setHeader('Retry-After', String(retryAfterSeconds));
  throw new TRPCError({
    code: 'TOO_MANY_REQUESTS',
    message: `Too many attempts. Try again in ${retryAfterSeconds} seconds.`,
  });
}
