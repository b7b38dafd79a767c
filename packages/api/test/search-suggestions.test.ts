import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareConversation, writeBatch } from '../src/services/import-writer';
import { editDistance, oneEditAway } from '../src/services/search-suggestions';
import { createHarness, type Caller, type Harness } from './harness';

type Role = 'user' | 'assistant';
const conversation = (texts: string[]) => ({
  messages: texts.map((content, i) => ({ role: (i % 2 === 0 ? 'user' : 'assistant') as Role, content })),
});

describe('chatlogs.search suggestions', () => {
  let h: Harness;
  let alice: Caller;
  let bob: Caller;
  let aliceId: string;
  beforeAll(async () => {
    h = await createHarness();
    const a = await h.signUp('alice');
    alice = a.caller;
    aliceId = a.user.id;
    bob = (await h.signUp('bob')).caller;
    await alice.chatlogs.create({ source: 'api', title: 'Reptiles', content: conversation(['Are python snakes venomous?', 'No, pythons constrict.']) });
    await alice.chatlogs.create({ source: 'api', title: 'Systems', content: conversation(['Rust or Go for a small service?', 'Rust, for the types.']) });
    await alice.chatlogs.create({ source: 'api', title: 'Café', content: conversation(['Where is the nearest café?', 'Two streets down.']) });
    // Bob's words must never reach Alice, however close.
    await bob.chatlogs.create({ source: 'api', title: 'Ops', content: conversation(['Kubernetes keeps restarting my pod.', 'Check the liveness probe.']) });
    await bob.chatlogs.create({ source: 'api', title: 'Snakes', content: conversation(['Is a pyhon a kind of snake?', 'You mean python.']) });
  });
  afterAll(async () => h?.close());

  const search = (caller: Caller, query: string) => caller.chatlogs.search({ query });

  it('offers the caller’s word for a misspelt one, the rest of the query kept', async () => {
    const result = await search(alice, 'pyhton snakes');
    expect(result.items).toEqual([]);
    expect(result.suggestions[0]).toEqual({ query: 'python snakes', words: [{ from: 'pyhton', to: 'python' }] });
    // The suggestion finds what was meant.
    expect((await search(alice, result.suggestions[0]!.query)).items).toHaveLength(1);
  });

  it('corrects several words at once, keeps punctuation and reads accents and case as the index does', async () => {
    const result = await search(alice, 'Pyhton, snkes ');
    expect(result.suggestions[0]).toEqual({
      query: 'python, snakes',
      words: [
        { from: 'Pyhton', to: 'python' },
        { from: 'snkes', to: 'snakes' },
      ],
    });
    expect((await search(alice, 'cafes')).suggestions.map((s) => s.query)).toContain('cafe');
  });

  it('never offers another user’s words', async () => {
    expect((await search(alice, 'kubernets')).suggestions).toEqual([]);
    expect((await search(alice, 'livenes probe')).suggestions).toEqual([]);
    // Bob wrote "python" too; his own vocabulary answers him, and Alice's "venomous" is not in it.
    expect((await search(bob, 'venomus')).suggestions).toEqual([]);
    expect((await search(bob, 'kubernets')).suggestions[0]?.query).toBe('kubernetes');
  });

  it('offers nothing for a query of words the caller has written, found or not', async () => {
    const found = await search(alice, 'python snakes');
    expect(found.items).toHaveLength(1);
    expect(found.suggestions).toEqual([]);
    // Both words are hers, in different logs: nothing matches, and nothing is misspelt either.
    const none = await search(alice, 'venomous streets ');
    expect(none.items).toEqual([]);
    expect(none.suggestions).toEqual([]);
    // The word being typed is known when one of hers starts with it.
    expect((await search(alice, 'venom')).suggestions).toEqual([]);
  });

  it('offers nothing when the first page is full enough, and nothing on later pages', async () => {
    const writer = (await h.signUp('writer')).caller;
    for (let i = 0; i < 4; i += 1) await writer.chatlogs.create({ source: 'api', content: conversation([`notes about gardening, part ${i}`]) });
    // "gardenign" is a typo, but "or gardening" finds four logs.
    const result = await writer.chatlogs.search({ query: 'gardenign or gardening', limit: 2 });
    expect(result.items).toHaveLength(2);
    expect(result.suggestions).toEqual([]);
    const second = await writer.chatlogs.search({ query: 'gardenign or gardening', limit: 2, cursor: result.nextCursor! });
    expect(second.suggestions).toEqual([]);
    expect((await writer.chatlogs.search({ query: 'gardenign' })).suggestions[0]?.query).toBe('gardening');
  });

  it('leaves excluded words, phrases, operators and short words alone', async () => {
    expect((await search(alice, 'streets -pyhton')).suggestions).toEqual([]);
    expect((await search(alice, '"pyhton snakes"')).suggestions).toEqual([]);
    expect((await search(alice, 'source:pyhton')).suggestions).toEqual([]);
    expect((await search(alice, 'rsut ')).suggestions[0]?.query).toBe('rust');
    expect((await search(alice, 'gu ')).suggestions).toEqual([]);
  });

  it('offers at most three, fewest edits first, then the most used word', async () => {
    const user = (await h.signUp('many')).caller;
    await user.chatlogs.create({ source: 'api', content: conversation(['bat bath bats batch', 'bath']) });
    await user.chatlogs.create({ source: 'api', content: conversation(['bath again']) });
    const result = await search(user, 'bsth ');
    expect(result.suggestions.length).toBeLessThanOrEqual(3);
    expect(result.suggestions[0]).toEqual({ query: 'bath', words: [{ from: 'bsth', to: 'bath' }] });
  });

  it('follows the library: an edit, the trash, a restore and an import change the words', async () => {
    const user = await h.signUp('curator');
    const created = await user.caller.chatlogs.create({ source: 'api', title: 'Flight', content: conversation(['the zeppelin landed']) });
    expect((await search(user.caller, 'zepelin ')).suggestions[0]?.query).toBe('zeppelin');
    await user.caller.chatlogs.delete({ id: created.id });
    expect((await search(user.caller, 'zepelin ')).suggestions).toEqual([]);
    await user.caller.chatlogs.restore({ id: created.id });
    expect((await search(user.caller, 'zepelin ')).suggestions[0]?.query).toBe('zeppelin');
    await user.caller.chatlogs.update({ id: created.id, expectedVersion: 1, content: conversation(['the airship landed']) });
    expect((await search(user.caller, 'zepelin ')).suggestions).toEqual([]);
    expect((await search(user.caller, 'airshp ')).suggestions[0]?.query).toBe('airship');

    const em = h.db.orm.em.fork();
    const item = (externalId: string, text: string) =>
      prepareConversation(
        {
          kind: 'conversation',
          source: 'chatgpt',
          conversation: {
            externalId,
            title: 'Imported',
            createdAt: '2024-07-01T10:00:00Z',
            updatedAt: null,
            messages: conversation([text]).messages,
            metadata: {},
            problems: [],
          },
        },
        'test-import',
      );
    await em.transactional((tx) => writeBatch(tx, user.user.id, [item('c1', 'narwhals and walruses'), item('c2', 'narwhals again')]));
    expect((await search(user.caller, 'narwhls ')).suggestions[0]?.query).toBe('narwhals');
  });

  it('keeps the vocabulary equal to what the live logs hold', async () => {
    const db = h.db.orm.em.fork().getKysely();
    const drift = await sql<{ user_id: string; word: string; kept: number | null; actual: number | null }>`
      with actual as (
        select c.user_id, w.word, count(*)::integer as count
        from chatlogs c cross join lateral unnest(chatsynth_chatlog_words(c.title, c.summary, c.content)) as w(word)
        where c.deleted_at is null group by c.user_id, w.word
      )
      select coalesce(a.user_id, s.user_id) as user_id, coalesce(a.word, s.word) as word, s.count as kept, a.count as actual
      from actual a full join chatlog_search_words s on s.user_id = a.user_id and s.word = a.word
      where a.count is distinct from s.count`.execute(db);
    expect(drift.rows).toEqual([]);
    const words = await sql<{ word: string }>`select word from chatlog_search_words where user_id = ${aliceId}::uuid order by word`.execute(db);
    expect(words.rows.map((r) => r.word)).toContain('cafe');
    expect(words.rows.map((r) => r.word)).not.toContain('kubernetes');
  });

  it('lists the strings one edit away', () => {
    const near = oneEditAway('rsut');
    expect(near).toEqual(expect.arrayContaining(['rust', 'rut', 'rsutt', 'rsux', 'srut']));
    expect(near).not.toContain('rsut');
    expect(near.every((w) => editDistance(w, 'rsut') === 1)).toBe(true);
  });

  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('pyhton', 'python')).toBe(1);
    expect(editDistance('snkes', 'snakes')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
