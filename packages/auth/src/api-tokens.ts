import { ApiToken, User, type EntityManager, type IUser } from '@chatsynth/db';
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

/** The token's id and user, or null for a missing, forged, revoked or expired token; one plain query, as for sessions. */
export async function validateApiToken(em: EntityManager, token: string): Promise<{ tokenId: string; user: IUser } | null> {
  const parsed = parseToken(token);
  if (!parsed || parsed.kind !== 'apiToken') return null;
  const { rows } = (await em
    .getConnection()
    .getKnex()
    .raw(
      `select t.secret_hash, t.revoked_at, t.expires_at, t.last_used_at,
              u.id, u.username, u.email, u.display_name, u.created_at, u.updated_at
       from api_tokens t join users u on u.id = t.user_id
       where t.id = ?`,
      [parsed.id],
    )) as { rows: ApiTokenRow[] };
  const row = rows[0];
  if (!row || !secretMatches(parsed.secret, row.secret_hash)) return null;
  const now = Date.now();
  if (row.revoked_at || (row.expires_at && new Date(row.expires_at).getTime() <= now)) return null;
  if (!row.last_used_at || now - new Date(row.last_used_at).getTime() >= TOUCH_INTERVAL_MS) {
    await em.nativeUpdate(ApiToken, { id: parsed.id }, { lastUsedAt: new Date(now) });
  }
  const { secret_hash: _hash, revoked_at: _revoked, expires_at: _expires, last_used_at: _used, ...userColumns } = row;
  return { tokenId: parsed.id, user: em.map(User, userColumns) };
}

type ApiTokenRow = {
  secret_hash: Uint8Array;
  revoked_at: Date | string | null;
  expires_at: Date | string | null;
  last_used_at: Date | string | null;
  id: string;
  username: string;
  email: string;
  display_name: string | null;
  created_at: Date | string;
  updated_at: Date | string;
};
