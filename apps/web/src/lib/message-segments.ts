/**
 * The blocks of a message as ranges of its raw `content` string, and those ranges cut at the
 * annotations' offsets. The chat page renders every piece in an element carrying its offset, so a
 * browser selection maps back to UTF-16 offsets into the very string the server slices.
 * Splits like `splitMessageBlocks` (fenced code apart from prose) without rewriting line ends.
 */

export type RawBlock = { kind: 'text' | 'code'; language: string | null; start: number; end: number };

const OPENING_FENCE = /^[ \t]{0,3}(`{3,}|~{3,})[ \t]*([^\s`]*)[^`]*$/;

type Line = { start: number; end: number; text: string };

function linesOf(text: string): Line[] {
  const lines: Line[] = [];
  const breaks = /\r\n|\r|\n/g;
  let start = 0;
  for (let match = breaks.exec(text); match; match = breaks.exec(text)) {
    lines.push({ start, end: match.index, text: text.slice(start, match.index) });
    start = match.index + match[0].length;
  }
  lines.push({ start, end: text.length, text: text.slice(start) });
  return lines;
}

export function splitRawBlocks(text: string): RawBlock[] {
  const blocks: RawBlock[] = [];
  let prose: Line[] = [];
  let code: { fence: string; language: string | null; open: Line; lines: Line[] } | null = null;

  const flushProse = () => {
    if (prose.length) {
      let start = prose[0]!.start;
      let end = prose[prose.length - 1]!.end;
      // Blank lines around prose are not shown, as in splitMessageBlocks.
      while (start < end && (text[start] === '\n' || text[start] === '\r')) start++;
      while (end > start && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
      if (text.slice(start, end).trim()) blocks.push({ kind: 'text', language: null, start, end });
    }
    prose = [];
  };
  const flushCode = () => {
    if (!code) return;
    const first = code.lines[0];
    const last = code.lines[code.lines.length - 1];
    const at = Math.min(code.open.end + 1, text.length);
    blocks.push({ kind: 'code', language: code.language, start: first ? first.start : at, end: last ? last.end : at });
    code = null;
  };

  for (const line of linesOf(text)) {
    if (code) {
      const closing = line.text.trim();
      if (closing.startsWith(code.fence[0]!) && closing.length >= code.fence.length && /^(`+|~+)$/.test(closing)) flushCode();
      else code.lines.push(line);
      continue;
    }
    const opening = OPENING_FENCE.exec(line.text);
    if (opening) {
      flushProse();
      code = { fence: opening[1]!, language: opening[2] || null, open: line, lines: [] };
    } else {
      prose.push(line);
    }
  }
  flushCode();
  flushProse();
  return blocks.sort((a, b) => a.start - b.start);
}

export type Mark = { id: string; start: number; end: number };
export type Segment = { start: number; end: number; marks: string[] };

/** Cuts [start, end) at every mark boundary inside it; each piece lists the marks covering it. */
export function segmentRange(start: number, end: number, marks: readonly Mark[]): Segment[] {
  const cuts = new Set([start, end]);
  for (const mark of marks) {
    if (mark.start > start && mark.start < end) cuts.add(mark.start);
    if (mark.end > start && mark.end < end) cuts.add(mark.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const segments: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const from = points[i]!;
    const to = points[i + 1]!;
    segments.push({ start: from, end: to, marks: marks.filter((m) => m.start <= from && m.end >= to && m.end > m.start).map((m) => m.id) });
  }
  return segments;
}

/**
 * Where an annotation's quote sits in today's text: at its offsets when the text there is still the
 * quote, else at the quote's first occurrence (the message was edited), else nowhere.
 */
export function locateQuote(text: string, a: { start: number | null; end: number | null; quote: string | null }): { start: number; end: number } | null {
  if (a.start !== null && a.end !== null && a.end > a.start && (a.quote === null || text.slice(a.start, a.end) === a.quote)) {
    return a.end <= text.length ? { start: a.start, end: a.end } : null;
  }
  if (a.quote) {
    const at = text.indexOf(a.quote);
    if (at >= 0) return { start: at, end: at + a.quote.length };
  }
  return null;
}

/** Offsets with the white space at both ends of the selected text left out; null when nothing is left. */
export function trimRange(text: string, start: number, end: number): { start: number; end: number } | null {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return end > start ? { start, end } : null;
}
