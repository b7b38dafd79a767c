// One validation for every way data enters: what an import brings is held to the same zod schemas
// that chatlogs.create and annotations.create take, and brought within them where it can be (each
// function says in the report what it cut or left out; a conversation that cannot be brought within
// them is refused with the reason), and a version restored is checked as chatlogs.update checks.
import { TRPCError } from '@trpc/server';
import { ZodRealError, type z } from 'zod';
import { MAX_JSON_BYTES, jsonObject, jsonProblem } from '@chatsynth/importers/canonical';
import { MAX_TRPC_BODY_BYTES } from '../limits';
import { createAnnotationInput } from '../schemas/annotation';
import { contentSchema, createChatLogInput, LIMITS, tagNameSchema, updateChatLogInput, type ChatContent } from '../schemas/chat-log';
import { placeAnnotation } from './annotation-placement';
import type { ChatLogState } from './chat-logs';

/** Adds a sentence about this conversation to the import's report. */
export type Note = (reason: string) => void;

/** A conversation that cannot be stored within the bounds; `reason` goes into the report. */
export class Refused extends Error {
  override name = 'Refused';
}

/**
 * A chat log's content is at most what one API request may carry, so whatever an import stores can
 * also be read back, exported and re-imported in one piece.
 */
export const MAX_CONTENT_BYTES = MAX_TRPC_BODY_BYTES;

/** Rounds of repair: each fixes every issue the schema reported; nested issues surface in the next. */
const MAX_REPAIR_ROUNDS = 6;

type Issue = z.core.$ZodIssue;

const { source: sourceSchema, title: titleSchema, summary: summarySchema, tags: tagListSchema } = createChatLogInput.shape;

export const utf8Bytes = (value: string) => Buffer.byteLength(value, 'utf8');
const count = (n: number) => n.toLocaleString('en-US');
const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`);

/** Characters as the schemas count them (zod counts code points, so an emoji is one). */
export const characters = (value: string) => (value.length < 2 ? value.length : Array.from(value).length);

/** The first `max` characters of `value` (code points, as the schemas count), never half of a surrogate pair. */
export function cut(value: string, max: number): string {
  if (value.length <= max) return value;
  let index = 0;
  for (let kept = 0; kept < max && index < value.length; kept++) {
    const code = value.charCodeAt(index);
    index += code >= 0xd800 && code <= 0xdbff && index + 1 < value.length ? 2 : 1;
  }
  return value.slice(0, index);
}

/** A short, quoted rendering of a value for a sentence in the report. */
const quoted = (value: string) => JSON.stringify(value.length > 40 ? `${cut(value, 37)}…` : value);

export function checkSource(source: string): string {
  const parsed = sourceSchema.safeParse(source);
  if (!parsed.success) throw new Refused(`its source ${quoted(source)} ${parsed.error.issues[0]!.message}, so it was not imported`);
  return parsed.data;
}

export function fitTitle(title: string, note: Note): string {
  const parsed = titleSchema.safeParse(title);
  if (parsed.success && parsed.data !== undefined) return parsed.data;
  const trimmed = title.trim();
  if (characters(trimmed) <= LIMITS.title) return trimmed || 'Untitled conversation';
  note(`its title was cut to ${count(LIMITS.title)} characters (it had ${count(characters(trimmed))})`);
  return `${cut(trimmed, LIMITS.title - 1)}…`;
}

export function fitSummary(summary: string | null, note: Note): string | null {
  if (summary === null || summarySchema.safeParse(summary).success) return summary;
  note(`its summary was cut to ${count(LIMITS.summary)} characters (it had ${count(characters(summary))})`);
  return cut(summary, LIMITS.summary);
}

/** Tags as chatlogs.setTags stores them: normalised, each at most 64 characters, at most 32. */
export function fitTags(tags: readonly string[], note: Note): string[] {
  const names: string[] = [];
  for (const tag of tags) {
    const parsed = tagNameSchema.safeParse(tag);
    if (parsed.success) names.push(parsed.data);
    else note(`its tag ${quoted(tag)} was left out: ${parsed.error.issues[0]!.message}`);
  }
  const unique = [...new Set(names)];
  if (unique.length > LIMITS.tags) note(`only the first ${LIMITS.tags} of its ${unique.length} tags were kept`);
  return tagListSchema.parse(unique.slice(0, LIMITS.tags)) ?? [];
}

/**
 * A log's metadata within the API's bound (a JSON object of at most 256 KB): `own` (what ChatSynth
 * itself records, such as the import mark re-imports depend on) is kept whole; of the platform's
 * metadata, parts the database or the API could not hold are left out, then the largest parts (a
 * ChatGPT conversation's `branches`, typically) until the rest fits.
 */
export function fitMetadata(platform: Record<string, unknown>, own: Record<string, unknown>, note: Note): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(platform)) {
    if (Object.hasOwn(own, key)) continue;
    const problem = jsonProblem({ [key]: value });
    if (problem) note(`its metadata.${key} was left out: it ${problem}`);
    else kept[key] = value;
  }
  const total = utf8Bytes(JSON.stringify({ ...kept, ...own }));
  if (total > MAX_JSON_BYTES) {
    const sizes = Object.entries(kept)
      .map(([key, value]) => ({ key, bytes: utf8Bytes(JSON.stringify({ [key]: value })) }))
      .sort((a, b) => b.bytes - a.bytes);
    const dropped: string[] = [];
    let over = total - MAX_JSON_BYTES;
    for (const { key, bytes } of sizes) {
      if (over <= 0) break;
      delete kept[key];
      dropped.push(`${key} (${size(bytes)})`);
      over -= bytes;
    }
    note(`its metadata was ${size(total)} as JSON, over the ${MAX_JSON_BYTES / 1024} KB a chat log's metadata may hold: ${dropped.join(', ')} left out`);
  }
  const metadata = { ...kept, ...own };
  const checked = jsonObject.safeParse(metadata);
  if (checked.success) return metadata;
  note(`its metadata was left out: it ${checked.error.issues[0]!.message}`);
  return {};
}

