import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tag } from '@chatsynth/db';
import { codeOf, createHarness, sampleContent, type Caller, type Harness } from './harness';

describe('tags', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h?.close());

  const tagged = (caller: Caller, tags: string[], title = tags.join(',') || 'untagged') =>
    caller.chatlogs.create({ source: 'api', title, content: sampleContent(2), tags });
  const tagsOf = async (caller: Caller, id: string) => (await caller.chatlogs.get({ id })).tags;

  it("lists the caller's tags by count, then name, counting only logs outside the trash", async () => {
    const { caller: alice } = await h.signUp();
    const { caller: bob } = await h.signUp();
    expect(await alice.tags.list()).toEqual([]);
    await tagged(alice, ['work', 'ideas']);
    await tagged(alice, ['work', 'travel']);
    await tagged(alice, ['ideas', 'work']);
    const trashed = await tagged(alice, ['travel', 'only-in-trash']);
    await alice.chatlogs.delete({ id: trashed.id });
    await tagged(bob, ['work', 'bob-only']);
    expect(await alice.tags.list()).toEqual([
      { name: 'work', count: 3 },
      { name: 'ideas', count: 2 },
      { name: 'travel', count: 1 },
    ]);
    expect(await bob.tags.list()).toEqual([
      { name: 'bob-only', count: 1 },
      { name: 'work', count: 1 },
    ]);
  });

  it("renames on the caller's logs only, leaving the shared name and other users alone", async () => {
    const { caller: alice } = await h.signUp();
    const { caller: bob } = await h.signUp();
    const a1 = await tagged(alice, ['rename-me', 'other']);
    const a2 = await tagged(alice, ['rename-me']);
    const b1 = await tagged(bob, ['rename-me']);
    expect(await alice.tags.rename({ from: '  Rename-Me ', to: 'Renamed   Tag' })).toEqual({ name: 'renamed tag', count: 2 });
    expect(await tagsOf(alice, a1.id)).toEqual(['other', 'renamed tag']);
    expect(await tagsOf(alice, a2.id)).toEqual(['renamed tag']);
    expect(await tagsOf(bob, b1.id)).toEqual(['rename-me']);
    expect(await bob.tags.list()).toEqual([{ name: 'rename-me', count: 1 }]);
    // The shared row is untouched; the new name is a row of its own.
    const em = h.db.orm.em.fork();
    expect(await em.count(Tag, { name: 'rename-me' })).toBe(1);
    expect(await em.count(Tag, { name: 'renamed tag' })).toBe(1);
    expect(await codeOf(alice.tags.rename({ from: 'rename-me', to: 'x' }))).toBe('NOT_FOUND');
  });

  it('merges into `to` when the caller already uses it', async () => {
    const { caller: alice } = await h.signUp();
    const both = await tagged(alice, ['js', 'javascript']);
    const onlyOld = await tagged(alice, ['js']);
    const onlyNew = await tagged(alice, ['javascript', 'web']);
    expect(await alice.tags.rename({ from: 'js', to: 'javascript' })).toEqual({ name: 'javascript', count: 3 });
    expect(await tagsOf(alice, both.id)).toEqual(['javascript']);
    expect(await tagsOf(alice, onlyOld.id)).toEqual(['javascript']);
    expect(await tagsOf(alice, onlyNew.id)).toEqual(['javascript', 'web']);
    expect(await alice.tags.list()).toEqual([
      { name: 'javascript', count: 3 },
      { name: 'web', count: 1 },
    ]);
    // Renaming to the same normalised name changes nothing.
    expect(await alice.tags.rename({ from: 'JavaScript', to: ' javascript ' })).toEqual({ name: 'javascript', count: 3 });
  });

  it('renames and deletes on logs in the trash too, so a restored log has current names', async () => {
    const { caller: alice } = await h.signUp();
    const live = await tagged(alice, ['draft']);
    const trashed = await tagged(alice, ['draft', 'old']);
    await alice.chatlogs.delete({ id: trashed.id });
    expect(await alice.tags.rename({ from: 'draft', to: 'final' })).toEqual({ name: 'final', count: 1 });
    expect(await alice.tags.delete({ name: 'old' })).toEqual({ ok: true });
    await alice.chatlogs.restore({ id: trashed.id });
    expect(await tagsOf(alice, trashed.id)).toEqual(['final']);
    expect(await tagsOf(alice, live.id)).toEqual(['final']);
  });

  it("deletes a tag from the caller's logs only", async () => {
    const { caller: alice } = await h.signUp();
    const { caller: bob } = await h.signUp();
    const a1 = await tagged(alice, ['gone', 'kept']);
    const b1 = await tagged(bob, ['gone']);
    expect(await alice.tags.delete({ name: ' GONE ' })).toEqual({ ok: true });
    expect(await tagsOf(alice, a1.id)).toEqual(['kept']);
    expect(await tagsOf(bob, b1.id)).toEqual(['gone']);
    expect(await h.db.orm.em.fork().count(Tag, { name: 'gone' })).toBe(1);
    expect(await codeOf(alice.tags.delete({ name: 'gone' }))).toBe('NOT_FOUND');
  });

  it("answers NOT_FOUND for a tag the caller does not use, even one another user has, and changes nothing", async () => {
    const { caller: alice } = await h.signUp();
    const { caller: bob } = await h.signUp();
    const b1 = await tagged(bob, ['private-tag']);
    await tagged(alice, ['mine']);
    expect(await codeOf(alice.tags.rename({ from: 'private-tag', to: 'stolen' }))).toBe('NOT_FOUND');
    expect(await codeOf(alice.tags.rename({ from: 'private-tag', to: 'mine' }))).toBe('NOT_FOUND');
    expect(await codeOf(alice.tags.delete({ name: 'private-tag' }))).toBe('NOT_FOUND');
    expect(await codeOf(alice.tags.rename({ from: 'never-used-anywhere', to: 'x' }))).toBe('NOT_FOUND');
    expect(await codeOf(alice.tags.delete({ name: 'never-used-anywhere' }))).toBe('NOT_FOUND');
    expect(await tagsOf(bob, b1.id)).toEqual(['private-tag']);
    expect(await alice.tags.list()).toEqual([{ name: 'mine', count: 1 }]);
    expect(await h.db.orm.em.fork().count(Tag, { name: 'stolen' })).toBe(0);
  });

  it('refuses bad names with BAD_REQUEST and changes nothing', async () => {
    const { caller: alice } = await h.signUp();
    const log = await tagged(alice, ['keep']);
    const bad: Array<() => Promise<unknown>> = [
      () => alice.tags.rename({ from: 'keep', to: '' }),
      () => alice.tags.rename({ from: 'keep', to: '    ' }),
      () => alice.tags.rename({ from: 'keep', to: 'x'.repeat(65) }),
      () => alice.tags.rename({ from: 'keep', to: 'x'.repeat(257) }),
      () => alice.tags.rename({ from: 'keep', to: 'nul\u0000' }),
      () => alice.tags.rename({ from: 'keep' } as never),
      () => alice.tags.rename({ from: 'keep', to: 'new', extra: true } as never),
      () => alice.tags.rename({ from: ['keep'], to: 'new' } as never),
      () => alice.tags.delete({ name: '' }),
      () => alice.tags.delete({ name: 'x'.repeat(65) }),
      () => alice.tags.delete({} as never),
      () => alice.tags.delete({ name: 'keep', all: true } as never),
    ];
    for (const call of bad) expect(await codeOf(call())).toBe('BAD_REQUEST');
    expect(await tagsOf(alice, log.id)).toEqual(['keep']);
  });

  it('needs a session', async () => {
    expect(await codeOf(h.anonymous.tags.list())).toBe('UNAUTHORIZED');
    expect(await codeOf(h.anonymous.tags.rename({ from: 'a', to: 'b' }))).toBe('UNAUTHORIZED');
    expect(await codeOf(h.anonymous.tags.delete({ name: 'a' }))).toBe('UNAUTHORIZED');
  });
});
