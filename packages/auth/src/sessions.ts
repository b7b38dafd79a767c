import { Session, query, type EntityManager } from '@chatsynth/db';
import { OWNER_COLUMNS, ownerOf, type AuthUser } from './token-owner';
import { issueToken, parseToken, secretMatches } from './token';

const DAY = 24 * 60 * 60 * 1000;
/** Sliding idle timeout: a session unused this long ends (OWASP ASVS 3.3). */
export const SESSION_IDLE_TIMEOUT_MS = 30 * DAY;
/** Absolute lifetime: a session ends this long after sign-in however much it is used. */
export const SESSION_ABSOLUTE_LIFETIME_MS = 90 * DAY;
/**
 * Sessions one user keeps: signing in ends the least recently used beyond these, so the list stays
 * bounded however often a script signs in, and a session in daily use is never the one to go.
 */
export const MAX_SESSIONS_PER_USER = 100;
/** Sliding refresh is written at most this often, so reads do not turn into writes. */
const REFRESH_INTERVAL_MS = 60 * 60 * 1000;

export type SessionMeta = { userAgent?: string | null; ip?: string | null };
export type SessionInfo = { id: string; userId: string; createdAt: Date; lastVerifiedAt: Date; expiresAt: Date };

export function sessionExpiresAt(session: { createdAt: Date; lastVerifiedAt: Date }): Date {
  return new Date(
    Math.min(
      session.lastVerifiedAt.getTime() + SESSION_IDLE_TIMEOUT_MS,
      session.createdAt.getTime() + SESSION_ABSOLUTE_LIFETIME_MS,
    ),
  );
}

/**
 * A new session at every sign-in, ending the user's least recently used ones past
 * MAX_SESSIONS_PER_USER; returns the token, shown to the caller once.
 */
export async function createSession(em: EntityManager, userId: string, meta: SessionMeta = {}) {
  const issued = issueToken();
  const now = new Date();
  const session = em.create(Session, {
    id: issued.id,
    user: userId,
    secretHash: issued.secretHash,
    createdAt: now,
    lastVerifiedAt: now,
    userAgent: meta.userAgent?.slice(0, 512) ?? null,
    ip: meta.ip?.slice(0, 64) ?? null,
  });
  await em.flush();
  // Ids are UUIDv7: the newest session wins a tie of last use, so the one just made always stays.
  await query(em)
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .where('id', 'not in', (eb) =>
      eb
        .selectFrom('sessions')
        .select('id')
        .where('user_id', '=', userId)
        .orderBy('last_verified_at', 'desc')
        .orderBy('id', 'desc')
        .limit(MAX_SESSIONS_PER_USER),
    )
    .execute();
  return { token: issued.token, session: toSessionInfo(session, userId) };
}

function toSessionInfo(session: { id: string; createdAt: Date; lastVerifiedAt: Date }, userId: string): SessionInfo {
  return {
    id: session.id,
    userId,
    createdAt: session.createdAt,
    lastVerifiedAt: session.lastVerifiedAt,
    expiresAt: sessionExpiresAt(session),
  };
}

/**
 * Returns the session and its user, or null for a missing, forged or expired token (expired ones are
 * deleted).
 */
export async function validateSessionToken(
  em: EntityManager,
  token: string,
): Promise<{ session: SessionInfo; user: AuthUser } | null> {
  const parsed = parseToken(token);
  if (!parsed || parsed.kind !== 'session') return null;
  const row = await query(em)
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.secret_hash', 's.created_at', 's.last_verified_at', ...OWNER_COLUMNS])
    .where('s.id', '=', parsed.id)
    .executeTakeFirst();
  if (!row || !secretMatches(parsed.secret, row.secret_hash)) return null;
  const session = { id: parsed.id, createdAt: row.created_at, lastVerifiedAt: row.last_verified_at };
  const now = Date.now();
  if (now >= sessionExpiresAt(session).getTime()) {
    await em.nativeDelete(Session, { id: session.id });
    return null;
  }
  if (now - session.lastVerifiedAt.getTime() >= REFRESH_INTERVAL_MS) {
    session.lastVerifiedAt = new Date(now);
    await em.nativeUpdate(Session, { id: session.id }, { lastVerifiedAt: session.lastVerifiedAt });
  }
  return { session: toSessionInfo(session, row.ownerId), user: ownerOf(row) };
}

export async function invalidateSession(em: EntityManager, sessionId: string): Promise<void> {
  await em.nativeDelete(Session, { id: sessionId });
}

/** Ends every session of the user except `keepSessionId` (after a password change). */
export async function invalidateOtherSessions(em: EntityManager, userId: string, keepSessionId?: string): Promise<void> {
  await em.nativeDelete(Session, keepSessionId ? { user: userId, id: { $ne: keepSessionId } } : { user: userId });
}

export async function listSessions(em: EntityManager, userId: string) {
  const sessions = await em.find(Session, { user: userId }, { orderBy: { lastVerifiedAt: 'desc', id: 'desc' }, limit: MAX_SESSIONS_PER_USER });
  return sessions
    .filter((s) => sessionExpiresAt(s).getTime() > Date.now())
    .map((s) => ({ ...toSessionInfo(s, userId), userAgent: s.userAgent ?? null, ip: s.ip ?? null }));
}

