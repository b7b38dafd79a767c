import { ApiToken, query, type EntityManager } from '@chatsynth/db';
import { OWNER_COLUMNS, ownerOf, type AuthUser } from './token-owner';
import { API_TOKEN_PREFIX, issueToken, parseToken, secretMatches } from './token';

/** last_used_at is written at most this often. */
const TOUCH_INTERVAL_MS = 60 * 1000;

/** Creates a personal API token; the returned token is shown once and never stored. */
export async function createApiToken(em: EntityManager, userId: string, name: string, expiresAt: Date | null) {
  const issued = issueToken(API_TOKEN_PREFIX);
  const apiToken = em.create(ApiToken, {
    id: issued.id,
    user: userId,
    name,
    secretHash: issued.secretHash,
    expiresAt,
  });
  await em.flush();
  return { token: issued.token, apiToken };
}

/** The token's id and user, or null for a missing, forged, revoked or expired token. */
export async function validateApiToken(em: EntityManager, token: string): Promise<{ tokenId: string; user: AuthUser; expiresAt: Date | null } | null> {
  const parsed = parseToken(token);
  if (!parsed || parsed.kind !== 'apiToken') return null;
  const row = await query(em)
    .selectFrom('ApiToken as t')
    .innerJoin('User as u', 'u.id', 't.user')
    .select(['t.secretHash', 't.revokedAt', 't.expiresAt', 't.lastUsedAt', ...OWNER_COLUMNS])
    .where('t.id', '=', parsed.id)
    .executeTakeFirst();
  if (!row || !secretMatches(parsed.secret, row.secretHash)) return null;
  const now = Date.now();
  if (row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= now)) return null;
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) {
    await em.nativeUpdate(ApiToken, { id: parsed.id }, { lastUsedAt: new Date(now) });
  }
  return { tokenId: parsed.id, user: ownerOf(row), expiresAt: row.expiresAt };
}