/**
 * Content as chatlogs.create takes it (`contentSchema`) and at most MAX_CONTENT_BYTES as JSON.
 * Repairs `content` in place: a text over its bound is cut, an optional field the schema refuses is
 * left out, a part of no known type is left out, lists over their bound keep their first items, and
 * messages past the size bound are left out; each is said. A message the schema cannot take at all
 * (no role) refuses the conversation. Gives the content with its size as JSON.
 */
export function fitContent(content: ChatContent, note: Note): { content: ChatContent; bytes: number } {
  for (let round = 0; ; round++) {
    const result = contentSchema.safeParse(content);
    if (result.success) break;
    if (round === MAX_REPAIR_ROUNDS || !repairContent(content, result.error.issues, note)) {
      const issue = result.error.issues[0]!;
      throw new Refused(`its content could not be brought within the bounds (${issue.path.join('.')}: ${issue.message}), so it was not imported`);
    }
  }
  return fitContentBytes(content, note);
}

const at = (path: PropertyKey[]) => {
  const [, message, , part] = path;
  return `message #${Number(message) + 1}${path[2] === 'parts' && typeof part === 'number' ? `, part #${part + 1}` : ''}`;
};

/** Fixes each issue the schema found; false when one cannot be fixed. */
function repairContent(content: ChatContent, issues: Issue[], note: Note): boolean {
  const partsLeftOut = new Map<number, Set<number>>();
  const handled = new Set<string>();
  for (const issue of issues) {
    const path = issue.path;
    if (path[0] !== 'messages') return false;
    // The field an issue is about: a message's (messages.i.field) or a part's (messages.i.parts.j.field).
    const depth = path[2] === 'parts' && path.length >= 4 ? 5 : 3;
    const fieldPath = path.slice(0, depth);
    const key = fieldPath.join('.');
    if (handled.has(key)) continue;
    handled.add(key);

    if (path.length === 1) {
      if (issue.code !== 'too_big' || typeof issue.maximum !== 'number') return false;
      note(`only the first ${count(issue.maximum)} of its ${count(content.messages.length)} messages were kept (a chat log holds at most ${count(issue.maximum)})`);
      content.messages.length = issue.maximum;
      continue;
    }
    const messageIndex = Number(path[1]);
    const message = content.messages[messageIndex];
    if (!message) return false;
    const leaveOutPart = () => {
      const parts = partsLeftOut.get(messageIndex) ?? new Set<number>();
      partsLeftOut.set(messageIndex, parts.add(Number(path[3])));
    };
    const container = (depth === 5 ? message.parts?.[Number(path[3])] : message) as Record<string, unknown> | undefined;
    const field = fieldPath.at(-1);

    if (issue.code === 'unrecognized_keys' && fieldPath.length < depth && container) {
      for (const k of issue.keys) delete container[k];
      note(`${at(path)}: ${issue.keys.join(', ')} left out (not part of ${depth === 5 ? 'a part' : 'a message'})`);
      continue;
    }
    if (typeof field !== 'string' || !container) {
      // The message or part itself is what the schema refuses.
      if (depth !== 5) return false;
      leaveOutPart();
      note(`${at(path)} was left out: ${issue.message}`);
      continue;
    }
    const value = container[field];
    if (issue.code === 'too_big' && typeof issue.maximum === 'number' && typeof value === 'string') {
      container[field] = cut(value, issue.maximum);
      note(`${at(path)}: its ${field} was cut to ${count(issue.maximum)} characters (it had ${count(characters(value))})`);
    } else if (issue.code === 'too_big' && typeof issue.maximum === 'number' && Array.isArray(value)) {
      note(`${at(path)}: only the first ${count(issue.maximum)} of its ${count(value.length)} ${field} were kept`);
      value.length = issue.maximum;
    } else if (depth === 5 && field === 'type') {
      leaveOutPart();
      note(`${at(path)} was left out: its type ${issue.message}`);
    } else if (depth === 3 && (field === 'role' || field === 'content')) {
      return false;
    } else {
      delete container[field];
      note(`${at(path)}: its ${field} was left out (${issue.message})`);
    }
  }
  for (const [messageIndex, parts] of partsLeftOut) {
    const message = content.messages[messageIndex]!;
    message.parts = message.parts?.filter((_, j) => !parts.has(j));
  }
  return true;
}

