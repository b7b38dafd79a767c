// Open WebUI `chat-export-*.json`: a list of chats whose `chat.history` is a message tree with a
// `currentId`; `chat.messages` is the flat fallback older builds relied on. What an assistant message
// holds besides its answer (reasoning, tool calls, code runs) is read in open-webui-output.ts.
import type { CanonicalConversation, Message, Part } from '../canonical';
import { alternativeBranches, describeBranches, latestLeaf, pathToRoot, type TreeNode } from '../message-tree';
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
  numberField,
  recordField,
  stringArray,
  stringField,
  titleFromText,
  toIso,
  type JsonRecord,
} from '../values';
import { codeExecutionParts, readDetailsBlocks, readOutputItems, type AssistantBody } from './open-webui-output';

export function parseOpenWebUIChat(raw: unknown): CanonicalConversation {
  return guardParse(raw, parse);
}

function parse(raw: unknown): CanonicalConversation {
  const conversation = emptyConversation();
  if (!isRecord(raw)) {
    conversation.problems.push({ reason: `a chat entry is ${describe(raw)}, not an object` });
    return conversation;
  }
  // Exports wrap the chat in a row ({ id, title, chat, … }); a bare chat object is accepted too.
  const chat = recordField(raw, 'chat') ?? raw;
  const metadata = conversation.metadata;
  conversation.externalId = idField(raw, 'id') ?? idField(chat, 'id') ?? null;
  conversation.createdAt = toIso(field(raw, 'created_at')) ?? toIso(field(chat, 'timestamp'));
  conversation.updatedAt = toIso(field(raw, 'updated_at'));
  const rawTitle = stringField(raw, 'title') ?? stringField(chat, 'title') ?? '';
  copyMetadata(raw, chat, metadata);
  const name = nameConversation(conversation.externalId, rawTitle);
  const problem = (reason: string) => conversation.problems.push({ conversation: name, reason });

  const history = recordField(chat, 'history');
  const historyMessages = history === undefined ? undefined : recordField(history, 'messages');
  if (history !== undefined && historyMessages !== undefined && Object.keys(historyMessages).length > 0) {
    readHistory(history, historyMessages, conversation, problem);
  } else {
    const messages = arrayField(chat, 'messages');
    if (messages === undefined) problem('has neither "history" nor "messages"; nothing could be imported');
    else messages.forEach((item, index) => take(item, `message #${index + 1}`, conversation.messages, problem));
  }

  let title = rawTitle;
  if (title.trim() === '' || title === 'New Chat') {
    const derived = titleFromText(conversation.messages.find((m) => m.role === 'user')?.content ?? '');
    if (derived !== '') {
      title = derived;
      metadata.titleFromFirstMessage = true;
    }
  }
  conversation.title = boundTitle(title, metadata);
  return conversation;
}

function copyMetadata(raw: JsonRecord, chat: JsonRecord, metadata: JsonRecord): void {
  const models = stringArray(field(chat, 'models'));
  if (models.length > 0) metadata.models = models;
  const meta = recordField(raw, 'meta');
  const tags = [...stringArray(meta === undefined ? undefined : field(meta, 'tags')), ...stringArray(field(chat, 'tags'))];
  if (tags.length > 0) metadata.tags = [...new Set(tags)];
  for (const [from, to] of [['archived', 'archived'], ['pinned', 'pinned'], ['folder_id', 'folderId'], ['share_id', 'shareId'], ['user_id', 'userId']]) {
    const value = field(raw, from as string);
    if (value !== undefined && value !== null) metadata[to as string] = value;
  }
}

