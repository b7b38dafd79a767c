import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiToken, Session, User } from '@chatsynth/db';
import { createTestDatabase } from '@chatsynth/db/testing';
import {
  SESSION_ABSOLUTE_LIFETIME_MS,
  SESSION_IDLE_TIMEOUT_MS,
  createApiToken,
  createSession,
  hashPassword,
  invalidateOtherSessions,
  parseToken,
  readRequestToken,
  serializeSessionCookie,
  validateApiToken,
  validateSessionToken,
  verifyPassword,
} from '../src';

describe('passwords', () => {
  it('hashes with Argon2id at OWASP parameters and verifies NFKC-equivalent input', async () => {
    const hash = await hashPassword('ｐａｓｓｗｏｒｄ１２３');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'password123')).toBe(true);
    expect(await verifyPassword(hash, 'password124')).toBe(false);
    expect(await verifyPassword('not a hash', 'password123')).toBe(false);
  });
});

describe('tokens and cookies', () => {
  it('parses only well-formed tokens', () => {
    expect(parseToken('nope')).toBeNull();
    expect(parseToken('0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b.' + 'a'.repeat(32))?.kind).toBe('session');
    expect(parseToken('csk_0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b.' + 'a'.repeat(32))?.kind).toBe('apiToken');
    expect(parseToken('0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b.' + 'A'.repeat(32))).toBeNull();
  });

  it('prefers the Bearer header and reads either cookie name', () => {
    expect(readRequestToken(new Headers({ authorization: 'Bearer abc', cookie: 'chatsynth_session=def' }))).toBe('abc');
    expect(readRequestToken(new Headers({ cookie: 'x=1; __Host-chatsynth_session=def' }))).toBe('def');
    expect(readRequestToken(new Headers({ authorization: 'Basic abc' }))).toBeNull();
  });

  it('uses a __Host- Secure cookie outside localhost', () => {
    const expires = new Date('2030-01-01T00:00:00Z');
    expect(serializeSessionCookie('t', expires, 'http://localhost:3000/trpc')).toBe(
      'chatsynth_session=t; Path=/; HttpOnly; SameSite=Lax; Expires=Tue, 01 Jan 2030 00:00:00 GMT',
    );
    expect(serializeSessionCookie('t', expires, 'https://chat.example.com/trpc')).toMatch(
      /^__Host-chatsynth_session=t; Path=\/; HttpOnly; SameSite=Lax; Expires=.*; Secure$/,
    );
  });
});

describe('sessions and API tokens on a database', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let userId: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    const em = db.orm.em.fork();
    const user = em.create(User, { username: 'erin', email: 'erin@example.com', passwordHash: 'x' });
    await em.flush();
    userId = user.id;
  });
  afterAll(async () => db?.close());

  it('stores only a hash of the secret and validates the token', async () => {
    const { token, session } = await createSession(db.orm.em.fork(), userId, { userAgent: 'test', ip: '127.0.0.1' });
    const row = await db.orm.em.fork().findOneOrFail(Session, { id: session.id });
    expect(Buffer.from(row.secretHash).toString('utf8')).not.toContain(token.split('.')[1]);
    const valid = await validateSessionToken(db.orm.em.fork(), token);
    expect(valid?.user.id).toBe(userId);
    expect(await validateSessionToken(db.orm.em.fork(), token.slice(0, -1) + (token.endsWith('a') ? 'b' : 'a'))).toBeNull();
  });

  it('ends sessions idle for 30 days, and any session after 90 days, and slides on use', async () => {
    const idle = await createSession(db.orm.em.fork(), userId);
    const old = await createSession(db.orm.em.fork(), userId);
    const sliding = await createSession(db.orm.em.fork(), userId);
    const em = db.orm.em.fork();
    const now = Date.now();
    await em.nativeUpdate(Session, { id: idle.session.id }, { lastVerifiedAt: new Date(now - SESSION_IDLE_TIMEOUT_MS - 1000) });
    await em.nativeUpdate(
      Session,
      { id: old.session.id },
      { createdAt: new Date(now - SESSION_ABSOLUTE_LIFETIME_MS - 1000), lastVerifiedAt: new Date(now - 1000) },
    );
    await em.nativeUpdate(Session, { id: sliding.session.id }, { lastVerifiedAt: new Date(now - 2 * 24 * 3600 * 1000) });

    expect(await validateSessionToken(db.orm.em.fork(), idle.token)).toBeNull();
    expect(await validateSessionToken(db.orm.em.fork(), old.token)).toBeNull();
    expect(await db.orm.em.fork().count(Session, { id: [idle.session.id, old.session.id] })).toBe(0);

    const refreshed = await validateSessionToken(db.orm.em.fork(), sliding.token);
    expect(refreshed!.session.lastVerifiedAt.getTime()).toBeGreaterThan(now - 60_000);
  });

  it('ends the other sessions on request', async () => {
    const keep = await createSession(db.orm.em.fork(), userId);
    const other = await createSession(db.orm.em.fork(), userId);
    await invalidateOtherSessions(db.orm.em.fork(), userId, keep.session.id);
    expect(await validateSessionToken(db.orm.em.fork(), keep.token)).not.toBeNull();
    expect(await validateSessionToken(db.orm.em.fork(), other.token)).toBeNull();
  });

  it('accepts API tokens until revoked or expired, and never as session tokens', async () => {
    const { token, apiToken } = await createApiToken(db.orm.em.fork(), userId, 'cli', null, ['read', 'import']);
    expect(token.startsWith('csk_')).toBe(true);
    const valid = await validateApiToken(db.orm.em.fork(), token);
    expect(valid?.user).toMatchObject({ id: userId, username: expect.any(String), createdAt: expect.any(Date) });
    expect(valid?.scopes).toEqual(['read', 'import']);
    expect((await db.orm.em.fork().findOneOrFail(ApiToken, { id: apiToken.id })).lastUsedAt).toBeInstanceOf(Date);
    expect(await validateApiToken(db.orm.em.fork(), `${token.slice(0, -4)}AAAA`)).toBeNull();
    expect(await validateSessionToken(db.orm.em.fork(), token)).toBeNull();
    await db.orm.em.fork().nativeUpdate(ApiToken, { id: apiToken.id }, { revokedAt: new Date() });
    expect(await validateApiToken(db.orm.em.fork(), token)).toBeNull();

    const expiring = await createApiToken(db.orm.em.fork(), userId, 'old', new Date(Date.now() - 1000), ['read']);
    expect(await validateApiToken(db.orm.em.fork(), expiring.token)).toBeNull();
  });
});
