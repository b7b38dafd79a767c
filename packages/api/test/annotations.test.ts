import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z, ZodError } from 'zod';
import { Annotation, ChatLog, ChatVersion } from '@chatsynth/db';
import { codeOf, createHarness, type Caller, type Harness } from './harness';

const MISSING_ID = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const content = {
  messages: [
    { role: 'user' as const, content: 'How do ferries work in winter?' },
    { role: 'assistant' as const, content: 'Ice breakers 🚢 clear the way.' },
  ],
};

describe('annotations', () => {
  let h: Harness;
  let alice: Caller;
  let bob: Caller;
  beforeAll(async () => {
    h = await createHarness();
    alice = (await h.signUp('alice')).caller;
    bob = (await h.signUp('bob')).caller;
  });
  afterAll(async () => h?.close());

  const newLog = (caller = alice) => caller.chatlogs.create({ source: 'api', title: 'Ferries', content });
  const annotationCount = () => h.db.orm.em.fork().count(Annotation);

  it('annotates the whole log or a span of one message, recording the current version', async () => {
    const log = await newLog();
    const whole = await alice.annotations.create({ chatlogId: log.id, content: 'Worth keeping.', metadata: { colour: 'yellow' } });
    expect(whole).toEqual({
      id: expect.any(String),
      chatlogId: log.id,
      content: 'Worth keeping.',
      messageIndex: null,
      quote: null,
      start: null,
      end: null,
      version: 1,
      metadata: { colour: 'yellow' },
      createdAt: expect.any(Date),
      updatedAt: expect.any(Date),
    });

    await alice.chatlogs.update({ id: log.id, expectedVersion: 1, title: 'Ferries, edited' });
    const span = await alice.annotations.create({ chatlogId: log.id, content: 'Which ones?', messageIndex: 1, quote: 'Ice breakers', start: 0, end: 12 });
    expect(span).toMatchObject({ messageIndex: 1, quote: 'Ice breakers', start: 0, end: 12, version: 2, metadata: {} });
    // Without a quote, the text between the offsets is kept (offsets count UTF-16 code units).
    const derived = await alice.annotations.create({ chatlogId: log.id, content: 'Ship!', messageIndex: 1, start: 13, end: 15 });
    expect(derived).toMatchObject({ quote: '🚢', start: 13, end: 15 });
    const onMessage = await alice.annotations.create({ chatlogId: log.id, content: 'Good question', messageIndex: 0, quote: 'in winter' });
    expect(onMessage).toMatchObject({ messageIndex: 0, quote: 'in winter', start: null, end: null });
    const caret = await alice.annotations.create({ chatlogId: log.id, content: 'End', messageIndex: 0, start: 30, end: 30 });
    // A caret (an empty range) has no words to quote: stored without one, so an export of it imports again with its place.
    expect(caret).toMatchObject({ quote: null, start: 30, end: 30 });
    const longest = await alice.annotations.create({ chatlogId: log.id, content: 'x'.repeat(20_000) });
    expect(longest.content).toHaveLength(20_000);

    const list = await alice.annotations.list({ chatlogId: log.id });
    expect(list.map((a) => a.id)).toEqual([whole.id, longest.id, onMessage.id, caret.id, span.id, derived.id]);
    expect(list[0]).toEqual(whole);
  });

  it('lets the author update and delete', async () => {
    const log = await newLog();
    const made = await alice.annotations.create({ chatlogId: log.id, content: 'Draft', messageIndex: 0, metadata: { a: 1 } });
    const edited = await alice.annotations.update({ id: made.id, content: '  Final  ' });
    expect(edited).toEqual({ ...made, content: 'Final', updatedAt: expect.any(Date) });
    expect(edited.updatedAt.getTime()).toBeGreaterThanOrEqual(made.updatedAt.getTime());
    expect(await alice.annotations.update({ id: made.id, content: 'Final', metadata: { b: 2 } })).toMatchObject({ metadata: { b: 2 } });
    expect(await alice.annotations.delete({ id: made.id })).toEqual({ ok: true });
    expect(await alice.annotations.list({ chatlogId: log.id })).toEqual([]);
    expect(await codeOf(alice.annotations.delete({ id: made.id }))).toBe('NOT_FOUND');
    expect(await codeOf(alice.annotations.update({ id: made.id, content: 'again' }))).toBe('NOT_FOUND');
  });

  it("answers NOT_FOUND for another user's log or annotation and changes nothing", async () => {
    const log = await newLog();
    const mine = await alice.annotations.create({ chatlogId: log.id, content: 'Mine', messageIndex: 1, start: 0, end: 3 });
    const before = await annotationCount();
    expect(await codeOf(bob.annotations.create({ chatlogId: log.id, content: 'Intruder' }))).toBe('NOT_FOUND');
    expect(await codeOf(bob.annotations.list({ chatlogId: log.id }))).toBe('NOT_FOUND');
    expect(await codeOf(bob.annotations.update({ id: mine.id, content: 'Hacked' }))).toBe('NOT_FOUND');
    expect(await codeOf(bob.annotations.delete({ id: mine.id }))).toBe('NOT_FOUND');
    expect(await codeOf(bob.annotations.create({ chatlogId: MISSING_ID, content: 'x' }))).toBe('NOT_FOUND');
    expect(await codeOf(bob.annotations.list({ chatlogId: MISSING_ID }))).toBe('NOT_FOUND');
    expect(await codeOf(bob.annotations.update({ id: MISSING_ID, content: 'x' }))).toBe('NOT_FOUND');
    expect(await codeOf(bob.annotations.delete({ id: MISSING_ID }))).toBe('NOT_FOUND');
    expect(await annotationCount()).toBe(before);
    expect(await alice.annotations.list({ chatlogId: log.id })).toEqual([mine]);
  });

  it('treats the annotations of a trashed log as gone until the log is restored', async () => {
    const log = await newLog();
    const made = await alice.annotations.create({ chatlogId: log.id, content: 'Keep me' });
    await alice.chatlogs.delete({ id: log.id });
    expect(await codeOf(alice.annotations.create({ chatlogId: log.id, content: 'x' }))).toBe('NOT_FOUND');
    expect(await codeOf(alice.annotations.list({ chatlogId: log.id }))).toBe('NOT_FOUND');
    expect(await codeOf(alice.annotations.update({ id: made.id, content: 'Changed' }))).toBe('NOT_FOUND');
    expect(await codeOf(alice.annotations.delete({ id: made.id }))).toBe('NOT_FOUND');
    await alice.chatlogs.restore({ id: log.id });
    expect(await alice.annotations.list({ chatlogId: log.id })).toEqual([made]);
  });

  it('refuses every bound and out-of-range position with BAD_REQUEST, storing nothing', async () => {
    const log = await newLog();
    const before = await annotationCount();
    const ok = { chatlogId: log.id, content: 'Note' };
    const schemaBad: unknown[] = [
      { ...ok, content: '' },
      { ...ok, content: '   ' },
      { ...ok, content: 'x'.repeat(20_001) },
      { ...ok, content: 'nul \u0000' },
      { ...ok, content: 'lone \udc00' },
      { ...ok, messageIndex: -1 },
      { ...ok, messageIndex: 0.5 },
      { ...ok, messageIndex: 100_001 },
      { ...ok, messageIndex: 0, start: 0 },
      { ...ok, messageIndex: 0, end: 3 },
      { ...ok, messageIndex: 0, start: 4, end: 3 },
      { ...ok, messageIndex: 0, start: -1, end: 3 },
      { ...ok, start: 0, end: 3 },
      { ...ok, quote: 'How' },
      { ...ok, messageIndex: 0, quote: '' },
      { ...ok, messageIndex: 0, quote: 'x'.repeat(2_000_001) },
      { ...ok, metadata: { big: 'x'.repeat(300 * 1024) } },
      { ...ok, metadata: [] },
      { ...ok, userId: 'someone-else' },
      { ...ok, version: 9 },
      { content: 'Note' },
      { ...ok, chatlogId: 'nope' },
    ];
    for (const input of schemaBad) {
      expect(await codeOf(alice.annotations.create(input as never)), JSON.stringify(input).slice(0, 100)).toBe('BAD_REQUEST');
    }

    // Checks only the stored log can make: still BAD_REQUEST, with the field named.
    const dataBad: Array<[unknown, string]> = [
      [{ ...ok, messageIndex: 2 }, 'messageIndex'],
      [{ ...ok, messageIndex: 0, start: 0, end: 31 }, 'end'],
      [{ ...ok, messageIndex: 1, quote: 'Ice', start: 0, end: 4 }, 'quote'],
      [{ ...ok, messageIndex: 1, start: 13, end: 14 }, 'start'],
    ];
    for (const [input, field] of dataBad) {
      const error = await alice.annotations.create(input as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe('BAD_REQUEST');
      const cause = (error as TRPCError).cause;
      expect(cause).toBeInstanceOf(ZodError);
      expect(Object.keys(z.flattenError(cause as ZodError).fieldErrors)).toEqual([field]);
    }

    const made = await alice.annotations.create(ok);
    const updateBad: unknown[] = [
      { id: made.id, content: '' },
      { id: made.id, content: 'x'.repeat(20_001) },
      { id: made.id },
      { id: made.id, content: 'ok', messageIndex: 0 },
      { id: 'nope', content: 'ok' },
    ];
    for (const input of updateBad) expect(await codeOf(alice.annotations.update(input as never))).toBe('BAD_REQUEST');
    expect(await codeOf(alice.annotations.delete({ id: made.id, extra: 1 } as never))).toBe('BAD_REQUEST');
    expect(await codeOf(alice.annotations.list({ chatlogId: log.id, offset: 5 } as never))).toBe('BAD_REQUEST');
    expect(await annotationCount()).toBe(before + 1);
    expect(await alice.annotations.list({ chatlogId: log.id })).toEqual([made]);
  });

  it('purging a log takes its annotations and versions with it', async () => {
    const log = await newLog();
    await alice.chatlogs.update({ id: log.id, expectedVersion: 1, title: 'Two' });
    await alice.annotations.create({ chatlogId: log.id, content: 'One' });
    await alice.annotations.create({ chatlogId: log.id, content: 'Two', messageIndex: 0 });
    await alice.chatlogs.delete({ id: log.id });
    await alice.chatlogs.purge({ id: log.id });
    const em = h.db.orm.em.fork();
    expect(await em.count(ChatLog, { id: log.id })).toBe(0);
    expect(await em.count(ChatVersion, { chatlog: log.id })).toBe(0);
    expect(await em.count(Annotation, { chatlog: log.id })).toBe(0);
  });
});
