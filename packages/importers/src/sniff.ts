// Decides the format of one file from the first bytes of its content, never from its name.
import { IMPORT_FORMAT_LABELS, type ImportFormat } from './canonical';
import { looksLikeTranscript } from './formats/markdown';
import { jsonShape, type JsonShape } from './io/json-shape';

export const HEAD_BYTES = 64 * 1024;

export type Layout = 'json' | 'jsonl' | 'text';
export type Sniffed = { format: ImportFormat; layout: Layout } | { format: null; why: string };

function jsonFormat(shape: JsonShape): ImportFormat | null {
  const has = (path: string) => shape.paths.has(path);
  const strings = (path: string) => shape.strings.get(path) ?? [];
  // Rules are written for the elements of a top-level list; a single top-level object is the same
  // thing without the `[].` prefix.
  const p = shape.root === 'array' ? '[].' : '';
  if (shape.root === 'object' && strings('format').includes('chatsynth')) return 'chatsynth';
  if (has(`${p}mapping`) || has(`${p}current_node`)) return 'chatgpt';
  if (has(`${p}chat_messages`) || (has(`${p}uuid`) && has(`${p}name`) && has(`${p}account`))) return 'claude';
  // Takeout translates headers and product names ("Gemini アプリ", "Gemini-Apps") but not the brand or the address.
  const google = [...strings(`${p}header`), ...strings(`${p}products[]`), ...strings(`${p}activityControls[]`)];
  const urls = [...strings(`${p}titleUrl`), ...strings(`${p}details[].url`), ...strings(`${p}details[].name`)];
  const gemini = google.some((s) => /\b(Gemini|Bard)\b/.test(s)) || urls.some((s) => /^https?:\/\/(gemini|bard)\.google\.com\//i.test(s));
  if (gemini && (has(`${p}time`) || has(`${p}safeHtmlItem`))) return 'gemini';
  if (has(`${p}chat.history`) || has(`${p}chat.messages`) || has(`${p}history.messages`) || has(`${p}history.currentId`)) return 'openwebui';
  if (has(`${p}conversationId`) && (has(`${p}messages`) || has(`${p}messagesTree`) || has(`${p}endpoint`))) return 'librechat';
  if (has(`${p}messages[].role`) || has(`${p}messages[].content`)) return 'openai';
  if (shape.root === 'array' && has('[].role') && has('[].content')) return 'openai';
  return null;
}

function describeShape(shape: JsonShape): string {
  const prefix = shape.root === 'array' ? '[].' : '';
  const keys = [...shape.paths]
    .filter((path) => path.startsWith(prefix) && !/[.[]/.test(path.slice(prefix.length)))
    .map((path) => path.slice(prefix.length))
    .slice(0, 8);
  if (keys.length === 0) return shape.root === 'array' ? 'it is JSON holding an empty or unrecognised list' : 'it is JSON of an unrecognised shape';
  return `it is JSON, but its fields (${keys.join(', ')}) match no supported export`;
}

function decodeText(head: Buffer): string | undefined {
  if (head.includes(0)) return undefined;
  try {
    // `stream: true` lets the head end in the middle of a multi-byte character.
    return new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    return undefined;
  }
}

export function sniffBytes(head: Buffer): Sniffed {
  if (head.length === 0) return { format: null, why: 'the file is empty' };
  const text = decodeText(head);
  if (text === undefined) return { format: null, why: 'it is binary data, not JSON or text' };
  const start = text.replace(/^\uFEFF/, '').trimStart();
  let shape: JsonShape | undefined;
  if (start.startsWith('{') || start.startsWith('[')) {
    shape = jsonShape(head);
    const format = jsonFormat(shape);
    if (format !== null) return { format, layout: shape.layout };
  }
  if (looksLikeTranscript(text)) return { format: 'markdown', layout: 'text' };
  if (shape !== undefined) return { format: null, why: describeShape(shape) };
  return { format: null, why: 'it is text without chat turns (no "## User" / "## Assistant" headings, "**You:**" prefixes or "User:" / "Assistant:" lines)' };
}

export function unknownFormatMessage(what: string, why: string): string {
  const formats = Object.values(IMPORT_FORMAT_LABELS).join(', ');
  return `${what} is not an export ChatSynth can import: ${why}. Supported: ${formats} (a .zip or the JSON inside it).`;
}
