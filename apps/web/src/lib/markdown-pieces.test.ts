import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Nodes } from 'mdast';
import { alignText, buildLeaves, exactPieces, type Piece } from './markdown-pieces';
import { parseMarkdown } from './markdown-parse';

/** What the invariants need: the pieces spell the value, and an exact piece is the raw text at its offset. */
function checkPieces(raw: string, start: number, end: number, value: string, pieces: Piece[]) {
  expect(pieces.map((p) => p.text).join('')).toBe(value);
  let last = start;
  for (const piece of pieces) {
    expect(piece.offset).toBeGreaterThanOrEqual(last);
    expect(piece.offset + piece.rawLength).toBeLessThanOrEqual(Math.max(end, start));
    if (piece.exact) expect(raw.slice(piece.offset, piece.offset + piece.rawLength)).toBe(piece.text);
    last = piece.offset + piece.rawLength;
  }
}

/** Every node whose text is shown, with the value Markdown shows for it. */
function shownTexts(node: Nodes, out: { start: number; end: number; value: string; type: string }[] = []) {
  if ((node.type === 'text' || node.type === 'inlineCode' || node.type === 'html' || node.type === 'code') && node.position) {
    out.push({ start: node.position.start.offset!, end: node.position.end.offset!, value: node.value, type: node.type });
  }
  if ('children' in node) for (const child of node.children) shownTexts(child, out);
  return out;
}

describe('alignText', () => {
  it('maps plain text one to one', () => {
    expect(alignText('a **bold** b', 4, 8, 'bold')).toEqual([{ text: 'bold', offset: 4, rawLength: 4, exact: true }]);
  });

  it('skips a backslash that escapes a character', () => {
    const raw = 'x \\* y';
    expect(alignText(raw, 0, raw.length, 'x * y')).toEqual([
      { text: 'x ', offset: 0, rawLength: 2, exact: true },
      { text: '* y', offset: 3, rawLength: 3, exact: true },
    ]);
  });

  it('keeps a character reference as one piece standing for its raw text', () => {
    const raw = 'a &lt;b&gt; &#x1F600; c';
    const pieces = alignText(raw, 0, raw.length, 'a <b> 😀 c');
    expect(pieces).toEqual([
      { text: 'a ', offset: 0, rawLength: 2, exact: true },
      { text: '<', offset: 2, rawLength: 4, exact: false },
      { text: 'b', offset: 6, rawLength: 1, exact: true },
      { text: '>', offset: 7, rawLength: 4, exact: false },
      { text: ' ', offset: 11, rawLength: 1, exact: true },
      { text: '😀', offset: 12, rawLength: 9, exact: false },
      { text: ' c', offset: 21, rawLength: 2, exact: true },
    ]);
  });

  it('drops the indentation of a continuation line and keeps Windows line ends as raw offsets', () => {
    const raw = 'one\r\n   two';
    const pieces = alignText(raw, 0, raw.length, 'one\r\ntwo');
    expect(pieces).toEqual([
      { text: 'one\r\n', offset: 0, rawLength: 5, exact: true },
      { text: 'two', offset: 8, rawLength: 3, exact: true },
    ]);
  });

  it('puts text it cannot place at the end, without throwing', () => {
    expect(alignText('abc', 0, 3, 'abcd')).toEqual([
      { text: 'abc', offset: 0, rawLength: 3, exact: true },
      { text: 'd', offset: 3, rawLength: 0, exact: false },
    ]);
  });
});

describe('buildLeaves', () => {
  it('cuts exact pieces at annotation edges and lists the marks over each leaf', () => {
    const leaves = buildLeaves([{ text: 'hello world', offset: 10, rawLength: 11, exact: true }], [{ id: 'n1', start: 16, end: 21 }]);
    expect(leaves).toEqual([
      { text: 'hello ', offset: 10, rawLength: 6, exact: true, marks: [] },
      { text: 'world', offset: 16, rawLength: 5, exact: true, marks: ['n1'] },
    ]);
  });

  it('cuts at highlighted tokens too, keeping their classes', () => {
    const leaves = buildLeaves(exactPieces('let a = 1', 5), [{ id: 'n', start: 9, end: 14 }], [
      { text: 'let', className: 'hljs-keyword' },
      { text: ' a = ' },
      { text: '1', className: 'hljs-number' },
    ]);
    expect(leaves.map((l) => [l.text, l.offset, l.className, l.marks])).toEqual([
      ['let', 5, 'hljs-keyword', []],
      [' ', 8, undefined, []],
      ['a = ', 9, undefined, ['n']],
      ['1', 13, 'hljs-number', ['n']],
    ]);
  });

  it('marks a decoded reference only when an annotation covers all of its raw text', () => {
    const pieces = alignText('a &amp; b', 0, 9, 'a & b');
    expect(buildLeaves(pieces, [{ id: 'x', start: 2, end: 7 }]).find((l) => l.text === '&')!.marks).toEqual(['x']);
    expect(buildLeaves(pieces, [{ id: 'x', start: 3, end: 7 }]).find((l) => l.text === '&')!.marks).toEqual([]);
  });
});

describe('offsets over parsed Markdown (property)', () => {
  // Text made of what Markdown treats specially, so escapes, references, fences and indentation all occur.
  const markdownish = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n', '\r\n', '\t', '*', '_', '`', '```', '\\', '&amp;', '&#65;', '&bogus;', '#', '-', '>', '[', ']', '(', ')', '|', '~', '<b>', 'é', '😀', '1.'), maxLength: 80 });

  it('never throws, and every shown text is spelled by its pieces, exact pieces being the raw text at their offsets', () => {
    fc.assert(
      fc.property(markdownish, (raw) => {
        const tree = parseMarkdown(raw)!;
        for (const { start, end, value } of shownTexts(tree)) {
          checkPieces(raw, start, end, value, alignText(raw, start, end, value));
        }
      }),
      { numRuns: 400 },
    );
  });
});
