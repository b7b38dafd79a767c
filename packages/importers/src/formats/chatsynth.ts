// ChatSynth's own JSON export. The API writes it; this reads it back, so an export re-imports with
// the same messages. Messages are already canonical; they are still checked field by field because
// a file on disk can have been edited by hand.
import { PART_TYPES, type CanonicalConversation, type Message, type Part, type PartType } from '../canonical';
import {
  arrayField,
  boundTitle,
  describe,
  emptyConversation,
  field,
  guardParse,
  idField,
  isRecord,
  mapRole,
  nameConversation,
  recordField,
  stringArray,
  stringField,
  toIso,
  type JsonRecord,
} from '../values';

export const CHATSYNTH_FORMAT = 'chatsynth';
export const CHATSYNTH_EXPORT_VERSION = 1;

export type ChatSynthAnnotation = {
  content: string;
  /** Index into `content.messages`; null for a note on the whole chat log. */
  messageIndex: number | null;
  quote: string | null;
  /** Character offsets of `quote` within that message's content. */
  start: number | null;
  end: number | null;
  createdAt: string;
};

export type ChatSynthExportedLog = {
  /** The log's id: importing the export back into the same account finds the log by it. */
  id: string;
  /** The log's version when exported (exports before it was written lack it). */
  version?: number;
  /** Where the chat log first came from: an ImportFormat, or e.g. 'manual'. */
  source: string;
  externalId: string | null;
  title: string;
  summary: string | null;
  content: { messages: Message[] };
  metadata: Record<string, unknown>;
  tags: string[];
  annotations: ChatSynthAnnotation[];
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
};

/** Everything: what "export all" writes. */
export type ChatSynthExport = {
  format: 'chatsynth';
  version: 1;
  exportedAt: string;
  chatlogs: ChatSynthExportedLog[];
};

/** One chat log: what "export this chat as JSON" writes. */
export type ChatSynthSingleExport = {
  format: 'chatsynth';
  version: 1;
  exportedAt?: string;
  chatlog: ChatSynthExportedLog;
};

/** What an imported ChatSynth log keeps under `metadata.chatsynth`. */
export type ChatSynthImportedMetadata = {
  id: string | null;
  version: number | null;
  source: string | null;
  summary: string | null;
  startedAt: string | null;
  tags: string[];
  annotations: ChatSynthAnnotation[];
};

export function parseChatSynthLog(raw: unknown): CanonicalConversation {
  return guardParse(raw, parse);
}

function parse(raw: unknown): CanonicalConversation {
  const conversation = emptyConversation();
  if (!isRecord(raw)) {
    conversation.problems.push({ reason: `a chat log is ${describe(raw)}, not an object` });
    return conversation;
  }
  const id = idField(raw, 'id') ?? null;
  conversation.externalId = idField(raw, 'externalId') ?? id;
  conversation.createdAt = toIso(field(raw, 'createdAt'));
  conversation.updatedAt = toIso(field(raw, 'updatedAt'));
  const rawTitle = stringField(raw, 'title') ?? '';
  const name = nameConversation(conversation.externalId, rawTitle);
  const problem = (reason: string) => conversation.problems.push({ conversation: name, reason });
  conversation.metadata = { ...(recordField(raw, 'metadata') ?? {}) };
  const version = field(raw, 'version');
  const imported: ChatSynthImportedMetadata = {
    id,
    version: typeof version === 'number' && Number.isSafeInteger(version) && version >= 1 ? version : null,
    source: stringField(raw, 'source') ?? null,
    summary: stringField(raw, 'summary') ?? null,
    startedAt: toIso(field(raw, 'startedAt')),
    tags: stringArray(field(raw, 'tags')),
    annotations: readAnnotations(arrayField(raw, 'annotations') ?? [], problem),
  };
  conversation.metadata.chatsynth = imported;
  conversation.title = boundTitle(rawTitle, conversation.metadata);

  const content = recordField(raw, 'content');
  const messages = content === undefined ? undefined : arrayField(content, 'messages');
  if (messages === undefined) {
    problem('has no "content.messages" list; nothing could be imported');
    return conversation;
  }
  messages.forEach((item, index) => {
    const result = readCanonicalMessage(item, (reason) => problem(`message #${index + 1}: ${reason}`));
    if (typeof result === 'string') problem(`message #${index + 1} ${result}`);
    else conversation.messages.push(result);
  });
  return conversation;
}

