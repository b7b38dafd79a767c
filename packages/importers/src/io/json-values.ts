// Streams the values at the given JSONPath-like paths out of a JSON document of any size, in memory
// bounded whatever one value weighs. With `keepStack: false` each emitted value is dropped from its
// parent, so memory holds one value (one conversation), not the document. Within a value, a string
// over the string bound is cut (json-tokenizer.ts), a container nested too deep is read as null, and
// a value that grows past the weight bound is left out while the stream goes on with the next one;
// each is reported, so the reader of a format can name it.
import { TokenParser, TokenType, type ParsedTokenInfo } from '@streamparser/json';
import { ImportFormatError } from '../canonical';
import { CONTENT_LIMITS } from '../message-schema';
import { BoundedTokenizer, type BoundedString, type StringBound } from './json-tokenizer';

export type JsonPath = Array<string | number>;

/** Something in a value that was not read as the file has it; `at` says where inside the value. */
export type ValueNote =
  /** A string over the string bound: its first `kept` characters were kept of `bytes` in the file. */
  | { kind: 'text-cut'; at: string; bytes: number; kept: number }
  /** Digits too many to be a number: read as NaN. */
  | { kind: 'number-dropped'; at: string; bytes: number }
  /** A string with bytes that are not UTF-8, read with U+FFFD in their place. */
  | { kind: 'invalid-utf8'; at: string }
  /** A container nested deeper than `maxDepth`: read as null. */
  | { kind: 'too-deep'; at: string };

export type JsonStreamEvent =
  /** `weight` estimates the bytes of memory the value holds (see maxValueWeight). */
  | { kind: 'value'; path: JsonPath; value: unknown; notes: ValueNote[]; weight: number }
  /**
   * A value that weighed more than `maxValueWeight` before it ended: it was dropped as it was read.
   * `head` holds its first scalar fields (two levels, strings shortened), enough to name it; `bytes`
   * is its length in the file.
   */
  | { kind: 'too-large'; path: JsonPath; bytes: number; head: Record<string, unknown> }
  /** The document broke off (truncated, corrupt, unreadable); everything before it was emitted. */
  | { kind: 'break'; reason: string; byteOffset: number };

export type JsonReadLimits = StringBound & {
  /** Roughly the bytes of memory one emitted value may hold (strings, plus a cost per value and container). */
  maxValueWeight: number;
  /**
   * Containers inside containers. Deeper ones are read as null: code that walks a value recursively
   * (JSON.stringify, the schemas) overflows the stack some thousands of levels down.
   */
  maxDepth: number;
};

export const JSON_READ_LIMITS: JsonReadLimits = {
  // Well above what a message may hold, so text a parser still shortens (HTML to text, parts joined
  // into one message) arrives whole; past it, more than a message may keep is of no use.
  maxChars: 4 * CONTENT_LIMITS.messageContent,
  keepChars: CONTENT_LIMITS.messageContent,
  // No real conversation comes near it: the API stores at most 20 MB of content per chat log.
  maxValueWeight: 256 * 1024 * 1024,
  // Real exports nest about ten levels.
  maxDepth: 512,
};

/** Errors that must end the whole import rather than become a problem: limits and cancellation. */
export function isFatal(error: unknown): boolean {
  return error instanceof ImportFormatError || (error instanceof Error && error.name === 'AbortError');
}

// Estimated heap bytes per token: a string's characters plus a slot, a scalar's slot, a container.
const STRING_WEIGHT = 24;
const SCALAR_WEIGHT = 16;
const CONTAINER_WEIGHT = 64;

/**
 * Push-based: `write` chunks, then take `events`. Sits between the library's tokenizer and token
 * parser, following the path of every token, so it knows which value a token belongs to, what that
 * value weighs so far, and where a cut string sits.
 */
