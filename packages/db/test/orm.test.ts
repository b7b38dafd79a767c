import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { API_TOKEN_SCOPES, ChatLog, ChatVersion, Tag, User, initORM } from '../src';
import { createTestDatabase } from '../src/testing';

type Db = Awaited<ReturnType<typeof createTestDatabase>>;

async function insertUser(db: Db, username: string, email: string) {
  const em = db.orm.em.fork();
  const user = em.create(User, { username, email, passwordHash: 'x' });
  await em.flush();
  return user;
}

describe.each(['env', 'embedded'] as const)('schema on %s database', (kind) => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('enforces case-insensitive unique usernames and unique emails', async () => {
    await insertUser(db, 'Alice', 'alice@example.com');
    await expect(insertUser(db, 'alice', 'other@example.com')).rejects.toThrow(/unique/i);
    await expect(insertUser(db, 'bob', 'alice@example.com')).rejects.toThrow(/unique/i);
  });

  it('makes (user, source, external id) unique and cascades deletes', async () => {
    const user = await insertUser(db, 'carol', 'carol@example.com');
    const em = db.orm.em.fork();
    const base = { user, source: 'chatgpt', title: 't', content: { messages: [] }, metadata: {}, contentHash: 'h' };
    const log = em.create(ChatLog, { ...base, externalId: 'conv-1' });
    em.create(ChatLog, { ...base, externalId: null });
    em.create(ChatLog, { ...base, externalId: null });
    em.create(ChatVersion, { chatlog: log, version: 1, title: 't', content: { messages: [] }, metadata: {}, change: 'created' });
    await em.flush();

    const dup = db.orm.em.fork();
    dup.create(ChatLog, { ...base, user: user.id, externalId: 'conv-1' });
    await expect(dup.flush()).rejects.toThrow(/unique/i);

    await db.orm.em.fork().nativeDelete(ChatLog, { id: log.id });
    expect(await db.orm.em.fork().count(ChatVersion, { chatlog: log.id })).toBe(0);
  });

  it('rejects tag names that are not normalised', async () => {
    const em = db.orm.em.fork();
    em.create(Tag, { name: ' Mixed Case ' });
    await expect(em.flush()).rejects.toThrow(/check/i);
  });

  it('gives an API token every scope unless told, and holds at least one, each a known name', async () => {
    const user = await insertUser(db, 'dora', 'dora@example.com');
    const k = db.orm.em.fork().getKysely();
    const token = (scopes?: string[]) =>
      k
        .insertInto('api_tokens')
        .values({ id: uuidv7(), user_id: user.id, name: 'cli', secret_hash: new Uint8Array(32), created_at: new Date(), ...(scopes ? { scopes: scopes as never } : {}) })
        .returning('scopes')
        .executeTakeFirstOrThrow();
    expect(await token()).toEqual({ scopes: [...API_TOKEN_SCOPES] });
    expect(await token(['import'])).toEqual({ scopes: ['import'] });
    await expect(token([])).rejects.toThrow(/api_tokens_scopes_not_empty/);
    await expect(token(['read', 'admin'])).rejects.toThrow(/api_tokens_scopes_check/);
  });
});

describe('embedded database on disk', () => {
  it('keeps data across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chatsynth-db-'));
    try {
      const first = await initORM({ embedded: true, dataDir: dir });
      const em = first.orm.em.fork();
      em.create(User, { username: 'dora', email: 'dora@example.com', passwordHash: 'x' });
      await em.flush();
      await first.close();

      const second = await initORM({ embedded: true, dataDir: dir });
      expect(second.embedded).toBe(true);
      expect(await second.orm.em.fork().count(User, { username: 'dora' })).toBe(1);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
