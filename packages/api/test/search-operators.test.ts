import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSearchQuery } from '../src/services/search-query';
import { codeOf, createHarness, type Caller, type Harness } from './harness';

type Role = 'user' | 'assistant';
const conversation = (texts: string[], at = Date.UTC(2024, 0, 1)) => ({
  messages: texts.map((content, i) => ({
    role: (i % 2 === 0 ? 'user' : 'assistant') as Role,
    content,
    createdAt: new Date(at + i * 60_000).toISOString(),
  })),
});

/** The message of a BAD_REQUEST, to check it names what is wrong. */
async function problemOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError && error.code === 'BAD_REQUEST') return error.message;
    throw error;
  }
  return 'OK';
}

describe('what a search query means', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h?.close());

  const find = async (caller: Caller, query: string, extra: Record<string, unknown> = {}) =>
    (await caller.chatlogs.search({ query, ...extra })).items.map((hit) => hit.chatlog.id);
  const findSet = async (caller: Caller, query: string, extra: Record<string, unknown> = {}) => new Set(await find(caller, query, extra));

  describe('exclusions apply to the whole conversation', () => {
    let caller: Caller;
    const log: Record<string, string> = {};
    beforeAll(async () => {
      caller = (await h.signUp('exclusions')).caller;
      const make = async (key: string, title: string, texts: string[], summary?: string) => {
        log[key] = (await caller.chatlogs.create({ source: 'api', title, summary, content: conversation(texts) })).id;
      };
      await make('title', 'Snakes', ['I like python', 'So do I.']);
      await make('message', 'Log A', ['A python question', 'Beware the snake in the grass.']);
      await make('summary', 'Log B', ['python again', 'fine'], 'About a snake');
      await make('note', 'Log C', ['python code', 'sure']);
      await caller.annotations.create({ chatlogId: log.note!, content: 'this one mentions a snake', messageIndex: 1 });
      await make('python', 'Log D', ['python only here', 'yes']);
      await make('lizard', 'Log E', ['a lizard and a snake', 'ok']);
    });

    it('a word excluded anywhere (title, summary, message, note) excludes the log', async () => {
      expect(await find(caller, 'python -snake ')).toEqual([log.python]);
      expect(await find(caller, 'python -snake')).toEqual([log.python]);
      // Without the exclusion every one of them is found.
      expect(await findSet(caller, 'python ')).toEqual(new Set([log.title, log.message, log.summary, log.note, log.python]));
    });

    it('a negated phrase likewise, and only the phrase', async () => {
      expect(await findSet(caller, 'python -"the snake in the grass"')).toEqual(new Set([log.title, log.summary, log.note, log.python]));
      expect(await findSet(caller, 'python -"grass snake"')).toEqual(new Set([log.title, log.message, log.summary, log.note, log.python]));
    });

    it('each `or` group keeps its own exclusions', async () => {
      // (lizard) or (python and no snake anywhere)
      expect(await findSet(caller, 'lizard or python -snake ')).toEqual(new Set([log.lizard, log.python]));
      expect(await findSet(caller, 'python -snake or lizard ')).toEqual(new Set([log.lizard, log.python]));
    });

    it('a note added later excludes the log at once', async () => {
      const { id } = await caller.chatlogs.create({ source: 'api', title: 'Log F', content: conversation(['python late', 'ok']) });
      expect(await findSet(caller, 'python -cobra ')).toContain(id);
      await caller.annotations.create({ chatlogId: id, content: 'a cobra, actually' });
      expect(await findSet(caller, 'python -cobra ')).not.toContain(id);
      await caller.chatlogs.delete({ id });
    });
  });

  describe('operators', () => {
    let caller: Caller;
    const log: Record<string, string> = {};
    beforeAll(async () => {
      caller = (await h.signUp('operators')).caller;
      const make = async (key: string, fields: { source: string; tags?: string[]; title: string; summary?: string }, at: number, texts: string[]) => {
        log[key] = (await caller.chatlogs.create({ ...fields, content: conversation(texts, at) })).id;
      };
      await make('claudeWork', { source: 'claude', tags: ['work'], title: 'Kettle guide' }, Date.UTC(2024, 4, 1), ['kettle boils', 'the tea is hot']);
      await caller.annotations.create({ chatlogId: log.claudeWork!, content: 'buy a new kettle', messageIndex: 0 });
      await make('gptWorkHome', { source: 'chatgpt', tags: ['work', 'Home'], title: 'Descaling' }, Date.UTC(2024, 11, 31, 23, 0), ['kettle descaling', 'use vinegar on the kettle']);
      await make('claudeHome', { source: 'claude', tags: ['home'], title: 'Tea' }, Date.UTC(2025, 0, 1), ['tea please', 'the kettle whistles']);
      await make('summaryOnly', { source: 'api', title: 'Other', summary: 'a kettle in the summary' }, Date.UTC(2023, 0, 1), ['nothing here', 'no']);
      await make('literal', { source: 'api', title: 'Marker' }, Date.UTC(2023, 0, 2), ['the source:claude marker', 'ok']);
    });

    it('source: as the source filter, and together with it', async () => {
      expect(await findSet(caller, 'kettle source:claude')).toEqual(new Set([log.claudeWork, log.claudeHome]));
      expect(await findSet(caller, 'Source:claude kettle ')).toEqual(new Set([log.claudeWork, log.claudeHome]));
      expect(await findSet(caller, 'kettle source:claude', { source: 'claude' })).toEqual(new Set([log.claudeWork, log.claudeHome]));
      expect(await find(caller, 'kettle source:claude', { source: 'chatgpt' })).toEqual([]);
      expect(await find(caller, 'kettle source:claude source:chatgpt')).toEqual([]);
      expect(await find(caller, 'kettle source:gemini')).toEqual([]);
    });

    it('tag: repeatable, all must hold, with the tags filter', async () => {
      expect(await findSet(caller, 'kettle tag:work')).toEqual(new Set([log.claudeWork, log.gptWorkHome]));
      expect(await find(caller, 'kettle tag:work tag:HOME')).toEqual([log.gptWorkHome]);
      expect(await find(caller, 'kettle tag:work', { tags: ['home'] })).toEqual([log.gptWorkHome]);
      expect(await find(caller, 'kettle tag:"no such tag"')).toEqual([]);
    });

    it('before: and after: on when the conversation happened, as the date filters', async () => {
      expect(await findSet(caller, 'kettle before:2025-01-01')).toEqual(new Set([log.claudeWork, log.gptWorkHome, log.summaryOnly]));
      expect(await find(caller, 'kettle after:2025-01-01')).toEqual([log.claudeHome]);
      expect(await find(caller, 'after:2024-06-01 kettle before:2025-01-01')).toEqual([log.gptWorkHome]);
      expect(await find(caller, 'kettle after:2024-06-01', { to: new Date(Date.UTC(2024, 11, 31)) })).toEqual([]);
      expect(await find(caller, 'kettle after:2024-06-01', { from: '2025-01-01' })).toEqual([log.claudeHome]);
      expect(await find(caller, 'kettle before:2024-12-01', { from: '2024-01-01' })).toEqual([log.claudeWork]);
    });

    it('role: only that role’s messages', async () => {
      expect(await findSet(caller, 'kettle role:user')).toEqual(new Set([log.claudeWork, log.gptWorkHome]));
      expect(await findSet(caller, 'kettle role:assistant')).toEqual(new Set([log.gptWorkHome, log.claudeHome]));
      expect(await find(caller, 'kettle role:assistant', { role: 'user' })).toEqual([]);
      const [hit] = (await caller.chatlogs.search({ query: 'kettle role:assistant source:chatgpt' })).items;
      expect(hit!.snippets.map((s) => [s.kind, s.messageIndex])).toEqual([['message', 1]]);
    });

    it('in:notes, in:title, in:messages', async () => {
      const notes = (await caller.chatlogs.search({ query: 'kettle in:notes' })).items;
      expect(notes.map((i) => i.chatlog.id)).toEqual([log.claudeWork]);
      expect(notes[0]!.snippets.map((s) => s.kind)).toEqual(['annotation']);
      expect(await find(caller, 'kettle in:title')).toEqual([log.claudeWork]);
      expect(await findSet(caller, 'kettle ')).toContain(log.summaryOnly);
      expect(await findSet(caller, 'kettle in:messages')).toEqual(new Set([log.claudeWork, log.gptWorkHome, log.claudeHome]));
      expect(await findSet(caller, 'kettle in:title in:notes')).toEqual(new Set([log.claudeWork]));
      expect(await findSet(caller, 'tea in:title')).toEqual(new Set([log.claudeHome]));
      // role: is about messages: with in:notes alone nothing is left to search.
      expect(await find(caller, 'kettle in:notes role:user')).toEqual([]);
    });

    it('a quoted "source:claude" is a phrase, and other words with colons are words', async () => {
      expect(await find(caller, '"source:claude"')).toEqual([log.literal]);
      expect(await codeOf(caller.chatlogs.search({ query: 'https://example.com std::vector c:' }))).toBe('OK');
      expect(readSearchQuery('https://example.com').terms).toEqual([[{ text: 'https://example.com', phrase: false, negated: false, prefix: true }]]);
    });

    it('an operator with a bad value is BAD_REQUEST naming it', async () => {
      for (const [query, named] of [
        ['kettle before:yesterday', 'before:yesterday'],
        ['kettle after:2025-02-30', 'after:2025-02-30'],
        ['kettle after:2025-1-1', 'after:2025-1-1'],
        ['kettle role:robot', 'role:robot'],
        ['kettle in:everywhere', 'in:everywhere'],
        ['kettle source:', 'source:'],
        ['kettle -tag:work', '-tag:work'],
        ['kettle tag:' + 'x'.repeat(65), 'tag:xxx'],
      ] as const) {
        expect([query, await problemOf(caller.chatlogs.search({ query }))]).toEqual([query, expect.stringContaining(named)]);
      }
    });

    it('operators alone list the logs they select, most recent first, exclusions applied', async () => {
      expect(await find(caller, 'tag:work')).toEqual([log.gptWorkHome, log.claudeWork]);
      expect(await find(caller, 'tag:work -descaling')).toEqual([log.claudeWork]);
      expect(await find(caller, 'source:claude before:2025-01-01')).toEqual([log.claudeWork]);
      const [hit] = (await caller.chatlogs.search({ query: 'source:claude' })).items;
      expect(hit).toMatchObject({ chatlog: { id: log.claudeHome }, score: 0, snippets: [] });
      // Exclusions alone still find nothing.
      expect(await find(caller, '-kettle')).toEqual([]);
    });

    it.each(['source:claude', 'kettle source:claude', 'source:claude -nothing'])('pages %j with the cursor', async (query) => {
      const first = await caller.chatlogs.search({ query, limit: 1 });
      expect(first.items).toHaveLength(1);
      expect(first.nextCursor).not.toBeNull();
      const second = await caller.chatlogs.search({ query, limit: 1, cursor: first.nextCursor });
      expect(second.items).toHaveLength(1);
      expect(second.nextCursor).toBeNull();
      expect(new Set([...first.items, ...second.items].map((i) => i.chatlog.id))).toEqual(new Set([log.claudeWork, log.claudeHome]));
    });
  });

  describe('the best match beyond the most recent candidates', () => {
    let caller: Caller;
    const log: Record<string, string> = {};
    beforeAll(async () => {
      caller = (await h.signUp('beyond')).caller;
      // An old title and an old phrase, then more newer messages with the word than are ranked.
      log.title = (await caller.chatlogs.create({ source: 'api', title: 'Zebra notes', content: conversation(['plans'], Date.UTC(2020, 0, 1)) })).id;
      log.phrase = (
        await caller.chatlogs.create({ source: 'api', title: 'Old', content: conversation(['the zebra crossing by the school'], Date.UTC(2020, 0, 2)) })
      ).id;
      for (let i = 0; i < 12; i++) {
        const messages = Array.from({ length: 10 }, (_, m) => `a zebra in the field, number ${i * 10 + m}`);
        await caller.chatlogs.create({ source: 'api', title: `Log ${i}`, content: conversation(messages, Date.UTC(2024, 0, 1 + i)) });
      }
    });

    it('a title match ranks first though 120 newer messages match', async () => {
      expect((await find(caller, 'zebra '))[0]).toBe(log.title);
    });

    it('an exact phrase is found though the word alone fills the candidates', async () => {
      expect(await find(caller, '"zebra crossing"')).toEqual([log.phrase]);
      expect(await find(caller, 'zebra school ')).toEqual([log.phrase]);
    });
  });
});
