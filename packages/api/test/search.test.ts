import { TRPCError } from '@trpc/server';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareConversation } from '../src/services/import-writer';
import { writeBatch } from '../src/services/import-writer';
import { MESSAGE_CANDIDATES } from '../src/services/search-sql';
import { createHarness, type Caller, type Harness } from './harness';

async function codeOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
  return 'OK';
}

type Role = 'user' | 'assistant';
const conversation = (texts: string[], at = Date.UTC(2024, 0, 1)) => ({
  messages: texts.map((content, i) => ({
    role: (i % 2 === 0 ? 'user' : 'assistant') as Role,
    content,
    createdAt: new Date(at + i * 60_000).toISOString(),
  })),
});

describe('chatlogs.search', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h?.close());

  /** Ids of the hits, best first. */
  const find = async (caller: Caller, query: string, extra: Record<string, unknown> = {}) =>
    (await caller.chatlogs.search({ query, ...extra })).items.map((hit) => hit.chatlog.id);

  describe('query forms', () => {
    let caller: Caller;
    const log: Record<string, string> = {};
    beforeAll(async () => {
      caller = (await h.signUp('forms')).caller;
      // Neutral titles: a title is searched as well.
      const make = async (key: string, texts: string[]) => {
        const title = `Log ${Object.keys(log).length + 1}`;
        log[key] = (await caller.chatlogs.create({ source: 'api', title, content: conversation(texts) })).id;
      };
      await make('ferry', ['When does the ferry leave?', 'The ferry leaves at noon from pier 4.']);
      await make('ferries', ['Ferries cross the bay every hour.', 'Yes, every hour on the hour.']);
      await make('train', ['We took the train to Lyon.', 'Trains in France are fast.']);
      await make('cafe', ['Is there a café near the station?', 'Le café de Flore serves croissants.']);
      await make('german', ['Die Straßenbahn fährt schnell durch Zürich.', 'Ja.']);
      await make('band', ['I saw The Who live in 1979.', 'A legendary band.']);
      await make('running', ['I was running late for the timetable change.', 'Hurry up.']);
      await make('reversed', ['The timetable for the ferry changed.', 'Noted.']);
    });

    it('finds a word, stemmed both ways (ferry finds ferries and back)', async () => {
      expect(new Set(await find(caller, 'ferry '))).toEqual(new Set([log.ferry, log.ferries, log.reversed]));
      expect(new Set(await find(caller, 'ferries '))).toEqual(new Set([log.ferry, log.ferries, log.reversed]));
    });

    it('needs every word, in the same message', async () => {
      expect(await find(caller, 'ferry noon ')).toEqual([log.ferry]);
      expect(await find(caller, 'ferry lyon ')).toEqual([]);
    });

    it('matches a quoted phrase in order only', async () => {
      expect(await find(caller, '"ferry leaves"')).toEqual([log.ferry]);
      expect(await find(caller, '"timetable for the ferry"')).toEqual([log.reversed]);
      expect(await find(caller, '"ferry timetable"')).toEqual([]);
    });

    it('reads OR between two terms', async () => {
      expect(new Set(await find(caller, 'lyon or croissants '))).toEqual(new Set([log.train, log.cafe]));
      expect(new Set(await find(caller, 'lyon OR "pier 4"'))).toEqual(new Set([log.train, log.ferry]));
    });

    it('excludes -words and -"phrases"', async () => {
      expect(new Set(await find(caller, 'ferry -hour '))).toEqual(new Set([log.ferry, log.reversed]));
      // An exclusion applies to the whole log, as a person reads it: the ferry log has a message about
      // the ferry without that phrase, and is left out all the same (search-operators.test.ts has more).
      expect(await find(caller, 'ferry -"leaves at noon" ')).toEqual(expect.arrayContaining([log.ferries, log.reversed]));
      expect(await find(caller, 'ferry -"leaves at noon" ')).not.toContain(log.ferry);
      expect(await find(caller, 'ferry -"leaves at noon" -timetable ')).toEqual([log.ferries]);
      expect(await find(caller, 'ferry -leave -timetable ')).toEqual([log.ferries]);
      // Exclusions alone would match nearly everything: they find nothing.
      expect(await find(caller, '-ferry')).toEqual([]);
    });

    it('matches the last word as a prefix while it is being typed', async () => {
      expect(new Set(await find(caller, 'timeta'))).toEqual(new Set([log.running, log.reversed]));
      expect(await find(caller, 'timeta ')).toEqual([]);
      expect(await find(caller, 'straßenb')).toEqual([log.german]);
      // The stem of "running" is "run"; the word as written still starts with "runn".
      expect(await find(caller, 'runn')).toEqual([log.running]);
      expect(await find(caller, 'runn ')).toEqual([]);
      // A prefix does not apply to an earlier word.
      expect(await find(caller, 'timeta late')).toEqual([]);
    });

    it('folds accents both ways', async () => {
      expect(await find(caller, 'cafe ')).toEqual([log.cafe]);
      expect(await find(caller, 'café ')).toEqual([log.cafe]);
      expect(await find(caller, 'strassenbahn fahrt zurich ')).toEqual([log.german]);
    });

    it('matches words of other languages, and English stop words, as written', async () => {
      expect(await find(caller, 'Straßenbahn ')).toEqual([log.german]);
      expect(await find(caller, '"die straßenbahn"')).toEqual([log.german]);
      expect(await find(caller, '"the who"')).toEqual([log.band]);
    });

    it('returns the summary DTO, a score, and escaped snippets with the words marked', async () => {
      const result = await caller.chatlogs.search({ query: 'cafe ' });
      expect(result.nextCursor).toBeNull();
      const [hit] = result.items;
      expect(hit!.chatlog).toMatchObject({ id: log.cafe, source: 'api', title: 'Log 4', messageCount: 2, tags: [], version: 1 });
      expect(hit!.chatlog).not.toHaveProperty('content');
      expect(hit!.score).toBeGreaterThan(0);
      expect(hit!.snippets).toEqual([
        { kind: 'message', messageIndex: 0, text: 'Is there a <mark>café</mark> near the station?' },
        { kind: 'message', messageIndex: 1, text: 'Le <mark>café</mark> de Flore serves croissants.' },
      ]);
    });
  });

  describe('snippets', () => {
    it('escape HTML, keep code that looks like tags, and name the message', async () => {
      const { caller } = await h.signUp('snippets');
      const content = conversation([
        'hello',
        'Use <script>alert("x")</script> & the <Ferry> component\u0001 with \'quotes\'.',
      ]);
      const created = await caller.chatlogs.create({ source: 'api', title: 'Code', content });
      const { items } = await caller.chatlogs.search({ query: 'ferry ' });
      expect(items.map((i) => i.chatlog.id)).toEqual([created.id]);
      expect(items[0]!.snippets).toEqual([
        {
          kind: 'message',
          messageIndex: 1,
          text: 'Use &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; the &lt;<mark>Ferry</mark>&gt; component  with &#39;quotes&#39;.',
        },
      ]);
      // Words inside what looks like a tag are searchable too.
      expect((await caller.chatlogs.search({ query: 'script ' })).items).toHaveLength(1);
    });

    it('come from the middle of a long message, around the match', async () => {
      const { caller } = await h.signUp('longtext');
      const filler = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
      await caller.chatlogs.create({ source: 'api', title: 'Long', content: conversation([`${filler} the lighthouse keeper ${filler}`]) });
      const [hit] = (await caller.chatlogs.search({ query: 'lighthouse ' })).items;
      expect(hit!.snippets).toHaveLength(1);
      expect(hit!.snippets[0]!.text).toContain('<mark>lighthouse</mark> keeper');
      expect(hit!.snippets[0]!.text.length).toBeLessThan(400);
    });

    it('do not repeat a summary that is the same text as a message snippet (imports summarise with the first message)', async () => {
      const { caller } = await h.signUp('samesummary');
      const first = 'I have a week in Lisbon in May. Where should I stay?';
      await caller.chatlogs.create({ source: 'api', title: 'Trip', summary: first, content: conversation([first, 'Alfama or Baixa.']) });
      const [hit] = (await caller.chatlogs.search({ query: 'lisbon ' })).items;
      expect(hit!.snippets).toEqual([{ kind: 'message', messageIndex: 0, text: 'I have a week in <mark>Lisbon</mark> in May. Where should I stay?' }]);
    });

    it('index every part of a message longer than one chunk', async () => {
      const { caller } = await h.signUp('hugemessage');
      const filler = 'lorem ipsum dolor sit amet '.repeat(5000);
      await caller.chatlogs.create({ source: 'api', title: 'Huge', content: conversation([`${filler}zeppelin`, 'ok']) });
      const [hit] = (await caller.chatlogs.search({ query: 'zeppelin ' })).items;
      expect(hit!.snippets).toEqual([{ kind: 'message', messageIndex: 0, text: expect.stringContaining('<mark>zeppelin</mark>') }]);
    });
  });

  describe('ranking', () => {
    it('puts title above summary above annotation above message, then the most recent', async () => {
      const { caller } = await h.signUp('ranking');
      const at = (day: number) => Date.UTC(2024, 2, day);
      const inMessage = await caller.chatlogs.create({ source: 'api', title: 'One', content: conversation(['about the aurora borealis'], at(9)) });
      const inOlderMessage = await caller.chatlogs.create({ source: 'api', title: 'Two', content: conversation(['about the aurora borealis'], at(1)) });
      const inTitle = await caller.chatlogs.create({ source: 'api', title: 'Aurora trip', content: conversation(['plans'], at(2)) });
      const inSummary = await caller.chatlogs.create({
        source: 'api',
        title: 'Three',
        summary: 'Seeing the aurora',
        content: conversation(['plans'], at(3)),
      });
      const annotated = await caller.chatlogs.create({ source: 'api', title: 'Four', content: conversation(['plans'], at(4)) });
      await caller.annotations.create({ chatlogId: annotated.id, content: 'Remember the aurora forecast', messageIndex: 0 });

      const result = await caller.chatlogs.search({ query: 'aurora ' });
      expect(result.items.map((i) => i.chatlog.id)).toEqual([inTitle.id, inSummary.id, annotated.id, inMessage.id, inOlderMessage.id]);
      const scores = result.items.map((i) => i.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
      expect(result.items[0]!.snippets).toEqual([{ kind: 'title', messageIndex: null, text: '<mark>Aurora</mark> trip' }]);
      expect(result.items[1]!.snippets).toEqual([{ kind: 'summary', messageIndex: null, text: 'Seeing the <mark>aurora</mark>' }]);
      expect(result.items[2]!.snippets).toEqual([
        { kind: 'annotation', messageIndex: 0, text: 'Remember the <mark>aurora</mark> forecast' },
      ]);
    });
  });

  describe('filters', () => {
    let caller: Caller;
    const ids: Record<string, string> = {};
    beforeAll(async () => {
      caller = (await h.signUp('filters')).caller;
      const make = async (key: string, source: string, tags: string[], day: number, texts: string[]) => {
        const created = await caller.chatlogs.create({ source, tags, content: conversation(texts, Date.UTC(2024, 4, day)) });
        ids[key] = created.id;
      };
      await make('a', 'chatgpt', ['work', 'travel'], 1, ['question about the volcano', 'answer']);
      await make('b', 'claude', ['work'], 10, ['answer', 'the volcano erupted']);
      await make('c', 'chatgpt', ['travel'], 20, ['volcano tours?', 'the volcano is closed']);
    });
    const found = async (extra: Record<string, unknown>) => new Set(await find(caller, 'volcano ', extra));

    it('by source', async () => {
      expect(await found({ source: 'chatgpt' })).toEqual(new Set([ids.a, ids.c]));
      expect(await found({ source: 'gemini' })).toEqual(new Set());
    });

    it('by tags, all of them', async () => {
      expect(await found({ tags: ['work'] })).toEqual(new Set([ids.a, ids.b]));
      expect(await found({ tags: ['Work', 'travel'] })).toEqual(new Set([ids.a]));
      expect(await found({ tags: ['work', 'nope'] })).toEqual(new Set());
    });

    it('by date, inclusive, on when the conversation started', async () => {
      expect(await found({ from: new Date(Date.UTC(2024, 4, 10)) })).toEqual(new Set([ids.b, ids.c]));
      expect(await found({ to: new Date(Date.UTC(2024, 4, 10)) })).toEqual(new Set([ids.a, ids.b]));
      expect(await found({ from: new Date(Date.UTC(2024, 4, 5)), to: new Date(Date.UTC(2024, 4, 15)) })).toEqual(new Set([ids.b]));
      expect(await found({ from: '2024-05-21' })).toEqual(new Set());
    });

    it('by role: what the user wrote, or the answers', async () => {
      expect(await found({ role: 'user' })).toEqual(new Set([ids.a, ids.c]));
      expect(await found({ role: 'assistant' })).toEqual(new Set([ids.b, ids.c]));
      const [hit] = (await caller.chatlogs.search({ query: 'volcano ', role: 'assistant', source: 'chatgpt' })).items;
      expect(hit!.snippets.map((s) => s.messageIndex)).toEqual([1]);
    });

    it('combined', async () => {
      expect(await found({ source: 'chatgpt', tags: ['travel'], role: 'user', from: new Date(Date.UTC(2024, 4, 15)) })).toEqual(
        new Set([ids.c]),
      );
    });
  });

  // 'quokka isl' is being typed: the recent rows are read first (30 hits are enough), then paged the same way.
  it.each(['quokka island ', 'quokka isl'])('pages %j with a stable cursor, without duplicates or gaps', async (query) => {
    const { caller } = await h.signUp(`pager${query.length}`);
    const made = new Set<string>();
    for (let i = 0; i < 30; i++) {
      // Some share a score and a date, so the id must break the tie.
      const day = 1 + Math.floor(i / 3);
      const text = i % 4 === 0 ? 'quokka quokka island' : 'a quokka on the island';
      made.add((await caller.chatlogs.create({ source: 'api', title: `Log ${i}`, content: conversation([text], Date.UTC(2024, 5, day)) })).id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<Caller['chatlogs']['search']>> = await caller.chatlogs.search({ query, limit: 7, cursor });
      expect(page.items.length).toBeLessThanOrEqual(7);
      seen.push(...page.items.map((i) => i.chatlog.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(5);
    expect(seen).toHaveLength(30);
    expect(new Set(seen)).toEqual(made);
    const all = await caller.chatlogs.search({ query, limit: 100 });
    expect(all.items.map((i) => i.chatlog.id)).toEqual(seen);
    expect(await codeOf(caller.chatlogs.search({ query: 'quokka', cursor: 'not-a-cursor' }))).toBe('BAD_REQUEST');
    const forged = Buffer.from(JSON.stringify(['x', '2024-01-01', 'y'])).toString('base64url');
    expect(await codeOf(caller.chatlogs.search({ query: 'quokka', cursor: forged }))).toBe('BAD_REQUEST');
  });

  it('ranks a bounded number of candidates, the most recent ones, when a word is everywhere', async () => {
    const { caller } = await h.signUp('bounded');
    const perLog = 10;
    const logs = MESSAGE_CANDIDATES / perLog + 2;
    for (let i = 0; i < logs; i++) {
      const messages = Array.from({ length: perLog }, (_, m) => `zebra crossing number ${i * perLog + m}`);
      await caller.chatlogs.create({ source: 'api', title: `Log ${i}`, content: conversation(messages, Date.UTC(2024, 7, 1 + i)) });
    }
    // More messages match than are ranked: the most recent MESSAGE_CANDIDATES are, so the two oldest logs
    // are left out rather than the newest.
    const { items, nextCursor } = await caller.chatlogs.search({ query: 'zebra ', limit: 50 });
    expect(items.map((i) => i.chatlog.title)).toEqual(Array.from({ length: logs - 2 }, (_, i) => `Log ${logs - 1 - i}`));
    expect(nextCursor).toBeNull();
    expect(items[0]!.snippets).toHaveLength(3);
  });

  // The candidates function turns bitmap scans off for its recency window only (planned without
  // statistics it bitmap-scanned all of a user's rows and sorted them): the caller's setting survives.
  it.each(['on', 'off'])('leaves enable_bitmapscan %s as the caller had it', async (setting) => {
    const { caller, user } = await h.signUp(`bitmap${setting}`);
    await caller.chatlogs.create({ source: 'api', tags: ['zoo'], content: conversation(['the okapi sleeps']) });
    // One statement (one transaction): the caller's setting first, then a tag-filtered search, then the setting.
    const { rows } = await sql<{ n: number; after: string }>`
      with s as materialized (select set_config('enable_bitmapscan', ${setting}, true) as v),
           c as materialized (
             select count(*)::int as n
             from s, chatsynth_search_candidates('messages', ${user.id}::uuid, array[plainto_tsquery('chatsynth_english', 'okapi')],
                                                 array[null::tsquery], false, null, null, null, null,
                                                 case when s.v is not null then array['zoo'] end, 100))
      select n, current_setting('enable_bitmapscan') as after from c`.execute(h.db.orm.em.fork().getKysely());
    expect(rows).toEqual([{ n: 1, after: setting }]);
  });

  it("never shows another user's logs, whatever the query", async () => {
    const alice = (await h.signUp('isoalice')).caller;
    const bob = (await h.signUp('isobob')).caller;
    const mine = await alice.chatlogs.create({ source: 'api', title: 'Platypus', content: conversation(['platypus secrets']) });
    await bob.chatlogs.create({ source: 'api', title: 'Platypus too', content: conversation(['platypus facts']) });
    expect(await find(alice, 'platypus')).toEqual([mine.id]);
    for (const query of ['platypus', 'platypus or secrets', '"platypus secrets"', 'plat', 'secrets -facts']) {
      const ids = await find(bob, query);
      expect(ids).not.toContain(mine.id);
    }
    expect(await codeOf(h.anonymous.chatlogs.search({ query: 'platypus' }))).toBe('UNAUTHORIZED');
  });

  describe('freshness: the index changes with the log, in the same transaction', () => {
    let caller: Caller;
    let userId: string;
    beforeAll(async () => {
      const signedUp = await h.signUp('fresh');
      caller = signedUp.caller;
      userId = signedUp.user.id;
    });

    it('after create, update and versions.restore', async () => {
      const created = await caller.chatlogs.create({ source: 'api', title: 'Pets', content: conversation(['my hamster sleeps']) });
      expect(await find(caller, 'hamster ')).toEqual([created.id]);

      const updated = await caller.chatlogs.update({
        id: created.id,
        expectedVersion: 1,
        title: 'Reptiles',
        content: conversation(['my iguana sleeps']),
      });
      expect(await find(caller, 'hamster ')).toEqual([]);
      expect(await find(caller, 'pets ')).toEqual([]);
      expect(await find(caller, 'iguana ')).toEqual([created.id]);
      expect(await find(caller, 'reptiles ')).toEqual([created.id]);

      await caller.chatlogs.update({ id: created.id, expectedVersion: updated.version, summary: 'A gecko appears' });
      expect(await find(caller, 'gecko ')).toEqual([created.id]);
      expect(await find(caller, 'iguana ')).toEqual([created.id]);

      await caller.versions.restore({ chatlogId: created.id, version: 1, expectedVersion: 3 });
      expect(await find(caller, 'hamster ')).toEqual([created.id]);
      expect(await find(caller, 'iguana ')).toEqual([]);
      expect(await find(caller, 'gecko ')).toEqual([]);
    });

    it('after an import, new and re-imported', async () => {
      const item = (messages: string[], title: string) =>
        prepareConversation(
          {
            kind: 'conversation',
            source: 'chatgpt',
            conversation: {
              externalId: 'conv-1',
              title,
              createdAt: '2024-07-01T10:00:00Z',
              updatedAt: null,
              messages: conversation(messages).messages,
              metadata: {},
              problems: [],
            },
          },
          'test-import',
        );
      const em = h.db.orm.em.fork();
      await em.transactional((tx) => writeBatch(tx, userId, [item(['where do narwhals live?'], 'Narwhals')]));
      const [id] = await find(caller, 'narwhals ');
      expect(id).toBeDefined();
      await em.transactional((tx) => writeBatch(tx, userId, [item(['where do walruses live?'], 'Walruses')]));
      expect(await find(caller, 'narwhal ')).toEqual([]);
      expect(await find(caller, 'walrus ')).toEqual([id]);
    });

    it('after delete, restore and purge', async () => {
      const created = await caller.chatlogs.create({ source: 'api', content: conversation(['the axolotl tank']) });
      expect(await find(caller, 'axolotl ')).toEqual([created.id]);
      await caller.chatlogs.delete({ id: created.id });
      expect(await find(caller, 'axolotl ')).toEqual([]);
      await caller.chatlogs.restore({ id: created.id });
      expect(await find(caller, 'axolotl ')).toEqual([created.id]);
      await caller.chatlogs.delete({ id: created.id });
      await caller.chatlogs.purge({ id: created.id });
      expect(await find(caller, 'axolotl ')).toEqual([]);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from chatlog_search_entries where chatlog_id = ${created.id}`.execute(
        h.db.orm.em.fork().getKysely(),
      );
      expect(rows[0]?.n).toBe(0);
    });

    it("after an annotation's create, update and delete", async () => {
      const created = await caller.chatlogs.create({ source: 'api', content: conversation(['nothing special']) });
      const note = await caller.annotations.create({ chatlogId: created.id, content: 'ask about the pangolin' });
      const [hit] = (await caller.chatlogs.search({ query: 'pangolin ' })).items;
      expect(hit!.chatlog.id).toBe(created.id);
      expect(hit!.snippets).toEqual([{ kind: 'annotation', messageIndex: null, text: 'ask about the <mark>pangolin</mark>' }]);
      await caller.annotations.update({ id: note.id, content: 'ask about the tapir' });
      expect(await find(caller, 'pangolin ')).toEqual([]);
      expect(await find(caller, 'tapir ')).toEqual([created.id]);
      await caller.annotations.delete({ id: note.id });
      expect(await find(caller, 'tapir ')).toEqual([]);
    });

    it('is rebuilt by chatsynth_search_reindex to the same rows', async () => {
      const db = h.db.orm.em.fork().getKysely();
      const snapshot = async () =>
        (
          await sql`select chatlog_id, kind, message_index, chunk, role, annotation_id, tsv::text from chatlog_search_entries
                    order by chatlog_id, kind, message_index, chunk, annotation_id`.execute(db)
        ).rows;
      const before = await snapshot();
      await sql`truncate chatlog_search_entries`.execute(db);
      expect(await find(caller, 'hamster ')).toEqual([]);
      await sql`select chatsynth_search_reindex(array(select id from chatlogs))`.execute(db);
      expect(await snapshot()).toEqual(before);
      expect(await find(caller, 'hamster ')).toHaveLength(1);
    });
  });

  describe('hostile input', () => {
    let caller: Caller;
    beforeAll(async () => {
      caller = (await h.signUp('hostile')).caller;
      await caller.chatlogs.create({ source: 'api', title: 'Bait', content: conversation(['a & b | c ! d : e * f <g> "h" \\ i \'j\' or -k']) });
    });

    it('gives results or BAD_REQUEST, never a server error', async () => {
      const queries = [
        '"', '""', '"""', '-', '--', '- -', '-"', 'OR', 'or', 'or or', 'a or', 'or a', 'a or or b', '&|!():*<>',
        '&', '|', '!', '(', ')', ':', '*', ':*', "'", "''", "'a'", '\\', '\\\\', 'a\\', "\\'", '!!a', 'a:*', 'a & b',
        '(a | b)', 'a <-> b', 'a <2> b', "a:A", "'a':*", '!(', '-(a', '"a', 'a"', '"a or b"', '-"a b', '\u00a0x',
        '\u200b', '😀', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', 'null', 'undefined', 'select', "'; drop table chatlogs; --", '%', '_', '$1', '?', '??',
        ':name', '\t\na', 'ﬁ', 'x'.repeat(500), 'ab '.repeat(166), '-x '.repeat(100),
      ];
      for (const query of queries) {
        const code = await codeOf(caller.chatlogs.search({ query }));
        expect([query, code]).toEqual([query, expect.stringMatching(/^(OK|BAD_REQUEST)$/)]);
      }
      expect((await caller.chatlogs.search({ query: '"h" ' })).items).toHaveLength(1);
      expect((await caller.chatlogs.search({ query: '-"' })).items).toEqual([]);
    });

    it('bounds every input', async () => {
      const bad = (input: Record<string, unknown>) => codeOf(caller.chatlogs.search(input as never));
      expect(await bad({ query: 'x'.repeat(500) })).toBe('OK');
      expect(await bad({ query: 'x'.repeat(501) })).toBe('BAD_REQUEST');
      expect(await bad({ query: '' })).toBe('BAD_REQUEST');
      expect(await bad({ query: '   ' })).toBe('BAD_REQUEST');
      expect(await bad({})).toBe('BAD_REQUEST');
      expect(await bad({ query: 'a\u0000b' })).toBe('BAD_REQUEST');
      expect(await bad({ query: '\ud800' })).toBe('BAD_REQUEST');
      expect(await bad({ query: Array.from({ length: 33 }, (_, i) => `w${i}`).join(' ') })).toBe('BAD_REQUEST');
      expect(await bad({ query: Array.from({ length: 32 }, (_, i) => `w${i}`).join(' ') })).toBe('OK');
      expect(await bad({ query: 'a', limit: 0 })).toBe('BAD_REQUEST');
      expect(await bad({ query: 'a', limit: 101 })).toBe('BAD_REQUEST');
      expect(await bad({ query: 'a', role: 'system' })).toBe('BAD_REQUEST');
      expect(await bad({ query: 'a', from: 'yesterday' })).toBe('BAD_REQUEST');
      expect(await bad({ query: 'a', from: new Date(-8.64e15) })).toBe('BAD_REQUEST');
      expect(await bad({ query: 'a', to: new Date(8.64e15) })).toBe('BAD_REQUEST');
      expect(await bad({ query: 'a', tags: Array.from({ length: 33 }, (_, i) => `t${i}`) })).toBe('BAD_REQUEST');
      expect(await bad({ query: 'a', source: 'x'.repeat(65) })).toBe('BAD_REQUEST');
      expect(await bad({ query: 'a', userId: 'someone-else' })).toBe('BAD_REQUEST');
      // Filters reach dynamic SQL as quoted literals.
      expect(await bad({ query: 'a', source: "o'brien\\ %s $$ ?", tags: ["it's", '%L', '"x"'], role: 'user' })).toBe('OK');
      expect(await bad({ query: 'a', cursor: 'x'.repeat(501) })).toBe('BAD_REQUEST');
    });

    it('survives arbitrary text (property)', async () => {
      const alphabet = [...'ab -"\'\\&|!():*<>?$%_\u0001\u0002\u0003 orORé😀\u200b'];
      await fc.assert(
        fc.asyncProperty(fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 40 }), async (chars) => {
          const code = await codeOf(caller.chatlogs.search({ query: chars.join('') }));
          expect(code).toMatch(/^(OK|BAD_REQUEST)$/);
        }),
        { numRuns: 150 },
      );
    });
  });
});
