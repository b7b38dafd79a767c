import type { TRPCError } from '@trpc/server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatLog, ChatVersion } from '@chatsynth/db';
import { canonicalJson } from '../src/services/canonical-json';
import { codeOf, createHarness, sampleContent, type Caller, type Harness } from './harness';

const MISSING_ID = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const msg = (role: 'user' | 'assistant', content: string, id?: string) => (id ? { role, content, id } : { role, content });

describe('versions', () => {
  let h: Harness;
  let alice: Caller;
  let bob: Caller;
  beforeAll(async () => {
    h = await createHarness();
    alice = (await h.signUp('alice')).caller;
    bob = (await h.signUp('bob')).caller;
  });
  afterAll(async () => h?.close());

  /** A log at version 3: created, then two edits. */
  async function threeVersions(caller = alice) {
    const log = await caller.chatlogs.create({
      source: 'api',
      title: 'First',
      summary: 'about ferries',
      content: sampleContent(2),
      metadata: { round: 1 },
    });
    await caller.chatlogs.update({ id: log.id, expectedVersion: 1, title: 'Second', content: sampleContent(3) });
    await caller.chatlogs.update({ id: log.id, expectedVersion: 2, summary: null, metadata: { round: 3 } });
    return log;
  }

  it('lists every version newest first and returns each one whole', async () => {
    const log = await threeVersions();
    const list = await alice.versions.list({ chatlogId: log.id });
    expect(list).toEqual([
      { version: 3, createdAt: expect.any(Date), title: 'Second', messageCount: 3, change: 'edited' },
      { version: 2, createdAt: expect.any(Date), title: 'Second', messageCount: 3, change: 'edited' },
      { version: 1, createdAt: expect.any(Date), title: 'First', messageCount: 2, change: 'created' },
    ]);
    expect(list[0]).not.toHaveProperty('content');

    expect(await alice.versions.get({ chatlogId: log.id, version: 1 })).toEqual({
      version: 1,
      title: 'First',
      summary: 'about ferries',
      content: sampleContent(2),
      metadata: { round: 1 },
      createdAt: list[2]!.createdAt,
      change: 'created',
    });
    expect(await alice.versions.get({ chatlogId: log.id, version: 3 })).toMatchObject({
      summary: null,
      metadata: { round: 3 },
      content: sampleContent(3),
    });
    expect(await codeOf(alice.versions.get({ chatlogId: log.id, version: 4 }))).toBe('NOT_FOUND');
  });

  it('restores an old version as a new one, keeping history, and CONFLICTs on a stale expectedVersion', async () => {
    const log = await threeVersions();
    expect(await codeOf(alice.versions.restore({ chatlogId: log.id, version: 1, expectedVersion: 2 }))).toBe('CONFLICT');
    expect(await codeOf(alice.versions.restore({ chatlogId: log.id, version: 1, expectedVersion: 4 }))).toBe('CONFLICT');
    expect((await alice.versions.list({ chatlogId: log.id })).map((v) => v.version)).toEqual([3, 2, 1]);

    const historyBefore = await Promise.all([1, 2, 3].map((version) => alice.versions.get({ chatlogId: log.id, version })));
    const restored = await alice.versions.restore({ chatlogId: log.id, version: 1, expectedVersion: 3 });
    expect(restored).toMatchObject({
      id: log.id,
      version: 4,
      title: 'First',
      summary: 'about ferries',
      metadata: { round: 1 },
      messageCount: 2,
      content: sampleContent(2),
    });
    expect(await alice.chatlogs.get({ id: log.id })).toEqual(restored);
    const list = await alice.versions.list({ chatlogId: log.id });
    expect(list.map((v) => [v.version, v.change, v.title])).toEqual([
      [4, 'restored', 'First'],
      [3, 'edited', 'Second'],
      [2, 'edited', 'Second'],
      [1, 'created', 'First'],
    ]);
    const historyAfter = await Promise.all([1, 2, 3].map((version) => alice.versions.get({ chatlogId: log.id, version })));
    expect(historyAfter).toEqual(historyBefore);
    expect(await alice.versions.get({ chatlogId: log.id, version: 4 })).toMatchObject({
      ...historyBefore[0],
      version: 4,
      change: 'restored',
      createdAt: expect.any(Date),
    });

    // The restored log keeps working with ordinary updates.
    await expect(alice.chatlogs.update({ id: log.id, expectedVersion: 4, title: 'Fifth' })).resolves.toMatchObject({ version: 5 });
  });

  it('writes nothing when the version restored equals the current state', async () => {
    const log = await alice.chatlogs.create({ source: 'api', title: 'Same', content: sampleContent(2) });
    await alice.chatlogs.update({ id: log.id, expectedVersion: 1, title: 'Other' });
    await alice.chatlogs.update({ id: log.id, expectedVersion: 2, title: 'Same' });
    const current = await alice.chatlogs.get({ id: log.id });
    expect(await alice.versions.restore({ chatlogId: log.id, version: 1, expectedVersion: 3 })).toEqual(current);
    expect(await alice.versions.restore({ chatlogId: log.id, version: 3, expectedVersion: 3 })).toEqual(current);
    expect((await alice.versions.list({ chatlogId: log.id })).map((v) => v.version)).toEqual([3, 2, 1]);
  });

  it('lets exactly one of ten concurrent restores with the same expectedVersion through', async () => {
    const log = await alice.chatlogs.create({ source: 'api', title: 'Race', content: sampleContent(2) });
    await alice.chatlogs.update({ id: log.id, expectedVersion: 1, title: 'Edited', content: sampleContent(4) });
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => alice.versions.restore({ chatlogId: log.id, version: 1, expectedVersion: 2 })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const conflicts = results.filter((r) => r.status === 'rejected' && (r.reason as TRPCError).code === 'CONFLICT');
    expect(ok).toHaveLength(1);
    expect(conflicts).toHaveLength(9);
    const stored = await alice.chatlogs.get({ id: log.id });
    expect(stored).toMatchObject({ version: 3, title: 'Race', messageCount: 2 });
    const versions = await h.db.orm.em.fork().find(ChatVersion, { chatlog: log.id }, { orderBy: { version: 'asc' } });
    expect(versions.map((v) => [v.version, v.change])).toEqual([
      [1, 'created'],
      [2, 'edited'],
      [3, 'restored'],
    ]);
  });

  it('diffs message by message: an insertion in the middle, an edit and a removal', async () => {
    const a = msg('user', 'A: how do ferries work?');
    const b = msg('assistant', 'B: they float.');
    const c = msg('user', 'C: and in winter?');
    const d = msg('assistant', 'D: ice breakers go first.');
    const e = msg('user', 'E: thanks');
    const x = msg('assistant', 'X: an inserted answer');
    const cEdited = msg('user', 'C: and in winter, when the sea freezes?');
    const log = await alice.chatlogs.create({ source: 'api', title: 'Ferries', content: { messages: [a, b, c, d, e] } });
    await alice.chatlogs.update({
      id: log.id,
      expectedVersion: 1,
      title: 'Ferries in winter',
      content: { messages: [a, x, b, cEdited, e] },
    });

    const diff = await alice.versions.diff({ chatlogId: log.id, from: 1, to: 2 });
    expect(diff.title).toEqual({ before: 'Ferries', after: 'Ferries in winter', changed: true });
    expect(diff.messages).toEqual([
      { op: 'added', index: 1, after: x },
      { op: 'changed', index: 3, before: c, after: cEdited },
      { op: 'removed', index: 3, before: d },
    ]);

    const back = await alice.versions.diff({ chatlogId: log.id, from: 2, to: 1 });
    expect(back.title).toEqual({ before: 'Ferries in winter', after: 'Ferries', changed: true });
    expect(back.messages).toEqual([
      { op: 'removed', index: 1, before: x },
      { op: 'changed', index: 2, before: cEdited, after: c },
      { op: 'added', index: 3, after: d },
    ]);
    expect(await alice.versions.diff({ chatlogId: log.id, from: 2, to: 2 })).toMatchObject({
      title: { before: 'Ferries in winter', after: 'Ferries in winter', changed: false },
      messages: [],
    });
    expect(await codeOf(alice.versions.diff({ chatlogId: log.id, from: 1, to: 3 }))).toBe('NOT_FOUND');
  });

  it('aligns messages by their platform id, so an edited message with an id is one change', async () => {
    const log = await alice.chatlogs.create({
      source: 'chatgpt',
      title: 'Ids',
      content: { messages: [msg('user', 'one', 'm1'), msg('assistant', 'two', 'm2'), msg('user', 'three', 'm3')] },
    });
    await alice.chatlogs.update({
      id: log.id,
      expectedVersion: 1,
      content: { messages: [msg('user', 'one', 'm1'), msg('assistant', 'two, revised', 'm2'), msg('user', 'three', 'm3')] },
    });
    const diff = await alice.versions.diff({ chatlogId: log.id, from: 1, to: 2 });
    expect(diff.title.changed).toBe(false);
    expect(diff.messages).toEqual([
      { op: 'changed', index: 1, before: msg('assistant', 'two', 'm2'), after: msg('assistant', 'two, revised', 'm2') },
    ]);
  });

  it("answers NOT_FOUND for another user's log or a trashed one in every procedure, and changes nothing", async () => {
    const log = await threeVersions();
    const callsBy = (caller: Caller) => [
      () => caller.versions.list({ chatlogId: log.id }),
      () => caller.versions.get({ chatlogId: log.id, version: 1 }),
      () => caller.versions.diff({ chatlogId: log.id, from: 1, to: 3 }),
      () => caller.versions.restore({ chatlogId: log.id, version: 1, expectedVersion: 3 }),
    ];
    for (const call of callsBy(bob)) expect(await codeOf(call())).toBe('NOT_FOUND');
    for (const call of [
      () => bob.versions.list({ chatlogId: MISSING_ID }),
      () => bob.versions.get({ chatlogId: MISSING_ID, version: 1 }),
      () => bob.versions.restore({ chatlogId: MISSING_ID, version: 1, expectedVersion: 1 }),
    ]) {
      expect(await codeOf(call())).toBe('NOT_FOUND');
    }
    expect(await alice.chatlogs.get({ id: log.id })).toMatchObject({ version: 3, title: 'Second' });
    expect(await alice.versions.list({ chatlogId: log.id })).toHaveLength(3);

    await alice.chatlogs.delete({ id: log.id });
    for (const call of callsBy(alice)) expect(await codeOf(call())).toBe('NOT_FOUND');
    await alice.chatlogs.restore({ id: log.id });
    expect(await alice.chatlogs.get({ id: log.id })).toMatchObject({ version: 3, title: 'Second' });
    expect(await alice.versions.list({ chatlogId: log.id })).toHaveLength(3);
  });

  it('refuses bad input with BAD_REQUEST and changes nothing', async () => {
    const log = await threeVersions();
    const bad: Array<() => Promise<unknown>> = [
      () => alice.versions.list({ chatlogId: 'not-a-uuid' }),
      () => alice.versions.list({ chatlogId: log.id, extra: 1 } as never),
      () => alice.versions.list({} as never),
      () => alice.versions.get({ chatlogId: log.id, version: 0 }),
      () => alice.versions.get({ chatlogId: log.id, version: -1 }),
      () => alice.versions.get({ chatlogId: log.id, version: 1.5 }),
      () => alice.versions.get({ chatlogId: log.id, version: 2 ** 31 }),
      () => alice.versions.get({ chatlogId: log.id, version: '1' as never }),
      () => alice.versions.diff({ chatlogId: log.id, from: 1 } as never),
      () => alice.versions.diff({ chatlogId: log.id, from: 0, to: 1 }),
      () => alice.versions.diff({ chatlogId: log.id, from: 1, to: Number.MAX_SAFE_INTEGER }),
      () => alice.versions.restore({ chatlogId: log.id, version: 1 } as never),
      () => alice.versions.restore({ chatlogId: log.id, version: 1, expectedVersion: 0 }),
      () => alice.versions.restore({ chatlogId: log.id, version: 1, expectedVersion: 3, title: 'x' } as never),
      () => alice.versions.restore({ chatlogId: log.id, version: 2 ** 31, expectedVersion: 3 }),
    ];
    for (const call of bad) expect(await codeOf(call())).toBe('BAD_REQUEST');
    expect(await alice.chatlogs.get({ id: log.id })).toMatchObject({ version: 3 });
    expect(await h.db.orm.em.fork().count(ChatVersion, { chatlog: log.id })).toBe(3);
  });

  it('purging a log takes its versions with it', async () => {
    const log = await threeVersions();
    await alice.chatlogs.delete({ id: log.id });
    await alice.chatlogs.purge({ id: log.id });
    const em = h.db.orm.em.fork();
    expect(await em.count(ChatLog, { id: log.id })).toBe(0);
    expect(await em.count(ChatVersion, { chatlog: log.id })).toBe(0);
    expect(await codeOf(alice.versions.list({ chatlogId: log.id }))).toBe('NOT_FOUND');
  });

  it('keeps versions consistent with the log through any sequence of edits and restores', async () => {
    const { caller } = await h.signUp('prop');
    type State = {
      title: string;
      summary: string | null;
      content: { messages: Array<{ role: 'user' | 'assistant'; content: string; metadata?: Record<string, number> }> };
    };
    // Metadata keys in any order: equal content must count as equal however its keys arrive.
    const message = fc.record(
      {
        role: fc.constantFrom('user' as const, 'assistant' as const),
        content: fc.string({ maxLength: 12 }),
        metadata: fc.dictionary(fc.constantFrom('a', 'bb', 'c'), fc.nat(2), { maxKeys: 3 }),
      },
      { requiredKeys: ['role', 'content'] },
    );
    const edit = fc.record({
      kind: fc.constant('edit' as const),
      title: fc.option(fc.constantFrom('Alpha', 'Beta', 'Gamma'), { nil: undefined }),
      summary: fc.option(fc.constantFrom('one', 'two', null), { nil: undefined }),
      content: fc.option(fc.record({ messages: fc.array(message, { maxLength: 3 }) }), { nil: undefined }),
    });
    const restore = fc.record({ kind: fc.constant('restore' as const), pick: fc.nat() });

    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(edit, restore), { minLength: 1, maxLength: 8 }), async (ops) => {
        const first: State = { title: 'Alpha', summary: null, content: { messages: [{ role: 'user', content: 'hi' }] } };
        const log = await caller.chatlogs.create({ source: 'prop', ...first });
        const history: Array<State & { change: string }> = [{ ...first, change: 'created' }];
        for (const op of ops) {
          const current = history[history.length - 1]!;
          const expectedVersion = history.length;
          let next: State;
          if (op.kind === 'edit') {
            next = {
              title: op.title ?? current.title,
              summary: op.summary !== undefined ? op.summary : current.summary,
              content: op.content ?? current.content,
            };
            await caller.chatlogs.update({ id: log.id, expectedVersion, title: op.title, summary: op.summary, content: op.content });
          } else {
            const version = (op.pick % history.length) + 1;
            next = { title: history[version - 1]!.title, summary: history[version - 1]!.summary, content: history[version - 1]!.content };
            await caller.versions.restore({ chatlogId: log.id, version, expectedVersion });
          }
          const { change: _change, ...currentState } = current;
          // Compared as JSON: fast-check may hand over objects without a prototype, equal all the same.
          if (canonicalJson(next) !== canonicalJson(currentState)) history.push({ ...next, change: op.kind === 'edit' ? 'edited' : 'restored' });
        }

        const stored = await caller.chatlogs.get({ id: log.id });
        const list = await caller.versions.list({ chatlogId: log.id });
        expect(list.map((v) => v.version)).toEqual(history.map((_, i) => history.length - i));
        expect(list.map((v) => v.change)).toEqual(history.map((s) => s.change).reverse());
        expect(stored.version).toBe(list[0]!.version);
        expect(stored.title).toBe(list[0]!.title);
        expect({ title: stored.title, summary: stored.summary, content: stored.content }).toEqual({
          title: history.at(-1)!.title,
          summary: history.at(-1)!.summary,
          content: history.at(-1)!.content,
        });
        for (const [i, state] of history.entries()) {
          const version = await caller.versions.get({ chatlogId: log.id, version: i + 1 });
          expect({ title: version.title, summary: version.summary, content: version.content, change: version.change }).toEqual(state);
          expect(list[history.length - 1 - i]!.messageCount).toBe(state.content.messages.length);
        }
      }),
      { numRuns: 15 },
    );
  });
});
