import { describe, expect, it } from 'vitest';
import { findWordMatches, queryWords } from './query-highlight';

const marked = (text: string, query: string) => findWordMatches(text, queryWords(query)).map((r) => text.slice(r.start, r.end));

describe('queryWords', () => {
  it('drops operators, quotes and excluded words', () => {
    expect(queryWords('"blue whale" OR dolphin -shark').map((w) => w.stem).sort()).toEqual(['blue', 'dolphin', 'whale']);
  });
  it('makes only an unfinished last word a prefix', () => {
    expect(queryWords('tea pot').find((w) => w.stem === 'pot')?.prefix).toBe(true);
    expect(queryWords('tea pot ').find((w) => w.stem === 'pot')?.prefix).toBe(false);
    expect(queryWords('"tea pot"').find((w) => w.stem === 'pot')?.prefix).toBe(false);
  });
  it('is empty for operators alone', () => {
    expect(queryWords('OR - "" -x')).toEqual([]);
  });
});

describe('findWordMatches', () => {
  it('matches case- and accent-insensitively and keeps the original offsets', () => {
    expect(marked('A Café in Zürich; the CAFE was shut', 'cafe zurich ')).toEqual(['Café', 'Zürich', 'CAFE']);
    expect(marked('é is decomposed here: Cafe\u0301!', 'cafe ')).toEqual(['Cafe\u0301']);
  });
  it('matches at word starts only', () => {
    expect(marked('scatter the cat', 'cat ')).toEqual(['cat']);
  });
  it('stems lightly: ferry finds ferries, the plural finds the singular', () => {
    expect(marked('Two ferries and a ferry', 'ferry ')).toEqual(['ferries', 'ferry']);
    expect(marked('one ferry', 'ferries ')).toEqual(['ferry']);
  });
  it('takes the last word as a prefix while typing', () => {
    expect(marked('categorisation of cats', 'categ')).toEqual(['categorisation']);
    expect(marked('categorisation of cats', 'categ ')).toEqual([]);
  });
  it('ignores excluded words and OR', () => {
    expect(marked('sharks OR dolphins', 'dolphin OR -shark ')).toEqual(['dolphins']);
  });
  it('is safe on empty input', () => {
    expect(marked('', 'x')).toEqual([]);
    expect(marked('text', '')).toEqual([]);
  });
});