/** Leaves out the messages past MAX_CONTENT_BYTES, or refuses a conversation whose first message alone is over it. */
function fitContentBytes(content: ChatContent, note: Note): { content: ChatContent; bytes: number } {
  const total = utf8Bytes(JSON.stringify(content));
  if (total <= MAX_CONTENT_BYTES) return { content, bytes: total };
  let used = utf8Bytes('{"messages":[]}');
  let kept = 0;
  for (const message of content.messages) {
    const bytes = utf8Bytes(JSON.stringify(message)) + 1;
    if (used + bytes > MAX_CONTENT_BYTES) break;
    used += bytes;
    kept += 1;
  }
  const bound = `the ${size(MAX_CONTENT_BYTES)} a chat log's content may hold`;
  if (kept === 0) throw new Refused(`its first message alone is over ${bound}, so it was not imported`);
  note(
    `its content was ${size(total)} as JSON, over ${bound}: messages #${count(kept + 1)} to #${count(content.messages.length)} were left out`,
  );
  content.messages.length = kept;
  return { content, bytes: used };
}

export type ImportedAnnotation = {
  content: string;
  messageIndex: number | null;
  quote: string | null;
  start: number | null;
  end: number | null;
};

/** Where a note points, as annotations.create takes it. */
type Anchor = Pick<ImportedAnnotation, 'messageIndex' | 'quote' | 'start' | 'end'>;

/**
 * The annotations annotations.create would take on the log with these messages (its schema, then
 * `placeAnnotation` against the messages), at most LIMITS.notesPerLog. A note's words are what the
 * user wrote, so a note whose place does not fit the log loses only that: offsets that do not fit the
 * message's text are dropped (and a quote the text does not hold), a message that is not there makes
 * it a note on the whole log. A note over 20,000 characters is cut, an empty one left out. Each is said.
 */
