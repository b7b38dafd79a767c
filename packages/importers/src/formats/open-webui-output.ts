// An Open WebUI assistant message holds more than its answer. Builds since late 2025 store the
// Responses-API-shaped `output[]` items the UI renders from (message, reasoning, function_call,
// function_call_output, open_webui:code_interpreter, …) and write `content` as the HTML they serialise
// to; older builds have only that HTML: `<details type="reasoning|tool_calls|code_interpreter">`
// blocks around the answer. Both become the answer text plus typed parts; what is not understood is
// named. 0.5 builds also kept code runs in `code_executions`.
import type { Part } from '../canonical';
import { decodeEntities } from '../html-to-text';
import {
  describe,
  field,
  idField,
  isRecord,
  numberField,
  parseJsonText,
  recordField,
  stringField,
  type JsonRecord,
  citationPart,
} from '../values';

export type AssistantBody = { text: string; parts: Part[]; problems: string[] };

const CODE_INTERPRETER = 'code_interpreter';

/** Which tool the Responses API's built-in call items stand for. */
const BUILT_IN_CALLS: Record<string, string> = {
  web_search_call: 'web_search',
  file_search_call: 'file_search',
  computer_call: 'computer',
  mcp_call: 'mcp',
  local_shell_call: 'local_shell',
  image_generation_call: 'image_generation',
};

/** Text of a list of `{ type, text }` parts (Responses content, summaries, tool output). */
function textOfParts(value: unknown): string {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return '';
  return value.map((part) => (isRecord(part) ? (stringField(part, 'text') ?? '') : '')).join('');
}

function withOptional(part: Part, fields: { id?: string | undefined; name?: string | undefined; language?: string | undefined }): Part {
  if (fields.id !== undefined && fields.id !== '') part.id = fields.id;
  if (fields.name !== undefined && fields.name !== '') part.name = fields.name;
  if (fields.language !== undefined && fields.language !== '') part.language = fields.language;
  return part;
}

/** A tool's arguments arrive as JSON text (sometimes as an object); keep the structure either way. */
function argumentsOf(value: unknown): unknown {
  return typeof value === 'string' ? parseJsonText(value) : value;
}

function statusMetadata(part: Part, item: JsonRecord): void {
  const status = stringField(item, 'status');
  if (status !== undefined && status !== 'completed') part.metadata = { ...part.metadata, status };
}

/** Files a tool returned (Open WebUI's `{ type, url }` list): images as image parts, the rest as attachments. */
function fileParts(value: unknown): Part[] {
  const parts: Part[] = [];
  for (const file of Array.isArray(value) ? value : []) {
    if (!isRecord(file)) continue;
    const url = stringField(file, 'url');
    const name = stringField(file, 'name');
    if (url === undefined && name === undefined) continue;
    // Code runs list their files without a type; the name says whether it is a picture.
    const type = stringField(file, 'type') ?? (/\.(png|jpe?g|gif|webp|svg)$/i.test(name ?? url ?? '') ? 'image' : '');
    const part: Part = { type: type === 'image' || type.startsWith('image/') ? 'image' : 'attachment' };
    if (name !== undefined) part.name = name;
    if (url !== undefined) part.url = url;
    parts.push(part);
  }
  return parts;
}

function codeInterpreterParts(code: string, language: string | undefined, output: unknown, id?: string, title?: string): Part[] {
  const call = withOptional({ type: 'tool_call' }, { id, name: CODE_INTERPRETER });
  if (title !== undefined && title !== '') call.title = title;
  withOptional(call, { language: language ?? 'python' });
  call.text = code;
  call.input = code;
  const parts = [call];
  if (output !== undefined && output !== null && output !== '') {
    const result = withOptional({ type: 'tool_result' }, { id, name: CODE_INTERPRETER });
    const text = isRecord(output)
      ? [stringField(output, 'stdout'), stringField(output, 'output'), stringField(output, 'result'), stringField(output, 'stderr'), stringField(output, 'error')].find(
          (s) => s !== undefined && s.trim() !== '',
        )
      : typeof output === 'string'
        ? output
        : undefined;
    if (text !== undefined) result.text = text.trim();
    result.output = output;
    parts.push(result);
  }
  return parts;
}

