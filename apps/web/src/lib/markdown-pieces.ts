import type { Mark } from './message-segments';

/**
 * Where each shown character of a Markdown node comes from in the raw message text.
 *
 * Markdown shows text that is not always the source: `\*` shows as `*`, `&amp;` as `&`, the
 * indentation of a continuation line and the fence of a code block not at all. Annotations,
 * selections and search all speak in UTF-16 offsets into the raw `content`, so every rendered run
 * of text carries the raw offset it starts at. A piece is exact when the raw text at its offset is
 * its text; otherwise (a character reference, a line end shown as a space, a tab shown as spaces)
 * it stands for `rawLength` raw characters as a whole.
 */
export type Piece = { text: string; offset: number; rawLength: number; exact: boolean };

/** A piece as rendered: cut further at annotation marks and at highlighted code tokens. */
export type Leaf = Piece & { marks: string[]; className?: string };

/** A run of highlighted code: its text and the classes of the tokens around it. */
export type Token = { text: string; className?: string };

const CHARACTER_REFERENCE = /^&(?:#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{0,31});/;
const ESCAPABLE = /^[!-/:-@[-`{-~]$/;

function isHighSurrogate(char: string | undefined): boolean {
  return char !== undefined && char.charCodeAt(0) >= 0xd800 && char.charCodeAt(0) <= 0xdbff;
}

/**
 * Lines up `value` (what Markdown shows for a node) with `raw[start, end)` (the node's source) and
 * returns `value` cut into pieces with their raw offsets. The value is the source less what
 * Markdown hides, with escapes and references decoded, so one pass does: matching characters extend
 * the current exact piece, a decoded reference or a line end becomes a piece of its own, and any
 * other source character is one Markdown does not show. Never throws: text it cannot place (none
 * is expected) is one piece at `end`.
 */
export function alignText(raw: string, start: number, end: number, value: string): Piece[] {
  const pieces: Piece[] = [];
  let i = Math.max(0, start);
  const stop = Math.min(end, raw.length);
  let j = 0;
  let run: { offset: number; from: number } | null = null;
  const flush = () => {
    if (run && j > run.from) pieces.push({ text: value.slice(run.from, j), offset: run.offset, rawLength: j - run.from, exact: true });
    run = null;
  };
  const whole = (length: number, offset: number, rawLength: number) => {
    flush();
    const text = value.slice(j, j + length);
    pieces.push({ text, offset, rawLength, exact: raw.slice(offset, offset + rawLength) === text });
    j += length;
    i = offset + rawLength;
  };

  while (j < value.length) {
    const shown = value[j]!;
    // `&amp;` shows as `&`: a reference Markdown decoded is one piece, not a literal `&` and hidden text.
    const reference = raw[i] === '&' && i < stop ? CHARACTER_REFERENCE.exec(raw.slice(i, Math.min(stop, i + 40))) : null;
    if (reference && value.slice(j, j + reference[0].length) !== reference[0]) {
      flush();
      whole(isHighSurrogate(shown) ? 2 : 1, i, reference[0].length);
      continue;
    }
    if (i < stop && raw[i] === shown) {
      run ??= { offset: i, from: j };
      i++;
      j++;
      continue;
    }
    flush();
    if (i >= stop) {
      whole(value.length - j, stop, 0);
      break;
    }
    const char = raw[i]!;
    if (char === '\\' && i + 1 < stop && raw[i + 1] === shown && ESCAPABLE.test(shown)) {
      i++;
      continue;
    }
    if ((char === '\r' || char === '\n') && (shown === '\n' || shown === ' ')) {
      whole(1, i, char === '\r' && raw[i + 1] === '\n' ? 2 : 1);
      continue;
    }
    if (char === '\t' && shown === ' ' && raw[i + 1] !== ' ') {
      // A tab in indentation that Markdown partly expanded into spaces (one it dropped whole, before
      // a space that is shown, is skipped like other indentation).
      let spaces = 1;
      while (spaces < 4 && value[j + spaces] === ' ') spaces++;
      whole(spaces, i, 1);
      continue;
    }
    i++;
  }
  flush();
  return pieces;
}

/** `text` at `offset` as one exact piece: a plain rendering (code parts, plain text) with offsets. */
export function exactPieces(text: string, offset = 0): Piece[] {
  return text ? [{ text, offset, rawLength: text.length, exact: true }] : [];
}

function marksOver(marks: readonly Mark[], start: number, end: number): string[] {
  if (end <= start) return [];
  return marks.filter((m) => m.end > m.start && m.start <= start && m.end >= end).map((m) => m.id);
}

/**
 * The pieces cut where an annotation starts or ends and where a highlighted token does, so that
 * every leaf has one set of marks and one token class. `tokens`, when given, cover the same text
 * as the pieces.
 */
export function buildLeaves(pieces: readonly Piece[], marks: readonly Mark[], tokens?: readonly Token[]): Leaf[] {
  const cuts = new Set<number>();
  const starts: number[] = [];
  let at = 0;
  for (const piece of pieces) {
    starts.push(at);
    cuts.add(at);
    if (piece.exact) {
      for (const mark of marks) {
        for (const edge of [mark.start, mark.end]) {
          if (edge > piece.offset && edge < piece.offset + piece.rawLength) cuts.add(at + edge - piece.offset);
        }
      }
    }
    at += piece.text.length;
  }
  const total = at;
  const tokenStarts: number[] = [];
  if (tokens) {
    at = 0;
    for (const token of tokens) {
      tokenStarts.push(at);
      cuts.add(at);
      at += token.text.length;
    }
  }
  cuts.add(total);
  const points = [...cuts].filter((p) => p <= total).sort((a, b) => a - b);

  const leaves: Leaf[] = [];
  let p = 0;
  let t = 0;
  for (let k = 0; k + 1 < points.length; k++) {
    const from = points[k]!;
    const to = points[k + 1]!;
    while (p + 1 < pieces.length && starts[p + 1]! <= from) p++;
    const piece = pieces[p]!;
    const within = from - starts[p]!;
    const text = piece.text.slice(within, within + (to - from));
    let offset: number;
    let rawLength: number;
    if (piece.exact) {
      offset = piece.offset + within;
      rawLength = text.length;
    } else {
      // Part of a piece that stands for its raw text as a whole (a token boundary inside it).
      offset = within === 0 ? piece.offset : piece.offset + piece.rawLength;
      rawLength = within === 0 ? piece.rawLength : 0;
    }
    const leaf: Leaf = { text, offset, rawLength, exact: piece.exact, marks: marksOver(marks, offset, offset + rawLength) };
    if (tokens) {
      while (t + 1 < tokens.length && tokenStarts[t + 1]! <= from) t++;
      const className = tokens[t]?.className;
      if (className) leaf.className = className;
    }
    leaves.push(leaf);
  }
  return leaves;
}
