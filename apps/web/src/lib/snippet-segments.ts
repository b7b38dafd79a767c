/**
 * The server's search snippets are HTML: everything escaped, the matched words wrapped in
 * `<mark>…</mark>`. They are never handed to the DOM as HTML. This turns one into plain-text pieces,
 * each marked or not, for React to render as text nodes and `<mark>` elements: anything else that
 * looks like markup (a stray `<script>`, a decoded `&lt;img onerror&gt;`) stays visible text.
 */
export type SnippetSegment = { text: string; marked: boolean };

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes the entities an HTML escaper writes, in one pass, so `&amp;lt;` reads `&lt;`. Unknown ones stay as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]+);/gi, (entity, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
      // Surrogates, NUL and numbers past Unicode decode to nothing meaningful: keep what was written.
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return entity;
      return String.fromCodePoint(code);
    }
    return NAMED[body.toLowerCase()] ?? entity;
  });
}

export function parseSnippet(html: string): SnippetSegment[] {
  const segments: SnippetSegment[] = [];
  let marked = false;
  for (const piece of html.split(/(<\/?mark>)/i)) {
    const tag = piece.toLowerCase();
    if (tag === '<mark>') marked = true;
    else if (tag === '</mark>') marked = false;
    else if (piece) {
      const text = decodeEntities(piece);
      const last = segments.at(-1);
      if (last && last.marked === marked) last.text += text;
      else segments.push({ text, marked });
    }
  }
  return segments;
}
