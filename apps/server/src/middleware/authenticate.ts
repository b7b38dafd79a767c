import { createMiddleware } from 'hono/factory';
import { authenticate, type Authenticated, type CredentialCache } from '@chatsynth/api';
import type { EntityManager, MikroORM } from '@chatsynth/db';
import { apiError } from '../http-error';

export type AuthenticatedEnv = { Variables: { auth: Authenticated; em: EntityManager } };

/**
 * The one way a plain HTTP route (uploads, exports) learns its caller: the session cookie or Bearer
 * token read exactly as tRPC's context reads it, through the same credential cache, else 401 in the one
 * error shape. The route gets a fresh EntityManager fork beside the caller.
 */
export function requireCaller(deps: { orm: MikroORM; credentialCache?: CredentialCache }) {
  return createMiddleware<AuthenticatedEnv>(async (c, next) => {
    const em = deps.orm.em.fork();
    const auth = await authenticate(em, c.req.raw.headers, deps.credentialCache);
    if (!auth) throw apiError(401, 'UNAUTHORIZED', 'Sign in to continue.');
    // Authentication used the fork for its own reads; the route starts from a clean identity map.
    em.clear();
    c.set('auth', auth);
    c.set('em', em);
    await next();
  });
}