export class JsonValueReader {
  readonly events: JsonStreamEvent[] = [];
  private readonly tokenizer: BoundedTokenizer;
  private readonly strings: BoundedString;
  private readonly numbers: BoundedString;
  private readonly parser: TokenParser;
  private readonly selectors: string[][];
  private readonly maxSelectorDepth: number;
  private readonly maxWeight: number;
  private readonly maxDepth: number;
  /** Open containers, 0 .. depth-1: whether each is an object, and its key or index so far. */
  private depth = 0;
  private readonly inObject: Uint8Array;
  private readonly keys: Array<string | number> = [];
  /** Tells a key from a value: in an object, a string right after `:` is a value. */
  private lastToken: TokenType = TokenType.SEPARATOR;
  private failed = false;
  private bytes = 0;
  /** Depth of the selected value being read (its index in keys once open), or -1 between them. */
  private selected = -1;
  private weight = 0;
  private notes: ValueNote[] = [];
  private startOffset = 0;
  /** While > 0, tokens are skipped: containers still open in the file of what is left out. */
  private skipping = 0;
  /** What is skipped: the rest of a selected value (to be reported), or one container too deep. */
  private skippingValue = false;
  private leftOut: { path: JsonPath; head: Record<string, unknown> } | undefined;

  constructor(paths: string[], limits: JsonReadLimits = JSON_READ_LIMITS) {
    this.selectors = paths.map((path) => path.split('.').slice(1));
    this.maxSelectorDepth = Math.max(...this.selectors.map((segments) => segments.length));
    this.maxWeight = limits.maxValueWeight;
    this.maxDepth = limits.maxDepth;
    this.inObject = new Uint8Array(limits.maxDepth + 1);
    this.tokenizer = new BoundedTokenizer(limits);
    ({ strings: this.strings, numbers: this.numbers } = this.tokenizer);
    this.parser = new TokenParser({ paths, keepStack: false });
    this.tokenizer.onToken = this.onToken.bind(this);
    this.tokenizer.onError = (error) => this.fail(error);
    this.tokenizer.onEnd = () => {
      if (!this.parser.isEnded) this.parser.end();
    };
    this.parser.onError = (error) => this.tokenizer.error(error);
    // The document is over once its root value is, unless that root is being skipped.
    this.parser.onEnd = () => {
      if (!this.skippingValue && !this.tokenizer.isEnded) this.tokenizer.end();
    };
    this.parser.onValue = ({ value, key, stack }) => {
      const path: JsonPath = [];
      for (const element of stack.slice(1)) if (element.key !== undefined) path.push(element.key);
      if (key !== undefined) path.push(key);
      if (this.skippingValue) this.leftOut = { path, head: headOf(value) };
      else this.events.push({ kind: 'value', path, value, notes: this.notes, weight: this.weight });
      this.selected = -1;
    };
  }

  get failure(): boolean {
    return this.failed;
  }

  write(chunk: Uint8Array): void {
    if (this.failed) return;
    this.tokenizer.write(chunk);
    this.bytes += chunk.length;
  }

  end(): void {
    if (!this.failed && !this.tokenizer.isEnded) this.tokenizer.end();
  }

  /** Reading failed outside the parser (a zip entry, the disk); ends the stream as a break. */
  fail(error: Error, byteOffset?: number): void {
    if (this.failed) return;
    this.failed = true;
    const position = /absolute position "(\d+)"/.exec(error.message)?.[1];
    this.events.push({ kind: 'break', reason: error.message, byteOffset: byteOffset ?? (position === undefined ? this.bytes : Number(position)) });
  }