function readHistory(
  history: JsonRecord,
  messages: JsonRecord,
  conversation: CanonicalConversation,
  problem: (reason: string) => void,
): void {
  const nodes = new Map<string, TreeNode>();
  let index = 0;
  for (const [key, value] of Object.entries(messages)) {
    index += 1;
    if (!isRecord(value)) {
      problem(`history entry ${key} is ${describe(value)}, not a message`);
      continue;
    }
    const time = numberField(value, 'timestamp') ?? 0;
    nodes.set(key, { id: key, parentId: stringField(value, 'parentId') ?? null, order: time * 1e6 + index });
  }
  const currentId = stringField(history, 'currentId');
  let leaf = currentId;
  if (leaf === undefined || !nodes.has(leaf)) {
    if (currentId !== undefined) problem(`its currentId ${currentId} is not in the history; the newest branch was imported instead`);
    leaf = latestLeaf(nodes);
  }
  if (leaf === undefined) return;
  const path = pathToRoot(nodes, leaf);
  path.notes.forEach(problem);
  const countBefore = new Map<string, number>();
  for (const id of path.ids) {
    take(field(messages, id), `message ${id}`, conversation.messages, problem);
    countBefore.set(id, conversation.messages.length);
  }
  const described = describeBranches(
    alternativeBranches(nodes, path.ids),
    (ids) => {
      const branch: Message[] = [];
      for (const id of ids) take(field(messages, id), `message ${id}`, branch, (r) => problem(`on an alternative branch, ${r}`));
      return branch;
    },
    countBefore,
  );
  if (described.branches.length > 0) conversation.metadata.branches = described.branches;
  described.problems.forEach(problem);
}

function take(item: unknown, label: string, into: Message[], problem: (reason: string) => void): void {
  if (!isRecord(item)) {
    problem(`${label} is ${describe(item)}, not a message`);
    return;
  }
  const role = mapRole(field(item, 'role'));
  if (role === undefined) {
    problem(`${label} has an unknown role ${describe(field(item, 'role'))}`);
    return;
  }
  const rawContent = field(item, 'content');
  const contentParts: Part[] = [];
  let content: string;
  if (typeof rawContent === 'string') content = rawContent;
  else if (Array.isArray(rawContent)) {
    content = contentList(rawContent, contentParts, (reason) => problem(`${label}: ${reason}`));
  } else if (rawContent === undefined || rawContent === null) content = '';
  else {
    problem(`${label} has content ${describe(rawContent)}, which is not text`);
    return;
  }
  // Only Open WebUI's own answers carry output items and <details> blocks; a person's text stays as written.
  const body: AssistantBody = role === 'assistant' ? assistantBody(item, content) : { text: content, parts: [], problems: [] };
  for (const reason of body.problems) problem(`${label}: ${reason}`);
  const message: Message = { role, content: body.text };
  const id = idField(item, 'id');
  if (id !== undefined) message.id = id;
  const createdAt = toIso(field(item, 'timestamp'));
  if (createdAt !== null) message.createdAt = createdAt;
  const model = stringField(item, 'model') ?? (role === 'assistant' ? stringArray(field(item, 'models'))[0] : undefined);
  if (model !== undefined) message.model = model;
  const modelName = stringField(item, 'modelName');
  if (modelName !== undefined && role === 'assistant') message.name = modelName;
  const parts = [...contentParts, ...body.parts, ...codeExecutionParts(field(item, 'code_executions')), ...fileParts(item), ...sourceParts(item)];
  if (parts.length > 0) message.parts = parts;
  const metadata: JsonRecord = {};
  const error = field(item, 'error');
  if (error !== undefined && error !== null && error !== false) metadata.error = error;
  // The person's rating of an answer (thumbs, reason, comment) is theirs to keep.
  const rating = recordField(item, 'annotation');
  if (rating !== undefined && Object.keys(rating).length > 0) metadata.feedback = rating;
  const embeds = field(item, 'embeds');
  if (Array.isArray(embeds) && embeds.length > 0) {
    // Tool UIs embedded as HTML or a URL; kept while small, named when not.
    if (JSON.stringify(embeds).length <= MAX_EMBEDS_CHARS) metadata.embeds = embeds;
    else problem(`${label}: ${embeds.length} embedded tool views (${Math.round(JSON.stringify(embeds).length / 1024)} KB of HTML) were not kept`);
  }
  if (Object.keys(metadata).length > 0) message.metadata = metadata;
  into.push(message);
}

