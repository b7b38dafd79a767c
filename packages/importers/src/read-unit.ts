// Streams one planned input into export items with the parser of its format.
import { type CanonicalConversation, type ExportItem, type ImportFormat, type Problem } from './canonical';
import { parseChatGPTConversation } from './formats/chatgpt';
import { CHATSYNTH_EXPORT_VERSION, parseChatSynthLog } from './formats/chatsynth';
import { parseClaudeConversation } from './formats/claude';
import { parseGeminiActivity } from './formats/gemini';
import { parseLibreChatConversation } from './formats/librechat';
import { parseMarkdownTranscript } from './formats/markdown';
import { isOpenAIMessage, parseOpenAIConversation } from './formats/openai';
import { parseOpenWebUIChat } from './formats/open-webui';
import { readAll, type InputFile } from './io/input-file';
import { streamJsonLines } from './io/json-lines';
import { JSON_READ_LIMITS, isFatal, streamJsonValues, underKey, type JsonStreamEvent, type ValueNote } from './io/json-values';
import type { ReadUnit } from './open-export';
import { nameConversation } from './values';

/** Markdown is read whole; past this it is not a transcript anyone wrote by hand. */
export const MAX_MARKDOWN_BYTES = 64 * 1024 * 1024;

const PARSERS: Record<Exclude<ImportFormat, 'gemini' | 'markdown'>, (raw: unknown) => CanonicalConversation> = {
  chatgpt: parseChatGPTConversation,
  claude: parseClaudeConversation,
  openwebui: parseOpenWebUIChat,
  librechat: parseLibreChatConversation,
  openai: parseOpenAIConversation,
  chatsynth: parseChatSynthLog,
};

/**
 * A conversation nothing could be taken from becomes file-level problems instead of an empty
 * conversation; otherwise its problems travel with it.
 */
export function conversationItems(source: ImportFormat, conversation: CanonicalConversation): ExportItem[] {
  if (conversation.messages.length === 0 && conversation.problems.length > 0) {
    return conversation.problems.map((problem) => ({ kind: 'problem', problem }));
  }
  return [{ kind: 'conversation', source, conversation }];
}

function problemItem(reason: string, conversation?: string): ExportItem {
  const problem: Problem = { reason };
  if (conversation !== undefined) problem.conversation = conversation;
  return { kind: 'problem', problem };
}

function breakItem(input: InputFile, event: Extract<JsonStreamEvent, { kind: 'break' }>, taken: number): ExportItem {
  return problemItem(
    `${input.name} breaks off near byte ${event.byteOffset} after ${taken} complete entries (${event.reason}); the entries before it were imported, anything after it was not`,
  );
}

const count = (n: number) => n.toLocaleString('en-US');
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** What the report says about a note on a conversation's raw value. */
function noteReason(note: ValueNote): string {
  const at = note.at === '' ? '' : ` (at ${note.at})`;
  switch (note.kind) {
    case 'text-cut':
      return `a text of ${megabytes(note.bytes)}${at} is longer than the ${count(JSON_READ_LIMITS.maxChars)} characters one text may have; only its first ${count(note.kept)} characters were imported`;
    case 'number-dropped':
      return `a number of ${count(note.bytes)} digits${at} cannot be read as a number and was left out`;
    case 'invalid-utf8':
      return `a text${at} holds bytes that are not UTF-8; they were imported as \uFFFD`;
    case 'too-deep':
      return `a value${at} nests deeper than ${JSON_READ_LIMITS.maxDepth} levels and was left out`;
  }
}

/** Parses one conversation's raw value; what the reader noted on the way travels with it. */
function conversationFrom(format: ImportFormat, parse: (raw: unknown) => CanonicalConversation, raw: unknown, notes: ValueNote[]): ExportItem[] {
  const conversation = parse(raw);
  for (const note of notes) conversation.problems.push({ reason: noteReason(note) });
  return conversationItems(format, conversation);
}

