import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { jsonb, query } from '@chatsynth/db';
import { createHarness, type Caller, type Harness } from './harness';

/** The error a call ends with. */
async function errorOf(promise: Promise<unknown>): Promise<TRPCError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
  throw new Error('the call succeeded');
}

describe('restoring what the API would refuse today', () => {
  let h: Harness;
  let alice: Caller;

  const content = {
    messages: [
      { role: 'user' as const, content: 'When does the ferry to Cacilhas leave?', createdAt: '2024-05-01T08:00:00.000Z' },
      { role: 'assistant' as const, content: 'Every 10 to 20 minutes from Cais do Sodré.', createdAt: '2024-05-01T08:00:05.000Z' },
    ],
  };

  /** Makes an earlier version hold what an older server or import stored, before today's bounds. */
  async function storedBeforeTheBounds(chatlogId: string, version: number, state: { title?: string; content?: unknown; metadata?: unknown }) {
    await query(h.db.orm.em.fork())
      .updateTable('chatversions')
      .set({
        ...(state.title === undefined ? {} : { title: state.title }),
        ...(state.content === undefined ? {} : { content: jsonb(state.content) as never }),
        ...(state.metadata === undefined ? {} : { metadata: jsonb(state.metadata) as never }),
      })
      .where('chatlog_id', '=', chatlogId)
      .where('version', '=', version)
      .execute();
  }

  beforeAll(async () => {
    h = await createHarness();
    alice = (await h.signUp('alice')).caller;
  });
  afterAll(async () => h?.close());

  it('versions.restore answers BAD_REQUEST naming the field, and changes nothing', async () => {
    const log = await alice.chatlogs.create({ source: 'chatgpt', title: 'Ferries', content });
    for (let version = 1; version < 5; version++) await alice.chatlogs.update({ id: log.id, expectedVersion: version, title: `Ferries ${version}` });
    // Year 0, which PostgreSQL's timestamptz refuses; metadata four times the bound; a 900-character title.
    const yearZero = { messages: [{ ...content.messages[0]!, createdAt: '0000-06-01T08:00:00.000Z' }, content.messages[1]!] };
    await storedBeforeTheBounds(log.id, 2, { content: yearZero });
    await storedBeforeTheBounds(log.id, 3, { metadata: { branches: 'b'.repeat(1024 * 1024) } });
    await storedBeforeTheBounds(log.id, 4, { title: 'T'.repeat(900) });
    const before = await alice.chatlogs.get({ id: log.id });

    const cases = [
      [2, 'content.messages.0.createdAt', /must be between the years 1 and 9999/],
      [3, 'metadata', /at most 256 KB/],
      [4, 'title', /at most 500 characters/],
    ] as const;
    for (const [version, field, message] of cases) {
      const error = await errorOf(alice.versions.restore({ chatlogId: log.id, version, expectedVersion: 5 }));
      expect(error.code, `version ${version}`).toBe('BAD_REQUEST');
      expect(error.message).toMatch(new RegExp(`^Version ${version} cannot be restored: ${field.replaceAll('.', '\\.')} `));
      expect(error.message).toMatch(message);
      expect(error.message).not.toMatch(/insert|update|select|chatlogs/i);
    }
    expect(await alice.chatlogs.get({ id: log.id })).toEqual(before);
    expect((await alice.versions.list({ chatlogId: log.id })).map((v) => v.version)).toEqual([5, 4, 3, 2, 1]);
  });

  it('versions.restore still restores a version within the bounds', async () => {
    const log = await alice.chatlogs.create({ source: 'chatgpt', title: 'Trams', content });
    await alice.chatlogs.update({ id: log.id, expectedVersion: 1, title: 'Trams of Lisbon' });
    const restored = await alice.versions.restore({ chatlogId: log.id, version: 1, expectedVersion: 2 });
    expect(restored).toMatchObject({ title: 'Trams', version: 3 });
  });

  it('chatlogs.restore (from the trash) writes no content, so it stores nothing new: the log comes back as it was', async () => {
    const log = await alice.chatlogs.create({ source: 'chatgpt', title: 'Funiculars', content });
    await alice.chatlogs.delete({ id: log.id });
    const back = await alice.chatlogs.restore({ id: log.id });
    expect(back).toMatchObject({ id: log.id, title: 'Funiculars', version: 1, content });
    expect((await errorOf(alice.chatlogs.restore({ id: log.id }))).code).toBe('NOT_FOUND');
  });
});
