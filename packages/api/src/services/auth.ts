import { createHash } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { User, query, type EntityManager, type IUser } from '@chatsynth/db';
import { sql } from 'kysely';
import {
  createSession,
  hashPassword,
  invalidateOtherSessions,
  invalidateSession,
  listSessions,
  verifyAgainstDummy,
  verifyPassword,
} from '@chatsynth/auth';
import type { ContextInner } from '../context';
import type { z } from 'zod';
import type { changePasswordInput, signInInput, signUpInput } from '../schemas/auth';
import { toUserDto } from './dto';
import { uniqueViolation } from './errors';
import { tooManyRequests, type RateLimitName } from './rate-limit';

const INVALID_CREDENTIALS = 'Invalid username, email or password.';

type AuthCtx = Pick<ContextInner, 'em' | 'meta' | 'response' | 'rateLimiter'>;

/** Counts one attempt on each limit; over any of them, TOO_MANY_REQUESTS with the longest wait. */
async function limit(ctx: AuthCtx, ...counts: [RateLimitName, string][]) {
  const waits = await Promise.all(counts.map(([name, key]) => ctx.rateLimiter.consume(name, key)));
  const wait = Math.max(0, ...waits.map((w) => w ?? 0));
  if (wait) tooManyRequests(wait, ctx.response.set);
}

/** The client address as a limiter key (bounded: behind a proxy it comes from a header). */
function addressKey(ctx: AuthCtx) {
  return (ctx.meta.ip ?? 'unknown').slice(0, 64);
}

/**
 * Sign-in guesses count against the account whatever name it is called by: its id when the login
 * names a user, else the login itself (hashed: guessed names and emails are not kept), so a name that
 * is no account is limited exactly alike and the limit tells nobody which names exist.
 */
function accountKey(user: IUser | null, login: string) {
  return user ? `user:${user.id}` : `login:${createHash('sha256').update(login).digest('base64url')}`;
}

async function startSession(ctx: AuthCtx, user: IUser) {
  const { token, session } = await createSession(ctx.em, user.id, ctx.meta);
  ctx.response.setSessionCookie(token, session.expiresAt);
  return { user: toUserDto(user), token, expiresAt: session.expiresAt };
}

export async function signUp(ctx: AuthCtx, input: z.infer<typeof signUpInput>) {
  await limit(ctx, ['signUp', addressKey(ctx)]);
  const taken = await query(ctx.em)
    .selectNoFrom((eb) => [
      eb.exists(eb.selectFrom('users').select('id').where(sql`lower(username)`, '=', sql`lower(${input.username})`)).as('usernameTaken'),
      eb.exists(eb.selectFrom('users').select('id').where('email', '=', input.email)).as('emailTaken'),
    ])
    .executeTakeFirstOrThrow();
  if (taken.usernameTaken) throw new TRPCError({ code: 'CONFLICT', message: 'That username is taken.' });
  if (taken.emailTaken) throw new TRPCError({ code: 'CONFLICT', message: 'That email is already registered.' });

  const user = ctx.em.create(User, {
    username: input.username,
    email: input.email,
    passwordHash: await hashPassword(input.password),
    displayName: null,
  });
  try {
    await ctx.em.flush();
  } catch (error) {
    // Two sign-ups racing for the same name: the database's unique index decides.
    const constraint = uniqueViolation(error);
    if (constraint) {
      throw new TRPCError({
        code: 'CONFLICT',
        message: constraint.includes('email') ? 'That email is already registered.' : 'That username is taken.',
      });
    }
    throw error;
  }
  return startSession(ctx, user);
}

export async function signIn(ctx: AuthCtx, input: z.infer<typeof signInInput>) {
  const login = input.login.trim().toLowerCase();
  const user = await ctx.em.findOne(
    User,
    login.includes('@') ? { email: login } : { username: { $ilike: escapeLike(login) } },
    { populate: ['passwordHash'] },
  );
  // Counted before the password is checked, so a blocked guesser learns nothing even from the right
  // one; a correct password gives the attempts back.
  const address = addressKey(ctx);
  const account = `${accountKey(user, login)}@${address}`;
  await limit(ctx, ['signInAddress', address], ['signInAccount', account]);

  const ok = user ? await verifyPassword(user.passwordHash, input.password) : await verifyAgainstDummy(input.password);
  if (!user || !ok) throw new TRPCError({ code: 'UNAUTHORIZED', message: INVALID_CREDENTIALS });
  await Promise.all([ctx.rateLimiter.reward('signInAddress', address), ctx.rateLimiter.reset('signInAccount', account)]);
  return startSession(ctx, user);
}

function escapeLike(value: string) {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function signOut(ctx: AuthCtx & Pick<ContextInner, 'credential'>) {
  if (ctx.credential?.kind === 'session') await invalidateSession(ctx.em, ctx.credential.sessionId);
  ctx.response.clearSessionCookie();
  return { ok: true as const };
}

export async function sessionsOf(ctx: { em: EntityManager; userId: string; currentSessionId: string | null }) {
  const sessions = await listSessions(ctx.em, ctx.userId);
  return sessions.map((s) => ({
    id: s.id,
    createdAt: s.createdAt,
    lastVerifiedAt: s.lastVerifiedAt,
    expiresAt: s.expiresAt,
    userAgent: s.userAgent,
    ip: s.ip,
    current: s.id === ctx.currentSessionId,
  }));
}

export async function changePassword(
  ctx: AuthCtx & { userId: string; currentSessionId: string | null },
  input: z.infer<typeof changePasswordInput>,
) {
  await limit(ctx, ['passwordChange', ctx.userId]);
  const user = await ctx.em.findOneOrFail(User, { id: ctx.userId }, { populate: ['passwordHash'] });
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'The current password is not correct.' });
  }
  user.passwordHash = await hashPassword(input.newPassword);
  await ctx.em.flush();
  await invalidateOtherSessions(ctx.em, ctx.userId, ctx.currentSessionId ?? undefined);
  return { ok: true as const };
}
