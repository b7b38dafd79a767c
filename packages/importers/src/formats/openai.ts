// Generic OpenAI chat `messages`: `{ messages, title?, id?, model? }`, a bare list of messages, or
// one of those per JSONL line (fine-tuning files, eval sets, scripts around the API).
import type { CanonicalConversation, Message, Part } from '../canonical';
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
  parseJsonText,
  recordField,
  stringField,
  titleFromText,
  toIso,
  type JsonRecord,
  citationPart,
} from '../values';

export function parseOpenAIConversation(raw: unknown): CanonicalConversation {
  return guardParse(raw, parse);
}

/** Whether a value looks like one chat message rather than a conversation. */
export function isOpenAIMessage(value: unknown): boolean {
  return isRecord(value) && typeof field(value, 'role') === 'string' && field(value, 'messages') === undefined;
}

function parse(raw: unknown): CanonicalConversation {
  const conversation = emptyConversation();
  const wrapper: JsonRecord = Array.isArray(raw) ? { messages: raw } : isRecord(raw) ? raw : {};
  if (!Array.isArray(raw) && !isRecord(raw)) {
    conversation.problems.push({ reason: `a conversation is ${describe(raw)}, not an object or a list of messages` });
    return conversation;
  }
  conversation.externalId = idField(wrapper, 'id') ?? null;
  conversation.createdAt = toIso(field(wrapper, 'created_at') ?? field(wrapper, 'created') ?? field(wrapper, 'createdAt'));
  conversation.updatedAt = toIso(field(wrapper, 'updated_at') ?? field(wrapper, 'updatedAt'));
  const metadata = conversation.metadata;
  const model = stringField(wrapper, 'model');
  if (model !== undefined) metadata.model = model;
  const rawTitle = stringField(wrapper, 'title') ?? '';
  const name = nameConversation(conversation.externalId, rawTitle);
  const problem = (reason: string) => conversation.problems.push({ conversation: name, reason });

  const messages = arrayField(wrapper, 'messages');
  if (messages === undefined) problem('has no "messages" list; nothing could be imported');
  else messages.forEach((item, index) => take(item, index, model, conversation.messages, problem));

  let title = rawTitle;
  if (title.trim() === '') {
    title = titleFromText(conversation.messages.find((m) => m.role === 'user')?.content ?? '');
    if (title !== '') metadata.titleFromFirstMessage = true;
  }
  conversation.title = boundTitle(title, metadata);
  return conversation;
}

function take(item: unknown, index: number, model: string | undefined, into: Message[], problem: (reason: string) => void): void {
  const label = `message #${index + 1}`;
  if (!isRecord(item)) {
    problem(`${label} is ${describe(item)}, not a message`);
    return;
  }
  // `author` and `text` are what some tools write for `role` and `content`.
  const rawRole = field(item, 'role') ?? stringField(item, 'author');
  const role = mapRole(rawRole);
  if (role === undefined) {
    problem(rawRole === undefined ? `${label} has no role` : `${label} has an unknown role ${describe(rawRole)}`);
    return;
  }
  const parts: Part[] = [];
  const raw = field(item, 'content') ?? stringField(item, 'text');
  let content = '';
  if (typeof raw === 'string') content = raw;
  else if (Array.isArray(raw)) content = readContentParts(raw, parts, (reason) => problem(`${label}: ${reason}`));
  else if (raw !== undefined && raw !== null) {
    problem(`${label} has content ${describe(raw)}, which is neither text nor a list of parts`);
    return;
  }
  // A refusal comes instead of content; a spoken answer's words are its transcript.
  const refusal = stringField(item, 'refusal');
  if (content === '' && refusal !== undefined && refusal !== '') content = refusal;
  const audio = recordField(item, 'audio');
  if (audio !== undefined) {
    const transcript = stringField(audio, 'transcript');
    if (content === '' && transcript !== undefined) content = transcript;
    const part: Part = { type: 'attachment', metadata: { audio: true } };
    const audioId = idField(audio, 'id');
    if (audioId !== undefined) part.id = audioId;
    if (transcript !== undefined) part.text = transcript;
    parts.push(part);
    if (typeof field(audio, 'data') === 'string') problem(`${label}: the spoken answer's audio (base64 in the file) was not kept; its transcript was`);
  }
  parts.push(...annotationParts(field(item, 'annotations')));
  const reasoning = stringField(item, 'reasoning_content') ?? stringField(item, 'reasoning');
  if (reasoning !== undefined && reasoning !== '') parts.unshift({ type: 'thinking', text: reasoning });
  for (const call of arrayField(item, 'tool_calls') ?? []) {
    if (isRecord(call)) parts.push(toolCall(call));
  }
  const legacyCall = recordField(item, 'function_call');
  if (legacyCall !== undefined) parts.push(toolCall({ function: legacyCall }));
  const toolCallId = idField(item, 'tool_call_id');
  if (role === 'tool' && toolCallId !== undefined) {
    const part: Part = { type: 'tool_result', id: toolCallId, output: raw };
    const toolName = stringField(item, 'name');
    if (toolName !== undefined) part.name = toolName;
    parts.push(part);
  }
  const message: Message = { role, content };
  const metadata: JsonRecord = {};
  if (rawRole === 'developer') metadata.originalRole = 'developer';
  if (content !== '' && content === refusal) metadata.refusal = true;
  // Fine-tuning files mark assistant turns the model should not learn from with weight 0.
  const weight = field(item, 'weight');
  if (typeof weight === 'number' && weight !== 1) metadata.weight = weight;
  const name = stringField(item, 'name');
  if (name !== undefined) message.name = name;
  const messageModel = stringField(item, 'model') ?? (role === 'assistant' ? model : undefined);
  if (messageModel !== undefined) message.model = messageModel;
  const createdAt = toIso(field(item, 'created_at') ?? field(item, 'timestamp'));
  if (createdAt !== null) message.createdAt = createdAt;
  const id = idField(item, 'id');
  if (id !== undefined) message.id = id;
  if (parts.length > 0) message.parts = parts;
  if (Object.keys(metadata).length > 0) message.metadata = metadata;
  into.push(message);
}