export function fitAnnotations(
  annotations: readonly ImportedAnnotation[],
  log: { id: string; messages: ChatContent['messages'] },
  note: Note,
): ImportedAnnotation[] {
  const kept: ImportedAnnotation[] = [];
  if (annotations.length > LIMITS.notesPerLog) {
    note(`only the first ${count(LIMITS.notesPerLog)} of its ${count(annotations.length)} annotations were kept (a chat log holds at most ${count(LIMITS.notesPerLog)})`);
  }
  annotations.slice(0, LIMITS.notesPerLog).forEach((annotation, i) => {
    const said = (what: string, why: string) => note(`annotation #${i + 1} (${quoted(annotation.content)}) ${what}: ${why}`);
    let content = annotation.content;
    let anchor: Anchor = { messageIndex: annotation.messageIndex, quote: annotation.quote, start: annotation.start, end: annotation.end };
    const onWholeLog = (why: string) => {
      said('was kept as a note on the whole chat log', why);
      anchor = { messageIndex: null, quote: null, start: null, end: null };
    };
    const withoutPosition = (why: string) => {
      const text = anchor.messageIndex === null ? undefined : log.messages[anchor.messageIndex]?.content;
      const quoteFits = anchor.quote !== null && text?.includes(anchor.quote) === true;
      said(quoteFits || anchor.quote === null ? 'was kept without its position' : 'was kept without its quote and position', why);
      anchor = { ...anchor, quote: quoteFits ? anchor.quote : null, start: null, end: null };
    };

    // The schema first: the words, then where the note points.
    for (let round = 0; round < 3; round++) {
      const parsed = createAnnotationInput.safeParse({
        chatlogId: log.id,
        content,
        messageIndex: anchor.messageIndex ?? undefined,
        quote: anchor.quote ?? undefined,
        start: anchor.start ?? undefined,
        end: anchor.end ?? undefined,
      });
      if (parsed.success) break;
      const issue = parsed.error.issues[0]!;
      const why = `${issue.path.join('.')}: ${issue.message}`;
      if (issue.path[0] === 'content') {
        if (issue.code !== 'too_big' || content.trim() === '') return said('was left out', why);
        content = cut(content, LIMITS.annotation);
        said(`was cut to ${count(LIMITS.annotation)} characters`, why);
      } else if (issue.path[0] === 'messageIndex') onWholeLog(why);
      else withoutPosition(why);
    }
    // Then the log itself: the message is there, the offsets fit its text.
    for (let round = 0; round < 2; round++) {
      const target = { messageIndex: anchor.messageIndex ?? undefined, quote: anchor.quote ?? undefined, start: anchor.start ?? undefined, end: anchor.end ?? undefined };
      const message = target.messageIndex === undefined ? undefined : log.messages[target.messageIndex];
      const placed = placeAnnotation(target, { messageCount: log.messages.length, text: message?.content });
      if (!('field' in placed)) {
        const parsed = createAnnotationInput.safeParse({ chatlogId: log.id, content, ...target });
        if (!parsed.success) return said('was left out', parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
        kept.push({ content: parsed.data.content, messageIndex: anchor.messageIndex, quote: placed.quote, start: anchor.start, end: anchor.end });
        return;
      }
      const why = `${placed.field}: ${placed.message}`;
      if (placed.field === 'messageIndex') onWholeLog(why);
      else withoutPosition(why);
    }
    said('was left out', 'its place in the log could not be read');
  });
  return kept;
}

/** A log's title, summary, content and metadata as chatlogs.update takes them. */
const stateSchema = updateChatLogInput.pick({ title: true, summary: true, content: true, metadata: true });

/**
 * BAD_REQUEST, with the fields as the API names them, for a state the API would not store today: what
 * was stored before a bound tightened (an old version to restore) stays in the history, but does not
 * become the log again.
 */
export function assertStorable(state: ChatLogState, what: string): void {
  const parsed = stateSchema.safeParse(state);
  const issues: z.core.$ZodIssue[] = parsed.success ? [] : [...parsed.error.issues];
  const bytes = utf8Bytes(JSON.stringify(state.content));
  if (bytes > MAX_CONTENT_BYTES) {
    issues.push({ code: 'custom', path: ['content'], message: `must be at most ${size(MAX_CONTENT_BYTES)} as JSON (it is ${size(bytes)})`, input: undefined });
  }
  const [first] = issues;
  if (!first) return;
  throw new TRPCError({
    code: 'BAD_REQUEST',
    message: `${what}: ${first.path.join('.')} ${first.message}. It was stored before chat logs were held to that bound.`,
    cause: new ZodRealError(issues),
  });
}