/** Names a conversation from the first fields of its raw value, whatever the format calls them. */
function labelOf(head: Record<string, unknown>): string | undefined {
  const text = (record: Record<string, unknown>, keys: string[]) =>
    keys.map((key) => record[key]).find((value): value is string => typeof value === 'string' && value.trim() !== '');
  const nested = Object.values(head).filter((value): value is Record<string, unknown> => typeof value === 'object' && value !== null);
  const title = text(head, ['title', 'name']) ?? nested.map((record) => text(record, ['title', 'name'])).find((value) => value !== undefined);
  const id = text(head, ['conversation_id', 'conversationId', 'uuid', 'id']);
  if (title === undefined && id === undefined) return undefined;
  return nameConversation(id ?? null, title ?? '');
}

/** A conversation heavier than a reader may hold: left out, named when its first fields name it. */
function tooLargeItem(where: string, event: { bytes: number; head: Record<string, unknown> }): ExportItem {
  return problemItem(
    `${where} takes ${megabytes(event.bytes)} of the file and would need more than the ${megabytes(JSON_READ_LIMITS.maxValueWeight)} of memory one conversation may take to read; it was left out, the conversations around it were read`,
    labelOf(event.head) ?? where,
  );
}

export async function* readUnit(unit: ReadUnit): AsyncGenerator<ExportItem> {
  const { input, format } = unit;
  if (format === 'markdown') {
    yield* readMarkdown(input);
  } else if (format === 'gemini') {
    yield* readGemini(input);
  } else if (format === 'chatsynth') {
    yield* readChatSynth(input);
  } else if (unit.layout === 'jsonl') {
    yield* readJsonLines(input, format, PARSERS[format]);
  } else {
    yield* readJsonDocument(input, format, PARSERS[format]);
  }
}

/**
 * A top-level list yields one conversation per element as it streams; a top-level object is one
 * conversation, reassembled from its streamed fields. OpenAI files may be a bare list of messages,
 * which is one conversation too.
 */
async function* readJsonDocument(
  input: InputFile,
  format: ImportFormat,
  parse: (raw: unknown) => CanonicalConversation,
): AsyncGenerator<ExportItem> {
  // A top-level object: its fields stream one by one; together they are held to one value's weight.
  let object: { fields: Record<string, unknown>; notes: ValueNote[]; weight: number; tooLarge: boolean; bytes: number } | undefined;
  const bare = { messages: [] as unknown[], notes: [] as ValueNote[] };
  let taken = 0;
  for await (const event of streamJsonValues(input.chunks(), ['$.*'])) {
    if (event.kind === 'break') {
      yield breakItem(input, event, taken);
      break;
    }
    const key = event.path[0];
    if (typeof key === 'string') {
      object ??= { fields: {}, notes: [], weight: 0, tooLarge: false, bytes: 0 };
      if (event.kind === 'too-large') {
        object.tooLarge = true;
        object.bytes += event.bytes;
        continue;
      }
      object.weight += event.weight;
      object.notes.push(...event.notes.map((note) => ({ ...note, at: underKey(key, note.at) })));
      // Past the weight, only the scalar fields that name it are kept.
      object.tooLarge ||= object.weight > JSON_READ_LIMITS.maxValueWeight;
      if (!object.tooLarge || typeof event.value !== 'object' || event.value === null) object.fields[key] = event.value;
      continue;
    }
    taken += 1;
    if (event.kind === 'too-large') {
      yield tooLargeItem(`${input.name} entry ${taken}`, event);
    } else if (format === 'openai' && isOpenAIMessage(event.value)) {
      bare.messages.push(event.value);
      bare.notes.push(...event.notes);
    } else {
      yield* conversationFrom(format, parse, event.value, event.notes);
    }
  }
  if (object?.tooLarge === true) {
    yield tooLargeItem(input.name, { bytes: object.bytes, head: object.fields });
  } else if (object !== undefined) {
    yield* conversationFrom(format, parse, object.fields, object.notes);
  }
  if (bare.messages.length > 0) yield* conversationFrom(format, parse, bare.messages, bare.notes);
}

