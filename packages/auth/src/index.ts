export { hashPassword, verifyPassword, verifyAgainstDummy } from './password';
export { API_TOKEN_PREFIX, parseToken, issueToken, hashSecret, type ParsedToken } from './token';
export {
  SESSION_ABSOLUTE_LIFETIME_MS,
  SESSION_IDLE_TIMEOUT_MS,
  MAX_SESSIONS_PER_USER,
  createSession,
  invalidateOtherSessions,
  invalidateSession,
  listSessions,
  sessionExpiresAt,
  validateSessionToken,
  type SessionInfo,
  type SessionMeta,
} from './sessions';
export { createApiToken, validateApiToken, type ValidApiToken } from './api-tokens';
export type { AuthUser } from './token-owner';
export {
  SECURE_SESSION_COOKIE,
  SESSION_COOKIE,
  isLocalhost,
  readRequestToken,
  serializeBlankSessionCookie,
  serializeSessionCookie,
} from './cookies';
