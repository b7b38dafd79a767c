import { ApiToken, type EntityManager, type IUser } from '@chatsynth/db';
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

export async function validateApiToken(em: EntityManager, token: string): Promise<{ tokenId: string; user: IUser } | null> {
  const parsed = parseToken(token);
  if (!parsed || parsed.kind !== 'apiToken') return null;
  const apiToken = await em.findOne(ApiToken, { id: parsed.id }, { populate: ['user'] });
  if (!apiToken || !secretMatches(parsed.secret, apiToken.secretHash)) return null;
  const now = Date.now();
  if (apiToken.revokedAt || (apiToken.expiresAt && apiToken.expiresAt.getTime() <= now)) return null;
  if (!apiToken.lastUsedAt || now - apiToken.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) {
    apiToken.lastUsedAt = new Date(now);
    await em.flush();
  }
  return { tokenId: apiToken.id, user: apiToken.user };
}
