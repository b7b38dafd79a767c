// One ChatGPT mapping node's message -> a canonical message, or the reason it is not one.
// ChatGPT keeps every tool round-trip in the tree; only what the person saw becomes a message.
import type { Message, Part, Role } from '../canonical';
import {
  arrayField,
  describe,
  field,
  isRecord,
  mapRole,
  numberField,
  parseJsonText,
  recordField,
  stringField,
  toIso,
  type JsonRecord,
} from '../values';
import { resolveCitations } from './chatgpt-citations';

export type SkipReason = 'hidden' | 'empty' | 'toolInternal' | 'customInstructions' | 'memory';

export type NodeOutcome =
  /** `problems` name parts of the message that could not be taken (the rest of it was). */
  | { kind: 'message'; message: Message; problems: string[] }
  | { kind: 'skip'; reason: SkipReason; customInstructions?: JsonRecord }
  | { kind: 'problem'; reason: string };

/** Tools whose calls and answers the ChatGPT UI does not show as turns (memory, search queries). */
const INTERNAL_RECIPIENTS = new Set(['bio', 'web.run', 'browser', 'web', 'web.search', 'search', 'file_search', 'myfiles_browser']);
const INTERNAL_TOOL_AUTHORS = new Set(['bio']);

type Body = { role?: Role; content: string; parts: Part[]; problems: string[]; metadata: JsonRecord };

export function convertChatGPTMessage(message: JsonRecord, defaultModel: string | undefined): NodeOutcome {
  const id = stringField(message, 'id');
  const label = id === undefined ? 'a message' : `message ${id}`;
  const author = recordField(message, 'author') ?? {};
  const content = recordField(message, 'content');
  const meta = recordField(message, 'metadata') ?? {};
  const contentType = content === undefined ? undefined : stringField(content, 'content_type');
  const recipient = stringField(message, 'recipient') ?? 'all';
  const authorName = stringField(author, 'name');

  if ((contentType === 'user_editable_context' && content !== undefined) || field(meta, 'is_user_system_message') === true) {
    return { kind: 'skip', reason: 'customInstructions', customInstructions: customInstructionsOf(content, meta) };
  }
  if (contentType === 'model_editable_context') return { kind: 'skip', reason: 'memory' };
  if (field(meta, 'is_visually_hidden_from_conversation') === true) return { kind: 'skip', reason: 'hidden' };

  const role = mapRole(field(author, 'role'));
  if (role === undefined) {
    return { kind: 'problem', reason: `${label} has an unknown author role ${describe(field(author, 'role'))}` };
  }
  if (role === 'assistant' && recipient !== 'all' && INTERNAL_RECIPIENTS.has(recipient)) {
    return { kind: 'skip', reason: 'toolInternal' };
  }
  if (role === 'tool' && authorName !== undefined && INTERNAL_TOOL_AUTHORS.has(authorName)) {
    return { kind: 'skip', reason: 'toolInternal' };
  }
  if (content === undefined) return { kind: 'problem', reason: `${label} has no content` };

  const body = convertContent(content, contentType, recipient, authorName, meta);
  if (body.problems.length > 0 && body.content === '' && body.parts.length === 0) {
    return { kind: 'problem', reason: `${label}: ${body.problems.join('; ')}` };
  }
  const cited = resolveCitations(body.content, meta);
  body.content = cited.text;
  if (cited.unresolved > 0) body.metadata.unresolvedCitations = cited.unresolved;
  body.parts.push(...cited.parts, ...attachmentParts(meta));
  if (body.content.trim() === '' && body.parts.length === 0) {
    return { kind: 'skip', reason: role === 'system' ? 'hidden' : 'empty' };
  }

  const result: Message = { role: body.role ?? role, content: body.content };
  if (id !== undefined) result.id = id;
  const createdAt = toIso(field(message, 'create_time'));
  if (createdAt !== null) result.createdAt = createdAt;
  const model = stringField(meta, 'model_slug') ?? (role === 'assistant' ? defaultModel : undefined);
  if (model !== undefined) result.model = model;
  if (authorName !== undefined && role !== 'user') result.name = authorName;
  if (body.parts.length > 0) result.parts = body.parts;
  const metadata = messageMetadata(message, contentType, recipient, body);
  if (Object.keys(metadata).length > 0) result.metadata = metadata;
  return { kind: 'message', message: result, problems: body.problems.map((p) => `${label}: ${p}`) };
}