/** Chat Completions `url_citation` annotations (search models), flat or nested. */
function annotationParts(value: unknown): Part[] {
  const parts: Part[] = [];
  for (const annotation of Array.isArray(value) ? value : []) {
    if (!isRecord(annotation)) continue;
    const part = citationPart(recordField(annotation, 'url_citation') ?? annotation);
    if (part) parts.push(part);
  }
  return parts;
}

/** A function call (`function: { name, arguments }`) or a custom tool call (`custom: { name, input }`). */
function toolCall(call: JsonRecord): Part {
  const fn = recordField(call, 'function') ?? recordField(call, 'custom') ?? {};
  const args = field(fn, 'arguments') ?? field(fn, 'input');
  const part: Part = { type: 'tool_call', input: typeof args === 'string' ? parseJsonText(args) : args };
  const id = idField(call, 'id');
  const name = stringField(fn, 'name');
  if (id !== undefined) part.id = id;
  if (name !== undefined) part.name = name;
  return part;
}

function readContentParts(items: unknown[], parts: Part[], problem: (reason: string) => void): string {
  const texts: string[] = [];
  for (const item of items) {
    if (typeof item === 'string') {
      texts.push(item);
      continue;
    }
    if (!isRecord(item)) {
      problem(`a content part is ${describe(item)}`);
      continue;
    }
    const type = stringField(item, 'type');
    if (type === 'text' || type === 'input_text' || type === 'output_text') {
      texts.push(stringField(item, 'text') ?? '');
    } else if (type === 'refusal') {
      texts.push(stringField(item, 'refusal') ?? '');
    } else if (type === 'image_url' || type === 'input_image') {
      const image = field(item, 'image_url');
      const url = typeof image === 'string' ? image : isRecord(image) ? stringField(image, 'url') : undefined;
      parts.push(url === undefined ? { type: 'image' } : { type: 'image', url });
    } else if (type === 'input_audio') {
      const audio = recordField(item, 'input_audio') ?? {};
      const format = stringField(audio, 'format');
      parts.push(format === undefined ? { type: 'attachment' } : { type: 'attachment', mimeType: `audio/${format}` });
    } else if (type === 'file' || type === 'input_file') {
      const file = recordField(item, 'file') ?? item;
      const part: Part = { type: 'attachment' };
      const fileName = stringField(file, 'filename');
      const fileId = stringField(file, 'file_id');
      if (fileName !== undefined) part.name = fileName;
      if (fileId !== undefined) part.id = fileId;
      parts.push(part);
    } else if (stringField(item, 'text') !== undefined) {
      texts.push(stringField(item, 'text') ?? '');
    } else {
      problem(`unsupported content part type ${describe(type)}`);
    }
  }
  // Each text part is a block of its own, as a paragraph is.
  return texts.join('\n\n');
}