function citationParts(annotations: unknown): Part[] {
  const parts: Part[] = [];
  for (const annotation of Array.isArray(annotations) ? annotations : []) {
    if (!isRecord(annotation)) continue;
    const part = citationPart(annotation);
    if (part) parts.push(part);
  }
  return parts;
}

/** One `message` item: its text parts, with their URL citations. */
function messageItem(item: JsonRecord, label: string, body: AssistantBody, texts: string[]): void {
  const content = field(item, 'content');
  if (typeof content === 'string') {
    texts.push(content);
    return;
  }
  const pieces: string[] = [];
  for (const part of Array.isArray(content) ? content : []) {
    if (!isRecord(part)) continue;
    const type = stringField(part, 'type');
    const text = stringField(part, 'text') ?? (type === 'refusal' ? stringField(part, 'refusal') : undefined);
    if (text !== undefined) {
      pieces.push(text);
      body.parts.push(...citationParts(field(part, 'annotations')));
    } else {
      body.problems.push(`${label} has a content part of unsupported type ${describe(type)}`);
    }
  }
  const joined = pieces.join('');
  if (joined.trim() !== '') texts.push(joined);
}

function reasoningItem(item: JsonRecord): Part | undefined {
  const summary = textOfParts(field(item, 'summary')).trim();
  const content = textOfParts(field(item, 'content')).trim();
  const encrypted = typeof field(item, 'encrypted_content') === 'string';
  if (summary === '' && content === '' && !encrypted) return undefined;
  // Open WebUI shows the summary when there is one; the full text, when kept too, is the thinking itself.
  const part: Part = { type: 'thinking', text: content !== '' ? content : summary };
  const metadata: JsonRecord = {};
  if (content !== '' && summary !== '') metadata.summary = summary;
  const duration = numberField(item, 'duration');
  if (duration !== undefined) metadata.duration = duration;
  if (encrypted) metadata.encrypted = true;
  if (Object.keys(metadata).length > 0) part.metadata = metadata;
  return part;
}

function toolResultItem(item: JsonRecord, name: string | undefined): Part[] {
  const output = field(item, 'output');
  const result = withOptional({ type: 'tool_result' }, { id: idField(item, 'call_id'), name });
  const images: Part[] = [];
  for (const piece of Array.isArray(output) ? output : []) {
    if (!isRecord(piece)) continue;
    const url = stringField(piece, 'image_url');
    if (stringField(piece, 'type') === 'input_image' && url !== undefined) images.push({ type: 'image', url });
  }
  const text = textOfParts(output);
  if (text !== '') result.text = text;
  result.output = Array.isArray(output) ? parseJsonText(text) : typeof output === 'string' ? parseJsonText(output) : output;
  statusMetadata(result, item);
  const embeds = field(item, 'embeds');
  if ((typeof embeds === 'string' && embeds !== '') || (Array.isArray(embeds) && embeds.length > 0)) result.metadata = { ...result.metadata, embeds };
  return [result, ...images, ...fileParts(field(item, 'files'))];
}

