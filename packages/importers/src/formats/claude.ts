// Claude `conversations.json` entries: `chat_messages` with `content[]` blocks, branched by
// `parent_message_uuid` in newer exports. Older ones (2024 and before) have no parent links, and
// their array order is not the order the turns were sent in: `created_at` is.
import type { CanonicalConversation, Message, Part } from '../canonical';
import { alternativeBranches, describeBranches, latestLeaf, pathToRoot, type TreeNode } from '../message-tree';
import { extractInlineTags } from './claude-inline';
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
  stringField,
  titleFromText,
  toIso,
  type JsonRecord,
  citationPart,
} from '../values';

/** The parent Claude gives the first message of a conversation. */
export const CLAUDE_ROOT_PARENT = '00000000-0000-4000-8000-000000000000';
/** What Claude writes into `text` for blocks it could not render there; `content[]` has the real thing. */
const PLACEHOLDER = 'This block is not supported on your current device yet.';

export function parseClaudeConversation(raw: unknown): CanonicalConversation {
  return guardParse(raw, parse);
}

function parse(raw: unknown): CanonicalConversation {
  const conversation = emptyConversation();
  if (!isRecord(raw)) {
    conversation.problems.push({ reason: `a conversation entry is ${describe(raw)}, not an object` });
    return conversation;
  }
  conversation.externalId = idField(raw, 'uuid') ?? null;
  conversation.createdAt = toIso(field(raw, 'created_at'));
  conversation.updatedAt = toIso(field(raw, 'updated_at'));
  const metadata = conversation.metadata;
  const summary = stringField(raw, 'summary');
  if (summary !== undefined && summary !== '') metadata.summary = summary;
  const account = recordField(raw, 'account');
  const accountId = account === undefined ? undefined : stringField(account, 'uuid');
  if (accountId !== undefined) metadata.accountId = accountId;
  copyConversationFields(raw, metadata);
  const rawTitle = stringField(raw, 'name') ?? '';
  const name = nameConversation(conversation.externalId, rawTitle);
  const problem = (reason: string) => conversation.problems.push({ conversation: name, reason });

  const chatMessages = arrayField(raw, 'chat_messages');
  if (chatMessages === undefined) {
    problem('has no "chat_messages" list; nothing could be imported');
  } else {
    readMessages(chatMessages, conversation, problem, stringField(raw, 'current_leaf_message_uuid'));
  }
  let title = rawTitle;
  if (title.trim() === '') {
    title = titleFromText(conversation.messages.find((m) => m.role === 'user')?.content ?? '');
    if (title !== '') metadata.titleFromFirstMessage = true;
  }
  conversation.title = boundTitle(title, metadata);
  return conversation;
}

/**
 * What claude.ai's own API (and the tools that save from it) adds to an official export's fields:
 * the conversation's model, its project and settings. None of it may vanish on the way in.
 */
function copyConversationFields(raw: JsonRecord, metadata: JsonRecord): void {
  const renamed: Array<[string, string]> = [
    ['model', 'model'],
    ['is_starred', 'isStarred'],
    ['is_temporary', 'isTemporary'],
    ['project_uuid', 'projectUuid'],
    ['settings', 'settings'],
  ];
  for (const [from, to] of renamed) {
    const value = field(raw, from);
    if (value !== undefined && value !== null) metadata[to] = value;
  }
  const project = recordField(raw, 'project');
  if (project !== undefined) {
    const kept: JsonRecord = {};
    for (const key of ['uuid', 'name'] as const) {
      const value = stringField(project, key);
      if (value !== undefined) kept[key] = value;
    }
    if (Object.keys(kept).length > 0) metadata.project = kept;
  }
}

function parentOf(item: JsonRecord): string | null | undefined {
  const parent = field(item, 'parent_message_uuid');
  if (typeof parent !== 'string') return undefined;
  return parent === '' || parent === CLAUDE_ROOT_PARENT ? null : parent;
}

/**
 * Send order for a conversation without parent links: by `created_at`, file order breaking ties. A
 * turn without a time keeps the time of the turn before it in the file, so it stays after it.
 */