  // Called for every token of the file, so it does little: one switch over flat arrays, the weight
  // added whatever the token belongs to (it restarts with each selected value), the rare cases
  // (a value at the paths starts, a bound is passed, a string was cut) out of line. Still, it costs
  // about 7% of the parse (a normal ChatGPT export, 100 MB).
  private onToken(info: ParsedTokenInfo): void {
    if (this.skipping > 0) {
      this.skip(info);
      return;
    }
    const token = info.token;
    const last = this.lastToken;
    this.lastToken = token;
    switch (token) {
      case TokenType.STRING: {
        const value = info.value as string;
        // In an object, a string after `{` or `,` is a key; after `:`, or anywhere in a list, a value.
        const isKey = last !== TokenType.COLON && this.depth > 0 && this.inObject[this.depth - 1] === 1;
        if (isKey) {
          this.keys[this.depth - 1] = value;
        } else if ((this.selected === -1 || this.weight > this.maxWeight) && !this.startValue(info)) {
          return;
        }
        this.weight += STRING_WEIGHT + value.length;
        if (this.strings.flagged && this.selected !== -1) this.noteString(value, isKey);
        break;
      }
      case TokenType.NUMBER:
        if ((this.selected === -1 || this.weight > this.maxWeight) && !this.startValue(info)) return;
        this.weight += SCALAR_WEIGHT;
        if (this.numbers.flagged && this.selected !== -1) this.notes.push({ kind: 'number-dropped', at: this.pathHere(false), bytes: this.numbers.byteLength });
        break;
      case TokenType.TRUE:
      case TokenType.FALSE:
      case TokenType.NULL:
        if ((this.selected === -1 || this.weight > this.maxWeight) && !this.startValue(info)) return;
        this.weight += SCALAR_WEIGHT;
        break;
      case TokenType.LEFT_BRACE:
        if ((this.selected === -1 || this.weight > this.maxWeight || this.depth >= this.maxDepth) && !this.startValue(info)) return;
        this.weight += CONTAINER_WEIGHT;
        this.inObject[this.depth] = 1;
        this.keys[this.depth] = '';
        this.depth += 1;
        break;
      case TokenType.LEFT_BRACKET:
        if ((this.selected === -1 || this.weight > this.maxWeight || this.depth >= this.maxDepth) && !this.startValue(info)) return;
        this.weight += CONTAINER_WEIGHT;
        this.inObject[this.depth] = 0;
        this.keys[this.depth] = 0;
        this.depth += 1;
        break;
      case TokenType.RIGHT_BRACE:
      case TokenType.RIGHT_BRACKET:
        this.depth -= 1;
        break;
      case TokenType.COMMA:
        if (this.depth > 0 && this.inObject[this.depth - 1] === 0) this.keys[this.depth - 1] = (this.keys[this.depth - 1] as number) + 1;
        break;
    }
    this.parser.write(info);
  }

  /**
   * The slow path of a token that starts a value: it may be one at the paths, which starts the
   * weighing; be inside one that already weighs too much, which is then left out; or open a
   * container too deep, which is read as null. False when the token was used up by one of those.
   */
  private startValue(info: ParsedTokenInfo): boolean {
    const opens = info.token === TokenType.LEFT_BRACE || info.token === TokenType.LEFT_BRACKET;
    if (this.selected === -1) {
      if (this.depth <= this.maxSelectorDepth && this.isSelected()) {
        this.selected = this.depth;
        this.weight = 0;
        this.notes = [];
        this.startOffset = info.offset;
      } else if (opens && this.depth >= this.maxDepth) {
        this.skipTooDeep();
        return false;
      }
      return true;
    }
    if (this.weight > this.maxWeight) {
      this.leaveOut(info);
    } else if (opens && this.depth >= this.maxDepth) {
      this.notes.push({ kind: 'too-deep', at: this.pathHere(false) });
      this.skipTooDeep();
    } else {
      return true;
    }
    return false;
  }

  /** The token parser gets a null where the container opens; the container's tokens are skipped. */
  private skipTooDeep(): void {
    this.skipping = 1;
    this.skippingValue = false;
    this.parser.write({ token: TokenType.NULL, value: null });
  }

  /** Whether the value starting now sits at one of the paths. */
  private isSelected(): boolean {
    const depth = this.depth;
    return this.selectors.some(
      (segments) => segments.length === depth && segments.every((segment, i) => segment === '*' || segment === String(this.keys[i])),
    );
  }

  private noteString(value: string, isKey: boolean): void {
    const { strings } = this;
    if (strings.cut) this.notes.push({ kind: 'text-cut', at: this.pathHere(isKey), bytes: strings.byteLength, kept: value.length });
    if (strings.replaced) this.notes.push({ kind: 'invalid-utf8', at: this.pathHere(isKey) });
  }

  /** Where the current token sits inside the selected value; a key is named by the object holding it. */
  private pathHere(isKey: boolean): string {
    return pathText(this.keys.slice(this.selected, isKey ? this.depth - 1 : this.depth), isKey);
  }

