// LibreChat conversation export: `messages` as a flat list linked by `parentMessageId`, or as a
// recursive tree (`messagesTree`, or `messages` whose items carry `children`).
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
  nameConversation,
  parseJsonText,
  recordField,
  stringField,
  titleFromText,
  toIso,
  type JsonRecord,
} from '../values';

export const LIBRECHAT_ROOT_PARENT = '00000000-0000-0000-0000-000000000000';

export function parseLibreChatConversation(raw: unknown): CanonicalConversation {
  return guardParse(raw, parse);
}

function parse(raw: unknown): CanonicalConversation {
  const conversation = emptyConversation();
  if (!isRecord(raw)) {
    conversation.problems.push({ reason: `a conversation entry is ${describe(raw)}, not an object` });
    return conversation;
  }
  const metadata = conversation.metadata;
  conversation.externalId = idField(raw, 'conversationId') ?? null;
  const rawTitle = stringField(raw, 'title') ?? '';
  const name = nameConversation(conversation.externalId, rawTitle);
  const problem = (reason: string) => conversation.problems.push({ conversation: name, reason });
  const options = recordField(raw, 'options') ?? {};
  for (const key of ['endpoint', 'endpointType'] as const) {
    const value = stringField(raw, key) ?? stringField(options, key);
    if (value !== undefined) metadata[key] = value;
  }
  const defaultModel = stringField(options, 'model') ?? stringField(raw, 'model');
  if (defaultModel !== undefined) metadata.model = defaultModel;
  for (const [from, to] of [['agent_id', 'agentId'], ['assistant_id', 'assistantId']] as const) {
    const value = stringField(raw, from) ?? stringField(options, from);
    if (value !== undefined) metadata[to] = value;
  }

  const list = arrayField(raw, 'messages') ?? arrayField(raw, 'messagesTree');
  if (list === undefined) {
    problem('has no "messages"; nothing could be imported');
  } else {
    readMessages(flatten(list), conversation, problem);
  }
  const times = conversation.messages.map((m) => m.createdAt).filter((t): t is string => t !== undefined);
  conversation.createdAt = toIso(field(raw, 'createdAt')) ?? times[0] ?? null;
  conversation.updatedAt = toIso(field(raw, 'updatedAt')) ?? times[times.length - 1] ?? null;
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

/** Depth-first, parents before children, without recursion so a deep tree cannot overflow the stack. */
function flatten(list: unknown[]): unknown[] {
  const result: unknown[] = [];
  const stack: unknown[] = [...list].reverse();
  const seen = new Set<unknown>();
  while (stack.length > 0) {
    const item = stack.pop();
    if (isRecord(item)) {
      if (seen.has(item)) continue;
      seen.add(item);
      const children = arrayField(item, 'children');
      if (children !== undefined) stack.push(...[...children].reverse());
    }
    result.push(item);
  }
  return result;
}

function readMessages(items: unknown[], conversation: CanonicalConversation, problem: (reason: string) => void): void {
  const byId = new Map<string, JsonRecord>();
  const nodes = new Map<string, TreeNode>();
  items.forEach((item, index) => {
    if (!isRecord(item)) return;
    const id = idField(item, 'messageId');
    if (id === undefined || byId.has(id)) return;
    byId.set(id, item);
    const parent = stringField(item, 'parentMessageId');
    const time = Date.parse(stringField(item, 'createdAt') ?? '');
    nodes.set(id, {
      id,
      parentId: parent === undefined || parent === LIBRECHAT_ROOT_PARENT ? null : parent,
      order: (Number.isFinite(time) ? time : 0) * 1e3 + index,
    });
  });
  const linked = [...nodes.values()].some((node) => node.parentId !== null);
  if (!linked) {
    items.forEach((item, index) => take(item, `message #${index + 1}`, conversation.messages, problem));
    return;
  }
  items.forEach((item, index) => {
    if (!isRecord(item) || idField(item, 'messageId') === undefined) {
      problem(`message #${index + 1} has no messageId and could not be placed in the conversation`);
    }
  });
  // LibreChat has no "current" pointer; the UI opens on the newest leaf.
  const leaf = latestLeaf(nodes);
  if (leaf === undefined) return;
  const path = pathToRoot(nodes, leaf);
  path.notes.forEach(problem);
  const countBefore = new Map<string, number>();
  for (const id of path.ids) {
    take(byId.get(id), `message ${id}`, conversation.messages, problem);
    countBefore.set(id, conversation.messages.length);
  }
  const described = describeBranches(
    alternativeBranches(nodes, path.ids),
    (ids) => {
      const branch: Message[] = [];
      for (const id of ids) take(byId.get(id), `message ${id}`, branch, (r) => problem(`on an alternative branch, ${r}`));
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
  const byUser = field(item, 'isCreatedByUser');
  const sender = stringField(item, 'sender');
  const role = byUser === true || (byUser === undefined && sender?.toLowerCase() === 'user') ? 'user' : 'assistant';
  const parts: Part[] = [];
  const metadata: JsonRecord = {};
  const blocks = arrayField(item, 'content');
  let content = stringField(item, 'text') ?? '';
  if (blocks !== undefined && blocks.length > 0) {
    const text = readContent(blocks, parts, metadata, (reason) => problem(`${label}: ${reason}`));
    if (text !== '' || parts.length > 0) content = text;
  }
  const message: Message = { role, content };
  const id = idField(item, 'messageId');
  if (id !== undefined) message.id = id;
  const createdAt = toIso(field(item, 'createdAt'));
  if (createdAt !== null) message.createdAt = createdAt;
  // A user's message names the model it was sent to; that is the turn's model too, kept beside it.
  const model = stringField(item, 'model');
  if (model !== undefined && role === 'assistant') message.model = model;
  else if (model !== undefined) metadata.model = model;
  if (sender !== undefined && role === 'assistant') message.name = sender;
  for (const file of arrayField(item, 'files') ?? []) {
    if (!isRecord(file)) continue;
    const part: Part = { type: (stringField(file, 'type') ?? '').startsWith('image/') ? 'image' : 'attachment' };
    const fileName = stringField(file, 'filename');
    const url = stringField(file, 'filepath');
    const fileId = stringField(file, 'file_id');
    const mimeType = stringField(file, 'type');
    if (fileName !== undefined) part.name = fileName;
    if (url !== undefined) part.url = url;
    if (fileId !== undefined) part.id = fileId;
    if (mimeType !== undefined) part.mimeType = mimeType;
    parts.push(part);
  }
  parts.push(...attachmentParts(item, (reason) => problem(`${label}: ${reason}`)));
  if (parts.length > 0) message.parts = parts;
  if (field(item, 'error') === true) metadata.error = true;
  if (field(item, 'unfinished') === true) metadata.unfinished = true;
  const endpoint = stringField(item, 'endpoint');
  if (endpoint !== undefined) metadata.endpoint = endpoint;
  if (Object.keys(metadata).length > 0) message.metadata = metadata;
  into.push(message);
}

/** Files a tool made (`filepath`) and web-search results an agent attached to its message. */
function attachmentParts(item: JsonRecord, problem: (reason: string) => void): Part[] {
  const parts: Part[] = [];
  (arrayField(item, 'attachments') ?? []).forEach((attachment, index) => {
    if (!isRecord(attachment)) return;
    const toolCallId = stringField(attachment, 'toolCallId');
    const search = recordField(attachment, 'web_search');
    if (search !== undefined) {
      for (const key of ['organic', 'topStories', 'references']) {
        for (const result of arrayField(search, key) ?? []) {
          if (!isRecord(result)) continue;
          const url = stringField(result, 'link') ?? stringField(result, 'url');
          const title = stringField(result, 'title');
          if (url === undefined && title === undefined) continue;
          const part: Part = { type: 'citation' };
          if (url !== undefined) part.url = url;
          if (title !== undefined) part.title = title;
          if (toolCallId !== undefined) part.metadata = { toolCallId };
          parts.push(part);
        }
      }
      return;
    }
    const url = stringField(attachment, 'filepath');
    const name = stringField(attachment, 'filename');
    if (url === undefined && name === undefined) {
      problem(`attachment #${index + 1} (type ${describe(stringField(attachment, 'type'))}) names no file and was not kept`);
      return;
    }
    const mimeType = stringField(attachment, 'type');
    const part: Part = { type: mimeType?.startsWith('image/') === true || mimeType === 'image' ? 'image' : 'attachment' };
    const id = stringField(attachment, 'file_id');
    if (id !== undefined) part.id = id;
    if (name !== undefined) part.name = name;
    if (url !== undefined) part.url = url;
    if (mimeType !== undefined && mimeType.includes('/')) part.mimeType = mimeType;
    const extra: JsonRecord = {};
    if (toolCallId !== undefined) extra.toolCallId = toolCallId;
    for (const key of ['width', 'height'] as const) {
      const value = field(attachment, key);
      if (typeof value === 'number') extra[key] = value;
    }
    if (Object.keys(extra).length > 0) part.metadata = extra;
    parts.push(part);
  });
  return parts;
}

/**
 * A tool call as agents write it (`{ id, name, args, output }`) or as the Assistants API does
 * (`{ id, type: 'function', function: { name, arguments, output } }`, `{ type: 'code_interpreter',
 * code_interpreter: { input, outputs } }`, `file_search`, `retrieval`).
 */
function toolCallPart(call: JsonRecord): Part {
  const type = stringField(call, 'type') ?? 'tool_call';
  const fn = recordField(call, 'function');
  const interpreter = recordField(call, 'code_interpreter');
  const part: Part = { type: 'tool_call' };
  const id = idField(call, 'id');
  if (id !== undefined) part.id = id;
  const toolName = stringField(call, 'name') ?? (fn === undefined ? undefined : stringField(fn, 'name')) ?? (type === 'tool_call' || type === 'function' ? undefined : type);
  if (toolName !== undefined) part.name = toolName;
  const args = field(call, 'args') ?? (fn === undefined ? undefined : field(fn, 'arguments')) ?? (interpreter === undefined ? undefined : field(interpreter, 'input')) ?? field(call, type);
  if (args !== undefined) part.input = typeof args === 'string' ? parseJsonText(args) : args;
  const output = field(call, 'output') ?? (fn === undefined ? undefined : field(fn, 'output')) ?? (interpreter === undefined ? undefined : field(interpreter, 'outputs'));
  if (output !== undefined && output !== null) part.output = output;
  return part;
}

function readContent(blocks: unknown[], parts: Part[], metadata: JsonRecord, problem: (reason: string) => void): string {
  const texts: string[] = [];
  for (const block of blocks) {
    if (!isRecord(block)) continue;
    const type = stringField(block, 'type');
    if (type === 'text') {
      const text = field(block, 'text');
      // Agent messages store text as `{ value }` in older builds.
      texts.push(typeof text === 'string' ? text : isRecord(text) ? (stringField(text, 'value') ?? '') : '');
    } else if (type === 'think') {
      parts.push({ type: 'thinking', text: stringField(block, 'think') ?? '' });
    } else if (type === 'tool_call') {
      parts.push(toolCallPart(recordField(block, 'tool_call') ?? {}));
    } else if (type === 'agent_update') {
      // A hand-off to another agent in a multi-agent run: where the answer changed hands, not content.
      const update = recordField(block, 'agent_update');
      if (update !== undefined) metadata.agentUpdates = [...(Array.isArray(metadata.agentUpdates) ? metadata.agentUpdates : []), update];
    } else if (type === 'image_file' || type === 'image_url') {
      const image = recordField(block, type) ?? {};
      const url = stringField(image, 'filepath') ?? stringField(image, 'url');
      const part: Part = url === undefined ? { type: 'image' } : { type: 'image', url };
      const fileId = stringField(image, 'file_id');
      if (fileId !== undefined) part.id = fileId;
      const fileName = stringField(image, 'filename');
      if (fileName !== undefined) part.name = fileName;
      parts.push(part);
    } else if (type === 'error') {
      texts.push(stringField(block, 'error') ?? '');
    } else if (stringField(block, 'text') !== undefined) {
      texts.push(stringField(block, 'text') ?? '');
    } else {
      problem(`unsupported content part type ${describe(type)}`);
    }
  }
  return texts.join('\n\n');
}
