import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, createHarness, type Harness } from './harness';

const WRONG = 'not the password';
const RIGHT = 'correct horse battery';

/**
 * The sign-in limiter slows a guesser without locking the owner out: wrong passwords are counted per
 * account and client address (username and email are one account) and per address, on the store every
 * instance shares (PostgreSQL here when DATABASE_URL is set, process memory on the embedded database).
 */
describe('sign-in limits', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h?.close());

  const signIn = (login: string, password: string, ip: string) => codeOf(h.callerWith(null, ip).auth.signIn({ login, password }));

  it('counts guesses by username and by email as one account', async () => {
    await h.signUp('twofaced');
    const codes: string[] = [];
    for (let i = 0; i < 11; i++) codes.push(await signIn(i % 2 ? 'TwoFaced@Example.com' : 'twofaced', `${WRONG} ${i}`, '10.1.0.1'));
    expect(codes.slice(0, 10)).toEqual(Array(10).fill('UNAUTHORIZED'));
    expect(codes[10]).toBe('TOO_MANY_REQUESTS');
    const retryAfter = Number(h.responseHeaders.get('Retry-After'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
  });

  it('lets the owner in from another address while the guesser stays blocked', async () => {
    await h.signUp('owner');
    for (let i = 0; i < 10; i++) expect(await signIn('owner', `${WRONG} ${i}`, '10.2.0.66')).toBe('UNAUTHORIZED');
    expect(await signIn('owner', WRONG, '10.2.0.66')).toBe('TOO_MANY_REQUESTS');

    // The owner, from home: signed in at once, by username or email.
    const owner = await h.callerWith(null, '10.2.0.1').auth.signIn({ login: 'owner', password: RIGHT });
    expect(owner.user.username).toBe('owner');
    expect(await signIn('owner@example.com', RIGHT, '10.2.0.1')).toBe('OK');
    // The guesser learns nothing even with the right password, and the owner's sign-in freed nobody.
    expect(await signIn('owner', RIGHT, '10.2.0.66')).toBe('TOO_MANY_REQUESTS');
    expect(await signIn('owner@example.com', WRONG, '10.2.0.66')).toBe('TOO_MANY_REQUESTS');
  });

  it('forgets an address’s mistakes on an account once it signs in there', async () => {
    await h.signUp('typo');
    for (let i = 0; i < 9; i++) expect(await signIn('typo', `${WRONG} ${i}`, '10.3.0.1')).toBe('UNAUTHORIZED');
    expect(await signIn('typo', RIGHT, '10.3.0.1')).toBe('OK');
    for (let i = 0; i < 10; i++) expect(await signIn('typo', `${WRONG} ${i}`, '10.3.0.1')).toBe('UNAUTHORIZED');
    expect(await signIn('typo', RIGHT, '10.3.0.1')).toBe('TOO_MANY_REQUESTS');
  });

  it('limits a name that is no account exactly as one that is, so neither tells them apart', async () => {
    await h.signUp('realname');
    const attempts = async (login: string, ip: string) => {
      const codes: string[] = [];
      for (let i = 0; i < 11; i++) codes.push(await signIn(login, `${WRONG} ${i}`, ip));
      return codes;
    };
    const known = await attempts('realname', '10.4.0.1');
    const unknown = await attempts('nobody-by-this-name', '10.4.0.2');
    expect(unknown).toEqual(known);
    expect(unknown.at(-1)).toBe('TOO_MANY_REQUESTS');
    // Case and surrounding spaces do not make a new name.
    expect(await signIn('  NOBODY-by-this-name ', WRONG, '10.4.0.2')).toBe('TOO_MANY_REQUESTS');
  });

  it('limits wrong passwords per address across accounts (password spraying)', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 101; i++) codes.push(await signIn(`sprayed-${i}`, WRONG, '10.5.0.1'));
    expect(codes.slice(0, 100)).toEqual(Array(100).fill('UNAUTHORIZED'));
    expect(codes[100]).toBe('TOO_MANY_REQUESTS');
    // Another address is not affected.
    expect(await signIn('sprayed-0', WRONG, '10.5.0.2')).toBe('UNAUTHORIZED');
  });

  it('limits sign-ups per address and password changes per user on the same store', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 21; i++) {
      codes.push(
        await codeOf(
          h.callerWith(null, '10.6.0.1').auth.signUp({ username: `newcomer${i}`, email: `newcomer${i}@example.com`, password: RIGHT }),
        ),
      );
    }
    expect(codes.slice(0, 20)).toEqual(Array(20).fill('OK'));
    expect(codes[20]).toBe('TOO_MANY_REQUESTS');

    const { caller } = await h.signUp('changer');
    const changes: string[] = [];
    for (let i = 0; i < 11; i++) changes.push(await codeOf(caller.users.changePassword({ currentPassword: `${WRONG} ${i}`, newPassword: 'a new password' })));
    expect(changes.slice(0, 10)).toEqual(Array(10).fill('BAD_REQUEST'));
    expect(changes[10]).toBe('TOO_MANY_REQUESTS');
  });
});
