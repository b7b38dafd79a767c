import type { EntityManager, MikroORM } from '@chatsynth/db';
import {
  type AuthUser,
  readRequestToken,
  serializeBlankSessionCookie,
  serializeSessionCookie,
  validateApiToken,
  validateSessionToken,
} from '@chatsynth/auth';
import type { ApiTokenScope } from './schemas/api-token-scopes';
import type { Authenticated, CredentialCache } from './services/credential-cache';
import { createMemoryRateLimiter, type RateLimiter } from './services/rate-limit';

/** How the caller proved who they are; a session may do everything, an API token what its scopes allow. */
export type Credential =
  | { kind: 'session'; sessionId: string }
  | { kind: 'apiToken'; tokenId: string; scopes: readonly ApiTokenScope[] };

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
  /** The server's cache of recent callers, which a mutation must update (credential-cache.ts). */
  credentialCache: CredentialCache | null;
};

const noopResponse: ResponseHeaders = { setSessionCookie() {}, clearSessionCookie() {}, set() {} };
// Without a limiter of the server's (createApp's tests, scripts): this process's memory.
const processRateLimiter = createMemoryRateLimiter();

/** The context without HTTP: tests build it directly and call `createCaller`. */
export function createContextInner(opts: {
  em: EntityManager;
  user?: AuthUser | null;
  credential?: Credential | null;
  response?: ResponseHeaders;
  meta?: Partial<RequestMeta>;
  rateLimiter?: RateLimiter;
  credentialCache?: CredentialCache | null;
}): ContextInner {
  return {
    em: opts.em,
    user: opts.user ?? null,
    credential: opts.credential ?? null,
    response: opts.response ?? noopResponse,
    meta: { ip: opts.meta?.ip ?? null, userAgent: opts.meta?.userAgent ?? null },
    rateLimiter: opts.rateLimiter ?? processRateLimiter,
    credentialCache: opts.credentialCache ?? null,
  };
}

/** Builds the context of one HTTP request: a fresh EntityManager fork and the caller from cookie or Bearer token. */
export async function createContext(opts: {
  orm: MikroORM;
  req: Request;
  resHeaders: Headers;
  ip?: string | null;
  rateLimiter?: RateLimiter;
  credentialCache?: CredentialCache | null;
}): Promise<ContextInner> {
  const em = opts.orm.em.fork();
  const requestUrl = opts.req.url;
  const response: ResponseHeaders = {
    setSessionCookie: (token, expiresAt) =>
      opts.resHeaders.append('set-cookie', serializeSessionCookie(token, expiresAt, requestUrl)),
    clearSessionCookie: () => opts.resHeaders.append('set-cookie', serializeBlankSessionCookie(requestUrl)),
    set: (name, value) => opts.resHeaders.set(name, value),
  };
  const auth = await authenticate(em, opts.req.headers, opts.credentialCache);
  // Authentication used the fork for its own reads; procedures start from a clean identity map.
  em.clear();
  return createContextInner({
    em,
    user: auth?.user ?? null,
    credential: auth?.credential ?? null,
    response,
    meta: { ip: opts.ip ?? null, userAgent: opts.req.headers.get('user-agent') },
    rateLimiter: opts.rateLimiter,
    credentialCache: opts.credentialCache,
  });
}

/**
 * The caller behind a request's cookie or `Authorization: Bearer` token, or null. With a cache, a
 * caller seen in the last few seconds is not read again.
 */
export async function authenticate(
  em: EntityManager,
  headers: Headers,
  cache?: CredentialCache | null,
): Promise<Authenticated | null> {
  const token = readRequestToken(headers);
  if (!token) return null;
  const cached = cache?.get(token);
  if (cached) return cached;
  const stamp = cache?.stamp();
  let found: { auth: Authenticated; expiresAt: Date | null } | null = null;
  if (token.startsWith('csk_')) {
    const valid = await validateApiToken(em, token);
    if (valid) {
      const credential: Credential = { kind: 'apiToken', tokenId: valid.tokenId, scopes: valid.scopes };
      found = { auth: { user: valid.user, credential }, expiresAt: valid.expiresAt };
    }
  } else {
    const valid = await validateSessionToken(em, token);
    if (valid) {
      const credential: Credential = { kind: 'session', sessionId: valid.session.id };
      found = { auth: { user: valid.user, credential }, expiresAt: valid.session.expiresAt };
    }
  }
  if (found && cache && stamp !== undefined) cache.set(token, found.auth, found.expiresAt, stamp);
  return found?.auth ?? null;
}
