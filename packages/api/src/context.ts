import type { EntityManager, MikroORM } from '@chatsynth/db';
import {
  type AuthUser,
  readRequestToken,
  serializeBlankSessionCookie,
  serializeSessionCookie,
  validateApiToken,
  validateSessionToken,
} from '@chatsynth/auth';
import { createRateLimiter, type RateLimiter } from './services/rate-limit';

/** How the caller proved who they are. */
export type Credential = { kind: 'session'; sessionId: string } | { kind: 'apiToken'; tokenId: string };

/** Where procedures send cookies and headers; the HTTP layer writes them to the response. */
export type ResponseHeaders = {
  setSessionCookie(token: string, expiresAt: Date): void;
  clearSessionCookie(): void;
  set(name: string, value: string): void;
};

export type RequestMeta = { ip: string | null; userAgent: string | null };

export type ContextInner = {
  em: EntityManager;
  user: AuthUser | null;
  credential: Credential | null;
  response: ResponseHeaders;
  meta: RequestMeta;
  rateLimiter: RateLimiter;
};

const noopResponse: ResponseHeaders = { setSessionCookie() {}, clearSessionCookie() {}, set() {} };
const sharedRateLimiter = createRateLimiter();

/** The context without HTTP: tests build it directly and call `createCaller`. */
export function createContextInner(opts: {
  em: EntityManager;
  user?: AuthUser | null;
  credential?: Credential | null;
  response?: ResponseHeaders;
  meta?: Partial<RequestMeta>;
  rateLimiter?: RateLimiter;
}): ContextInner {
  return {
    em: opts.em,
    user: opts.user ?? null,
    credential: opts.credential ?? null,
    response: opts.response ?? noopResponse,
    meta: { ip: opts.meta?.ip ?? null, userAgent: opts.meta?.userAgent ?? null },
    rateLimiter: opts.rateLimiter ?? sharedRateLimiter,
  };
}

/** Builds the context of one HTTP request: a fresh EntityManager fork and the caller from cookie or Bearer token. */
export async function createContext(opts: {
  orm: MikroORM;
  req: Request;
  resHeaders: Headers;
  ip?: string | null;
  rateLimiter?: RateLimiter;
}): Promise<ContextInner> {
  const em = opts.orm.em.fork();
  const requestUrl = opts.req.url;
  const response: ResponseHeaders = {
    setSessionCookie: (token, expiresAt) =>
      opts.resHeaders.append('set-cookie', serializeSessionCookie(token, expiresAt, requestUrl)),
    clearSessionCookie: () => opts.resHeaders.append('set-cookie', serializeBlankSessionCookie(requestUrl)),
    set: (name, value) => opts.resHeaders.set(name, value),
  };
  const auth = await authenticate(em, opts.req.headers);
  // Authentication used the fork for its own reads; procedures start from a clean identity map.
  em.clear();
  return createContextInner({
    em,
    user: auth?.user ?? null,
    credential: auth?.credential ?? null,
    response,
    meta: { ip: opts.ip ?? null, userAgent: opts.req.headers.get('user-agent') },
    rateLimiter: opts.rateLimiter,
  });
}

/** The caller behind a request's cookie or `Authorization: Bearer` token, or null. */
export async function authenticate(
  em: EntityManager,
  headers: Headers,
): Promise<{ user: AuthUser; credential: Credential } | null> {
  const token = readRequestToken(headers);
  if (!token) return null;
  if (token.startsWith('csk_')) {
    const valid = await validateApiToken(em, token);
    return valid ? { user: valid.user, credential: { kind: 'apiToken', tokenId: valid.tokenId } } : null;
  }
  const valid = await validateSessionToken(em, token);
  return valid ? { user: valid.user, credential: { kind: 'session', sessionId: valid.session.id } } : null;
}
