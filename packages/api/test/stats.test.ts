import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, createHarness, type Harness } from './harness';

const at = (iso: string, n = 2) => ({
  messages: Array.from({ length: n }, (_, i) => ({
    role: i % 2 === 0 ? ('user' as const) : ('assistant' as const),
    content: `message ${i}`,
    createdAt: iso,
  })),
});

describe('chat log stats', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h?.close());

  it('is all zeros for a new user', async () => {
    const { caller } = await h.signUp();
    expect(await caller.chatlogs.stats()).toEqual({
      totals: { chatlogs: 0, messages: 0, annotations: 0 },
      perSource: [],
      perMonth: [],
      topTags: [],
    });
  });

  it("counts the caller's logs outside the trash by source, UTC month and tag", async () => {
    const { caller: alice } = await h.signUp();
    const { caller: bob } = await h.signUp();
    const a = await alice.chatlogs.create({ source: 'chatgpt', title: 'a', content: at('2024-01-10T10:00:00Z', 4), tags: ['t1', 't2'] });
    // 23:30 on 31 January in New York is February in UTC.
    await alice.chatlogs.create({ source: 'chatgpt', title: 'b', content: at('2024-01-31T23:30:00-05:00', 2), tags: ['t1'] });
    await alice.chatlogs.create({ source: 'claude', title: 'c', content: at('2024-02-03T08:00:00Z', 3), tags: ['t1', 't3'] });
    // No message times: counted in the month it was stored.
    await alice.chatlogs.create({ source: 'claude', title: 'd', content: { messages: [{ role: 'user', content: 'hi' }] } });
    const trashed = await alice.chatlogs.create({ source: 'gemini', title: 'e', content: at('2023-05-01T00:00:00Z', 9), tags: ['t9'] });
    await alice.annotations.create({ chatlogId: a.id, content: 'one' });
    await alice.annotations.create({ chatlogId: a.id, content: 'two', messageIndex: 1 });
    await alice.annotations.create({ chatlogId: trashed.id, content: 'in the trash' });
    await alice.chatlogs.delete({ id: trashed.id });
    await bob.chatlogs.create({ source: 'chatgpt', title: 'bob', content: at('2024-01-10T10:00:00Z', 7), tags: ['t1'] });

    const now = new Date();
    const thisMonth = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
    expect(await alice.chatlogs.stats()).toEqual({
      totals: { chatlogs: 4, messages: 10, annotations: 2 },
      perSource: [
        { source: 'chatgpt', chatlogs: 2, messages: 6 },
        { source: 'claude', chatlogs: 2, messages: 4 },
      ],
      perMonth: [
        { month: '2024-01', source: 'chatgpt', chatlogs: 1 },
        { month: '2024-02', source: 'chatgpt', chatlogs: 1 },
        { month: '2024-02', source: 'claude', chatlogs: 1 },
        { month: thisMonth, source: 'claude', chatlogs: 1 },
      ],
      topTags: [
        { name: 't1', count: 3 },
        { name: 't2', count: 1 },
        { name: 't3', count: 1 },
      ],
    });
  });

  it('keeps the ten most used tags', async () => {
    const { caller } = await h.signUp();
    const names = Array.from({ length: 12 }, (_, i) => `tag-${String(i).padStart(2, '0')}`);
    // tag-00 on 12 logs, tag-01 on 11, ... tag-11 on 1.
    for (let n = 0; n < 12; n++) {
      await caller.chatlogs.create({ source: 'api', title: `log ${n}`, content: at('2024-03-01T00:00:00Z', 1), tags: names.slice(0, 12 - n) });
    }
    const { topTags } = await caller.chatlogs.stats();
    expect(topTags).toEqual(names.slice(0, 10).map((name, i) => ({ name, count: 12 - i })));
  });

  it('needs a session', async () => {
    expect(await codeOf(h.anonymous.chatlogs.stats())).toBe('UNAUTHORIZED');
  });
});
