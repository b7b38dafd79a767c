import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Message } from '../src/schemas/chat-log';
import { diffMessages } from '../src/services/message-diff';

const user = (content: string, id?: string): Message => (id ? { role: 'user', content, id } : { role: 'user', content });
const assistant = (content: string): Message => ({ role: 'assistant', content });

/** Distinct messages, so the expected alignment is unambiguous. */
const distinctMessages = (maxLength: number) =>
  fc
    .uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { maxLength })
    .chain((texts) =>
      fc.tuple(fc.constant(texts), fc.array(fc.constantFrom('user' as const, 'assistant' as const), { minLength: texts.length, maxLength: texts.length })),
    )
    .map(([texts, roles]) => texts.map((content, i): Message => ({ role: roles[i]!, content })));

describe('diffMessages', () => {
  it('is empty for equal lists, whatever order the keys came in', () => {
    const a = [user('one'), { content: 'two', role: 'assistant' } as Message];
    expect(diffMessages(a, [user('one'), assistant('two')])).toEqual([]);
    expect(diffMessages([], [])).toEqual([]);
  });

  it('reports appends, truncation and replacement of everything', () => {
    expect(diffMessages([], [user('a'), assistant('b')])).toEqual([
      { op: 'added', index: 0, after: user('a') },
      { op: 'added', index: 1, after: assistant('b') },
    ]);
    expect(diffMessages([user('a'), assistant('b')], [user('a')])).toEqual([{ op: 'removed', index: 1, before: assistant('b') }]);
    expect(diffMessages([user('a')], [assistant('b')])).toEqual([
      { op: 'removed', index: 0, before: user('a') },
      { op: 'added', index: 0, after: assistant('b') },
    ]);
  });

  it('pairs an edit with the most similar message of the same role, not the first one', () => {
    const from = [user('q'), assistant('The ferry leaves at nine.'), user('end')];
    const to = [user('q'), assistant('Unrelated new answer'), assistant('The ferry leaves at ten.'), user('end')];
    expect(diffMessages(from, to)).toEqual([
      { op: 'added', index: 1, after: assistant('Unrelated new answer') },
      { op: 'changed', index: 2, before: assistant('The ferry leaves at nine.'), after: assistant('The ferry leaves at ten.') },
    ]);
  });

  it('never pairs messages with different platform ids', () => {
    expect(diffMessages([user('a', 'm1')], [user('a', 'm2')])).toEqual([
      { op: 'removed', index: 0, before: user('a', 'm1') },
      { op: 'added', index: 0, after: user('a', 'm2') },
    ]);
  });

  it('stays fast and complete on long, entirely different conversations', () => {
    const from = Array.from({ length: 5_000 }, (_, i) => user(`from ${i}`));
    const to = Array.from({ length: 5_000 }, (_, i) => assistant(`to ${i}`));
    const started = performance.now();
    const changes = diffMessages(from, to);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(changes.filter((c) => c.op === 'removed')).toHaveLength(5_000);
    expect(changes.filter((c) => c.op === 'added')).toHaveLength(5_000);
  });

  it('accounts for every message: unchanged + removed + changed = from, unchanged + added + changed = to', () => {
    const message = fc.record({ role: fc.constantFrom('user' as const, 'assistant' as const), content: fc.constantFrom('a', 'b', 'c', 'd') });
    fc.assert(
      fc.property(fc.array(message, { maxLength: 12 }), fc.array(message, { maxLength: 12 }), (from, to) => {
        const changes = diffMessages(from, to);
        const count = (op: string) => changes.filter((c) => c.op === op).length;
        const unchangedFromFrom = from.length - count('removed') - count('changed');
        const unchangedFromTo = to.length - count('added') - count('changed');
        expect(unchangedFromFrom).toBe(unchangedFromTo);
        expect(unchangedFromFrom).toBeGreaterThanOrEqual(0);
        const toIndexes = changes.filter((c) => c.op !== 'removed').map((c) => c.index);
        const fromIndexes = changes.filter((c) => c.op === 'removed').map((c) => c.index);
        expect(new Set(toIndexes).size).toBe(toIndexes.length);
        expect(new Set(fromIndexes).size).toBe(fromIndexes.length);
        for (const c of changes) {
          if (c.op === 'removed') expect(from[c.index]).toEqual(c.before);
          else expect(to[c.index]).toEqual(c.after);
        }
      }),
    );
  });

  it('reports one insertion as one added, one removal as one removed, one edit as one changed', () => {
    fc.assert(
      fc.property(distinctMessages(10), fc.nat(), (messages, at) => {
        const i = at % (messages.length + 1);
        const inserted = user('\u2063inserted'); // no generated message has this content
        expect(diffMessages(messages, [...messages.slice(0, i), inserted, ...messages.slice(i)])).toEqual([
          { op: 'added', index: i, after: inserted },
        ]);
        if (!messages.length) return;
        const j = at % messages.length;
        expect(diffMessages(messages, messages.toSpliced(j, 1))).toEqual([{ op: 'removed', index: j, before: messages[j] }]);
        const edited = { ...messages[j]!, content: `${messages[j]!.content}\u2063edited` };
        expect(diffMessages(messages, messages.with(j, edited))).toEqual([
          { op: 'changed', index: j, before: messages[j], after: edited },
        ]);
      }),
    );
  });
});
