import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiToken, initORM, Session } from '@chatsynth/db';
import { authenticate, appRouter, createCallerFactory, createContextInner, CredentialCache, listenForChanges } from '../src';
import { codeOf, createHarness, type Harness } from './harness';

const createCaller = createCallerFactory(appRouter);
const bearer = (token: string) => new Headers({ authorization: `Bearer ${token}` });

describe('CredentialCache', () => {
  const auth = (id: string) => ({
    user: { id, username: id, email: `${id}@example.com`, displayName: null, createdAt: new Date(0), updatedAt: new Date(0) },
    credential: { kind: 'session' as const, sessionId: `session-${id}` },
  });

  it('gives back a caller for its TTL, never past the credential’s own expiry', async () => {
    const cache = new CredentialCache(50);
    cache.set('token-a', auth('a'), null, cache.stamp());
    cache.set('token-b', auth('b'), new Date(Date.now() + 10), cache.stamp());
    expect(cache.get('token-a')?.user.id).toBe('a');
    expect(cache.get('token-b')?.user.id).toBe('b');
    expect(cache.get('token-a' + 'x')).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(cache.get('token-b')).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(cache.get('token-a')).toBeNull();
  });

  it('forgets a user, refuses a read that started before a forget, and holds nothing while off', () => {
    const cache = new CredentialCache();
    cache.set('a1', auth('a'), null, cache.stamp());
    cache.set('a2', auth('a'), null, cache.stamp());
    cache.set('b1', auth('b'), null, cache.stamp());
    const before = cache.stamp();
    cache.forgetUser('a');
    expect([cache.get('a1'), cache.get('a2')]).toEqual([null, null]);
    expect(cache.get('b1')?.user.id).toBe('b');
    // A session read before the forget may predate the change that caused it.
    cache.set('a3', auth('a'), null, before);
    expect(cache.get('a3')).toBeNull();
    cache.setEnabled(false);
    expect(cache.get('b1')).toBeNull();
    cache.set('b2', auth('b'), null, cache.stamp());
    expect(cache.size).toBe(0);
  });

  it('hands out a user no request can change for the next one', () => {
    const cache = new CredentialCache();
    cache.set('a', auth('a'), null, cache.stamp());
    expect(() => Object.assign(cache.get('a')!.user, { username: 'mallory' })).toThrow();
  });

  it('hands out an API token with scopes no request can widen for the next one', () => {
    const cache = new CredentialCache();
    const scopes: ('read' | 'write')[] = ['read'];
    cache.set('t', { ...auth('t'), credential: { kind: 'apiToken', tokenId: 'token-t', scopes } }, null, cache.stamp());
    scopes.push('write');
    const cached = cache.get('t')!.credential;
    expect(cached).toEqual({ kind: 'apiToken', tokenId: 'token-t', scopes: ['read'] });
    expect(() => (cached as unknown as { scopes: string[] }).scopes.push('write')).toThrow();
    expect(() => Object.assign(cached, { kind: 'session' })).toThrow();
  });
});

describe('authenticate with a credential cache', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h?.close());

  /** A caller as the server builds it when it has a cache. */
  const cachedCaller = (cache: CredentialCache, token: string) =>
    createCaller(async () => {
      const em = h.db.orm.em.fork();
      const found = await authenticate(em, bearer(token), cache);
      em.clear();
      return createContextInner({ em, user: found?.user ?? null, credential: found?.credential ?? null, credentialCache: cache });
    });

  it('reads a session once, then reuses it', async () => {
    const alice = await h.signUp('cachealice');
    const cache = new CredentialCache();
    expect((await authenticate(h.db.orm.em.fork(), bearer(alice.token), cache))?.user.username).toBe('cachealice');
    // Gone from the database behind the cache's back: the cached caller is still served, which is
    // why only a server that hears about such changes uses a cache (see the LISTEN test below).
    await h.db.orm.em.fork().nativeDelete(Session, { user: alice.user.id });
    expect((await authenticate(h.db.orm.em.fork(), bearer(alice.token), cache))?.user.username).toBe('cachealice');
    expect(await authenticate(h.db.orm.em.fork(), bearer(alice.token))).toBeNull();
  });

  it('forgets the caller after any of their mutations: sign-out, revoking a token, a new password', async () => {
    const cache = new CredentialCache();
    const bob = await h.signUp('cachebob');
    const asBob = cachedCaller(cache, bob.token);
    const { token: apiToken, id: tokenId } = await asBob.apiTokens.create({ name: 'script' });
    const asScript = cachedCaller(cache, apiToken);
    expect((await asScript.auth.me())?.username).toBe('cachebob');
    await asBob.apiTokens.revoke({ id: tokenId });
    expect(await codeOf(asScript.chatlogs.list({}))).toBe('UNAUTHORIZED');

    // A read-only token read from the cache is as read-only as one read from the database.
    const reader = await asBob.apiTokens.create({ name: 'reader', scopes: ['read'] });
    const asReader = cachedCaller(cache, reader.token);
    expect(await codeOf(asReader.chatlogs.list({}))).toBe('OK');
    expect(cache.get(reader.token)?.credential).toMatchObject({ scopes: ['read'] });
    expect(await codeOf(asReader.tags.rename({ from: 'a', to: 'b' }))).toBe('FORBIDDEN');

    const other = await h.callerWith(null).auth.signIn({ login: 'cachebob', password: 'correct horse battery' });
    const asOther = cachedCaller(cache, other.token);
    expect((await asOther.auth.me())?.username).toBe('cachebob');
    await asBob.users.changePassword({ currentPassword: 'correct horse battery', newPassword: 'another horse battery' });
    expect(await asOther.auth.me()).toBeNull();

    expect((await asBob.auth.me())?.username).toBe('cachebob');
    await asBob.auth.signOut();
    expect(await asBob.auth.me()).toBeNull();
  });

  it('shows a new display name at once', async () => {
    const cache = new CredentialCache();
    const carol = await h.signUp('cachecarol');
    const asCarol = cachedCaller(cache, carol.token);
    expect((await asCarol.auth.me())?.displayName).toBeNull();
    await asCarol.users.updateProfile({ displayName: 'Carol' });
    expect((await asCarol.auth.me())?.displayName).toBe('Carol');
  });

  it.runIf(process.env.DATABASE_URL)('hears about credentials changed anywhere else through LISTEN/NOTIFY', async () => {
    const dave = await h.signUp('cachedave');
    // The server's side: its own pool and cache, kept true by its listener.
    const server = await initORM({ databaseUrl: (h.db as { url?: string }).url! });
    const cache = new CredentialCache();
    const listener = await listenForChanges(server.orm, { credentials: cache });
    try {
      const { token, id } = await dave.caller.apiTokens.create({ name: 'elsewhere' });
      // The first use writes the token's last_used_at: bookkeeping, which tells no server anything.
      expect((await authenticate(server.orm.em.fork(), bearer(token), cache))?.user.username).toBe('cachedave');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(cache.size).toBe(1);
      // Revoked by SQL, as an operator would: no API call on this server forgets it.
      await h.db.orm.em.fork().nativeUpdate(ApiToken, { id }, { revokedAt: new Date() });
      await expect.poll(() => cache.size, { timeout: 5_000, interval: 10 }).toBe(0);
      expect(await authenticate(server.orm.em.fork(), bearer(token), cache)).toBeNull();
    } finally {
      await listener.close();
      await server.close();
    }
    // Closed, the listener can no longer vouch for the cache: it is off.
    cache.set('x', { user: dave.user as never, credential: { kind: 'session', sessionId: 'x' } }, null, cache.stamp());
    expect(cache.size).toBe(0);
  });
});
