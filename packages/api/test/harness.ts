import { TRPCError } from '@trpc/server';
import { authenticate, appRouter, createCallerFactory, createContextInner, createRateLimiter, rateLimitStoreFor } from '../src';
import { createTestDatabase } from '@chatsynth/db/testing';
import type { TestDatabaseKind } from '@chatsynth/db/testing';

const createCaller = createCallerFactory(appRouter);
export type Caller = ReturnType<typeof createCaller>;

/**
 * A migrated test database and callers that behave like HTTP requests: every call gets a fresh
 * EntityManager fork and authenticates from the token, exactly as the server's createContext does.
 */
export async function createHarness(kind: TestDatabaseKind = 'env') {
  const db = await createTestDatabase(kind);
  // The server's own choice: the rate_limits table on a real PostgreSQL, memory on the embedded one.
  const rateLimiter = await createRateLimiter(rateLimitStoreFor(db));
  const headers = { set: new Map<string, string>() };

  function callerWith(token: string | null, ip = '127.0.0.1'): Caller {
    return createCaller(async () => {
      const em = db.orm.em.fork();
      const auth = token ? await authenticate(em, new Headers({ authorization: `Bearer ${token}` })) : null;
      em.clear();
      return createContextInner({
        em,
        user: auth?.user ?? null,
        credential: auth?.credential ?? null,
        meta: { ip, userAgent: 'vitest' },
        rateLimiter,
        response: {
          setSessionCookie: () => {},
          clearSessionCookie: () => {},
          set: (name, value) => headers.set.set(name, value),
        },
      });
    });
  }

  let counter = 0;
  async function signUp(name = `user${++counter}`) {
    const result = await callerWith(null).auth.signUp({
      username: name,
      email: `${name}@example.com`,
      password: 'correct horse battery',
    });
    return { ...result, caller: callerWith(result.token) };
  }

  return { db, callerWith, anonymous: callerWith(null), signUp, responseHeaders: headers.set, close: () => db.close() };
}

export type Harness = Awaited<ReturnType<typeof createHarness>>;

export const sampleContent = (n = 2, offset = 0) => ({
  messages: Array.from({ length: n }, (_, i) => ({
    role: i % 2 === 0 ? ('user' as const) : ('assistant' as const),
    content: `Message ${i + offset}: ${i % 2 === 0 ? 'How do ferries work?' : 'Ferries carry people across water.'}`,
    createdAt: new Date(Date.UTC(2024, 0, 1, 12, i + offset)).toISOString(),
  })),
});

/** The tRPC error code a call ends with, or 'OK'. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
  return 'OK';
}
