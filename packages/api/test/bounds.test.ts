// What one user can pile up, and how much one answer can hold: API tokens, notes on a log and
// sessions are capped per user, and every list the contract gives as an array comes in pages of at
// most 100 that a client can walk with `cursor` to the end.
import { createSession } from '@chatsynth/auth';
import { query } from '@chatsynth/db';
import { uuidv7 } from 'uuidv7';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImportJob, LIMITS } from '../src';
import { MAX_ACTIVE_API_TOKENS } from '../src/services/api-tokens';
import { MAX_SESSIONS_PER_USER } from '@chatsynth/auth';
import { codeOf, createHarness, sampleContent, type Caller, type Harness } from './harness';

describe('bounds per user', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h?.close());

  /** Every item of a list walked page by page, as a client that needs them all does. */
  async function walk<T, C>(page: (cursor: C | undefined) => Promise<T[]>, cursorOf: (last: T) => C, limit = 100): Promise<{ items: T[]; pages: number }> {
    const items: T[] = [];
    let cursor: C | undefined;
    for (let pages = 1; ; pages++) {
      if (pages > 20) throw new Error('the list never ends: is the cursor ignored?');
      const got = await page(cursor);
      expect(got.length).toBeLessThanOrEqual(limit);
      items.push(...got);
      if (got.length < limit) return { items, pages };
      cursor = cursorOf(got.at(-1)!);
    }
  }

  describe('API tokens', () => {
    let alice: Caller;
    beforeAll(async () => {
      alice = (await h.signUp('tokens')).caller;
    });

    it(`caps a user's active tokens at ${MAX_ACTIVE_API_TOKENS}: one more is BAD_REQUEST until one is revoked`, async () => {
      const made = await Promise.all(Array.from({ length: MAX_ACTIVE_API_TOKENS }, (_, i) => alice.apiTokens.create({ name: `ci ${i}` })));
      await expect(alice.apiTokens.create({ name: 'one too many' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/revoke one/i) });
      await alice.apiTokens.revoke({ id: made[0]!.id });
      await alice.apiTokens.create({ name: 'in its place' });
      expect(await codeOf(alice.apiTokens.create({ name: 'again too many' }))).toBe('BAD_REQUEST');

      // Revoked ones stay listed (newest first), a page of at most 100 at a time.
      const { items, pages } = await walk(
        (cursor) => alice.apiTokens.list({ cursor }),
        (last: { id: string }) => ({ id: last.id }),
      );
      expect(pages).toBe(2);
      expect(items).toHaveLength(MAX_ACTIVE_API_TOKENS + 1);
      expect(new Set(items.map((t) => t.id)).size).toBe(items.length);
      expect(items[0]!.name).toBe('in its place');
      expect(items.filter((t) => t.revokedAt)).toHaveLength(1);
      expect(await alice.apiTokens.list({ limit: 5 })).toHaveLength(5);
    });

    it('holds the cap against concurrent creates', async () => {
      const bob = (await h.signUp('tokens2')).caller;
      await Promise.all(Array.from({ length: MAX_ACTIVE_API_TOKENS - 3 }, (_, i) => bob.apiTokens.create({ name: `ci ${i}` })));
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => codeOf(bob.apiTokens.create({ name: `race ${i}` }))));
      expect(results.filter((code) => code === 'OK')).toHaveLength(3);
      expect(results.filter((code) => code === 'BAD_REQUEST')).toHaveLength(7);
    });

    it('does not count expired tokens', async () => {
      const carol = (await h.signUp('tokens3')).caller;
      const made = await Promise.all(Array.from({ length: MAX_ACTIVE_API_TOKENS }, (_, i) => carol.apiTokens.create({ name: `ci ${i}`, expiresInDays: 1 })));
      await query(h.db.orm.em.fork()).updateTable('api_tokens').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', made[0]!.id).execute();
      expect(await codeOf(carol.apiTokens.create({ name: 'replaces the expired one' }))).toBe('OK');
    });
  });

  describe('notes', () => {
    let alice: Caller;
    let logId: string;
    beforeAll(async () => {
      const signedUp = await h.signUp('notes');
      alice = signedUp.caller;
      logId = (await alice.chatlogs.create({ source: 'api', content: sampleContent(4) })).id;
      // Nearly as many notes as a log may hold, written as annotations.create writes them; the first
      // hundred in reading order (on the whole log) as long as a note may be.
      await query(h.db.orm.em.fork())
        .insertInto('annotations')
        .values(
          Array.from({ length: LIMITS.notesPerLog - 2 }, (_, i) => ({
            id: uuidv7(),
            user_id: signedUp.user.id,
            chatlog_id: logId,
            content: i < 100 ? `Note ${i}: ${'a long thought about ferries. '.repeat(700)}`.slice(0, 20_000) : `Note ${i} on a message.`,
            message_index: i < 100 ? null : i % 4,
            quote: null,
            start: i < 100 || i % 3 === 0 ? null : i % 7,
            end: i < 100 || i % 3 === 0 ? null : (i % 7) + 3,
            version: 1,
            metadata: sql`'{}'::jsonb`,
            created_at: new Date(),
            updated_at: new Date(),
          })),
        )
        .execute();
    });

    it(`caps the notes on one log at ${LIMITS.notesPerLog}, also against concurrent creates`, async () => {
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => codeOf(alice.annotations.create({ chatlogId: logId, content: `race ${i}` }))));
      expect(results.filter((code) => code === 'OK')).toHaveLength(2);
      await expect(alice.annotations.create({ chatlogId: logId, content: 'one too many' })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        message: expect.stringMatching(new RegExp(`${LIMITS.notesPerLog.toLocaleString('en-US')} notes`)),
      });
      // Another log has room of its own.
      const other = await alice.chatlogs.create({ source: 'api', content: sampleContent(1) });
      expect(await codeOf(alice.annotations.create({ chatlogId: other.id, content: 'fine' }))).toBe('OK');
    });

    it('lists them a page of at most 100 at a time, in reading order, every note once', async () => {
      const first = await alice.annotations.list({ chatlogId: logId });
      expect(first).toHaveLength(100);
      // A page of the longest notes stays near 2 MB, whatever the log holds (on main: every note at once).
      expect(first.every((n) => n.content.length === 20_000)).toBe(true);
      expect(JSON.stringify(first).length).toBeLessThan(2.1 * 1000 * 1000);

      const { items } = await walk(
        (cursor) => alice.annotations.list({ chatlogId: logId, cursor }),
        (last: { messageIndex: number | null; start: number | null; id: string }) => ({ messageIndex: last.messageIndex, start: last.start, id: last.id }),
      );
      expect(items).toHaveLength(LIMITS.notesPerLog);
      expect(new Set(items.map((n) => n.id)).size).toBe(LIMITS.notesPerLog);
      const key = (n: (typeof items)[number]) => [n.messageIndex ?? -1, n.start ?? -1];
      for (let i = 1; i < items.length; i++) {
        const [a, b] = [key(items[i - 1]!), key(items[i]!)];
        expect(a[0]! < b[0]! || (a[0] === b[0] && (a[1]! < b[1]! || (a[1] === b[1] && items[i - 1]!.id < items[i]!.id)))).toBe(true);
      }
      const small = await alice.annotations.list({ chatlogId: logId, limit: 7, cursor: { messageIndex: 2, start: null, id: '00000000-0000-7000-8000-000000000000' } });
      expect(small).toHaveLength(7);
      expect(small.every((n) => (n.messageIndex ?? -1) >= 2)).toBe(true);
    });

    it('refuses bad pages and cursors with BAD_REQUEST', async () => {
      for (const input of [
        { chatlogId: logId, limit: 0 },
        { chatlogId: logId, limit: 101 },
        { chatlogId: logId, cursor: { messageIndex: -1, start: null, id: uuidv7() } },
        { chatlogId: logId, cursor: { messageIndex: 1, start: 2 ** 40, id: uuidv7() } },
        { chatlogId: logId, cursor: { messageIndex: 1, start: 1, id: 'not an id' } },
        { chatlogId: logId, cursor: { messageIndex: 1, start: 1, id: uuidv7(), extra: true } },
        { chatlogId: logId, cursor: 'abc' },
      ]) {
        expect(await codeOf(alice.annotations.list(input as never))).toBe('BAD_REQUEST');
      }
    });
  });

  describe('versions', () => {
    it('lists a long history a page of at most 100 at a time, newest first', async () => {
      const alice = (await h.signUp('versions')).caller;
      const log = await alice.chatlogs.create({ source: 'api', title: 'v1', content: sampleContent(2) });
      // 300 edits, as chatlogs.update records them.
      const em = h.db.orm.em.fork();
      await sql`insert into chatversions (id, chatlog_id, version, title, summary, content, metadata, change, message_count, created_at)
                select gen_random_uuid(), v.chatlog_id, n, 'v' || n, v.summary, v.content, v.metadata, 'edited', v.message_count, now()
                from chatversions v, generate_series(2, 301) n where v.chatlog_id = ${log.id}`.execute(query(em));
      await query(em).updateTable('chatlogs').set({ version: 301 }).where('id', '=', log.id).execute();

      expect((await alice.versions.list({ chatlogId: log.id })).map((v) => v.version)).toEqual(Array.from({ length: 100 }, (_, i) => 301 - i));
      const { items, pages } = await walk(
        (cursor) => alice.versions.list({ chatlogId: log.id, cursor }),
        (last: { version: number }) => ({ version: last.version }),
      );
      expect(pages).toBe(4);
      expect(items.map((v) => v.version)).toEqual(Array.from({ length: 301 }, (_, i) => 301 - i));
      expect((await alice.versions.list({ chatlogId: log.id, limit: 2, cursor: { version: 2 } })).map((v) => v.version)).toEqual([1]);
      expect(await codeOf(alice.versions.list({ chatlogId: log.id, cursor: { version: 0 } }))).toBe('BAD_REQUEST');
      expect(await codeOf(alice.versions.list({ chatlogId: log.id, limit: 1000 }))).toBe('BAD_REQUEST');
    });
  });

  describe('imports', () => {
    it('lists every import a page at a time, newest first', async () => {
      const { caller: alice, user } = await h.signUp('imports');
      const ids: string[] = [];
      for (let i = 0; i < 130; i++) {
        ids.push(
          await createImportJob(h.db.orm.em.fork(), {
            userId: user.id,
            filename: `conversations-${i}.json`,
            format: 'chatgpt',
            requestedFormat: 'auto',
            bytes: 1000 + i,
            filePath: `/tmp/none-${i}`,
          }),
        );
      }
      const first = await alice.imports.list();
      expect(first).toHaveLength(100);
      const { items } = await walk(
        (cursor) => alice.imports.list({ cursor }),
        (last: { id: string }) => ({ id: last.id }),
      );
      expect(items.map((job) => job.id)).toEqual(ids.reverse());
      expect(await alice.imports.list({ limit: 3 })).toHaveLength(3);
    });
  });

  describe('sessions', () => {
    it(`keeps a user's newest ${MAX_SESSIONS_PER_USER} sessions: signing in ends the oldest`, async () => {
      const { user, token: first } = await h.signUp('sessions');
      const em = h.db.orm.em.fork();
      const tokens = [first];
      for (let i = 0; i < MAX_SESSIONS_PER_USER + 4; i++) tokens.push((await createSession(em, user.id, { userAgent: `device ${i}` })).token);
      const signedIn = await h.anonymous.auth.signIn({ login: 'sessions', password: 'correct horse battery' });
      const latest = h.callerWith(signedIn.token);

      const sessions = await latest.auth.sessions.list();
      expect(sessions).toHaveLength(MAX_SESSIONS_PER_USER);
      expect(sessions.filter((s) => s.current)).toHaveLength(1);
      // The oldest ended; the newest still work.
      expect(await h.callerWith(tokens[0]!).auth.me()).toBeNull();
      expect(await h.callerWith(tokens[5]!).auth.me()).toBeNull();
      expect(await h.callerWith(tokens[6]!).auth.me()).not.toBeNull();
      expect(await h.callerWith(tokens.at(-1)!).auth.me()).not.toBeNull();
    });
  });
});