/** Custom instructions arrive as `user_editable_context` content (newer) or a flagged system message (older). */
function customInstructionsOf(content: JsonRecord | undefined, meta: JsonRecord): JsonRecord {
  const result: JsonRecord = {};
  const data = recordField(meta, 'user_context_message_data') ?? {};
  const fields: Array<[JsonRecord, string, string]> = [
    [content ?? {}, 'user_profile', 'userProfile'],
    [content ?? {}, 'user_instructions', 'userInstructions'],
    [data, 'about_user_message', 'aboutUser'],
    [data, 'about_model_message', 'aboutModel'],
  ];
  for (const [source, from, to] of fields) {
    const value = stringField(source, from);
    if (value !== undefined) result[to] = value;
  }
  if (Object.keys(result).length === 0) result.text = textOf(content);
  return result;
}

function messageMetadata(message: JsonRecord, contentType: string | undefined, recipient: string, body: Body): JsonRecord {
  const metadata: JsonRecord = { ...body.metadata };
  if (contentType !== undefined && contentType !== 'text') metadata.contentType = contentType;
  if (recipient !== 'all') metadata.recipient = recipient;
  const status = stringField(message, 'status');
  if (status !== undefined && status !== 'finished_successfully') metadata.status = status;
  const weight = numberField(message, 'weight');
  if (weight !== undefined && weight !== 1) metadata.weight = weight;
  return metadata;
}

function textOf(content: JsonRecord | undefined): string {
  if (content === undefined) return '';
  const parts = arrayField(content, 'parts');
  if (parts !== undefined) return parts.filter((p): p is string => typeof p === 'string').join('\n');
  return stringField(content, 'text') ?? stringField(content, 'result') ?? stringField(content, 'content') ?? '';
}

function convertContent(
  content: JsonRecord,
  contentType: string | undefined,
  recipient: string,
  authorName: string | undefined,
  meta: JsonRecord,
): Body {
  const body: Body = { content: '', parts: [], problems: [], metadata: {} };
  switch (contentType) {
    case 'text':
    case 'multimodal_text':
      multimodal(arrayField(content, 'parts') ?? [], body);
      return body;
    case 'code': {
      const text = stringField(content, 'text') ?? '';
      const language = stringField(content, 'language');
      const part: Part = recipient === 'all' ? { type: 'code', text } : { type: 'tool_call', name: recipient, text, input: parseJsonText(text) };
      if (language !== undefined && language !== 'unknown') part.language = language;
      body.content = text;
      body.parts.push(part);
      return body;
    }
    case 'execution_output': {
      const text = stringField(content, 'text') ?? '';
      body.role = 'tool';
      body.content = text;
      body.parts.push(withName({ type: 'tool_result', text, output: text }, authorName));
      body.parts.push(...executionImages(meta));
      return body;
    }
    case 'thoughts':
      for (const thought of arrayField(content, 'thoughts') ?? []) {
        if (!isRecord(thought)) continue;
        const part: Part = { type: 'thinking', text: stringField(thought, 'content') ?? '' };
        const summary = stringField(thought, 'summary');
        if (summary !== undefined) part.title = summary;
        body.parts.push(part);
      }
      return body;
    case 'reasoning_recap': {
      const recap = stringField(content, 'content');
      if (recap !== undefined && recap !== '') body.parts.push({ type: 'thinking', text: recap, metadata: { recap: true } });
      return body;
    }
    case 'tether_quote':
    case 'sonic_webpage': {
      const text = stringField(content, 'text') ?? stringField(content, 'snippet') ?? '';
      body.content = text;
      body.parts.push(citation(content, contentType === 'sonic_webpage' ? stringField(content, 'snippet') : text));
      return body;
    }
    case 'tether_browsing_display': {
      const result = stringField(content, 'result') ?? '';
      const summary = stringField(content, 'summary');
      body.content = result;
      if (result !== '' || (summary !== undefined && summary !== '')) {
        const part = withName({ type: 'tool_result', output: result }, authorName);
        if (summary !== undefined && summary !== '') part.text = summary;
        body.parts.push(part);
      }
      return body;
    }
    case 'computer_output': {
      // Operator / agent mode: a screenshot of the browser the model drives, and where it was.
      const screenshot = recordField(content, 'screenshot');
      if (screenshot !== undefined && stringField(screenshot, 'asset_pointer') !== undefined) body.parts.push(imagePart(screenshot));
      const state = recordField(content, 'state');
      const url = state === undefined ? undefined : stringField(state, 'url');
      if (url !== undefined) body.metadata.pageUrl = url;
      const pageTitle = state === undefined ? undefined : stringField(state, 'title');
      if (pageTitle !== undefined) body.metadata.pageTitle = pageTitle;
      return body;
    }
    case 'system_error': {
      const text = stringField(content, 'text') ?? '';
      const name = stringField(content, 'name');
      body.content = text;
      body.metadata.error = name ?? true;
      body.parts.push(withName({ type: 'tool_result', text, metadata: { error: name ?? true } }, authorName));
      return body;
    }
    default: {
      // A content type this importer does not know yet: keep whatever text it has, and say so.
      const text = textOf(content);
      if (text === '') body.problems.push(`unsupported content type ${describe(contentType)} with no text`);
      body.content = text;
      return body;
    }
  }
}

