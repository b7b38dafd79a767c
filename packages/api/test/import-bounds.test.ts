import { createHash } from 'node:crypto';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Annotation, ChatLog, type ImportProblem } from '@chatsynth/db';
import type { ChatSynthExport, ChatSynthExportedLog } from '@chatsynth/importers';
import { createImportJob, logger, MAX_TRPC_BODY_BYTES, runImportJob } from '../src';
import { MAX_JSON_BYTES } from '@chatsynth/importers/canonical';
import { createChatLogInput, LIMITS } from '../src/schemas/chat-log';
import { createHarness, type Caller, type Harness } from './harness';

/** A log as ChatSynth's "export all" writes it, shaped like one imported from ChatGPT. */
function exportedLog(n: number, overrides: Partial<ChatSynthExportedLog> = {}): ChatSynthExportedLog {
  return {
    id: `0190a000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    source: 'chatgpt',
    externalId: `6650c2a1-8f3e-8001-b1d2-${String(n).padStart(12, '0')}`,
    title: `Trip planning ${n}`,
    summary: 'Planning a week in Lisbon.',
    content: {
      messages: [
        { role: 'user', content: 'Plan a week in Lisbon for two, mid-range budget.', createdAt: '2024-05-01T08:00:00.123Z' },
        {
          role: 'assistant',
          content: 'Day 1: Alfama and the castle. Day 2: Belém. Day 3: Sintra by train.',
          createdAt: '2024-05-01T08:00:09.456Z',
          model: 'gpt-4o',
          id: 'aaa2c1f0-0b1e-4a8e-9f3a-2d1c0e9b7a61',
        },
      ],
    },
    metadata: { defaultModelSlug: 'gpt-4o', gizmoId: null, isArchived: false },
    tags: ['travel'],
    annotations: [],
    createdAt: '2024-05-01T08:00:00.000Z',
    updatedAt: '2024-05-01T08:00:10.000Z',
    startedAt: '2024-05-01T08:00:00.123Z',
    ...overrides,
  };
}

/** ChatGPT keeps regenerated answers; their alternative branches land in metadata.branches. */
function branches(bytes: number) {
  const answer = 'An alternative answer that was regenerated. '.repeat(40);
  const count = Math.ceil(bytes / answer.length);
  return Array.from({ length: count }, (_, i) => ({
    forkAfter: `node-${i}`,
    afterMessageCount: 1,
    leafId: `leaf-${i}`,
    messages: [{ role: 'assistant', content: answer, model: 'gpt-4o' }],
  }));
}

const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

describe('imports hold the API’s bounds', () => {
  let h: Harness;
  let alice: Caller;
  let aliceId: string;
  let dir: string;

  const importFile = async (userId: string, caller: Caller, body: string, filename = 'chatsynth-export.json') => {
    const filePath = join(dir, `${Math.random().toString(36).slice(2)}.upload`);
    writeFileSync(filePath, body);
    const id = await createImportJob(h.db.orm.em.fork(), {
      userId,
      filename,
      format: 'chatsynth',
      requestedFormat: 'auto',
      bytes: Buffer.byteLength(body),
      filePath,
    });
    await runImportJob(h.db.orm, id);
    return caller.imports.get({ id });
  };
  const exportFile = (logs: ChatSynthExportedLog[]): string =>
    JSON.stringify({ format: 'chatsynth', version: 1, exportedAt: '2024-06-01T00:00:00.000Z', chatlogs: logs } satisfies ChatSynthExport);
  const problemsOf = (problems: ImportProblem[], conversation: string) =>
    problems.filter((p) => p.conversation?.includes(conversation)).map((p) => p.reason);

  beforeAll(async () => {
    h = await createHarness();
    const signedUp = await h.signUp('alice');
    alice = signedUp.caller;
    aliceId = signedUp.user.id;
    dir = mkdtempSync(join(tmpdir(), 'chatsynth-bounds-'));
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names what exceeds a bound and leaves it out or cuts it, storing only what the API would take', async () => {
    const one = exportedLog(1);
    const oneMessage = { messages: [one.content.messages[0]!] };
    const logs = [
      exportedLog(1, { title: 'Huge metadata', metadata: { defaultModelSlug: 'gpt-4o', branches: branches(600 * 1024) } }),
      exportedLog(2, { title: 'Long source', source: 'x'.repeat(5_000) }),
      exportedLog(3, {
        title: 'Bad notes',
        content: oneMessage,
        annotations: [
          { content: 'On a message that is not there', messageIndex: 999_999, quote: null, start: null, end: null, createdAt: one.createdAt },
          { content: 'Backwards', messageIndex: 0, quote: null, start: 9, end: 2, createdAt: one.createdAt },
          { content: 'Long quote', messageIndex: 0, quote: 'q'.repeat(100_000), start: 0, end: 4, createdAt: one.createdAt },
          { content: 'Past the end', messageIndex: 0, quote: null, start: 0, end: 5_000, createdAt: one.createdAt },
          { content: 'Kept', messageIndex: 0, quote: 'Plan', start: 0, end: 4, createdAt: one.createdAt },
          { content: 'Whole chat', messageIndex: null, quote: null, start: null, end: null, createdAt: one.createdAt },
          // Written on an older version of the message: the quote is still in its text, the offsets are not.
          { content: 'Moved', messageIndex: 0, quote: 'Lisbon', start: 0, end: 6, createdAt: one.createdAt },
          { content: `Long note. ${'n'.repeat(LIMITS.annotation)}`, messageIndex: null, quote: null, start: null, end: null, createdAt: one.createdAt },
          { content: '   ', messageIndex: null, quote: null, start: null, end: null, createdAt: one.createdAt },
        ],
      }),
      exportedLog(4, { title: 'Long summary', summary: 'A long summary. '.repeat(1_000) }),
      exportedLog(5, { title: 'Many tags', tags: [...Array.from({ length: 40 }, (_, i) => `tag ${i}`), 't'.repeat(100)] }),
      exportedLog(6, {
        title: 'Big parts',
        content: {
          messages: [
            { role: 'user', content: 'Summarise this PDF.' },
            {
              role: 'assistant',
              content: 'w'.repeat(LIMITS.messageContent + 10),
              parts: [{ type: 'attachment', name: 'report.pdf', metadata: { pages: 'p'.repeat(300 * 1024) } }],
              metadata: { finishDetails: { type: 'stop' } },
            },
          ],
        },
      }),
      // A platform id longer than a btree index entry may be (about 2,700 bytes), and not compressible.
      exportedLog(7, { title: '😀'.repeat(600), externalId: Array.from({ length: 80 }, (_, i) => createHash('sha256').update(String(i)).digest('hex')).join('') }),
    ];
    const report = await importFile(aliceId, alice, exportFile(logs));

    expect(report.status).toBe('succeeded');
    expect(report.counts).toEqual({ conversations: 7, created: 6, updated: 0, unchanged: 0, failed: 1 });
    expect(problemsOf(report.problems, 'Huge metadata')).toEqual([expect.stringMatching(/metadata was 647 KB .* 256 KB .*: branches \(647 KB\) left out/)]);
    expect(problemsOf(report.problems, 'Long source')).toEqual([expect.stringMatching(/source.*64 characters.*not imported/)]);
    // A note's words are kept; only a place that does not fit the log is dropped.
    expect(problemsOf(report.problems, 'Bad notes')).toEqual([
      'annotation #1 ("On a message that is not there") was kept as a note on the whole chat log: messageIndex: Too big: expected number to be <=100000',
      'annotation #2 ("Backwards") was kept without its position: end: must not be before start',
      'annotation #3 ("Long quote") was kept without its quote and position: quote: must equal the text between start and end',
      'annotation #4 ("Past the end") was kept without its position: end: must be at most 48, the length of message 0',
      'annotation #7 ("Moved") was kept without its position: quote: must equal the text between start and end',
      'annotation #8 ("Long note. nnnnnnnnnnnnnnnnnnnnnnnnnn…") was cut to 20,000 characters: content: must be at most 20000 characters',
      'annotation #9 ("   ") was left out: content: must not be empty',
    ]);
    expect(problemsOf(report.problems, 'Long summary')).toEqual([expect.stringMatching(/summary was cut to 10,000 characters/)]);
    expect(problemsOf(report.problems, 'Many tags')).toEqual([
      expect.stringMatching(/tag "t+…" was left out: a tag must be at most 64 characters/),
      expect.stringMatching(/only the first 32 of its 40 tags were kept/),
    ]);
    expect(problemsOf(report.problems, 'Big parts')).toEqual([
      expect.stringMatching(/message #2: its content was cut to 2,000,000 characters/),
      expect.stringMatching(/message #2.*part #1.*metadata.*left out/),
    ]);

    // Every stored log is one that chatlogs.create would have taken.
    const stored = await h.db.orm.em.fork().find(ChatLog, { user: aliceId }, { populate: ['content'], orderBy: { title: 'asc' } });
    expect(stored).toHaveLength(6);
    for (const log of stored) {
      const tags = (await alice.chatlogs.get({ id: log.id })).tags;
      const input = { source: log.source, title: log.title, content: log.content, summary: log.summary, metadata: log.metadata, tags };
      expect(createChatLogInput.safeParse(input).error?.issues, log.title).toBeUndefined();
      expect(jsonBytes(log.metadata)).toBeLessThanOrEqual(MAX_JSON_BYTES);
    }
    const huge = stored.find((l) => l.title === 'Huge metadata')!;
    expect(huge.metadata).toMatchObject({ defaultModelSlug: 'gpt-4o', import: expect.any(Object) });
    expect(huge.metadata).not.toHaveProperty('branches');
    const notes = stored.find((l) => l.title === 'Bad notes')!;
    const storedNotes = (await alice.annotations.list({ chatlogId: notes.id })).map((a) => [a.content, a.messageIndex, a.quote, a.start, a.end]);
    expect(storedNotes.sort()).toEqual(
      [
        ['On a message that is not there', null, null, null, null],
        ['Backwards', 0, null, null, null],
        ['Long quote', 0, null, null, null],
        ['Past the end', 0, null, null, null],
        ['Kept', 0, 'Plan', 0, 4],
        ['Whole chat', null, null, null, null],
        ['Moved', 0, 'Lisbon', null, null],
        [`Long note. ${'n'.repeat(LIMITS.annotation - 11)}`, null, null, null, null],
      ].sort(),
    );
    expect(stored.find((l) => l.title === 'Long summary')!.summary).toHaveLength(LIMITS.summary);
    expect((await alice.chatlogs.get({ id: stored.find((l) => l.title === 'Many tags')!.id })).tags).toHaveLength(LIMITS.tags);

    // And lists and searches over them answer.
    expect((await alice.chatlogs.list({ limit: 100 })).items).toHaveLength(6);
    expect((await alice.chatlogs.search({ query: 'Lisbon' })).items.length).toBeGreaterThan(0);

    // The same file again changes nothing, the long external id included.
    const again = await importFile(aliceId, alice, exportFile(logs));
    expect(again.counts).toEqual({ conversations: 7, created: 0, updated: 0, unchanged: 6, failed: 1 });
  });
  it('names a key the API cannot send back (__proto__) and leaves it out, keeping the rest', async () => {
    const erin = await h.signUp('erin');
    // JSON.parse makes "__proto__" an own key, as a file on disk can hold it.
    const metadata = JSON.parse('{"__proto__": {"isAdmin": true}, "gizmoId": "g-travel"}') as Record<string, unknown>;
    const messageMetadata = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const log = exportedLog(60, { title: 'Prototype keys', metadata });
    log.content.messages[1]!.metadata = messageMetadata;
    const report = await importFile(erin.user.id, erin.caller, exportFile([log]));
    expect(report.counts).toMatchObject({ created: 1, failed: 0 });
    expect(problemsOf(report.problems, 'Prototype keys')).toEqual([
      'message #2: its metadata was left out (holds the key "__proto__", which the API cannot send back)',
      'its metadata.__proto__ was left out: it holds the key "__proto__", which the API cannot send back',
    ]);
    const [stored] = (await erin.caller.chatlogs.list()).items;
    expect(stored!.metadata).toMatchObject({ gizmoId: 'g-travel' });
    expect(Object.keys(stored!.metadata)).not.toContain('__proto__');
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('keeps at most the notes a log holds, as annotations.create does', async () => {
    const dana = await h.signUp('dana');
    const notes = Array.from({ length: LIMITS.notesPerLog + 3 }, (_, i) => ({
      content: `Reading note ${i + 1}`,
      messageIndex: i % 2,
      quote: null,
      start: null,
      end: null,
      createdAt: '2024-05-02T00:00:00.000Z',
    }));
    const report = await importFile(dana.user.id, dana.caller, exportFile([exportedLog(50, { title: 'Annotated heavily', annotations: notes })]));
    expect(report.counts).toMatchObject({ created: 1, failed: 0 });
    expect(problemsOf(report.problems, 'Annotated heavily')).toEqual(['only the first 1,000 of its 1,003 annotations were kept (a chat log holds at most 1,000)']);
    const [log] = (await dana.caller.chatlogs.list()).items;
    const stored = await h.db.orm.em.fork().count(Annotation, { chatlog: log!.id });
    expect(stored).toBe(LIMITS.notesPerLog);
  });

  it('leaves out the messages past the 20 MB a log holds, refuses a conversation whose first message is over it, and stores the rest', async () => {
    // Code interpreter output: a CSV of timetable rows in each answer's code part.
    const row = 'route,departure,arrival,vessel,fare_eur\nCais do Sodré-Cacilhas,07:15,07:25,Lisboa,1.40\n';
    const longAnswer = row.repeat(Math.floor(LIMITS.messageContent / row.length));
    const logs = [
      exportedLog(20, { title: 'Before the big ones' }),
      exportedLog(21, {
        title: 'Long thread',
        content: {
          messages: Array.from({ length: 24 }, (_, i) =>
            i % 2
              ? { role: 'assistant' as const, content: 'Here is the timetable:', parts: [{ type: 'code' as const, language: 'csv', text: `${i}${longAnswer}` }] }
              : { role: 'user' as const, content: `Export the ferry timetable for week ${i}.` },
          ),
        },
      }),
      exportedLog(22, {
        title: 'One enormous answer',
        content: {
          messages: [
            {
              role: 'assistant',
              content: longAnswer,
              parts: Array.from({ length: 10 }, (_, i) => ({ type: 'code' as const, language: 'text', text: `${i}${longAnswer}` })),
            },
          ],
        },
      }),
      exportedLog(23, { title: 'After the big ones' }),
    ];
    const report = await importFile(aliceId, alice, exportFile(logs));
    expect(report.counts).toEqual({ conversations: 4, created: 3, updated: 0, unchanged: 0, failed: 1 });
    expect(problemsOf(report.problems, 'Long thread')).toEqual([
      expect.stringMatching(/content was 23\.7 MB as JSON, over the 20\.0 MB a chat log's content may hold: messages #22 to #24 were left out/),
    ]);
    expect(problemsOf(report.problems, 'One enormous answer')).toEqual([expect.stringMatching(/first message alone is over the 20\.0 MB .* not imported/)]);
    const titles = (await alice.chatlogs.list({ limit: 100 })).items.map((i) => i.title);
    expect(titles).toEqual(expect.arrayContaining(['Before the big ones', 'Long thread', 'After the big ones']));
    const thread = (await alice.chatlogs.list({ limit: 100 })).items.find((i) => i.title === 'Long thread')!;
    const stored = await alice.chatlogs.get({ id: thread.id });
    expect(stored.messageCount).toBe(21);
    expect(jsonBytes(stored.content)).toBeLessThanOrEqual(MAX_TRPC_BODY_BYTES);
  });

  it('puts no SQL or internal text in a report: the error is logged, the report quotes its reference', async () => {
    const bob = await h.signUp('bob');
    // A database that refuses one row, as a constraint or a failing disk would: the message names the statement.
    const em = h.db.orm.em.fork();
    await em.execute(`create function test_refuse_poison() returns trigger language plpgsql as $$
      begin
        if new.title = 'Poison' then raise exception 'refused % in insert into chatlogs (user_id, content) values (...)', new.title; end if;
        return new;
      end $$`);
    await em.execute('create trigger test_refuse_poison before insert on chatlogs for each row execute function test_refuse_poison()');
    const logged = vi.spyOn(logger, 'error');
    try {
      const file = [exportedLog(30, { title: 'Fine before' }), exportedLog(31, { title: 'Poison' }), exportedLog(32, { title: 'Fine after' })];
      const report = await importFile(bob.user.id, bob.caller, exportFile(file));
      expect(report.counts).toEqual({ conversations: 3, created: 2, updated: 0, unchanged: 0, failed: 1 });
      const [reason] = problemsOf(report.problems, 'Poison');
      expect(reason).toMatch(/^Could not be stored because of an error on the server \(reference [\w-]+\)/);
      expect(JSON.stringify(report)).not.toMatch(/insert|chatlogs|values|select|refused/i);
      // The operator's log has the whole error under the same reference.
      const ref = /reference ([\w-]+)/.exec(reason!)![1];
      const entry = logged.mock.calls.find(([fields]) => (fields as { ref?: string }).ref === ref)?.[0] as { err: Error; importId: string };
      expect(entry.err.message).toMatch(/refused Poison in insert into chatlogs/);
      expect(entry.importId).toBe(report.id);
    } finally {
      logged.mockRestore();
      await em.execute('drop trigger test_refuse_poison on chatlogs; drop function test_refuse_poison()');
    }
  });

  it('says only a reference when a whole job fails on the server', async () => {
    const carol = await h.signUp('carol');
    const em = h.db.orm.em.fork();
    await em.execute(`create function test_refuse_checkpoint() returns trigger language plpgsql as $$
      begin
        if new.finished_at is null and new.processed > 0 then raise exception 'could not extend file "base/16384/2619": No space left on device'; end if;
        return new;
      end $$`);
    await em.execute('create trigger test_refuse_checkpoint before update on imports for each row execute function test_refuse_checkpoint()');
    try {
      const report = await importFile(carol.user.id, carol.caller, exportFile([exportedLog(40, { title: 'Anything' })]));
      expect(report.status).toBe('failed');
      expect(report.error).toMatch(/^Something went wrong on the server \(reference [\w-]+\)/);
      expect(report.error).not.toMatch(/base\/16384|No space|update|imports/i);
    } finally {
      await em.execute('drop trigger test_refuse_checkpoint on imports; drop function test_refuse_checkpoint()');
    }
  });
});
