import { createMiddleware } from 'hono/factory';
import { apiError } from '../http-error';
import type { AuthenticatedEnv } from './authenticate';

/** Seconds a user with too many uploads under way is asked to wait before the next. */
const RETRY_AFTER_SECONDS = 10;

/**
 * At most `max` requests of one user at once through this route (after requireCaller), in this process:
 * each upload holds a connection and a file being written for as long as it takes to arrive. One more
 * is TOO_MANY_REQUESTS, its body left unread.
 */
export function uploadSlots(max: number) {
  const inUse = new Map<string, number>();
  return createMiddleware<AuthenticatedEnv>(async (c, next) => {
    const userId = c.var.auth.user.id;
    const current = inUse.get(userId) ?? 0;
    if (current >= max) {
      await c.req.raw.body?.cancel().catch(() => {});
      throw apiError(
        429,
        'TOO_MANY_REQUESTS',
        `You are already uploading ${current} files, as many as one account may at once. Try again when one has finished.`,
        { 'retry-after': String(RETRY_AFTER_SECONDS), connection: 'close' },
      );
    }
    inUse.set(userId, current + 1);
    try {
      await next();
    } finally {
      const left = (inUse.get(userId) ?? 1) - 1;
      if (left > 0) inUse.set(userId, left);
      else inUse.delete(userId);
    }
  });
}
