// Narrowing helpers for untrusted JSON. Parsers read exports through these so that any shape of
// garbage turns into `undefined` (and then a problem entry), never into an exception.
import type { CanonicalConversation, Part, Problem, Role } from './canonical';

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own property only: keys such as `__proto__` or `constructor` in an export must not reach the prototype. */
export function field(record: JsonRecord, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

export function recordField(record: JsonRecord, key: string): JsonRecord | undefined {
  const value = field(record, key);
  return isRecord(value) ? value : undefined;
}

export function stringField(record: JsonRecord, key: string): string | undefined {
  const value = field(record, key);
  return typeof value === 'string' ? value : undefined;
}

export function numberField(record: JsonRecord, key: string): number | undefined {
  const value = field(record, key);
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function arrayField(record: JsonRecord, key: string): unknown[] | undefined {
  const value = field(record, key);
  return Array.isArray(value) ? value : undefined;
}

/** A non-empty string id, or a finite number rendered as one (some tools write numeric ids). */
export function idField(record: JsonRecord, key: string): string | undefined {
  const value = field(record, key);
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

const MIN_TIME = Date.UTC(1990, 0, 1);
const MAX_TIME = Date.UTC(2200, 0, 1);

function isoFromMillis(ms: number): string | null {
  if (!Number.isFinite(ms) || ms < MIN_TIME || ms > MAX_TIME) return null;
  return new Date(ms).toISOString();
}

/**
 * Epoch timestamps arrive in seconds (ChatGPT, Open WebUI messages), milliseconds (Open WebUI
 * `chat.timestamp`) or microseconds/nanoseconds (some Open WebUI builds); the magnitude tells which.
 * ISO strings are accepted too, so callers need not know which one a tool wrote.
 */
export function toIso(value: unknown): string | null {
  if (typeof value === 'number') {
    const abs = Math.abs(value);
    if (abs >= 1e17) return isoFromMillis(value / 1e6);
    if (abs >= 1e14) return isoFromMillis(value / 1e3);
    if (abs >= 1e11) return isoFromMillis(value);
    return isoFromMillis(value * 1000);
  }
  if (typeof value === 'string' && value.trim() !== '') {
    const trimmed = value.trim();
    if (/^-?\d+(\.\d+)?$/.test(trimmed)) return toIso(Number(trimmed));
    return isoFromMillis(Date.parse(trimmed));
  }
  return null;
}

export const MAX_TITLE_LENGTH = 500;

/** Titles are bounded so a pasted essay cannot become a 1 MB title; the metadata says it was cut. */
export function boundTitle(title: string, metadata: JsonRecord): string {
  const trimmed = title.trim();
  const chars = Array.from(trimmed);
  if (chars.length <= MAX_TITLE_LENGTH) return trimmed;
  metadata.titleTruncated = { originalLength: chars.length };
  return `${chars.slice(0, MAX_TITLE_LENGTH - 1).join('')}…`;
}

/** A title for a conversation that has none: the first line of its first user message. */
export function titleFromText(text: string, maxLength = 80): string {
  const line = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('```'));
  if (line === undefined) return '';
  const chars = Array.from(line.replace(/\s+/g, ' '));
  return chars.length <= maxLength ? chars.join('') : `${chars.slice(0, maxLength - 1).join('')}…`;
}

const ROLE_ALIASES: Record<string, Role> = {
  user: 'user',
  human: 'user',
  you: 'user',
  assistant: 'assistant',
  chatgpt: 'assistant',
  claude: 'assistant',
  gemini: 'assistant',
  ai: 'assistant',
  model: 'assistant',
  bot: 'assistant',
  system: 'system',
  developer: 'system',
  tool: 'tool',
  function: 'tool',
  ipython: 'tool',
};

/** Maps the role names tools use onto the four canonical roles, or undefined for anything else. */
export function mapRole(value: unknown): Role | undefined {
  if (typeof value !== 'string') return undefined;
  const key = value.trim().toLowerCase();
  return Object.hasOwn(ROLE_ALIASES, key) ? ROLE_ALIASES[key] : undefined;
}

/** Names a conversation in a problem so that a person can find it in their export. */
export function nameConversation(externalId: string | null, title: string): string {
  const shortTitle = titleFromText(title, 80);
  if (externalId !== null && shortTitle !== '') return `"${shortTitle}" (${externalId})`;
  return externalId ?? (shortTitle !== '' ? `"${shortTitle}"` : 'untitled conversation');
}

/** A short, single-line rendering of an untrusted value for problem messages. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? `an array of ${value.length}` : 'an object';
}

export function emptyConversation(): CanonicalConversation {
  return { externalId: null, title: '', createdAt: null, updatedAt: null, messages: [], metadata: {}, problems: [] };
}

/**
 * The last line of defence for "never throw on garbage": a bug in a parser turns into a problem for
 * that one conversation, and the rest of the file still imports. Property tests assert this text
 * never appears, so the net is there for production, not to hide bugs in tests.
 */
export const UNEXPECTED_ERROR = 'unexpected error while reading this conversation';

export function guardParse(raw: unknown, parse: (raw: unknown) => CanonicalConversation): CanonicalConversation {
  try {
    return parse(raw);
  } catch (error) {
    const conversation = emptyConversation();
    const id = isRecord(raw) ? (idField(raw, 'id') ?? idField(raw, 'uuid') ?? null) : null;
    const problem: Problem = { reason: `${UNEXPECTED_ERROR}: ${error instanceof Error ? error.message : String(error)}` };
    if (id !== null) problem.conversation = id;
    conversation.externalId = id;
    conversation.problems.push(problem);
    return conversation;
  }
}

/** Counts things skipped by design (hidden system nodes, tool-internal calls) so none goes unrecorded. */
export function countSkip(metadata: JsonRecord, reason: string): void {
  const skipped = isRecord(metadata.skipped) ? (metadata.skipped as Record<string, number>) : {};
  skipped[reason] = (skipped[reason] ?? 0) + 1;
  metadata.skipped = skipped;
}

/** Tool arguments often arrive as JSON text; keep the structure when it parses, the text when not. */
export function parseJsonText(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return text;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return text;
  }
}

/**
 * A citation part from a platform's source record (`url`, `title`, `start_index`, `end_index`, as
 * OpenAI, Claude and Open WebUI write them), or undefined when it names neither a url nor a title.
 */
export function citationPart(source: JsonRecord, fallback: JsonRecord = {}): Part | undefined {
  const url = stringField(source, 'url') ?? stringField(fallback, 'url');
  const title = stringField(source, 'title') ?? stringField(fallback, 'title') ?? stringField(source, 'filename');
  if (url === undefined && title === undefined) return undefined;
  const part: Part = { type: 'citation' };
  if (url !== undefined) part.url = url;
  if (title !== undefined) part.title = title;
  const start = numberField(source, 'start_index');
  const end = numberField(source, 'end_index');
  if (start !== undefined && end !== undefined) part.metadata = { start, end };
  return part;
}
