// ChatGPT `conversations.json` entries: a `mapping` tree walked from `current_node` up to the root.
import type { CanonicalConversation, Message, Problem } from '../canonical';
import { alternativeBranches, describeBranches, latestLeaf, pathToRoot, type TreeNode } from '../message-tree';
import {
  arrayField,
  boundTitle,
  countSkip,
  describe,
  emptyConversation,
  field,
  guardParse,
  idField,
  isRecord,
  nameConversation,
  numberField,
  recordField,
  stringField,
  titleFromText,
  toIso,
  type JsonRecord,
} from '../values';
import { convertChatGPTMessage } from './chatgpt-content';

export function parseChatGPTConversation(raw: unknown): CanonicalConversation {
  return guardParse(raw, parse);
}

function parse(raw: unknown): CanonicalConversation {
  const conversation = emptyConversation();
  if (!isRecord(raw)) {
    conversation.problems.push({ reason: `a conversation entry is ${describe(raw)}, not an object` });
    return conversation;
  }
  conversation.externalId = idField(raw, 'conversation_id') ?? idField(raw, 'id') ?? null;
  conversation.createdAt = toIso(field(raw, 'create_time'));
  conversation.updatedAt = toIso(field(raw, 'update_time'));
  const metadata = conversation.metadata;
  copyConversationMetadata(raw, metadata);
  const rawTitle = stringField(raw, 'title') ?? '';
  const name = nameConversation(conversation.externalId, rawTitle);
  const problem = (reason: string) => conversation.problems.push({ conversation: name, reason });

  const mapping = recordField(raw, 'mapping');
  if (mapping === undefined) {
    problem('has no message tree ("mapping"); nothing could be imported');
    conversation.title = boundTitle(rawTitle, metadata);
    return conversation;
  }
  const { nodes, messages: nodeMessages, malformed } = readMapping(mapping);
  if (malformed > 0) problem(`${malformed} entries of its mapping are not nodes and were ignored`);
  if (nodes.size === 0) {
    problem('its message tree ("mapping") is empty');
    conversation.title = boundTitle(rawTitle, metadata);
    return conversation;
  }

  const leaf = currentLeaf(raw, nodes, problem);
  const path = pathToRoot(nodes, leaf);
  path.notes.forEach(problem);
  const defaultModel = stringField(raw, 'default_model_slug');
  const countBefore = new Map<string, number>();
  for (const id of path.ids) {
    const message = nodeMessages.get(id);
    if (message !== undefined) takeNode(message, defaultModel, conversation, problem);
    countBefore.set(id, conversation.messages.length);
  }

  const branchProblems: Problem[] = [];
  const described = describeBranches(
    alternativeBranches(nodes, path.ids),
    (ids) => branchMessages(ids, nodeMessages, defaultModel, (reason) => branchProblems.push({ conversation: name, reason })),
    countBefore,
  );
  if (described.branches.length > 0) metadata.branches = described.branches;
  described.problems.forEach(problem);
  conversation.problems.push(...branchProblems.map((p) => ({ ...p, reason: `on an alternative branch, ${p.reason}` })));

  let title = rawTitle;
  if (title.trim() === '') {
    title = titleFromText(conversation.messages.find((m) => m.role === 'user')?.content ?? '');
    if (title !== '') metadata.titleFromFirstMessage = true;
  }
  conversation.title = boundTitle(title, metadata);
  return conversation;
}

function copyConversationMetadata(raw: JsonRecord, metadata: JsonRecord): void {
  const keys: Array<[string, string]> = [
    ['default_model_slug', 'defaultModelSlug'],
    ['gizmo_id', 'gizmoId'],
    ['gizmo_type', 'gizmoType'],
    ['is_archived', 'isArchived'],
    ['is_starred', 'isStarred'],
    ['conversation_template_id', 'conversationTemplateId'],
    ['conversation_origin', 'conversationOrigin'],
    ['memory_scope', 'memoryScope'],
  ];
  for (const [from, to] of keys) {
    const value = field(raw, from);
    if (value !== undefined && value !== null) metadata[to] = value;
  }
}

type MappingNodes = { nodes: Map<string, TreeNode>; messages: Map<string, JsonRecord | null>; malformed: number };

function readMapping(mapping: JsonRecord): MappingNodes {
  const nodes = new Map<string, TreeNode>();
  const messages = new Map<string, JsonRecord | null>();
  let malformed = 0;
  let index = 0;
  // `parent` is what the walk follows; `children` only fills in a parent that is missing.
  const listedParent = new Map<string, string>();
  for (const [key, value] of Object.entries(mapping)) {
    if (!isRecord(value)) continue;
    for (const child of arrayField(value, 'children') ?? []) {
      if (typeof child === 'string' && child !== key && !listedParent.has(child)) listedParent.set(child, key);
    }
  }
  for (const [key, value] of Object.entries(mapping)) {
    index += 1;
    if (!isRecord(value)) {
      malformed += 1;
      continue;
    }
    const message = recordField(value, 'message') ?? null;
    const parent = stringField(value, 'parent') ?? listedParent.get(key) ?? null;
    // Insertion order breaks ties between nodes without timestamps; real exports list nodes in tree order.
    const createTime = message === null ? undefined : numberField(message, 'create_time');
    nodes.set(key, { id: key, parentId: parent, order: (createTime ?? 0) * 1e6 + index });
    messages.set(key, message);
  }
  return { nodes, messages, malformed };
}

function currentLeaf(raw: JsonRecord, nodes: Map<string, TreeNode>, problem: (reason: string) => void): string {
  const current = stringField(raw, 'current_node');
  if (current !== undefined && nodes.has(current)) return current;
  const fallback = latestLeaf(nodes) ?? [...nodes.keys()][0] ?? '';
  problem(
    current === undefined
      ? 'has no current_node; the newest branch was imported instead'
      : `its current_node ${current} is not in the mapping; the newest branch was imported instead`,
  );
  return fallback;
}

function takeNode(
  message: JsonRecord | null,
  defaultModel: string | undefined,
  conversation: CanonicalConversation,
  problem: (reason: string) => void,
): void {
  if (message === null) return; // the structural root every ChatGPT tree starts with
  const outcome = convertChatGPTMessage(message, defaultModel);
  if (outcome.kind === 'message') {
    conversation.messages.push(outcome.message);
    outcome.problems.forEach(problem);
  } else if (outcome.kind === 'problem') {
    problem(outcome.reason);
  } else {
    countSkip(conversation.metadata, outcome.reason);
    if (outcome.customInstructions !== undefined) conversation.metadata.customInstructions = outcome.customInstructions;
  }
}

function branchMessages(
  ids: string[],
  nodeMessages: ReadonlyMap<string, JsonRecord | null>,
  defaultModel: string | undefined,
  problem: (reason: string) => void,
): Message[] {
  const result: Message[] = [];
  for (const id of ids) {
    const message = nodeMessages.get(id);
    if (message === undefined || message === null) continue;
    const outcome = convertChatGPTMessage(message, defaultModel);
    if (outcome.kind === 'message') {
      result.push(outcome.message);
      outcome.problems.forEach(problem);
    } else if (outcome.kind === 'problem') {
      problem(outcome.reason);
    }
  }
  return result;
}
