import { ApiToken, type EntityManager } from '@chatsynth/db';
import { createApiToken } from '@chatsynth/auth';
import type { z } from 'zod';
import type { createApiTokenInput } from '../schemas/auth';
import { notFound } from './errors';

type Ctx = { em: EntityManager; userId: string };
const DAY = 24 * 60 * 60 * 1000;

export async function create(ctx: Ctx, input: z.infer<typeof createApiTokenInput>) {
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * DAY) : null;
  const { token, apiToken } = await createApiToken(ctx.em, ctx.userId, input.name, expiresAt);
  return { id: apiToken.id, name: apiToken.name, token, expiresAt };
}

export async function list(ctx: Ctx) {
  const tokens = await ctx.em.find(ApiToken, { user: ctx.userId }, { orderBy: { createdAt: 'desc' } });
  return tokens.map((t) => ({
    id: t.id,
    name: t.name,
    createdAt: t.createdAt,
    lastUsedAt: t.lastUsedAt ?? null,
    expiresAt: t.expiresAt ?? null,
    revokedAt: t.revokedAt ?? null,
  }));
}

export async function revoke(ctx: Ctx, id: string) {
  const affected = await ctx.em.nativeUpdate(
    ApiToken,
    { id, user: ctx.userId, revokedAt: null },
    { revokedAt: new Date() },
  );
  if (!affected && !(await ctx.em.count(ApiToken, { id, user: ctx.userId }))) throw notFound('API token');
  return { ok: true as const };
}
