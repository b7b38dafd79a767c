// Google Takeout "My Activity" for Gemini Apps: one row per prompt, newest first, with the response
// as HTML. Takeout has no conversation structure, so rows are grouped only when a row names its
// conversation URL; every other row becomes a conversation of its own. Grouping by day was rejected:
// it would invent conversations that mix unrelated prompts.
//
// Takeout writes the export in the account's language: the header ("Gemini Apps", "Gemini アプリ",
// "Gemini-Apps", "Applications Gemini"), the product names and the verb before each prompt
// ("Prompted …", "送信したメッセージ: …") are all translated. A row is recognised by what does not
// change: the product's brand in its product list or header, and a gemini.google.com address.
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
import { geminiPromptLabels, readTitle, type PromptLabels } from './gemini-title';

/** The brand names are never translated, whatever the language of the export. */
const BRAND = /\b(Gemini|Bard)\b/;
const GEMINI_HOST = /^https?:\/\/(?:gemini|bard)\.google\.com\//i;
// `/app/<id>`, `/app/c/<id>`, `/u/1/app/<id>`, `/gem/<gem>/<id>`, Bard's `/chat/<id>`; never `/gems/…` or `/share/…`.
const CONVERSATION_URL = /^https?:\/\/(?:gemini|bard)\.google\.com(?:\/u\/\d+)?\/(?:app|chat|gem\/[A-Za-z0-9_-]+)(?:\/c)?\/((?!c(?:[/?#]|$))[A-Za-z0-9_-]+)/i;
const IMAGE_FILE = /\.(png|jpe?g|gif|webp|heic|heif|bmp|svg)$/i;

export type GeminiTurn = {
  conversationId: string | null;
  time: string | null;
  messages: Message[];
  metadata: JsonRecord;
  /** What identifies the row across re-imports: the prompt, or the whole title of an app action. */
  fingerprint: string;
};

/** A click in the app ("Selected preferred draft", "Gave feedback: …"): not something anyone said. */
export type GeminiAction = { conversationId: string | null; time: string | null; title: string; kind: string };

export type GeminiRowOutcome =
  | { kind: 'turns'; turns: GeminiTurn[]; problems: string[] }
  | { kind: 'action'; action: GeminiAction }
  | { kind: 'ignored' }
  | { kind: 'problem'; reason: string };

export type GeminiActivity = {
  conversations: CanonicalConversation[];
  /** Rows of other Google products in the same file. */
  ignoredRows: number;
  problems: Problem[];
};

/** Gemini's own rows, whatever the language: the brand in header or product lists, or a Gemini address. */
export function isGeminiRow(row: JsonRecord): boolean {
  const labels = [stringField(row, 'header') ?? '', ...stringArray(field(row, 'products')), ...stringArray(field(row, 'activityControls'))];
  if (labels.some((label) => BRAND.test(label))) return true;
  return conversationUrls(row).length > 0 || GEMINI_HOST.test(stringField(row, 'titleUrl') ?? '');
}

function conversationUrls(row: JsonRecord): string[] {
  const candidates: unknown[] = [field(row, 'titleUrl')];
  for (const key of ['details', 'subtitles']) {
    for (const item of arrayField(row, key) ?? []) {
      if (isRecord(item)) candidates.push(field(item, 'url'), field(item, 'name'));
    }
  }
  const ids: string[] = [];
  for (const candidate of candidates) {
    if (typeof candidate !== 'string') continue;
    const id = CONVERSATION_URL.exec(candidate.trim())?.[1];
    if (id !== undefined && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

export function parseGeminiActivityRow(row: unknown, index = 0, labels: PromptLabels = geminiPromptLabels([])): GeminiRowOutcome {
  try {
    return readRow(row, index, labels);
  } catch (error) {
    return { kind: 'problem', reason: `${UNEXPECTED_ERROR}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function readRow(row: unknown, index: number, labels: PromptLabels): GeminiRowOutcome {
  const label = `activity row #${index + 1}`;
  if (!isRecord(row)) return { kind: 'problem', reason: `${label} is ${describe(row)}, not an object` };
  if (!isGeminiRow(row)) return { kind: 'ignored' };
  const rawTitle = stringField(row, 'title');
  const htmlItems = (arrayField(row, 'safeHtmlItem') ?? [])
    .map((item) => (isRecord(item) ? stringField(item, 'html') : undefined))
    .filter((html): html is string => html !== undefined);
  const responses = htmlItems.map(htmlToText).filter((text) => text !== '');
  const problems: string[] = [];
  const attachments = attachmentParts(row, (reason) => problems.push(`${label}: ${reason}`));
  if (rawTitle === undefined && responses.length === 0 && attachments.length === 0) {
    return { kind: 'problem', reason: `${label} has neither a title nor a response` };
  }

  const time = toIso(field(row, 'time'));
  const ids = conversationUrls(row);
  const title = readTitle(rawTitle ?? '', labels, responses.length > 0 || attachments.length > 0);
  if (title.kind === 'action' && responses.length === 0) {
    return { kind: 'action', action: { conversationId: ids[0] ?? null, time, title: rawTitle ?? '', kind: title.actionKind } };
  }

  const metadata: JsonRecord = {};
  if (title.kind === 'action') metadata.activity = rawTitle;
  const subtitles = field(row, 'subtitles');
  if (Array.isArray(subtitles) && subtitles.length > 0) metadata.subtitles = subtitles;
  const details = field(row, 'details');
  if (Array.isArray(details) && details.length > 0) metadata.details = details;

  const turnFor = (conversationId: string | null, answers: string[]): GeminiTurn => {
    const messages: Message[] = [];
    if (title.kind === 'prompt' && (title.prompt !== '' || attachments.length > 0)) {
      const user: Message = { role: 'user', content: title.prompt };
      if (time !== null) user.createdAt = time;
      if (attachments.length > 0) user.parts = attachments;
      messages.push(user);
    }
    const [first, ...others] = answers;
    if (first !== undefined) {
      const assistant: Message = { role: 'assistant', content: first };
      if (time !== null) assistant.createdAt = time;
      const messageMetadata: JsonRecord = {};
      if (title.kind === 'action') messageMetadata.activity = rawTitle;
      // Regenerated drafts: Takeout does not say which one was kept, so the first is the answer.
      if (others.length > 0) messageMetadata.otherDrafts = others;
      if (Object.keys(messageMetadata).length > 0) assistant.metadata = messageMetadata;
      messages.push(assistant);
    }
    return { conversationId, time, messages, metadata, fingerprint: title.kind === 'prompt' ? title.prompt : (rawTitle ?? '') };
  };

  // One prompt sent to several chats at once: one row, one URL and one response per chat.
  const turns = (
    ids.length > 1 && responses.length === ids.length ? ids.map((id, i) => turnFor(id, [responses[i] ?? ''])) : [turnFor(ids[0] ?? null, responses)]
  ).filter((turn) => turn.messages.length > 0);
  if (turns.length === 0) return { kind: 'problem', reason: `${label} has an empty prompt and no response` };
  return { kind: 'turns', turns, problems };
}

/**
 * Files the person attached: `attachedFiles` (names, or objects naming the file), `imageFile`, and
 * the "-  name" lines of `subtitles`, which give each stored file its original name.
 */
function attachmentParts(row: JsonRecord, problem: (reason: string) => void): Part[] {
  const shownNames = new Map<string, string>();
  for (const subtitle of arrayField(row, 'subtitles') ?? []) {
    if (!isRecord(subtitle)) continue;
    const name = /^-\s+(.+)$/.exec(stringField(subtitle, 'name') ?? '')?.[1]?.trim();
    const stored = stringField(subtitle, 'url');
    if (name !== undefined && stored !== undefined && !GEMINI_HOST.test(stored)) shownNames.set(stored, name);
  }
  const files: Array<{ stored: string | undefined; name: string | undefined; mimeType: string | undefined; image: boolean }> = [];
  const add = (file: (typeof files)[number]) => {
    if (file.stored !== undefined && files.some((f) => f.stored === file.stored)) return;
    files.push(file);
  };
  (arrayField(row, 'attachedFiles') ?? []).forEach((item, i) => {
    if (typeof item === 'string') {
      if (item !== '') add({ stored: item, name: undefined, mimeType: undefined, image: false });
      return;
    }
    if (!isRecord(item)) {
      problem(`attached file #${i + 1} is ${describe(item)}, not a file`);
      return;
    }
    const stored = ['url', 'path', 'file', 'fileName', 'filename', 'storedName'].map((key) => stringField(item, key)).find((v) => v !== undefined && v !== '');
    const name = ['name', 'displayName', 'title', 'originalName'].map((key) => stringField(item, key)).find((v) => v !== undefined && v !== '');
    const mimeType = stringField(item, 'mimeType') ?? stringField(item, 'mime_type') ?? stringField(item, 'contentType');
    if (stored === undefined && name === undefined) {
      problem(`attached file #${i + 1} names no file (fields: ${Object.keys(item).slice(0, 8).join(', ') || 'none'}); it was kept as an unnamed attachment`);
    }
    add({ stored: stored ?? name, name, mimeType, image: false });
  });
  const imageFile = stringField(row, 'imageFile');
  if (imageFile !== undefined && imageFile !== '') add({ stored: imageFile, name: undefined, mimeType: undefined, image: true });

  return files.map((file) => {
    const name = (file.stored === undefined ? undefined : shownNames.get(file.stored)) ?? file.name ?? file.stored;
    const image = file.image || file.mimeType?.startsWith('image/') === true || IMAGE_FILE.test(file.stored ?? name ?? '');
    const part: Part = { type: image ? 'image' : 'attachment' };
    if (name !== undefined) part.name = name;
    if (file.mimeType !== undefined) part.mimeType = file.mimeType;
    // The file's own name inside the Takeout archive, where it differs from the name the person saw.
    if (file.stored !== undefined && file.stored !== name) part.metadata = { takeoutFile: file.stored };
    return part;
  });
}

/** Groups a whole activity file (any order) into conversations, oldest first. */
export function parseGeminiActivity(rows: unknown): GeminiActivity {
  const result: GeminiActivity = { conversations: [], ignoredRows: 0, problems: [] };
  if (!Array.isArray(rows)) {
    result.problems.push({ reason: `Gemini activity is ${describe(rows)}, not a list of rows` });
    return result;
  }
  const labels = geminiPromptLabels(rows.filter((row): row is JsonRecord => isRecord(row) && isGeminiRow(row)).map((row) => stringField(row, 'title') ?? ''));
  const turns: GeminiTurn[] = [];
  const actions: GeminiAction[] = [];
  // A for loop, not forEach: a hole in the list is a row too, and gets its problem.
  for (let index = 0; index < rows.length; index += 1) {
    const outcome = parseGeminiActivityRow(rows[index], index, labels);
    if (outcome.kind === 'turns') {
      turns.push(...outcome.turns);
      result.problems.push(...outcome.problems.map((reason) => ({ reason })));
    } else if (outcome.kind === 'action') actions.push(outcome.action);
    else if (outcome.kind === 'ignored') result.ignoredRows += 1;
    else result.problems.push({ reason: outcome.reason });
  }
  const byTime = <T extends { time: string | null }>(list: T[]): T[] => {
    // Takeout lists newest first; rows without a time keep that order, reversed.
    list.reverse();
    if (list.every((item) => item.time !== null)) list.sort((a, b) => Date.parse(a.time ?? '') - Date.parse(b.time ?? ''));
    return list;
  };

  const grouped = new Map<string, CanonicalConversation>();
  const seenIds = new Map<string, number>();
  for (const turn of byTime(turns)) {
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
    conversation.title = boundTitle(titleFromText(turn.fingerprint !== '' ? turn.fingerprint : (turn.messages[0]?.content ?? ''), 120), conversation.metadata);
    // Stable across re-imports of the same Takeout file, so importing twice changes nothing.
    let externalId = key ?? `gemini-activity:${turn.time ?? 'undated'}:${hash(turn.fingerprint)}`;
    const seen = seenIds.get(externalId) ?? 0;
    seenIds.set(externalId, seen + 1);
    if (seen > 0) externalId = `${externalId}:${seen}`;
    conversation.externalId = externalId;
    if (key !== null) grouped.set(key, conversation);
    result.conversations.push(conversation);
  }

  // App actions stay with the conversation they name; the others are counted, by kind.
  const skipped = new Map<string, number>();
  for (const action of byTime(actions)) {
    const conversation = action.conversationId === null ? undefined : grouped.get(action.conversationId);
    if (conversation === undefined) {
      skipped.set(action.kind, (skipped.get(action.kind) ?? 0) + 1);
      continue;
    }
    const list = Array.isArray(conversation.metadata.activities) ? (conversation.metadata.activities as JsonRecord[]) : [];
    list.push({ time: action.time, title: action.title });
    conversation.metadata.activities = list;
  }
  if (skipped.size > 0) {
    const total = [...skipped.values()].reduce((a, b) => a + b, 0);
    const kinds = [...skipped].map(([kind, count]) => `${JSON.stringify(kind)} ×${count}`).join(', ');
    result.problems.push({ reason: `${total} Gemini activity rows were actions in the app, not messages, and name no conversation; they were skipped: ${kinds}` });
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
