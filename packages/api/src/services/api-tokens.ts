import { ApiToken, query, type EntityManager } from '@chatsynth/db';
import { createApiToken } from '@chatsynth/auth';
import { TRPCError } from '@trpc/server';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { ApiTokenScope } from '../schemas/api-token-scopes';
import type { createApiTokenInput, listApiTokensInput } from '../schemas/auth';
import { notFound } from './errors';
import { countAll } from './scope';

type Ctx = { em: EntityManager; userId: string };
const DAY = 24 * 60 * 60 * 1000;

/**
 * Tokens one user may hold at once, not revoked and not expired: enough for every service and
 * machine a person runs, and a bound on what a leaked session can mint. Waiting does not help, so
 * one more is BAD_REQUEST, not TOO_MANY_REQUESTS.
 */
export const MAX_ACTIVE_API_TOKENS = 100;

/**
 * A new token for the caller. `grantable` is what the caller may do (a session: everything): a token
 * making another gives it no scope it lacks itself.
 */
export async function create(ctx: Ctx & { grantable: readonly ApiTokenScope[] }, input: z.infer<typeof createApiTokenInput>) {
  const beyond = input.scopes.filter((scope) => !ctx.grantable.includes(scope));
  if (beyond.length) {
    const them = beyond.length > 1 ? 'them' : 'it';
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: `This API token lacks the ${beyond.join(' and ')} scope${beyond.length > 1 ? 's' : ''}, so it cannot give ${them} to a new token.`,
    });
  }
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * DAY) : null;
  const { token, apiToken } = await ctx.em.transactional(async (tx) => {
    // The user's row lock makes concurrent creates take turns, so the count below (a statement of its
    // own, with a fresh snapshot) sees every token committed before it; NO KEY keeps sign-ins and
    // other inserts that reference the user from waiting.
    await query(tx).selectFrom('users').select('id').where('id', '=', ctx.userId).forNoKeyUpdate().execute();
    const active = await query(tx)
      .selectFrom('api_tokens')
      .select(countAll.as('n'))
      .where('user_id', '=', ctx.userId)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', sql<Date>`now()`)]))
      .executeTakeFirstOrThrow();
    if (active.n >= MAX_ACTIVE_API_TOKENS) {
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: `You have ${MAX_ACTIVE_API_TOKENS} active API tokens, the most one account holds: revoke one first.`,
      });
    }
    return createApiToken(tx, ctx.userId, input.name, expiresAt, input.scopes);
  });
  // The entity's id type is the ORM's (`Opt<string>`); the API gives a plain string.
  const id: string = apiToken.id;
  return { id, name: apiToken.name, token, expiresAt, scopes: input.scopes };
}

/** A page of the caller's tokens, newest first (ids are UUIDv7), revoked and expired ones included. */
export async function list(ctx: Ctx, input: z.infer<typeof listApiTokensInput>) {
  let tokens = query(ctx.em)
    .selectFrom('api_tokens')
    .select(['id', 'name', 'scopes', 'created_at as createdAt', 'last_used_at as lastUsedAt', 'expires_at as expiresAt', 'revoked_at as revokedAt'])
    .where('user_id', '=', ctx.userId);
  if (input.cursor) tokens = tokens.where('id', '<', input.cursor.id);
  return tokens.orderBy('id', 'desc').limit(input.limit).execute();
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
