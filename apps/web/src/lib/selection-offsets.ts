import { trimRange } from './message-segments';

/** What a selection inside one message's text points at, in that message's raw `content`. */
export type MessageSelection = { messageIndex: number; start: number; end: number; quote: string };

const PIECE = '[data-offset]';
const ROOT = '[data-message-index]';

function elementOf(node: Node): Element | null {
  return node instanceof Element ? node : node.parentElement;
}

/**
 * How much raw text a piece stands for: its own length, unless Markdown shows it otherwise (`&amp;`
 * shown as `&`), in which case the piece says so in `data-raw-length`.
 */
function rawLength(piece: HTMLElement): number {
  return piece.dataset.rawLength !== undefined ? Number(piece.dataset.rawLength) : (piece.textContent?.length ?? 0);
}

/** An offset inside a piece's text as an offset into the raw text: a piece not shown as is counts whole. */
function offsetIn(piece: HTMLElement, offset: number): number {
  const start = Number(piece.dataset.offset);
  if (piece.dataset.rawLength === undefined) return start + offset;
  return offset > 0 ? start + Number(piece.dataset.rawLength) : start;
}

/** A boundary point as an offset into the raw text: pieces carry their start, text nodes their length. */
function pointOffset(root: Element, node: Node, offset: number, edge: 'start' | 'end'): number | null {
  if (node.nodeType === Node.TEXT_NODE) {
    const piece = node.parentElement?.closest<HTMLElement>(PIECE);
    if (piece && root.contains(piece)) return offsetIn(piece, offset);
  }
  // A point between elements (a triple click, a selection ending past the text): the nearest piece.
  const pieces = [...root.querySelectorAll<HTMLElement>(PIECE)];
  if (!pieces.length) return null;
  const point = document.createRange();
  point.setStart(node, offset);
  if (edge === 'start') {
    const next = pieces.find((p) => point.comparePoint(p, 0) >= 0);
    return Number((next ?? pieces[pieces.length - 1]!).dataset.offset) + (next ? 0 : rawLength(pieces[pieces.length - 1]!));
  }
  const before = pieces.filter((p) => point.comparePoint(p, p.childNodes.length) <= 0).pop();
  return before ? Number(before.dataset.offset) + rawLength(before) : Number(pieces[0]!.dataset.offset);
}

/**
 * The current selection as offsets into one message's text, or null when it is empty, spans two
 * messages or lies outside a message's text.
 */
export function readMessageSelection(selection: Selection | null, textOf: (index: number) => string | undefined): MessageSelection | null {
  if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
  const range = selection.getRangeAt(0);
  const startRoot = elementOf(range.startContainer)?.closest(ROOT);
  const endRoot = elementOf(range.endContainer)?.closest(ROOT);
  if (!startRoot || startRoot !== endRoot) return null;
  const messageIndex = Number((startRoot as HTMLElement).dataset.messageIndex);
  const text = textOf(messageIndex);
  if (text === undefined) return null;
  const start = pointOffset(startRoot, range.startContainer, range.startOffset, 'start');
  const end = pointOffset(startRoot, range.endContainer, range.endOffset, 'end');
  if (start === null || end === null) return null;
  const trimmed = trimRange(text, Math.max(0, Math.min(start, end)), Math.min(text.length, Math.max(start, end)));
  if (!trimmed) return null;
  const quote = text.slice(trimmed.start, trimmed.end);
  // A selection edge inside a surrogate pair would send half a character.
  if (!quote.isWellFormed()) return null;
  return { messageIndex, ...trimmed, quote };
}
