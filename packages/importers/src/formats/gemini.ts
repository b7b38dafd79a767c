// Google Takeout "My Activity" for Gemini Apps: one row per prompt, newest first, with the response
// as HTML. Takeout has no conversation structure, so rows are grouped only when a row names its
// conversation URL; every other row becomes a conversation of its own. Grouping by day was rejected:
// it would invent conversations that mix unrelated prompts.
import type { CanonicalConversation, Message, Part, Problem } from '../canonical';
import { htmlToText } from '../html-to-text';
import {
  arrayField,
  boundTitle,
  describe,
  emptyConversation,
  field,
  isRecord,
  stringArray,
  stringField,
  titleFromText,
  toIso,
  UNEXPECTED_ERROR,
  type JsonRecord,
} from '../values';

export const GEMINI_PRODUCT = 'Gemini Apps';
const CONVERSATION_URL = /https:\/\/(?:gemini\.google\.com\/app|bard\.google\.com\/chat)\/([A-Za-z0-9_-]+)/;

export type GeminiTurn = {
  conversationId: string | null;
  time: string | null;
  messages: Message[];
  metadata: JsonRecord;
};

export type GeminiRowOutcome =
  | { kind: 'turn'; turn: GeminiTurn }
  | { kind: 'ignored' }
  | { kind: 'problem'; reason: string };

export type GeminiActivity = {
  conversations: CanonicalConversation[];
  /** Rows of other Google products in the same file. */
  ignoredRows: number;
  problems: Problem[];
};

export function parseGeminiActivityRow(row: unknown, index = 0): GeminiRowOutcome {
  try {
    return readRow(row, index);
  } catch (error) {
    return { kind: 'problem', reason: `${UNEXPECTED_ERROR}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function readRow(row: unknown, index: number): GeminiRowOutcome {
  const label = `activity row #${index + 1}`;
  if (!isRecord(row)) return { kind: 'problem', reason: `${label} is ${describe(row)}, not an object` };
  const products = stringArray(field(row, 'products'));
  if (stringField(row, 'header') !== GEMINI_PRODUCT && !products.includes(GEMINI_PRODUCT)) return { kind: 'ignored' };
  const title = stringField(row, 'title');
  const htmlItems = (arrayField(row, 'safeHtmlItem') ?? [])
    .map((item) => (isRecord(item) ? stringField(item, 'html') : undefined))
    .filter((html): html is string => html !== undefined);
  if (title === undefined && htmlItems.length === 0) return { kind: 'problem', reason: `${label} has neither a title nor a response` };

  const time = toIso(field(row, 'time'));
  const metadata: JsonRecord = {};
  // "Prompted <prompt>" is a prompt; other verbs ("Created Gemini Canvas titled …", "Used …") are kept whole.
  const prompted = title?.startsWith('Prompted ') === true;
  const userText = title === undefined ? '' : prompted ? title.slice('Prompted '.length) : title;
  if (!prompted && title !== undefined) metadata.activity = title;
  const messages: Message[] = [];
  const userParts = fileParts(row);
  if (userText !== '' || userParts.length > 0) {
    const user: Message = { role: 'user', content: userText };
    if (time !== null) user.createdAt = time;
    if (userParts.length > 0) user.parts = userParts;
    messages.push(user);
  }
  const response = htmlItems.map(htmlToText).filter((text) => text !== '').join('\n\n');
  if (response !== '') {
    const assistant: Message = { role: 'assistant', content: response };
    if (time !== null) assistant.createdAt = time;
    messages.push(assistant);
  }
  if (messages.length === 0) return { kind: 'problem', reason: `${label} has an empty prompt and no response` };
  const subtitles = field(row, 'subtitles');
  if (Array.isArray(subtitles) && subtitles.length > 0) metadata.subtitles = subtitles;
  const details = field(row, 'details');
  if (Array.isArray(details) && details.length > 0) metadata.details = details;
  return { kind: 'turn', turn: { conversationId: conversationIdOf(row), time, messages, metadata } };
}

function fileParts(row: JsonRecord): Part[] {
  const parts: Part[] = stringArray(field(row, 'attachedFiles')).map((name) => ({ type: 'attachment', name }));
  const image = stringField(row, 'imageFile');
  if (image !== undefined && image !== '') parts.push({ type: 'image', name: image });
  return parts;
}

function conversationIdOf(row: JsonRecord): string | null {
  const candidates: unknown[] = [field(row, 'titleUrl')];
  for (const key of ['details', 'subtitles']) {
    for (const item of arrayField(row, key) ?? []) {
      if (isRecord(item)) candidates.push(field(item, 'name'), field(item, 'url'));
    }
  }
  for (const candidate of candidates) {
    if (typeof candidate !== 'string') continue;
    const match = CONVERSATION_URL.exec(candidate);
    if (match?.[1] !== undefined) return match[1];
  }
  return null;
}

/** Groups a whole activity file (any order) into conversations, oldest first. */
export function parseGeminiActivity(rows: unknown): GeminiActivity {
  const result: GeminiActivity = { conversations: [], ignoredRows: 0, problems: [] };
  if (!Array.isArray(rows)) {
    result.problems.push({ reason: `Gemini activity is ${describe(rows)}, not a list of rows` });
    return result;
  }
  const turns: GeminiTurn[] = [];
  rows.forEach((row, index) => {
    const outcome = parseGeminiActivityRow(row, index);
    if (outcome.kind === 'turn') turns.push(outcome.turn);
    else if (outcome.kind === 'ignored') result.ignoredRows += 1;
    else result.problems.push({ reason: outcome.reason });
  });
  // Takeout lists newest first; rows without a time keep that order, reversed.
  turns.reverse();
  if (turns.every((turn) => turn.time !== null)) turns.sort((a, b) => Date.parse(a.time ?? '') - Date.parse(b.time ?? ''));

  const grouped = new Map<string, CanonicalConversation>();
  const seenIds = new Map<string, number>();
  for (const turn of turns) {
    const key = turn.conversationId;
    const existing = key === null ? undefined : grouped.get(key);
    if (existing !== undefined) {
      existing.messages.push(...turn.messages);
      existing.updatedAt = turn.time ?? existing.updatedAt;
      continue;
    }
    const conversation = emptyConversation();
    conversation.createdAt = turn.time;
    conversation.updatedAt = turn.time;
    conversation.messages.push(...turn.messages);
    conversation.metadata = { ...turn.metadata, source: 'google-takeout-my-activity' };
    const firstText = turn.messages[0]?.content ?? '';
    conversation.title = boundTitle(titleFromText(firstText, 120), conversation.metadata);
    // Stable across re-imports of the same Takeout file, so importing twice changes nothing.
    let externalId = key ?? `gemini-activity:${turn.time ?? 'undated'}:${hash(firstText)}`;
    const seen = seenIds.get(externalId) ?? 0;
    seenIds.set(externalId, seen + 1);
    if (seen > 0) externalId = `${externalId}:${seen}`;
    conversation.externalId = externalId;
    if (key !== null) grouped.set(key, conversation);
    result.conversations.push(conversation);
  }
  return result;
}

/** FNV-1a, hex: a short, stable fingerprint (not a security measure). */
function hash(text: string): string {
  let value = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    value ^= text.charCodeAt(i);
    value = Math.imul(value, 0x01000193) >>> 0;
  }
  return value.toString(16).padStart(8, '0');
}