async function* readJsonLines(input: InputFile, format: ImportFormat, parse: (raw: unknown) => CanonicalConversation): AsyncGenerator<ExportItem> {
  const bare = { messages: [] as unknown[], notes: [] as ValueNote[] };
  let lastLine = 0;
  try {
    for await (const event of streamJsonLines(input.chunks())) {
      lastLine = event.line;
      if (event.kind === 'invalid') {
        yield problemItem(`${input.name} line ${event.line} is not valid JSON (${event.reason}) and was skipped`);
      } else if (event.kind === 'too-large') {
        yield tooLargeItem(`${input.name} line ${event.line}`, event);
      } else if (format === 'openai' && isOpenAIMessage(event.value)) {
        bare.messages.push(event.value);
        bare.notes.push(...event.notes);
      } else {
        yield* conversationFrom(format, parse, event.value, event.notes);
      }
    }
  } catch (error) {
    if (isFatal(error)) throw error;
    yield problemItem(`${input.name} could not be read after line ${lastLine} (${messageOf(error)}); the lines before it were imported`);
  }
  if (bare.messages.length > 0) yield* conversationFrom(format, parse, bare.messages, bare.notes);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function* readChatSynth(input: InputFile): AsyncGenerator<ExportItem> {
  // Paths are precise on purpose: matching `$.chatlogs` itself would keep every log in memory.
  const paths = ['$.chatlogs.*', '$.chatlog', '$.format', '$.version'];
  let taken = 0;
  for await (const event of streamJsonValues(input.chunks(), paths)) {
    if (event.kind === 'break') {
      yield breakItem(input, event, taken);
      break;
    }
    const [key] = event.path;
    if (event.kind === 'too-large') {
      taken += 1;
      yield tooLargeItem(key === 'chatlog' ? input.name : `${input.name} chat log ${taken}`, event);
    } else if (key === 'version' && event.value !== CHATSYNTH_EXPORT_VERSION) {
      yield problemItem(`${input.name} is a ChatSynth export of version ${JSON.stringify(event.value)}; this version reads version ${CHATSYNTH_EXPORT_VERSION}, so some fields may be missed`);
    } else if (key === 'format' && event.value !== 'chatsynth') {
      yield problemItem(`${input.name} says its format is ${JSON.stringify(event.value)}, not "chatsynth"`);
    } else if (key === 'chatlogs' || key === 'chatlog') {
      taken += 1;
      yield* conversationFrom('chatsynth', parseChatSynthLog, event.value, event.notes);
    }
  }
}

/**
 * Takeout activity has to be grouped across the whole file; it holds text only, so it stays small.
 * What the reader noted on a row is reported with the row, as the conversation it joins is not known yet.
 */
async function* readGemini(input: InputFile): AsyncGenerator<ExportItem> {
  const rows: unknown[] = [];
  let broken: ExportItem | undefined;
  for await (const event of streamJsonValues(input.chunks(), ['$.*'])) {
    if (event.kind === 'break') {
      broken = breakItem(input, event, rows.length);
      break;
    }
    if (typeof event.path[0] !== 'number') continue;
    const where = `${input.name} activity row ${event.path[0] + 1}`;
    if (event.kind === 'too-large') {
      yield tooLargeItem(where, event);
      continue;
    }
    rows.push(event.value);
    for (const note of event.notes) yield problemItem(`${where}: ${noteReason(note)}`);
  }
  const activity = parseGeminiActivity(rows);
  for (const problem of activity.problems) yield { kind: 'problem', problem };
  if (activity.ignoredRows > 0) {
    yield problemItem(`${activity.ignoredRows} activity rows of other Google products were skipped; only Gemini Apps rows are conversations`);
  }
  for (const conversation of activity.conversations) yield* conversationItems('gemini', conversation);
  if (broken !== undefined) yield broken;
}

/** Why a Markdown file is not read: the same sentence whether it is the upload or an entry of a zip. */
export function markdownTooLarge(name: string, bytes: number): string {
  return `${name} is ${Math.round(bytes / 1024 / 1024)} MB; Markdown transcripts over ${MAX_MARKDOWN_BYTES / 1024 / 1024} MB are not read. Split it into smaller files.`;
}

async function* readMarkdown(input: InputFile): AsyncGenerator<ExportItem> {
  if (input.size > MAX_MARKDOWN_BYTES) {
    yield problemItem(markdownTooLarge(input.name, input.size), input.name);
    return;
  }
  let text: string;
  try {
    text = (await readAll(input, MAX_MARKDOWN_BYTES)).toString('utf8');
  } catch (error) {
    if (isFatal(error)) throw error;
    yield problemItem(`${input.name} could not be read (${messageOf(error)})`, input.name);
    return;
  }
  const conversation = parseMarkdownTranscript(text);
  conversation.metadata.fileName = input.name;
  yield* conversationItems('markdown', conversation);
}
