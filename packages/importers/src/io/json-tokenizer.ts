// @streamparser/json's tokenizer with a bound on every string and number it builds. Left to itself
// it holds each string whole, and its default builder grows an array by one element per byte of
// escaped or short-run text: a 300 MB pasted JSON dump in one message ended the read with "Invalid
// array length" at 2 GB RSS. No option bounds a string: `stringBufferSize` only gathers the whole
// string through a byte buffer instead (and read plain prose 14% slower here). So the builder below
// takes the place of the library's, through the one interface the tokenizer calls it by
// (`StringBuilder`); subclassing rather than forking keeps the tokenizer's grammar, offsets and
// UTF-8 handling the library's.
import { isUtf8 } from 'node:buffer';
import { Tokenizer } from '@streamparser/json';
import type { StringBuilder } from '@streamparser/json/utils/bufferedString.js';

export type StringBound = {
  /** A string longer than this (UTF-16 code units) is not held whole. */
  maxChars: number;
  /** What is kept of such a string: its first `keepChars` code units. */
  keepChars: number;
};

/** Pieces appended before they are joined: bounds the array the library's builder let grow per byte. */
const FOLD_PIECES = 4096;
/** Bytes appended in spans before they are joined and the length checked, so a long string is noticed early. */
const FOLD_BYTES = 1024 * 1024;

/**
 * Gathers one string the way the library's default builder does (small decoded pieces, joined
 * when read), which is the fastest for the short strings real exports are made of; but joins every
 * few thousand pieces or megabyte, and past `maxChars` keeps only the first `keepChars` and counts
 * the rest. `byteLength` counts every byte, kept or not: the tokenizer computes offsets from it.
 *
 * Bytes that are not UTF-8 become U+FFFD and set `replaced`, where the library's builder throws and
 * so ends the whole document: one conversation's bad bytes must not cost the ones after it.
 */
export class BoundedString implements StringBuilder {
  byteLength = 0;
  /** Whether the string being read went over the bound; it stays set until the next string starts. */
  cut = false;
  /** Whether it held bytes that are not UTF-8; likewise. */
  replaced = false;
  /** cut or replaced: the one field a reader checks for every string. */
  flagged = false;
  private readonly decoder = new TextDecoder('utf-8');
  private pending: string[] = [];
  private pendingBytes = 0;
  private text = '';

  constructor(private readonly bound: StringBound) {}

  // The hot path for escapes and short runs: one piece per byte, so the piece count bounds it.
  appendChar(char: number): void {
    this.byteLength += 1;
    if (this.cut) return;
    if (this.pending.push(String.fromCharCode(char)) >= FOLD_PIECES) this.fold();
  }

  appendBuf(buf: Uint8Array, start = 0, end = buf.length): void {
    this.byteLength += end - start;
    if (this.cut) return;
    // The tokenizer passes whole characters only, so each span decodes on its own.
    const bytes = buf.subarray(start, end);
    const text = this.decoder.decode(bytes);
    // A span starting with ASCII is a run of printable ASCII. Elsewhere U+FFFD may be in the text
    // itself; only then is the (rare) second look needed.
    if (bytes[0]! >= 0x80 && !this.replaced && text.includes('\uFFFD') && !isUtf8(bytes)) this.replaced = this.flagged = true;
    this.pendingBytes += end - start;
    if (this.pending.push(text) >= FOLD_PIECES || this.pendingBytes >= FOLD_BYTES) this.fold();
  }

  /** A lone surrogate from a `\u` escape: a code unit with no UTF-8 bytes of its own. */
  appendCharCode(code: number): void {
    if (this.cut) return;
    if (this.pending.push(String.fromCharCode(code)) >= FOLD_PIECES) this.fold();
  }

  reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.text = '';
    this.byteLength = 0;
    this.cut = false;
    this.replaced = false;
    this.flagged = false;
  }

  toString(): string {
    if (this.pending.length > 0) this.fold();
    return this.text;
  }

  private fold(): void {
    const { pending } = this;
    // Most strings are one piece, read once: no join, no concatenation.
    const piece = pending.length === 1 ? pending[0]! : pending.join('');
    this.pending = [];
    this.text = this.text === '' ? piece : this.text + piece;
    this.pendingBytes = 0;
    if (this.text.length > this.bound.maxChars) {
      this.text = keepStart(this.text, this.bound.keepChars);
      this.cut = this.flagged = true;
    }
  }
}

/** The first `max` UTF-16 code units of `text`, never half of a surrogate pair. */
export function keepStart(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

/** Longer than any number a double can tell apart from its neighbours, by far. */
const NUMBER_BOUND: StringBound = { maxChars: 1_000, keepChars: 0 };

/**
 * The library's tokenizer with bounded string and number builders. A cut string is delivered as
 * its kept start, with `strings.cut` set while its token is handled; a number too long to be one is
 * delivered as NaN, with `numbers.cut` set.
 */
export class BoundedTokenizer extends Tokenizer {
  readonly strings: BoundedString;
  readonly numbers = new BoundedString(NUMBER_BOUND);

  constructor(bound: StringBound) {
    super();
    this.strings = new BoundedString(bound);
    // Private in the library's types, but only ever called through StringBuilder (see the top).
    Object.assign(this, { bufferedString: this.strings, bufferedNumber: this.numbers });
  }

  protected override parseNumber(numberStr: string): number {
    return this.numbers.cut ? Number.NaN : Number(numberStr);
  }
}
