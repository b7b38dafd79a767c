// The bounded JSON reader against JSON.parse, on random documents cut into random chunks: within its
// bounds it reads exactly what JSON.parse reads; past them it cuts, nulls or leaves out exactly what
// the bounds say, says so, and goes on with the next value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keepStart } from '../src/io/json-tokenizer';
import { JSON_READ_LIMITS, JsonValueReader, type JsonReadLimits, type JsonStreamEvent } from '../src/io/json-values';

const RUNS = { numRuns: 300 };

/** Feeds `text` to a reader in pieces cut at the given fractions (mid-character included). */
function read(text: string, paths: string[], limits: JsonReadLimits, cuts: number[]): JsonStreamEvent[] {
  const bytes = Buffer.from(text, 'utf8');
  const at = [...new Set(cuts.map((f) => Math.floor(f * bytes.length)))].sort((a, b) => a - b);
  const reader = new JsonValueReader(paths, limits);
  let from = 0;
  for (const to of [...at, bytes.length]) {
    reader.write(bytes.subarray(from, to));
    from = to;
  }
  reader.end();
  return reader.events;
}

// Any Unicode, so cuts fall inside surrogate pairs and chunks inside UTF-8 sequences.
const document = fc.array(fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }), { maxLength: 8 });
const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 });
const values = (events: JsonStreamEvent[]) => events.map((event) => (event.kind === 'value' ? event.value : event.kind));

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) Object.defineProperty(out, map(key), { value: mapStrings(item, map), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

describe('JsonValueReader', () => {
  it('reads what JSON.parse reads, in any chunking', () => {
    fc.assert(
      fc.property(document, cuts, (elements, at) => {
        const events = read(JSON.stringify(elements), ['$.*'], JSON_READ_LIMITS, at);
        expect(values(events)).toEqual(JSON.parse(JSON.stringify(elements)));
      }),
      RUNS,
    );
  });

  it('cuts every string over the bound, keys included, to its start and notes each', () => {
    const limits = { ...JSON_READ_LIMITS, maxChars: 6, keepChars: 3 };
    fc.assert(
      fc.property(document, cuts, (elements, at) => {
        const parsed = JSON.parse(JSON.stringify(elements)) as unknown[];
        const events = read(JSON.stringify(elements), ['$.*'], limits, at);
        expect(values(events)).toEqual(parsed.map((element) => mapStrings(element, (text) => (text.length > 6 ? keepStart(text, 3) : text))));
        const long: string[] = [];
        parsed.forEach((element) => mapStrings(element, (text) => (text.length > 6 && long.push(text), text)));
        expect(events.flatMap((event) => (event.kind === 'value' ? event.notes.map((note) => note.kind) : []))).toEqual(long.map(() => 'text-cut'));
      }),
      RUNS,
    );
  });

  it('leaves out each value that outweighs the bound, and only those', () => {
    // With no weight allowed, any value holding something is too heavy; empty ones and scalars are not.
    const limits = { ...JSON_READ_LIMITS, maxValueWeight: 0 };
    fc.assert(
      fc.property(document, cuts, (elements, at) => {
        const events = read(JSON.stringify(elements), ['$.*'], limits, at);
        const parsed = JSON.parse(JSON.stringify(elements)) as unknown[];
        const holdsSomething = (value: unknown) => value !== null && typeof value === 'object' && Object.keys(value).length > 0;
        expect(values(events)).toEqual(parsed.map((element) => (holdsSomething(element) ? 'too-large' : element)));
        expect(events.map((event) => event.kind === 'too-large' && event.path)).toEqual(parsed.map((element, i) => holdsSomething(element) && [i]));
      }),
      RUNS,
    );
  });

  it('reads a container nested past the depth bound as null', () => {
    const limits = { ...JSON_READ_LIMITS, maxDepth: 3 };
    const nullDeep = (value: unknown, depth: number): unknown => {
      if (value === null || typeof value !== 'object') return value;
      if (depth >= 3) return null;
      if (Array.isArray(value)) return value.map((item) => nullDeep(item, depth + 1));
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, nullDeep(item, depth + 1)]));
    };
    fc.assert(
      fc.property(document, cuts, (elements, at) => {
        const events = read(JSON.stringify(elements), ['$.*'], limits, at);
        // The root list is the first level, its elements the second.
        expect(values(events)).toEqual((JSON.parse(JSON.stringify(elements)) as unknown[]).map((element) => nullDeep(element, 1)));
      }),
      RUNS,
    );
  });

  it('names what it left out, measures it in the file, and goes on after it', () => {
    const limits = { ...JSON_READ_LIMITS, maxValueWeight: 300 };
    const heavy = JSON.stringify({ title: 'Heavy', meta: { name: 'n' }, mapping: Array.from({ length: 50 }, (_, i) => ({ id: i })), tail: 1 });
    const text = `{"chatlogs": [{"title": "One"}, ${heavy}, {"title": "Three"}], "format": "chatsynth"}`;
    const events = read(text, ['$.chatlogs.*', '$.format'], limits, []);
    expect(events).toEqual([
      { kind: 'value', path: ['chatlogs', 0], value: { title: 'One' }, notes: [], weight: expect.any(Number) },
      { kind: 'too-large', path: ['chatlogs', 1], bytes: Buffer.byteLength(heavy), head: { title: 'Heavy', meta: { name: 'n' } } },
      { kind: 'value', path: ['chatlogs', 2], value: { title: 'Three' }, notes: [], weight: expect.any(Number) },
      { kind: 'value', path: ['format'], value: 'chatsynth', notes: [], weight: expect.any(Number) },
    ]);
  });

  it('leaves out a root value too heavy and still sees trailing garbage', () => {
    const limits = { ...JSON_READ_LIMITS, maxValueWeight: 100 };
    const line = '{"title": "x", "messages": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}';
    expect(read(line, ['$'], limits, [0.5]).map((event) => event.kind)).toEqual(['too-large']);
    expect(read(`${line} x`, ['$'], limits, []).map((event) => event.kind)).toEqual(['too-large', 'break']);
  });

  it('reads a number of a thousand digits and more as NaN, and notes it', () => {
    const events = read(`[{"n": ${'9'.repeat(1_001)}}, 2]`, ['$.*'], JSON_READ_LIMITS, [0.3, 0.6]);
    expect(values(events)).toEqual([{ n: Number.NaN }, 2]);
    expect(events[0]).toMatchObject({ notes: [{ kind: 'number-dropped', at: 'n', bytes: 1_001 }] });
  });
});
