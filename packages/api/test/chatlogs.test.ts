import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatLog, ChatVersion, Tag } from '@chatsynth/db';
import { createHarness, sampleContent, type Caller, type Harness } from './harness';

async function codeOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
  return 'OK';
}

describe('chat logs', () => {
  let h: Harness;
  let alice: Caller;
  let bob: Caller;
  beforeAll(async () => {
    h = await createHarness();
    alice = (await h.signUp('alice')).caller;
    bob = (await h.signUp('bob')).caller;
  });
  afterAll(async () => h?.close());


  it('creates a log as version 1 with derived fields and normalised tags', async () => {
    const log = await alice.chatlogs.create({
      source: 'chatgpt',
      content: sampleContent(4),
      tags: ['  Work  Stuff ', 'work stuff', 'Ideas'],
      metadata: { model: 'gpt-4o' },
    });
    expect(log).toMatchObject({
      source: 'chatgpt',
      title: 'Message 0: How do ferries work?',
      summary: null,
      version: 1,
      messageCount: 4,
      tags: ['ideas', 'work stuff'],
      metadata: { model: 'gpt-4o' },
      startedAt: new Date(Date.UTC(2024, 0, 1, 12, 0)),
    });
    expect(log.content.messages).toHaveLength(4);
    const versions = await h.db.orm.em.fork().find(ChatVersion, { chatlog: log.id });
    expect(versions.map((v) => [v.version, v.change])).toEqual([[1, 'created']]);
    expect(await alice.chatlogs.get({ id: log.id })).toEqual(log);
  });

  it('keeps rich messages intact', async () => {
    const content = {
      messages: [
        { role: 'system' as const, content: 'Be brief.' },
        { role: 'user' as const, content: 'Plot **x²**', id: 'm1', metadata: { edited: true } },
        {
          role: 'assistant' as const,
          content: 'Here:',
          model: 'gpt-4o',
          parts: [{ type: 'code' as const, language: 'python', text: 'print(1)' }, { type: 'thinking' as const, text: 'hmm' }],
        },
        { role: 'tool' as const, content: '1', name: 'python' },
      ],
    };
    const log = await alice.chatlogs.create({ source: 'api', title: 'Rich', content });
    expect((await alice.chatlogs.get({ id: log.id })).content).toEqual(content);
  });

  it('pages through a list with stable cursors, filters and sort orders', async () => {
    const { caller } = await h.signUp('lister');
    const made: string[] = [];
    for (let i = 0; i < 7; i++) {
      const log = await caller.chatlogs.create({
        source: i % 2 ? 'claude' : 'chatgpt',
        title: `Log ${i}`,
        content: sampleContent(2, i * 10),
        tags: i % 3 === 0 ? ['a', 'b'] : ['a'],
      });
      made.push(log.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<Caller['chatlogs']['list']>> = await caller.chatlogs.list({ limit: 3, cursor, sort: 'createdAt' });
      expect(page.items.length).toBeLessThanOrEqual(3);
      expect(page.items[0]).not.toHaveProperty('content');
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...made].reverse());

    const asc = await caller.chatlogs.list({ sort: 'createdAt', order: 'asc', limit: 100 });
    expect(asc.items.map((i) => i.id)).toEqual(made);
    expect((await caller.chatlogs.list({ source: 'claude' })).items).toHaveLength(3);
    expect((await caller.chatlogs.list({ tags: ['A', 'b'] })).items.map((i) => i.title).sort()).toEqual(['Log 0', 'Log 3', 'Log 6']);
    expect((await caller.chatlogs.list({ tags: ['a', 'missing'] })).items).toHaveLength(0);

    const inRange = await caller.chatlogs.list({
      from: new Date(Date.UTC(2024, 0, 1, 12, 20)),
      to: new Date(Date.UTC(2024, 0, 1, 12, 40)),
      limit: 100,
    });
    expect(inRange.items.map((i) => i.title).sort()).toEqual(['Log 2', 'Log 3', 'Log 4']);
    expect(await codeOf(caller.chatlogs.list({ cursor: 'garbage' }))).toBe('BAD_REQUEST');
  });

  it('updates with expectedVersion, writing a version row; a stale version is CONFLICT and changes nothing', async () => {
    const log = await alice.chatlogs.create({ source: 'api', title: 'Draft', content: sampleContent(2) });
    const updated = await alice.chatlogs.update({ id: log.id, expectedVersion: 1, title: 'Final', content: sampleContent(3) });
    expect(updated).toMatchObject({ version: 2, title: 'Final', messageCount: 3 });
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(log.updatedAt.getTime());

    expect(await codeOf(alice.chatlogs.update({ id: log.id, expectedVersion: 1, title: 'Lost update' }))).toBe('CONFLICT');
    expect(await alice.chatlogs.get({ id: log.id })).toEqual(updated);
    const versions = await h.db.orm.em.fork().find(ChatVersion, { chatlog: log.id }, { orderBy: { version: 'asc' } });
    expect(versions.map((v) => [v.version, v.change, v.title])).toEqual([
      [1, 'created', 'Draft'],
      [2, 'edited', 'Final'],
    ]);
  });

  it('lets exactly one of ten concurrent updates with the same expectedVersion through', async () => {
    const log = await alice.chatlogs.create({ source: 'api', title: 'Race', content: sampleContent(2) });
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => alice.chatlogs.update({ id: log.id, expectedVersion: 1, title: `Writer ${i}` })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const conflicts = results.filter((r) => r.status === 'rejected' && (r.reason as TRPCError).code === 'CONFLICT');
    expect(ok).toHaveLength(1);
    expect(conflicts).toHaveLength(9);
    const stored = await alice.chatlogs.get({ id: log.id });
    const versions = await h.db.orm.em.fork().find(ChatVersion, { chatlog: log.id }, { orderBy: { version: 'asc' } });
    expect(stored.version).toBe(2);
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[1]!.title).toBe(stored.title);
  });

  it('moves deleted logs to the trash, restores them, and purges only from the trash', async () => {
    const log = await alice.chatlogs.create({ source: 'api', title: 'Trash me', content: sampleContent(2) });
    expect(await codeOf(alice.chatlogs.purge({ id: log.id }))).toBe('NOT_FOUND');
    await alice.chatlogs.delete({ id: log.id });
    expect(await codeOf(alice.chatlogs.get({ id: log.id }))).toBe('NOT_FOUND');
    expect(await codeOf(alice.chatlogs.update({ id: log.id, expectedVersion: 1, title: 'x' }))).toBe('NOT_FOUND');
    expect(await codeOf(alice.chatlogs.setTags({ id: log.id, tags: ['x'] }))).toBe('NOT_FOUND');
    expect(await codeOf(alice.chatlogs.delete({ id: log.id }))).toBe('NOT_FOUND');
    expect((await alice.chatlogs.list({ limit: 100 })).items.map((i) => i.id)).not.toContain(log.id);
    const trash = await alice.chatlogs.trash();
    expect(trash.items.map((i) => i.id)).toContain(log.id);

    await expect(alice.chatlogs.restore({ id: log.id })).resolves.toMatchObject({ id: log.id, title: 'Trash me' });
    expect((await alice.chatlogs.get({ id: log.id })).title).toBe('Trash me');

    await alice.chatlogs.delete({ id: log.id });
    await alice.chatlogs.purge({ id: log.id });
    expect(await h.db.orm.em.fork().count(ChatLog, { id: log.id })).toBe(0);
    expect(await h.db.orm.em.fork().count(ChatVersion, { chatlog: log.id })).toBe(0);
  });

  it('replaces tags, creating missing tag names', async () => {
    const log = await alice.chatlogs.create({ source: 'api', title: 'Tagged', content: sampleContent(2), tags: ['old'] });
    await expect(alice.chatlogs.setTags({ id: log.id, tags: ['New Tag', ' new   tag ', 'second'] })).resolves.toEqual({
      tags: ['new tag', 'second'],
    });
    expect((await alice.chatlogs.get({ id: log.id })).tags).toEqual(['new tag', 'second']);
    await alice.chatlogs.setTags({ id: log.id, tags: [] });
    expect((await alice.chatlogs.get({ id: log.id })).tags).toEqual([]);
  });

  it("answers NOT_FOUND for another user's log in every procedure and changes nothing", async () => {
    const log = await alice.chatlogs.create({ source: 'api', title: 'Private', content: sampleContent(2), tags: ['mine'] });
    const calls = [
      () => bob.chatlogs.get({ id: log.id }),
      () => bob.chatlogs.update({ id: log.id, expectedVersion: 1, title: 'Hacked' }),
      () => bob.chatlogs.delete({ id: log.id }),
      () => bob.chatlogs.setTags({ id: log.id, tags: ['hacked'] }),
      () => bob.chatlogs.restore({ id: log.id }),
      () => bob.chatlogs.purge({ id: log.id }),
    ];
    for (const call of calls) expect(await codeOf(call())).toBe('NOT_FOUND');
    expect(await codeOf(bob.chatlogs.get({ id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' }))).toBe('NOT_FOUND');
    expect((await bob.chatlogs.list({ limit: 100 })).items.map((i) => i.id)).not.toContain(log.id);
    expect((await bob.chatlogs.trash()).items).toHaveLength(0);
    expect(await alice.chatlogs.get({ id: log.id })).toMatchObject({ title: 'Private', version: 1, tags: ['mine'] });

    await alice.chatlogs.delete({ id: log.id });
    expect(await codeOf(bob.chatlogs.restore({ id: log.id }))).toBe('NOT_FOUND');
    expect(await codeOf(bob.chatlogs.purge({ id: log.id }))).toBe('NOT_FOUND');
    expect((await alice.chatlogs.trash()).items.map((i) => i.id)).toContain(log.id);
  });

  it('enforces every bound with BAD_REQUEST, field errors, and nothing stored', async () => {
    const counts = async () => {
      const em = h.db.orm.em.fork();
      return [await em.count(ChatLog), await em.count(ChatVersion), await em.count(Tag)];
    };
    const before = await counts();
    const ok = { source: 'api', content: sampleContent(2) };
    const bad: unknown[] = [
      { ...ok, title: 't'.repeat(501) },
      { ...ok, title: '   ' },
      { ...ok, source: '' },
      { ...ok, source: 's'.repeat(65) },
      { ...ok, tags: Array.from({ length: 33 }, (_, i) => `t${i}`) },
      { ...ok, tags: ['x'.repeat(65)] },
      { ...ok, tags: ['   '] },
      { ...ok, content: { messages: [{ role: 'wizard', content: 'hi' }] } },
      { ...ok, content: { messages: [{ role: 'user', content: 'nul \u0000 byte' }] } },
      { ...ok, content: { messages: [{ role: 'user', content: 'lone \ud800 surrogate' }] } },
      { ...ok, content: { messages: [{ role: 'user', content: 'hi', createdAt: 'yesterday' }] } },
      { ...ok, content: { messages: [], extra: 1 } },
      { ...ok, metadata: { big: 'x'.repeat(300 * 1024) } },
      { ...ok, metadata: { when: 10n } },
      { ...ok, userId: 'someone-else' },
      { ...ok, version: 7 },
    ];
    for (const input of bad) {
      const error = await alice.chatlogs.create(input as never).catch((e: TRPCError) => e);
      expect(error, JSON.stringify(input, (_k, v) => (typeof v === 'bigint' ? String(v) : v)).slice(0, 120)).toMatchObject({ code: 'BAD_REQUEST' });
    }
    const listBad = [{ limit: 0 }, { limit: 101 }, { sort: 'title' }, { extra: true }, { from: new Date(-8.64e15) }, { to: new Date(8.64e15) }];
    for (const input of listBad) expect(await codeOf(alice.chatlogs.list(input as never))).toBe('BAD_REQUEST');
    expect(await codeOf(alice.chatlogs.get({ id: 'not-a-uuid' }))).toBe('BAD_REQUEST');
    expect(await counts()).toEqual(before);
  });
});