  /**
   * The token parser cannot drop a value half-way, so it is handed a null in place of this token and
   * the closing of every container down to the selected value: it emits what it has and lets go of
   * it. The rest of the value's tokens in the file are then skipped.
   */
  private leaveOut(info: ParsedTokenInfo): void {
    const selected = this.selected; // onValue resets it when the last closing is handed over
    this.skippingValue = true;
    this.skipping = this.depth - selected + (info.token === TokenType.LEFT_BRACE || info.token === TokenType.LEFT_BRACKET ? 1 : 0);
    this.parser.write({ token: TokenType.NULL, value: null });
    while (this.depth > selected) {
      this.depth -= 1;
      this.parser.write(this.inObject[this.depth] === 1 ? { token: TokenType.RIGHT_BRACE, value: '}' } : { token: TokenType.RIGHT_BRACKET, value: ']' });
    }
  }

  private skip(info: ParsedTokenInfo): void {
    if (info.token === TokenType.LEFT_BRACE || info.token === TokenType.LEFT_BRACKET) this.skipping += 1;
    else if (info.token === TokenType.RIGHT_BRACE || info.token === TokenType.RIGHT_BRACKET) this.skipping -= 1;
    if (this.skipping > 0 || !this.skippingValue) return;
    this.skippingValue = false;
    const leftOut = this.leftOut ?? { path: [], head: {} };
    this.leftOut = undefined;
    this.events.push({ kind: 'too-large', path: leftOut.path, head: leftOut.head, bytes: info.offset - this.startOffset + 1 });
    if (this.depth === 0) this.tokenizer.end();
  }
}

/** `mapping.a1b2.message.content.parts[0]`: where a string sits inside its value ('' for the value itself). */
function pathText(keys: Array<string | number>, isKey: boolean): string {
  let text = '';
  // A deep path keeps its ends, which say the most: where in the conversation, and what it is.
  const shown = keys.length <= 12 ? keys : [...keys.slice(0, 6), '…', ...keys.slice(-4)];
  for (const key of shown) text = key === '…' ? `${text}…` : joinPath(text, key);
  return isKey ? `${text}${text === '' ? '' : ' '}(a key)` : text;
}

/** A note's place inside a value, seen from the value's parent: `key` in front of `at`. */
export function underKey(key: string | number, at: string): string {
  const path = joinPath('', key);
  if (at === '' || at.startsWith('[')) return `${path}${at}`;
  return at.startsWith('(') ? `${path} ${at}` : `${path}.${at}`;
}

/** `path` followed by `key`, in the notation of pathText. */
function joinPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (/^[\w$-]{1,80}$/.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key.slice(0, 80))}]`;
}

/** The scalar fields of a value and of its objects one level down, enough to name what was left out. */
function headOf(value: unknown, depth = 0): Record<string, unknown> {
  const head: Record<string, unknown> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return head;
  const record = value as Record<string, unknown>;
  let fields = 0;
  // for…in, not Object.entries: a left-out value may have a million keys.
  for (const key in record) {
    if (++fields > 50) break;
    const item = record[key];
    if (typeof item === 'string') head[key] = item.slice(0, 200);
    else if (typeof item === 'number' || typeof item === 'boolean') head[key] = item;
    else if (depth === 0 && typeof item === 'object' && item !== null && !Array.isArray(item)) head[key] = headOf(item, 1);
  }
  return head;
}

export async function* streamJsonValues(
  chunks: AsyncIterable<Uint8Array>,
  paths: string[],
  limits: JsonReadLimits = JSON_READ_LIMITS,
): AsyncGenerator<JsonStreamEvent> {
  const reader = new JsonValueReader(paths, limits);
  try {
    for await (const chunk of chunks) {
      reader.write(chunk);
      yield* drain(reader.events);
      if (reader.failure) return;
    }
  } catch (error) {
    if (isFatal(error)) throw error;
    reader.fail(new Error(`reading failed: ${error instanceof Error ? error.message : String(error)}`));
  }
  reader.end();
  yield* drain(reader.events);
}

function* drain(events: JsonStreamEvent[]): Generator<JsonStreamEvent> {
  while (events.length > 0) yield events.shift() as JsonStreamEvent;
}