function sendOrder(items: unknown[]): { ordered: Array<{ item: unknown; index: number }>; changed: boolean } {
  let carried = Number.NEGATIVE_INFINITY;
  // A for loop, not map: a sparse array's holes must stay items (each one a named problem).
  const keyed: Array<{ item: unknown; index: number; time: number }> = [];
  for (let index = 0; index < items.length; index += 1) {
    const item = items[index];
    const time = isRecord(item) ? Date.parse(stringField(item, 'created_at') ?? '') : Number.NaN;
    if (Number.isFinite(time)) carried = time;
    keyed.push({ item, index, time: carried });
  }
  keyed.sort((a, b) => a.time - b.time || a.index - b.index);
  return { ordered: keyed, changed: keyed.some((k, position) => k.index !== position) };
}

function readMessages(items: unknown[], conversation: CanonicalConversation, problem: (reason: string) => void, currentLeaf: string | undefined): void {
  const byId = new Map<string, JsonRecord>();
  const nodes = new Map<string, TreeNode>();
  let branched = false;
  items.forEach((item, index) => {
    if (!isRecord(item)) return;
    const id = idField(item, 'uuid');
    if (id === undefined || byId.has(id)) return;
    byId.set(id, item);
    const parent = parentOf(item);
    if (parent !== undefined) branched = true;
    const time = Date.parse(stringField(item, 'created_at') ?? '');
    nodes.set(id, { id, parentId: parent ?? null, order: (Number.isFinite(time) ? time : 0) * 1e3 + index });
  });

  if (!branched) {
    const { ordered, changed } = sendOrder(items);
    if (changed) conversation.metadata.orderedByTime = true;
    for (const { item, index } of ordered) take(item, index, conversation.messages, problem);
    return;
  }
  // Messages without a uuid cannot be placed in the tree; say so instead of guessing.
  items.forEach((item, index) => {
    if (!isRecord(item) || idField(item, 'uuid') === undefined) {
      problem(`message #${index + 1} has no uuid and could not be placed in the conversation`);
    }
  });
  // The branch the person last looked at, when the export says; else the newest, as claude.ai opens.
  const leaf = currentLeaf !== undefined && nodes.has(currentLeaf) ? currentLeaf : latestLeaf(nodes);
  if (leaf === undefined) return;
  const path = pathToRoot(nodes, leaf);
  path.notes.forEach(problem);
  const countBefore = new Map<string, number>();
  for (const id of path.ids) {
    take(byId.get(id), id, conversation.messages, problem);
    countBefore.set(id, conversation.messages.length);
  }
  const described = describeBranches(
    alternativeBranches(nodes, path.ids),
    (ids) => {
      const messages: Message[] = [];
      for (const id of ids) take(byId.get(id), id, messages, (reason) => problem(`on an alternative branch, ${reason}`));
      return messages;
    },
    countBefore,
  );
  if (described.branches.length > 0) conversation.metadata.branches = described.branches;
  described.problems.forEach(problem);
}

function take(item: unknown, at: number | string, into: Message[], problem: (reason: string) => void): void {
  const label = typeof at === 'number' ? `message #${at + 1}` : `message ${at}`;
  if (!isRecord(item)) {
    problem(`${label} is ${describe(item)}, not a message`);
    return;
  }
  const sender = field(item, 'sender');
  const role = mapRole(sender);
  if (role === undefined) {
    problem(`${label} has an unknown sender ${describe(sender)}`);
    return;
  }
  const message: Message = { role, content: '' };
  const id = idField(item, 'uuid');
  if (id !== undefined) message.id = id;
  const createdAt = toIso(field(item, 'created_at'));
  if (createdAt !== null) message.createdAt = createdAt;
  const parts: Part[] = [];
  const blocks = arrayField(item, 'content');
  const text = stringField(item, 'text') ?? '';
  if (blocks !== undefined && blocks.length > 0) {
    message.content = readBlocks(blocks, parts, role === 'assistant', (reason) => problem(`${label}: ${reason}`));
    // Blocks with no text at all next to a real `text` (not the placeholder): the text is what was shown.
    if (message.content === '' && parts.length === 0 && text.trim() !== PLACEHOLDER) {
      const inline = role === 'assistant' ? extractInlineTags(text) : { text, parts: [] };
      message.content = inline.text;
      parts.push(...inline.parts);
    }
  } else {
    const inline = role === 'assistant' ? extractInlineTags(text) : { text, parts: [] };
    message.content = inline.text;
    parts.push(...inline.parts);
    if (text.trim() === PLACEHOLDER) message.metadata = { placeholderText: true };
  }
  parts.push(...attachmentParts(item));
  if (parts.length > 0) message.parts = parts;
  into.push(message);
}