function readAnnotations(items: unknown[], problem: (reason: string) => void): ChatSynthAnnotation[] {
  const result: ChatSynthAnnotation[] = [];
  items.forEach((item, index) => {
    const content = isRecord(item) ? stringField(item, 'content') : undefined;
    if (!isRecord(item) || content === undefined) {
      problem(`annotation #${index + 1} has no text and was not imported`);
      return;
    }
    // Numbers go on as they are (the API checks them as annotations.create does, and names what it
    // refuses); a value of another type is named here rather than read as "no position".
    const positions: Record<'messageIndex' | 'start' | 'end', number | null> = { messageIndex: null, start: null, end: null };
    for (const key of ['messageIndex', 'start', 'end'] as const) {
      const value = field(item, key);
      if (typeof value === 'number' && Number.isFinite(value)) positions[key] = value;
      else if (value !== undefined && value !== null) {
        problem(`annotation #${index + 1} has ${key} ${describe(value)}, which is not a number, and was not imported`);
        return;
      }
    }
    const quote = field(item, 'quote');
    if (quote !== undefined && quote !== null && typeof quote !== 'string') {
      problem(`annotation #${index + 1} has quote ${describe(quote)}, which is not text, and was not imported`);
      return;
    }
    result.push({ content, ...positions, quote: quote ?? null, createdAt: toIso(field(item, 'createdAt')) ?? '' });
  });
  return result;
}

/**
 * A message already in canonical shape, checked: a message without a role or text is rejected with
 * the reason; optional fields of the wrong type are left out.
 */
export function readCanonicalMessage(raw: unknown, problem: (reason: string) => void = () => {}): Message | string {
  if (!isRecord(raw)) return `is ${describe(raw)}, not a message`;
  const role = mapRole(field(raw, 'role'));
  if (role === undefined) return `has an unknown role ${describe(field(raw, 'role'))}`;
  const content = field(raw, 'content');
  if (typeof content !== 'string') return `has content ${describe(content)}, which is not text`;
  const message: Message = { role, content };
  for (const key of ['id', 'createdAt', 'model', 'name'] as const) {
    const value = stringField(raw, key);
    if (value !== undefined) message[key] = value;
  }
  const parts = arrayField(raw, 'parts');
  if (parts !== undefined) {
    message.parts = [];
    parts.forEach((item, index) => {
      const part = readPart(item);
      if (part === undefined) problem(`part #${index + 1} (${describe(isRecord(item) ? field(item, 'type') : item)}) is not a known part type and was left out`);
      else message.parts?.push(part);
    });
  }
  const metadata = recordField(raw, 'metadata');
  if (metadata !== undefined) message.metadata = metadata;
  return message;
}

function readPart(raw: unknown): Part | undefined {
  if (!isRecord(raw)) return undefined;
  const type = field(raw, 'type');
  if (typeof type !== 'string' || !PART_TYPES.includes(type as PartType)) return undefined;
  const part: Part = { type: type as PartType };
  for (const key of ['text', 'language', 'name', 'url', 'mimeType', 'id', 'title'] as const) {
    const value = stringField(raw, key);
    if (value !== undefined) part[key] = value;
  }
  const size = field(raw, 'size');
  if (typeof size === 'number' && Number.isFinite(size)) part.size = size;
  if (Object.hasOwn(raw, 'input')) part.input = raw.input;
  if (Object.hasOwn(raw, 'output')) part.output = raw.output;
  const metadata = recordField(raw, 'metadata');
  if (metadata !== undefined) part.metadata = metadata as JsonRecord;
  return part;
}
