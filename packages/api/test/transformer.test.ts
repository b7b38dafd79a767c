import fc from 'fast-check';
import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { serializeOutput } from '../src/transformer';

// The web app and the client deserialize with superjson: the output must be what superjson.serialize
// writes, whatever the value: the same JSON, the same annotations (in superjson's own order, integer
// keys first, or in the walk's: applying independent paths does not depend on it).
const sameAsSuperjson = (value: unknown) => {
  let theirs: ReturnType<typeof superjson.serialize>;
  try {
    theirs = superjson.serialize(value);
  } catch (error) {
    // superjson refuses some values (a "__proto__" key): so must we, with its error.
    expect(() => serializeOutput(value)).toThrow((error as Error).message);
    return;
  }
  const ours = serializeOutput(value);
  expect(JSON.stringify(ours.json)).toBe(JSON.stringify(theirs.json));
  expect(ours.meta).toEqual(theirs.meta);
  expect(superjson.deserialize(JSON.parse(JSON.stringify(ours)))).toEqual(superjson.deserialize(JSON.parse(JSON.stringify(theirs))));
};

describe('serializeOutput', () => {
  it('writes what superjson writes for a page of search hits', () => {
    const when = new Date('2026-11-26T03:15:17.123Z');
    const page = {
      items: [
        {
          chatlog: { id: 'a', title: 'Ferry times', createdAt: when, updatedAt: new Date(0), startedAt: null, tags: ['travel'] },
          score: 3.060793,
          snippets: [{ kind: 'message', messageIndex: 4, text: 'the <mark>ferry</mark> leaves' }],
        },
      ],
      nextCursor: null,
      missing: undefined,
    };
    sameAsSuperjson(page);
    const { json, meta } = serializeOutput(page);
    expect(meta?.values).toEqual({ 'items.0.chatlog.createdAt': ['Date'], 'items.0.chatlog.updatedAt': ['Date'], missing: ['undefined'] });
    expect(superjson.deserialize({ json, meta })).toEqual(page);
  });

  it('escapes dots and backslashes in keys as superjson does', () => {
    sameAsSuperjson({ 'a.b': { 'c\\d': new Date(5) }, list: [undefined, 1, new Date(7)] });
  });

  it('refuses a "__proto__" key as superjson does', () => {
    expect(() => serializeOutput(JSON.parse('{"a":{"__proto__":[]}}'))).toThrow(/prototype pollution/);
  });

  it('hands unusual values to superjson: Map, Set, bigint, NaN, -0, shared objects, class instances', () => {
    const shared = { x: 1 };
    class Point {
      constructor(public x: number) {}
    }
    for (const value of [
      { m: new Map([[1, 2]]) },
      { s: new Set([1]) },
      { n: 10n },
      { nan: Number.NaN, inf: Infinity },
      { zero: -0 },
      { a: shared, b: shared },
      { p: new Point(1) },
      { invalid: new Date(Number.NaN) },
      // eslint-disable-next-line no-sparse-arrays -- a hole, which superjson skips
      [1, , 3],
      new Date(1),
      'text',
      null,
      undefined,
    ]) {
      sameAsSuperjson(value);
    }
  });

  it('matches superjson on arbitrary JSON-like values with dates and undefined', () => {
    const leaf = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.date({ noInvalidDate: true }),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node')), fc.dictionary(fc.string(), tie('node'))),
    })).node;
    fc.assert(fc.property(value, sameAsSuperjson), { numRuns: 500 });
  });
});
