// Claude's 2024 answers carry their artifacts and hidden reasoning inline in the text, as
// `<antArtifact identifier=… type=… language=… title=…>…</antArtifact>` and
// `<antThinking>…</antThinking>`; claude.ai rendered them as a card and hid the reasoning. This
// lifts them into typed parts and leaves a short reference where an artifact stood.
import type { Part } from '../canonical';

const ARTIFACT_OPEN = '<antArtifact';
const ARTIFACT_CLOSE = '</antArtifact>';
const THINKING_OPEN = '<antThinking>';
const THINKING_CLOSE = '</antThinking>';

/** The language an artifact's `type` implies when it names none (code artifacts carry `language`). */
const LANGUAGE_OF_TYPE: Record<string, string> = {
  'text/html': 'html',
  'image/svg+xml': 'svg',
  'text/markdown': 'markdown',
  'application/vnd.ant.mermaid': 'mermaid',
  'application/vnd.ant.react': 'jsx',
};

export type InlineExtraction = { text: string; parts: Part[] };

/** Attributes are a few short names; a bound keeps a stray `<antArtifact "` from scanning the rest of the text. */
const MAX_OPENING_TAG = 4_000;

/** Opening-tag attributes, with `>` inside quotes allowed (a title may hold one). */
function readAttributes(text: string, from: number): { attributes: Record<string, string>; end: number } | undefined {
  let quote: string | undefined;
  const limit = Math.min(text.length, from + MAX_OPENING_TAG);
  let index = from;
  for (; index < limit; index += 1) {
    const char = text[index];
    if (char === '<') return undefined;
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '>') {
      break;
    }
  }
  if (index >= limit) return undefined;
  const attributes: Record<string, string> = {};
  for (const match of text.slice(from, index).matchAll(/([A-Za-z_][\w-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    const name = match[1];
    if (name !== undefined && !Object.hasOwn(attributes, name)) attributes[name] = match[2] ?? match[3] ?? '';
  }
  return { attributes, end: index + 1 };
}

/** Body lines of a tag: Claude puts a newline after the opening tag and before the closing one. */
function trimBody(body: string): string {
  return body.replace(/^\r?\n/, '').replace(/\r?\n$/, '');
}

function artifactPart(attributes: Record<string, string>, body: string): Part {
  const part: Part = { type: 'code' };
  const artifactType = attributes.type;
  const language = attributes.language ?? (artifactType === undefined ? undefined : LANGUAGE_OF_TYPE[artifactType]);
  if (language !== undefined && language !== '') part.language = language;
  if (attributes.title !== undefined && attributes.title !== '') part.title = attributes.title;
  part.text = trimBody(body);
  const metadata: Record<string, string> = {};
  if (attributes.identifier !== undefined) metadata.identifier = attributes.identifier;
  if (artifactType !== undefined) metadata.artifactType = artifactType;
  if (Object.keys(metadata).length > 0) part.metadata = metadata;
  return part;
}

/**
 * Scans with indexOf rather than one regex so an unclosed tag costs one pass, not one per tag. An
 * artifact cut off by the end of the text (a truncated answer) still becomes a part, marked so.
 */
export function extractInlineTags(text: string): InlineExtraction {
  if (!text.includes(ARTIFACT_OPEN) && !text.includes(THINKING_OPEN)) return { text, parts: [] };
  const parts: Part[] = [];
  const pieces: string[] = [];
  let cursor = 0;
  while (cursor < text.length) {
    const artifactAt = text.indexOf(ARTIFACT_OPEN, cursor);
    const thinkingAt = text.indexOf(THINKING_OPEN, cursor);
    const next = [artifactAt, thinkingAt].filter((at) => at >= 0).sort((a, b) => a - b)[0];
    if (next === undefined) break;
    if (next === thinkingAt) {
      const bodyStart = next + THINKING_OPEN.length;
      const close = text.indexOf(THINKING_CLOSE, bodyStart);
      const body = text.slice(bodyStart, close < 0 ? text.length : close);
      pieces.push(text.slice(cursor, next));
      parts.push({ type: 'thinking', text: trimBody(body).trim() });
      cursor = close < 0 ? text.length : close + THINKING_CLOSE.length;
      continue;
    }
    // `<antArtifactX` or a tag that never closes its `>` is text, not an artifact.
    const boundary = text[next + ARTIFACT_OPEN.length] ?? '';
    const opening = /[\s>]/.test(boundary) ? readAttributes(text, next + ARTIFACT_OPEN.length) : undefined;
    if (opening === undefined) {
      pieces.push(text.slice(cursor, next + ARTIFACT_OPEN.length));
      cursor = next + ARTIFACT_OPEN.length;
      continue;
    }
    const close = text.indexOf(ARTIFACT_CLOSE, opening.end);
    const part = artifactPart(opening.attributes, text.slice(opening.end, close < 0 ? text.length : close));
    if (close < 0) part.metadata = { ...part.metadata, truncated: true };
    parts.push(part);
    pieces.push(text.slice(cursor, next), `[Artifact: ${part.title ?? opening.attributes.identifier ?? 'untitled'}]`);
    cursor = close < 0 ? text.length : close + ARTIFACT_CLOSE.length;
  }
  pieces.push(text.slice(cursor));
  if (parts.length === 0) return { text, parts };
  // Removing a block leaves the blank lines around it; keep at most one blank line, none at the ends.
  const cleaned = pieces.join('').replace(/\n{3,}/g, '\n\n').trim();
  return { text: cleaned, parts };
}
