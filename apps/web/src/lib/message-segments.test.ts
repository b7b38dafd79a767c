import { describe, expect, it } from 'vitest';
import { locateQuote, segmentRange, splitRawBlocks, trimRange } from './message-segments';
import { splitMessageBlocks } from './message-blocks';

/** The blocks' texts as the raw ranges give them, to compare with splitMessageBlocks. */
function texts(text: string) {
  return splitRawBlocks(text).map((b) => text.slice(b.start, b.end));
}

describe('splitRawBlocks', () => {
  it('gives the same blocks as splitMessageBlocks, as ranges of the raw text', () => {
    for (const text of [
      'plain',
      '  indented\n\n\tand tabbed  ',
      'Try this:\n\n```python\nprint("hi")\n  x = 1\n```\n\nDone.',
      '~~~\na\n~~~\n````\n```\ninner\n```\n````',
      'open\n```js\nnever closed',
      '```\n```',
    ]) {
      const expected = splitMessageBlocks(text).map((b) => (b.kind === 'text' ? b.text : b.code));
      expect(texts(text)).toEqual(expected);
    }
  });

  it('keeps Windows line ends in the ranges, so offsets stay those of the raw string', () => {
    const text = 'one\r\n```\r\ncode\r\n```\r\ntwo';
    expect(splitRawBlocks(text)).toEqual([
      { kind: 'text', language: null, start: 0, end: 3 },
      { kind: 'code', language: null, start: 10, end: 14 },
      { kind: 'text', language: null, start: 21, end: 24 },
    ]);
  });
});

describe('segmentRange', () => {
  it('cuts at the marks and lists the marks over each piece', () => {
    expect(segmentRange(0, 10, [{ id: 'a', start: 2, end: 6 }, { id: 'b', start: 4, end: 20 }])).toEqual([
      { start: 0, end: 2, marks: [] },
      { start: 2, end: 4, marks: ['a'] },
      { start: 4, end: 6, marks: ['a', 'b'] },
      { start: 6, end: 10, marks: ['b'] },
    ]);
  });
});

describe('locateQuote and trimRange', () => {
  it('finds the quote at its offsets, or where it moved, or nowhere', () => {
    expect(locateQuote('hello world', { start: 6, end: 11, quote: 'world' })).toEqual({ start: 6, end: 11 });
    expect(locateQuote('oh, hello world', { start: 6, end: 11, quote: 'world' })).toEqual({ start: 10, end: 15 });
    expect(locateQuote('gone', { start: 0, end: 4, quote: 'world' })).toBeNull();
  });

  it('drops white space at the ends', () => {
    expect(trimRange(' a b \n', 0, 6)).toEqual({ start: 1, end: 4 });
    expect(trimRange('   ', 0, 3)).toBeNull();
  });
});
