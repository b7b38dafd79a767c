import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session, User } from '@chatsynth/db';
import { createHarness, type Harness } from './harness';

async function codeOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
  return 'OK';
}

describe('auth', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h?.close());

  it('signs up, returns the user without the password hash, and knows who is signed in', async () => {
    const { user, token, expiresAt, caller } = await h.signUp('Alice');
    expect(user).toEqual({ id: expect.any(String), username: 'Alice', email: 'alice@example.com', displayName: null, createdAt: expect.any(Date) });
    expect(JSON.stringify(user)).not.toMatch(/argon2|password/i);
    expect(token).toMatch(/^[0-9a-f-]{36}\.[a-z2-7]{32}$/);
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 3600 * 1000);
    expect(await caller.auth.me()).toEqual(user);
    expect(await h.anonymous.auth.me()).toBeNull();
  });

  it('refuses a taken username (any case) or email with CONFLICT', async () => {
    await expect(h.anonymous.auth.signUp({ username: 'ALICE', email: 'x@example.com', password: 'long enough pw' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(h.anonymous.auth.signUp({ username: 'alice2', email: 'Alice@Example.com', password: 'long enough pw' })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('signs in by username or email, case-insensitively, with one message for every failure', async () => {
    await expect(h.anonymous.auth.signIn({ login: 'alice', password: 'correct horse battery' })).resolves.toMatchObject({ user: { username: 'Alice' } });
    await expect(h.anonymous.auth.signIn({ login: 'ALICE@example.com', password: 'correct horse battery' })).resolves.toMatchObject({ user: { username: 'Alice' } });
    const wrong = h.anonymous.auth.signIn({ login: 'alice', password: 'wrong password' }).catch((e: TRPCError) => e);
    const unknown = h.anonymous.auth.signIn({ login: 'nobody', password: 'wrong password' }).catch((e: TRPCError) => e);
    const [a, b] = await Promise.all([wrong, unknown]);
    expect(a).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(b).toMatchObject({ code: 'UNAUTHORIZED', message: (a as TRPCError).message });
  });

  it('gives a new session at every sign-in and ends only the current one at sign-out', async () => {
    const first = await h.anonymous.auth.signIn({ login: 'alice', password: 'correct horse battery' });
    const second = await h.anonymous.auth.signIn({ login: 'alice', password: 'correct horse battery' });
    expect(first.token).not.toBe(second.token);
    await h.callerWith(first.token).auth.signOut();
    expect(await h.callerWith(first.token).auth.me()).toBeNull();
    expect(await h.callerWith(second.token).auth.me()).not.toBeNull();
  });

  it('rejects bad input with flattened field errors and stores nothing', async () => {
    const before = await h.db.orm.em.fork().count(User);
    const error = await h.anonymous.auth
      .signUp({ username: 'a', email: 'not-an-email', password: 'short' })
      .catch((e: TRPCError) => e);
    expect(error).toMatchObject({ code: 'BAD_REQUEST' });
    const cases = [
      { username: 'x'.repeat(33), email: 'ok@example.com', password: 'long enough pw' },
      { username: 'has space', email: 'ok@example.com', password: 'long enough pw' },
      { username: 'okname', email: 'ok@example.com', password: 'p'.repeat(257) },
      { username: 'okname', email: 'ok@example.com', password: 'long enough pw', admin: true },
      { username: 'ok\u0000name', email: 'ok@example.com', password: 'long enough pw' },
    ];
    for (const input of cases) {
      expect(await codeOf(h.anonymous.auth.signUp(input as never))).toBe('BAD_REQUEST');
    }
    expect(await h.db.orm.em.fork().count(User)).toBe(before);
  });

  it('refuses protected procedures without a valid token', async () => {
    expect(await codeOf(h.anonymous.chatlogs.list())).toBe('UNAUTHORIZED');
    expect(await codeOf(h.callerWith('forged.token').chatlogs.list())).toBe('UNAUTHORIZED');
    expect(await codeOf(h.anonymous.auth.signOut())).toBe('UNAUTHORIZED');
  });

  it('slows down password guessing with TOO_MANY_REQUESTS and Retry-After', async () => {
    await h.signUp('guessme');
    let code = '';
    for (let i = 0; i < 12 && code !== 'TOO_MANY_REQUESTS'; i++) {
      code = await codeOf(h.callerWith(null, '10.0.0.1').auth.signIn({ login: 'guessme', password: `guess ${i}` }));
    }
    expect(code).toBe('TOO_MANY_REQUESTS');
    expect(Number(h.responseHeaders.get('Retry-After'))).toBeGreaterThan(0);
  });

  it('lists and revokes sessions, and a password change ends the other sessions', async () => {
    const { caller, token } = await h.signUp('sessions');
    const other = await h.anonymous.auth.signIn({ login: 'sessions', password: 'correct horse battery' });
    const sessions = await caller.auth.sessions.list();
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);

    expect(await codeOf(caller.users.changePassword({ currentPassword: 'wrong', newPassword: 'new password 1' }))).toBe('BAD_REQUEST');
    await caller.users.changePassword({ currentPassword: 'correct horse battery', newPassword: 'new password 1' });
    expect(await h.callerWith(other.token).auth.me()).toBeNull();
    expect(await h.callerWith(token).auth.me()).not.toBeNull();
    await expect(h.anonymous.auth.signIn({ login: 'sessions', password: 'new password 1' })).resolves.toBeTruthy();

    const mine = await caller.auth.sessions.list();
    const notCurrent = mine.find((s) => !s.current)!;
    await caller.auth.sessions.revoke({ id: notCurrent.id });
    expect(await h.db.orm.em.fork().count(Session, { id: notCurrent.id })).toBe(0);

    const stranger = await h.signUp('stranger');
    const current = mine.find((s) => s.current)!;
    expect(await codeOf(stranger.caller.auth.sessions.revoke({ id: current.id }))).toBe('NOT_FOUND');
  });

  it('updates the profile and refuses an email someone else has', async () => {
    const { caller } = await h.signUp('profile');
    await expect(caller.users.updateProfile({ displayName: 'Pro File', email: 'New@Example.com' })).resolves.toMatchObject({
      displayName: 'Pro File',
      email: 'new@example.com',
    });
    expect(await codeOf(caller.users.updateProfile({ email: 'alice@example.com' }))).toBe('CONFLICT');
  });

  it('issues API tokens that work as Bearer tokens until revoked', async () => {
    const { caller } = await h.signUp('tokens');
    const created = await caller.apiTokens.create({ name: 'cli', expiresInDays: 30 });
    expect(created.token.startsWith('csk_')).toBe(true);
    const viaToken = h.callerWith(created.token);
    expect((await viaToken.auth.me())?.username).toBe('tokens');
    const listed = await caller.apiTokens.list();
    expect(listed).toEqual([expect.objectContaining({ id: created.id, name: 'cli', revokedAt: null })]);
    expect(JSON.stringify(listed)).not.toContain(created.token.split('.')[1]);
    await caller.apiTokens.revoke({ id: created.id });
    expect(await codeOf(viaToken.chatlogs.list())).toBe('UNAUTHORIZED');

    const stranger = await h.signUp('tokenstranger');
    expect(await codeOf(stranger.caller.apiTokens.revoke({ id: created.id }))).toBe('NOT_FOUND');
  });
});
