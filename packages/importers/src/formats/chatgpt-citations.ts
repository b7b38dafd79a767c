// ChatGPT writes where a source is cited into the answer's text as markers the UI swaps for links:
// `【8†source】` / `【4:0†file.pdf】` (browsing and file search, explained by `metadata.citations`) and,
// since 2025, private-use characters `\ue200cite\ue202turn0search1\ue201` (explained by
// `metadata.content_references`, which also carries entities, image carousels and a footnote list).
// Read raw, they are noise in the text and the sources are lost. Here every cited source becomes a
// citation part numbered in the order it is first cited, and each marker becomes `[n]` (or the
// entity's name, or nothing for an image carousel, whose images become image parts).
import type { Part } from '../canonical';
import { arrayField, field, isRecord, numberField, recordField, stringField, toIso, type JsonRecord } from '../values';

export type CitedText = {
  text: string;
  parts: Part[];
  /** Markers nothing in the message explains; they were removed from the text. */
  unresolved: number;
};

type Replacement = { start: number; end: number; text: string };

const OLD_MARKER = /^【[^】\n]{1,200}】$/;
const ANY_OLD_MARKER = /【\d+(?::\d+)?†[^】\n]{0,200}】/g;
/** `\ue200kind\ue202arg\ue202arg\ue201`; \ue203, \ue204 and \ue206 only bracket the cited words. */
const ANY_PRIVATE_MARKER = /\ue200([^\ue200-\ue206]*)((?:\ue202[^\ue200-\ue206]*)*)\ue201/g;
const SPAN_MARKS = /[\ue203\ue204\ue206]/g;
const IMAGE_REFERENCES = new Set(['image_v2', 'image_group', 'image_inline', 'images']);

class Sources {
  readonly parts: Part[] = [];
  private readonly refs = new Map<string, number>();
  private next = 1;

  /** The citation's number; a source cited again (same URL) keeps its first number. */
  cite(source: JsonRecord, extra: JsonRecord = {}): number | undefined {
    const url = stringField(source, 'url');
    const title = stringField(source, 'title') ?? stringField(source, 'name') ?? stringField(source, 'attribution');
    if (url === undefined && title === undefined) return undefined;
    const known = url === undefined ? undefined : this.refs.get(url);
    if (known !== undefined) return known;
    const ref = this.next;
    this.next += 1;
    if (url !== undefined) this.refs.set(url, ref);
    const part: Part = { type: 'citation' };
    if (url !== undefined) part.url = url;
    if (title !== undefined) part.title = title;
    const quote = stringField(source, 'snippet') ?? stringField(source, 'text');
    if (quote !== undefined && quote !== '') part.text = quote;
    const metadata: JsonRecord = { ref };
    const attribution = stringField(source, 'attribution');
    if (attribution !== undefined) metadata.attribution = attribution;
    const pubDate = toIso(field(source, 'pub_date'));
    if (pubDate !== null) metadata.pubDate = pubDate;
    const fileId = stringField(source, 'type') === 'file' ? stringField(source, 'id') : undefined;
    if (fileId !== undefined) metadata.fileId = fileId;
    part.metadata = { ...metadata, ...extra };
    this.parts.push(part);
    return ref;
  }

  /** A quoted span (`start_ix`/`end_ix` over words, not a marker): a citation without a number. */
  span(source: JsonRecord): Part | undefined {
    const url = stringField(source, 'url');
    const title = stringField(source, 'title') ?? stringField(source, 'name');
    if (url === undefined && title === undefined) return undefined;
    const part: Part = { type: 'citation' };
    if (url !== undefined) part.url = url;
    if (title !== undefined) part.title = title;
    const text = stringField(source, 'text');
    if (text !== undefined && text !== '') part.text = text;
    const domain = stringField(source, 'domain');
    if (domain !== undefined) part.metadata = { domain };
    this.parts.push(part);
    return part;
  }

  image(image: JsonRecord): void {
    const url = stringField(image, 'content_url') ?? stringField(image, 'url');
    if (url === undefined) return;
    const part: Part = { type: 'image', url };
    const title = stringField(image, 'title');
    if (title !== undefined) part.title = title;
    const metadata: JsonRecord = {};
    const page = stringField(image, 'url');
    if (page !== undefined && page !== url) metadata.page = page;
    const attribution = stringField(image, 'attribution');
    if (attribution !== undefined) metadata.attribution = attribution;
    const size = recordField(image, 'content_size');
    for (const key of ['width', 'height'] as const) {
      const value = size === undefined ? undefined : numberField(size, key);
      if (value !== undefined) metadata[key] = value;
    }
    if (Object.keys(metadata).length > 0) part.metadata = metadata;
    this.parts.push(part);
  }
}

/** Where a marker sits: at its recorded offsets if they hold it, else its first unclaimed occurrence. */
function locate(text: string, marker: string, start: number | undefined, end: number | undefined, claimed: Replacement[]): number | undefined {
  const free = (at: number) => !claimed.some((r) => at < r.end && at + marker.length > r.start);
  if (start !== undefined && end !== undefined && end - start === marker.length && text.startsWith(marker, start) && free(start)) return start;
  // Offsets count code points (the exporter is Python); after an emoji they are off, so search.
  for (let at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + 1)) {
    if (free(at)) return at;
  }
  return undefined;
}

