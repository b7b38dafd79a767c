// Streams one planned input into export items with the parser of its format.
import { ImportFormatError, type CanonicalConversation, type ExportItem, type ImportFormat, type Problem } from './canonical';
import { parseChatGPTConversation } from './formats/chatgpt';
import { CHATSYNTH_EXPORT_VERSION, parseChatSynthLog } from './formats/chatsynth';
import { parseClaudeConversation } from './formats/claude';
import { parseGeminiActivity } from './formats/gemini';
import { parseLibreChatConversation } from './formats/librechat';
import { parseMarkdownTranscript } from './formats/markdown';
import { isOpenAIMessage, parseOpenAIConversation } from './formats/openai';
import { parseOpenWebUIChat } from './formats/open-webui';
import { readAll, type InputFile } from './io/input-file';
import { isFatal, streamJsonValues, type JsonStreamEvent } from './io/json-values';
import { streamLines } from './io/lines';
import type { ReadUnit } from './open-export';

/** Markdown is read whole; past this it is not a transcript anyone wrote by hand. */
export const MAX_MARKDOWN_BYTES = 64 * 1024 * 1024;
/** One JSONL line is one conversation; this bounds the string built for it. */
export const MAX_JSONL_LINE_BYTES = 64 * 1024 * 1024;

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
  const objectFields: Record<string, unknown> = {};
  let isObject = false;
  const bareMessages: unknown[] = [];
  let taken = 0;
  for await (const event of streamJsonValues(input.chunks(), ['$.*'])) {
    if (event.kind === 'break') {
      yield breakItem(input, event, taken);
      break;
    }
    const key = event.path[0];
    if (typeof key === 'string') {
      isObject = true;
      objectFields[key] = event.value;
      continue;
    }
    taken += 1;
    if (format === 'openai' && isOpenAIMessage(event.value)) bareMessages.push(event.value);
    else yield* conversationItems(format, parse(event.value));
  }
  if (isObject) yield* conversationItems(format, parse(objectFields));
  if (bareMessages.length > 0) yield* conversationItems(format, parse(bareMessages));
}

async function* readJsonLines(input: InputFile, format: ImportFormat, parse: (raw: unknown) => CanonicalConversation): AsyncGenerator<ExportItem> {
  const bareMessages: unknown[] = [];
  let lastLine = 0;
  try {
    for await (const line of streamLines(input.chunks(), MAX_JSONL_LINE_BYTES)) {
      lastLine = line.number;
      if ('tooLong' in line) {
        yield problemItem(`${input.name} line ${line.number} is longer than ${MAX_JSONL_LINE_BYTES} bytes and was skipped`);
        continue;
      }
      if (line.text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line.text.replace(/^\uFEFF/, '')) as unknown;
      } catch (error) {
        yield problemItem(`${input.name} line ${line.number} is not valid JSON (${messageOf(error)}) and was skipped`);
        continue;
      }
      if (format === 'openai' && isOpenAIMessage(value)) bareMessages.push(value);
      else yield* conversationItems(format, parse(value));
    }
  } catch (error) {
    if (isFatal(error)) throw error;
    yield problemItem(`${input.name} could not be read after line ${lastLine} (${messageOf(error)}); the lines before it were imported`);
  }
  if (bareMessages.length > 0) yield* conversationItems(format, parse(bareMessages));
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
    if (key === 'version' && event.value !== CHATSYNTH_EXPORT_VERSION) {
      yield problemItem(`${input.name} is a ChatSynth export of version ${JSON.stringify(event.value)}; this version reads version ${CHATSYNTH_EXPORT_VERSION}, so some fields may be missed`);
    } else if (key === 'format' && event.value !== 'chatsynth') {
      yield problemItem(`${input.name} says its format is ${JSON.stringify(event.value)}, not "chatsynth"`);
    } else if (key === 'chatlogs' || key === 'chatlog') {
      taken += 1;
      yield* conversationItems('chatsynth', parseChatSynthLog(event.value));
    }
  }
}

/** Takeout activity has to be grouped across the whole file; it holds text only, so it stays small. */
async function* readGemini(input: InputFile): AsyncGenerator<ExportItem> {
  const rows: unknown[] = [];
  let broken: ExportItem | undefined;
  for await (const event of streamJsonValues(input.chunks(), ['$.*'])) {
    if (event.kind === 'break') {
      broken = breakItem(input, event, rows.length);
      break;
    }
    if (typeof event.path[0] === 'number') rows.push(event.value);
  }
  const activity = parseGeminiActivity(rows);
  for (const problem of activity.problems) yield { kind: 'problem', problem };
  if (activity.ignoredRows > 0) {
    yield problemItem(`${activity.ignoredRows} activity rows of other Google products were skipped; only Gemini Apps rows are conversations`);
  }
  for (const conversation of activity.conversations) yield* conversationItems('gemini', conversation);
  if (broken !== undefined) yield broken;
}

async function* readMarkdown(input: InputFile): AsyncGenerator<ExportItem> {
  if (input.size > MAX_MARKDOWN_BYTES) {
    throw new ImportFormatError(
      `${input.name} is ${Math.round(input.size / 1024 / 1024)} MB; Markdown transcripts over ${MAX_MARKDOWN_BYTES / 1024 / 1024} MB are not read. Split it into smaller files.`,
    );
  }
  let text: string;
  try {
    text = (await readAll(input)).toString('utf8');
  } catch (error) {
    if (isFatal(error)) throw error;
    yield problemItem(`${input.name} could not be read (${messageOf(error)})`);
    return;
  }
  const conversation = parseMarkdownTranscript(text);
  conversation.metadata.fileName = input.name;
  yield* conversationItems('markdown', conversation);
}

