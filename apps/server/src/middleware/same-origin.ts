import type { MiddlewareHandler } from 'hono';
import { errorResponse } from '../http-error';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Cookie-authenticated writes must come from this origin. SameSite=Lax already keeps the cookie off
 * cross-site POSTs; this refuses them outright when the browser says where they came from. Requests with
 * a Bearer token (services, the CLI) carry no ambient credentials and are not checked.
 */
export const sameOriginWrites: MiddlewareHandler = async (c, next) => {
  if (UNSAFE.has(c.req.method) && !c.req.header('authorization')) {
    const origin = c.req.header('origin');
    if (origin && origin !== new URL(c.req.url).origin) {
      return errorResponse(403, 'FORBIDDEN', 'Cross-origin request refused.');
    }
  }
  await next();
};