/** `inline`: lift `<antArtifact>` / `<antThinking>` out of the text (Claude's answers only, never a person's words). */
function readBlocks(blocks: unknown[], parts: Part[], inline: boolean, problem: (reason: string) => void): string {
  const texts: string[] = [];
  for (const block of blocks) {
    if (!isRecord(block)) {
      problem(`a content block is ${describe(block)}`);
      continue;
    }
    const type = stringField(block, 'type');
    if (type === 'text') {
      const text = stringField(block, 'text') ?? '';
      const lifted = inline ? extractInlineTags(text) : { text, parts: [] };
      texts.push(lifted.text);
      parts.push(...lifted.parts, ...citations(block));
    } else if (type === 'redacted_thinking') {
      // Reasoning the API returned encrypted: there is no text to keep, but the step happened.
      parts.push({ type: 'thinking', text: '', metadata: { redacted: true } });
    } else if (type === 'thinking') {
      const part: Part = { type: 'thinking', text: stringField(block, 'thinking') ?? '' };
      const summaries = (arrayField(block, 'summaries') ?? [])
        .map((s) => (isRecord(s) ? stringField(s, 'summary') : undefined))
        .filter((s): s is string => s !== undefined);
      if (summaries.length > 0) part.metadata = { summaries };
      parts.push(part);
    } else if (type === 'tool_use') {
      const part: Part = { type: 'tool_call', input: field(block, 'input') };
      const id = idField(block, 'id');
      const toolName = stringField(block, 'name');
      if (id !== undefined) part.id = id;
      if (toolName !== undefined) part.name = toolName;
      parts.push(part);
    } else if (type === 'tool_result') {
      parts.push(toolResult(block));
    } else if (stringField(block, 'text') !== undefined) {
      // Block types added after this importer was written still show their text, and are named.
      texts.push(stringField(block, 'text') ?? '');
      problem(`content block type ${describe(type)} was read as plain text`);
    } else {
      problem(`unsupported content block type ${describe(type)}`);
    }
  }
  return texts.join('\n\n');
}

function toolResult(block: JsonRecord): Part {
  const raw = field(block, 'content');
  const text = Array.isArray(raw)
    ? raw.map((c) => (isRecord(c) ? (stringField(c, 'text') ?? '') : typeof c === 'string' ? c : '')).join('\n')
    : typeof raw === 'string'
      ? raw
      : '';
  const part: Part = { type: 'tool_result', text, output: raw };
  const id = idField(block, 'tool_use_id');
  const toolName = stringField(block, 'name');
  if (id !== undefined) part.id = id;
  if (toolName !== undefined) part.name = toolName;
  if (field(block, 'is_error') === true) part.metadata = { isError: true };
  return part;
}

function citations(block: JsonRecord): Part[] {
  const parts: Part[] = [];
  for (const item of arrayField(block, 'citations') ?? []) {
    if (!isRecord(item)) continue;
    const part = citationPart(item, recordField(item, 'details'));
    if (part) parts.push(part);
  }
  return parts;
}

function attachmentParts(item: JsonRecord): Part[] {
  const parts: Part[] = [];
  for (const attachment of arrayField(item, 'attachments') ?? []) {
    if (!isRecord(attachment)) continue;
    const part: Part = { type: 'attachment' };
    const fileName = stringField(attachment, 'file_name');
    const size = numberField(attachment, 'file_size');
    const mimeType = stringField(attachment, 'file_type');
    const extracted = stringField(attachment, 'extracted_content');
    if (fileName !== undefined) part.name = fileName;
    if (size !== undefined) part.size = size;
    if (mimeType !== undefined && mimeType !== '') part.mimeType = mimeType;
    if (extracted !== undefined) part.text = extracted;
    parts.push(part);
  }
  for (const file of [...(arrayField(item, 'files') ?? []), ...(arrayField(item, 'files_v2') ?? [])]) {
    if (!isRecord(file)) continue;
    const fileName = stringField(file, 'file_name');
    const id = stringField(file, 'file_uuid');
    // files_v2 repeats the entries of files; keep one of each.
    if (fileName !== undefined && parts.some((p) => p.name === fileName && (id === undefined || p.id === id || p.id === undefined))) {
      continue;
    }
    const part: Part = { type: stringField(file, 'file_kind') === 'image' ? 'image' : 'attachment' };
    if (fileName !== undefined) part.name = fileName;
    if (id !== undefined) part.id = id;
    parts.push(part);
  }
  return parts;
}