/** The answer and parts of an `output[]` list, in the order the UI showed them. */
export function readOutputItems(items: unknown[]): AssistantBody {
  const body: AssistantBody = { text: '', parts: [], problems: [] };
  const texts: string[] = [];
  const callNames = new Map<string, string>();
  for (const item of items) {
    if (isRecord(item) && stringField(item, 'type')?.endsWith('call') === true) {
      const id = idField(item, 'call_id');
      const name = stringField(item, 'name');
      if (id !== undefined && name !== undefined) callNames.set(id, name);
    }
  }
  items.forEach((item, index) => {
    const label = `output item #${index + 1}`;
    if (!isRecord(item)) {
      body.problems.push(`${label} is ${describe(item)}, not an object`);
      return;
    }
    const type = stringField(item, 'type') ?? '';
    if (type === 'message') {
      messageItem(item, label, body, texts);
    } else if (type === 'reasoning') {
      const part = reasoningItem(item);
      if (part !== undefined) body.parts.push(part);
    } else if (type === 'function_call' || type === 'custom_tool_call') {
      const call = withOptional({ type: 'tool_call' }, { id: idField(item, 'call_id') ?? idField(item, 'id'), name: stringField(item, 'name') });
      call.input = argumentsOf(field(item, type === 'function_call' ? 'arguments' : 'input'));
      statusMetadata(call, item);
      body.parts.push(call);
    } else if (type === 'function_call_output' || type === 'custom_tool_call_output') {
      body.parts.push(...toolResultItem(item, callNames.get(idField(item, 'call_id') ?? '')));
    } else if (type === 'open_webui:code_interpreter') {
      const code = stringField(item, 'code') ?? '';
      body.parts.push(...codeInterpreterParts(code.trim(), stringField(item, 'lang'), field(item, 'output'), idField(item, 'id')));
    } else if (Object.hasOwn(BUILT_IN_CALLS, type)) {
      const call = withOptional({ type: 'tool_call' }, { id: idField(item, 'id'), name: stringField(item, 'name') ?? BUILT_IN_CALLS[type] });
      const input = field(item, 'action') ?? field(item, 'actions') ?? field(item, 'queries') ?? field(item, 'arguments') ?? field(item, 'revised_prompt');
      if (input !== undefined) call.input = argumentsOf(input);
      statusMetadata(call, item);
      body.parts.push(call);
      const output = field(item, 'output') ?? field(item, 'results') ?? field(item, 'error');
      if (output !== undefined && output !== null && type !== 'image_generation_call') {
        body.parts.push(withOptional({ type: 'tool_result', output }, { id: idField(item, 'id'), name: call.name }));
      } else if (type === 'image_generation_call' && typeof field(item, 'result') === 'string') {
        body.problems.push(`${label} is a generated image whose bytes (base64 in the export) were not kept`);
      }
    } else {
      // An item type added after this importer: keep any text it carries, and say what it was.
      const text = textOfParts(field(item, 'content')) || (stringField(item, 'text') ?? '');
      if (text.trim() !== '') texts.push(text);
      body.problems.push(`${label} has an unsupported type ${describe(type)}${text.trim() !== '' ? '; its text was kept' : ''}`);
    }
  });
  body.text = texts.join('\n\n').trim();
  return body;
}

// --- The HTML `content` of builds without `output[]` -------------------------------------------

const DETAILS_OPEN = /<details\s+type="(reasoning|tool_calls|code_interpreter)"([^>]*)>/g;
const DETAILS_CLOSE = '</details>';

function attributesOf(raw: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of raw.matchAll(/([a-z_]+)="([^"]*)"/g)) {
    const name = match[1];
    if (name !== undefined && !Object.hasOwn(attributes, name)) attributes[name] = decodeEntities(match[2] ?? '');
  }
  return attributes;
}