function withName(part: Part, name: string | undefined): Part {
  if (name !== undefined) part.name = name;
  return part;
}

function multimodal(items: unknown[], body: Body): void {
  const texts: string[] = [];
  for (const item of items) {
    if (typeof item === 'string') {
      texts.push(item);
      continue;
    }
    if (!isRecord(item)) {
      if (item !== null) body.problems.push(`unsupported part ${describe(item)}`);
      continue;
    }
    const type = stringField(item, 'content_type');
    if (type === 'audio_transcription') {
      texts.push(stringField(item, 'text') ?? '');
    } else if (type === 'image_asset_pointer') {
      body.parts.push(imagePart(item));
    } else if (type === 'real_time_user_audio_video_asset_pointer') {
      for (const key of ['audio_asset_pointer', 'video_container_asset_pointer']) {
        const pointer = recordField(item, key);
        if (pointer !== undefined) body.parts.push(assetAttachment(pointer));
      }
      // Video calls keep the frames the model saw as images.
      for (const frame of arrayField(item, 'frames_asset_pointers') ?? []) {
        if (isRecord(frame) && stringField(frame, 'asset_pointer') !== undefined) body.parts.push(imagePart(frame));
      }
    } else if (stringField(item, 'asset_pointer') !== undefined) {
      body.parts.push(assetAttachment(item));
    } else if (stringField(item, 'text') !== undefined) {
      texts.push(stringField(item, 'text') ?? '');
    } else {
      body.problems.push(`unsupported part ${describe(type ?? item)}`);
    }
  }
  body.content = texts.join('\n');
}

function imagePart(item: JsonRecord): Part {
  const part: Part = { type: 'image' };
  const url = stringField(item, 'asset_pointer');
  if (url !== undefined) part.url = url;
  const size = numberField(item, 'size_bytes');
  if (size !== undefined) part.size = size;
  const metadata: JsonRecord = {};
  for (const key of ['width', 'height'] as const) {
    const value = numberField(item, key);
    if (value !== undefined) metadata[key] = value;
  }
  const dalle = recordField(recordField(item, 'metadata') ?? {}, 'dalle');
  if (dalle !== undefined) metadata.dalle = dalle;
  if (Object.keys(metadata).length > 0) part.metadata = metadata;
  return part;
}

function assetAttachment(item: JsonRecord): Part {
  const part: Part = { type: 'attachment' };
  const url = stringField(item, 'asset_pointer');
  if (url !== undefined) part.url = url;
  const size = numberField(item, 'size_bytes');
  if (size !== undefined) part.size = size;
  const format = stringField(item, 'format');
  const type = stringField(item, 'content_type') ?? '';
  if (format !== undefined) part.mimeType = `${type.startsWith('video') ? 'video' : 'audio'}/${format}`;
  return part;
}

function executionImages(meta: JsonRecord): Part[] {
  const aggregate = recordField(meta, 'aggregate_result');
  const messages = aggregate === undefined ? [] : (arrayField(aggregate, 'messages') ?? []);
  const parts: Part[] = [];
  for (const item of messages) {
    if (!isRecord(item) || stringField(item, 'message_type') !== 'image') continue;
    const url = stringField(item, 'image_url');
    parts.push(url === undefined ? { type: 'image' } : { type: 'image', url });
  }
  return parts;
}

function citation(source: JsonRecord, text: string | undefined): Part {
  const part: Part = { type: 'citation' };
  const url = stringField(source, 'url');
  const title = stringField(source, 'title');
  const domain = stringField(source, 'domain');
  if (url !== undefined) part.url = url;
  if (title !== undefined) part.title = title;
  if (text !== undefined && text !== '') part.text = text;
  if (domain !== undefined) part.metadata = { domain };
  return part;
}

function attachmentParts(meta: JsonRecord): Part[] {
  const parts: Part[] = [];
  for (const item of arrayField(meta, 'attachments') ?? []) {
    if (!isRecord(item)) continue;
    const part: Part = { type: 'attachment' };
    const id = stringField(item, 'id');
    const name = stringField(item, 'name');
    const size = numberField(item, 'size');
    const mimeType = stringField(item, 'mimeType') ?? stringField(item, 'mime_type');
    if (id !== undefined) part.id = id;
    if (name !== undefined) part.name = name;
    if (size !== undefined) part.size = size;
    if (mimeType !== undefined) part.mimeType = mimeType;
    parts.push(part);
  }
  return parts;
}