/** `[Acme Kettle]()` or `([visitBerlin](https://…))` as plain words. */
function plainAlt(alt: string): string {
  return alt.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').trim();
}

/** `\ue200entity\ue202["museum","Neues Museum","…"]\ue201`: the entity's name is its second field. */
function entityName(marker: string): string | undefined {
  const json = /\ue202(\[[\s\S]*\])\ue201$/.exec(marker)?.[1];
  if (json === undefined) return undefined;
  try {
    const fields = JSON.parse(json) as unknown;
    return Array.isArray(fields) && typeof fields[1] === 'string' ? fields[1] : undefined;
  } catch {
    return undefined;
  }
}

function referenceReplacement(reference: JsonRecord, marker: string, sources: Sources): string {
  const type = stringField(reference, 'type') ?? '';
  if (IMAGE_REFERENCES.has(type) || Array.isArray(field(reference, 'images'))) {
    for (const image of arrayField(reference, 'images') ?? []) if (isRecord(image)) sources.image(image);
    return '';
  }
  const items = [...(arrayField(reference, 'items') ?? []), ...(arrayField(reference, 'sources') ?? [])].filter(isRecord);
  if (items.length === 0 && stringField(reference, 'url') !== undefined) items.push(reference);
  const refs: number[] = [];
  for (const item of items) {
    const ref = sources.cite(item);
    if (ref !== undefined && !refs.includes(ref)) refs.push(ref);
    for (const supporting of arrayField(item, 'supporting_websites') ?? []) {
      const extra = isRecord(supporting) ? sources.cite(supporting, { supporting: true }) : undefined;
      if (extra !== undefined && !refs.includes(extra)) refs.push(extra);
    }
  }
  if (refs.length > 0) return refs.map((ref) => `[${ref}]`).join('');
  const alt = stringField(reference, 'alt');
  if (alt !== undefined && plainAlt(alt) !== '') return plainAlt(alt);
  return stringField(reference, 'name') ?? entityName(marker) ?? '';
}

/**
 * Applies replacements right to left; a removal also takes the space before it when nothing but the
 * end of a line follows, so "…Nefertiti. \ue200i…\ue201" ends at the full stop.
 */
function applyReplacements(text: string, replacements: Replacement[]): string {
  let result = text;
  for (const r of [...replacements].sort((a, b) => b.start - a.start)) {
    let start = r.start;
    const after = result.slice(r.end);
    if (r.text === '' && (after === '' || after.startsWith('\n'))) while (start > 0 && result[start - 1] === ' ') start -= 1;
    result = result.slice(0, start) + r.text + after;
  }
  return result;
}

export function resolveCitations(text: string, meta: JsonRecord): CitedText {
  const sources = new Sources();
  const replacements: Replacement[] = [];
  const spans: Array<{ part: Part; start: number; end: number }> = [];

  for (const reference of arrayField(meta, 'content_references') ?? []) {
    if (!isRecord(reference)) continue;
    const marker = stringField(reference, 'matched_text') ?? '';
    // The footnote list (and other references) hang off a blank: only their sources are taken.
    const at = marker.trim() === '' ? undefined : locate(text, marker, numberField(reference, 'start_idx'), numberField(reference, 'end_idx'), replacements);
    const replacement = referenceReplacement(reference, marker, sources);
    if (at !== undefined) replacements.push({ start: at, end: at + marker.length, text: replacement });
  }

  for (const citation of arrayField(meta, 'citations') ?? []) {
    if (!isRecord(citation)) continue;
    const source = recordField(citation, 'metadata') ?? citation;
    const start = numberField(citation, 'start_ix');
    const end = numberField(citation, 'end_ix');
    const slice = start !== undefined && end !== undefined ? text.slice(start, end) : '';
    if (OLD_MARKER.test(slice)) {
      const at = locate(text, slice, start, end, replacements);
      const ref = sources.cite(source);
      if (at !== undefined) replacements.push({ start: at, end: at + slice.length, text: ref === undefined ? '' : `[${ref}]` });
      continue;
    }
    const part = sources.span(source);
    if (part !== undefined && start !== undefined && end !== undefined) spans.push({ part, start, end });
  }

  // Quoted spans keep pointing at their words once the markers before them are gone.
  for (const span of spans) {
    const shift = replacements.filter((r) => r.end <= span.start).reduce((sum, r) => sum + r.text.length - (r.end - r.start), 0);
    span.part.metadata = { ...span.part.metadata, start: span.start + shift, end: span.end + shift };
  }

  let resolved = applyReplacements(text, replacements);
  let unresolved = 0;
  // Markers nothing explains: an entity still has its name; anything else points nowhere.
  const leftovers: Replacement[] = [];
  for (const match of resolved.matchAll(ANY_PRIVATE_MARKER)) {
    const name = match[1] === 'entity' ? entityName(match[0]) : undefined;
    if (name === undefined) unresolved += 1;
    leftovers.push({ start: match.index, end: match.index + match[0].length, text: name ?? '' });
  }
  for (const match of resolved.matchAll(ANY_OLD_MARKER)) {
    unresolved += 1;
    leftovers.push({ start: match.index, end: match.index + match[0].length, text: '' });
  }
  resolved = applyReplacements(resolved, leftovers).replace(SPAN_MARKS, '');
  return { text: resolved, parts: sources.parts, unresolved };
}
