import { createMiddleware } from 'hono/factory';
import { authenticate, missingScope, type ApiTokenScope, type Authenticated, type CredentialCache } from '@chatsynth/api';
import type { EntityManager, MikroORM } from '@chatsynth/db';
import { apiError } from '../http-error';

export type AuthenticatedEnv = { Variables: { auth: Authenticated; em: EntityManager } };

/**
 * The one way a plain HTTP route (uploads, exports) learns its caller: the session cookie or Bearer
 * token read exactly as tRPC's context reads it, through the same credential cache, else 401 in the one
 * error shape. An API token must also hold `scope` (tRPC's rule, from the same place), else 403, before
 * the route reads a byte of the body. The route gets a fresh EntityManager fork beside the caller.
 */
export function requireCaller(deps: { orm: MikroORM; credentialCache?: CredentialCache }, scope: ApiTokenScope) {
  return createMiddleware<AuthenticatedEnv>(async (c, next) => {
    const em = deps.orm.em.fork();
    const auth = await authenticate(em, c.req.raw.headers, deps.credentialCache);
    if (!auth) throw apiError(401, 'UNAUTHORIZED', 'Sign in to continue.');
    const refusal = missingScope(auth.credential, [scope]);
    if (refusal) throw apiError(403, 'FORBIDDEN', refusal);
    // Authentication used the fork for its own reads; the route starts from a clean identity map.
    em.clear();
    c.set('auth', auth);
    c.set('em', em);
    await next();
  });
}