const MAX_EMBEDS_CHARS = 16 * 1024;

/** A content list (OpenAI-style parts, as some builds and imports write): text, and images as parts. */
function contentList(items: unknown[], parts: Part[], problem: (reason: string) => void): string {
  const texts: string[] = [];
  items.forEach((item, index) => {
    if (typeof item === 'string') {
      texts.push(item);
      return;
    }
    if (!isRecord(item)) {
      problem(`content part #${index + 1} is ${describe(item)}`);
      return;
    }
    const text = stringField(item, 'text');
    const image = field(item, 'image_url');
    const url = typeof image === 'string' ? image : isRecord(image) ? stringField(image, 'url') : undefined;
    if (text !== undefined) texts.push(text);
    else if (url !== undefined) parts.push({ type: 'image', url });
    else problem(`content part #${index + 1} has an unsupported type ${describe(stringField(item, 'type'))}`);
  });
  return texts.join('\n');
}

/** `output[]` when the build wrote it (its HTML `content` is a rendering of it), else the HTML itself. */
function assistantBody(item: JsonRecord, content: string): AssistantBody {
  const output = arrayField(item, 'output');
  if (output !== undefined && output.length > 0) {
    const body = readOutputItems(output);
    if (body.text === '' && content.trim() !== '') body.text = readDetailsBlocks(content).text;
    return body;
  }
  return readDetailsBlocks(content);
}

function fileParts(item: JsonRecord): Part[] {
  const parts: Part[] = [];
  for (const file of arrayField(item, 'files') ?? []) {
    if (!isRecord(file)) continue;
    const inner = recordField(file, 'file') ?? {};
    const innerMeta = recordField(inner, 'meta') ?? {};
    const part: Part = { type: stringField(file, 'type') === 'image' ? 'image' : 'attachment' };
    const url = stringField(file, 'url');
    const name = stringField(file, 'name') ?? stringField(inner, 'filename') ?? stringField(innerMeta, 'name');
    const id = stringField(file, 'id') ?? stringField(inner, 'id');
    const size = numberField(file, 'size') ?? numberField(innerMeta, 'size');
    const mimeType = stringField(innerMeta, 'content_type');
    if (url !== undefined) part.url = url;
    if (name !== undefined) part.name = name;
    if (id !== undefined) part.id = id;
    if (size !== undefined) part.size = size;
    if (mimeType !== undefined) part.mimeType = mimeType;
    parts.push(part);
  }
  return parts;
}

/**
 * Retrieval and web-search sources: `{ source, document[], metadata[] }`. Each metadata entry names
 * one document (a web page's URL in `source`); the entry as a whole names a file or a collection.
 */
function sourceParts(item: JsonRecord): Part[] {
  const parts: Part[] = [];
  const seen = new Set<string>();
  const add = (url: string | undefined, title: string | undefined) => {
    if (url === undefined && title === undefined) return;
    const key = url ?? `title:${title}`;
    if (seen.has(key)) return;
    seen.add(key);
    const part: Part = { type: 'citation' };
    if (title !== undefined) part.title = title;
    if (url !== undefined) part.url = url;
    parts.push(part);
  };
  for (const entry of [...(arrayField(item, 'sources') ?? []), ...(arrayField(item, 'citations') ?? [])]) {
    if (!isRecord(entry)) continue;
    const source = recordField(entry, 'source') ?? entry;
    const pages = (arrayField(entry, 'metadata') ?? []).filter(isRecord).flatMap((meta) => {
      const url = [stringField(meta, 'url'), stringField(meta, 'source')].find((u) => u !== undefined && /^https?:\/\//i.test(u));
      return url === undefined ? [] : [{ url, title: stringField(meta, 'title') ?? stringField(meta, 'name') }];
    });
    if (pages.length > 0) pages.forEach((page) => add(page.url, page.title));
    else add(stringField(source, 'url'), stringField(source, 'name') ?? stringField(source, 'title'));
  }
  return parts;
}