/** Attribute values are JSON (`json.dumps` then HTML-escaped); a value that is not stays text. */
function jsonAttribute(value: string | undefined): unknown {
  if (value === undefined || value === '') return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function innerText(block: string): string {
  const summaryEnd = block.indexOf('</summary>');
  return summaryEnd < 0 ? block : block.slice(summaryEnd + '</summary>'.length);
}

function durationOf(attributes: Record<string, string>): JsonRecord | undefined {
  const duration = Number(attributes.duration);
  return attributes.duration !== undefined && Number.isFinite(duration) ? { duration } : undefined;
}

function reasoningBlock(attributes: Record<string, string>, inner: string): Part {
  // Open WebUI quotes every line with "> " for display.
  const text = decodeEntities(inner)
    .split('\n')
    .map((line) => line.replace(/^> ?/, ''))
    .join('\n')
    .trim();
  const part: Part = { type: 'thinking', text };
  const duration = durationOf(attributes);
  if (duration !== undefined) part.metadata = duration;
  return part;
}

function toolCallsBlock(attributes: Record<string, string>): Part[] {
  // 0.6 and later: one call per block, `arguments` and `result` JSON-encoded strings.
  if (attributes.name !== undefined || attributes.id !== undefined) {
    const id = attributes.id;
    const name = attributes.name;
    const call = withOptional({ type: 'tool_call' }, { id, name });
    const args = jsonAttribute(attributes.arguments);
    if (args !== undefined) call.input = argumentsOf(args);
    if (attributes.done === 'false') call.metadata = { status: 'in_progress' };
    const parts = [call];
    const result = jsonAttribute(attributes.result);
    if (result !== undefined) {
      const part = withOptional({ type: 'tool_result' }, { id, name });
      if (typeof result === 'string') part.text = result;
      part.output = argumentsOf(result);
      parts.push(part);
    }
    parts.push(...fileParts(jsonAttribute(attributes.files)));
    return parts;
  }
  // 0.5: the whole call list in `content`, the results in `results`.
  const parts: Part[] = [];
  const calls = jsonAttribute(attributes.content);
  const results = jsonAttribute(attributes.results);
  const names = new Map<string, string>();
  for (const call of Array.isArray(calls) ? calls : []) {
    if (!isRecord(call)) continue;
    const fn = recordField(call, 'function') ?? {};
    const id = idField(call, 'id');
    const name = stringField(fn, 'name');
    if (id !== undefined && name !== undefined) names.set(id, name);
    const part = withOptional({ type: 'tool_call' }, { id, name });
    const args = field(fn, 'arguments');
    if (args !== undefined) part.input = argumentsOf(args);
    parts.push(part);
  }
  for (const result of Array.isArray(results) ? results : []) {
    if (!isRecord(result)) continue;
    const id = idField(result, 'tool_call_id');
    const output = field(result, 'content');
    const part = withOptional({ type: 'tool_result' }, { id, name: names.get(id ?? '') });
    if (typeof output === 'string') part.text = output;
    part.output = argumentsOf(output);
    parts.push(part);
  }
  return parts;
}

function codeInterpreterBlock(attributes: Record<string, string>, inner: string): Part[] {
  const fence = /```([\w+-]*)\n([\s\S]*?)\n?```/.exec(inner);
  const code = fence?.[2] ?? decodeEntities(inner).trim();
  return codeInterpreterParts(code, fence?.[1] || undefined, jsonAttribute(attributes.output));
}

/**
 * Lifts Open WebUI's own `<details>` blocks out of a message's HTML. Other `<details>` (a person may
 * write one in Markdown) stay in the text.
 */
export function readDetailsBlocks(content: string): AssistantBody {
  const body: AssistantBody = { text: content, parts: [], problems: [] };
  if (!content.includes('<details')) return body;
  const pieces: string[] = [];
  let cursor = 0;
  DETAILS_OPEN.lastIndex = 0;
  for (let match = DETAILS_OPEN.exec(content); match !== null; match = DETAILS_OPEN.exec(content)) {
    if (match.index < cursor) continue;
    const close = content.indexOf(DETAILS_CLOSE, match.index + match[0].length);
    const end = close < 0 ? content.length : close;
    const inner = innerText(content.slice(match.index + match[0].length, end));
    const attributes = attributesOf(match[2] ?? '');
    const type = match[1];
    if (type === 'reasoning') body.parts.push(reasoningBlock(attributes, inner));
    else if (type === 'tool_calls') body.parts.push(...toolCallsBlock(attributes));
    else body.parts.push(...codeInterpreterBlock(attributes, inner));
    pieces.push(content.slice(cursor, match.index));
    cursor = close < 0 ? content.length : close + DETAILS_CLOSE.length;
    DETAILS_OPEN.lastIndex = cursor;
  }
  pieces.push(content.slice(cursor));
  if (body.parts.length > 0) body.text = pieces.join('').replace(/\n{3,}/g, '\n\n').trim();
  return body;
}

/** 0.5 builds kept each code run beside the message: `{ id, name, code, language, result: { output, error, files } }`. */
export function codeExecutionParts(value: unknown): Part[] {
  const parts: Part[] = [];
  for (const execution of Array.isArray(value) ? value : []) {
    if (!isRecord(execution)) continue;
    const result = recordField(execution, 'result');
    parts.push(
      ...codeInterpreterParts(
        stringField(execution, 'code') ?? '',
        stringField(execution, 'language'),
        result,
        idField(execution, 'id'),
        stringField(execution, 'name'),
      ),
    );
    if (result !== undefined) parts.push(...fileParts(field(result, 'files')));
  }
  return parts;
}
