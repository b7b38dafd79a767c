import { ApiToken, query, type ApiTokenScope, type EntityManager } from '@chatsynth/db';
import { OWNER_COLUMNS, ownerOf, type AuthUser } from './token-owner';
import { API_TOKEN_PREFIX, issueToken, parseToken, secretMatches } from './token';

/** last_used_at is written at most this often. */
const TOUCH_INTERVAL_MS = 60 * 1000;

/** Creates a personal API token; the returned token is shown once and never stored. */
export async function createApiToken(
  em: EntityManager,
  userId: string,
  name: string,
  expiresAt: Date | null,
  scopes: readonly ApiTokenScope[],
) {
  const issued = issueToken(API_TOKEN_PREFIX);
  const apiToken = em.create(ApiToken, {
    id: issued.id,
    user: userId,
    name,
    secretHash: issued.secretHash,
    expiresAt,
    scopes: [...scopes],
  });
  await em.flush();
  return { token: issued.token, apiToken };
}

export type ValidApiToken = { tokenId: string; user: AuthUser; scopes: readonly ApiTokenScope[]; expiresAt: Date | null };

/** The token's id, user and scopes, or null for a missing, forged, revoked or expired token. */
export async function validateApiToken(em: EntityManager, token: string): Promise<ValidApiToken | null> {
  const parsed = parseToken(token);
  if (!parsed || parsed.kind !== 'apiToken') return null;
  const row = await query(em)
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.secret_hash', 't.revoked_at', 't.expires_at', 't.last_used_at', 't.scopes', ...OWNER_COLUMNS])
    .where('t.id', '=', parsed.id)
    .executeTakeFirst();
  if (!row || !secretMatches(parsed.secret, row.secret_hash)) return null;
  const now = Date.now();
  if (row.revoked_at || (row.expires_at && row.expires_at.getTime() <= now)) return null;
  if (!row.last_used_at || now - row.last_used_at.getTime() >= TOUCH_INTERVAL_MS) {
    await em.nativeUpdate(ApiToken, { id: parsed.id }, { lastUsedAt: new Date(now) });
  }
  return { tokenId: parsed.id, user: ownerOf(row), scopes: Object.freeze(row.scopes), expiresAt: row.expires_at };
}
