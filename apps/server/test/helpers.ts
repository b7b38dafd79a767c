import superjson from 'superjson';
import { appRouter, authenticate, createCallerFactory, createContextInner, type ContextInner } from '@chatsynth/api';
import type { MikroORM } from '@chatsynth/db';
import type { createApp } from '../src/app';

export const ORIGIN = 'http://localhost:3000';

/** Written out: an inferred caller type names files inside @chatsynth/api (TS2742). */
export type Caller = ReturnType<typeof appRouter.createCaller>;
const createCaller: (ctx: ContextInner) => Caller = createCallerFactory(appRouter);

/** Signs up through the app's own /trpc route, as the web app does; the session token. */
export async function signUpThrough(app: ReturnType<typeof createApp>, username: string): Promise<string> {
  const res = await app.request(`${ORIGIN}/trpc/auth.signUp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(superjson.serialize({ username, email: `${username}@example.com`, password: 'correct horse battery' })),
  });
  return superjson.deserialize<{ token: string }>(((await res.json()) as { result: { data: never } }).result.data).token;
}

/** A tRPC caller authenticated by `token`, as a request carrying it would be. */
export async function callerFor(orm: MikroORM, token: string): Promise<Caller> {
  const em = orm.em.fork();
  const auth = await authenticate(em, new Headers({ authorization: `Bearer ${token}` }));
  return createCaller(createContextInner({ em, user: auth!.user, credential: auth!.credential }));
}
