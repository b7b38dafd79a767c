// Gemini activity stores responses as HTML. This turns it into Markdown-ish plain text: every tag is
// consumed (none passes through), paragraphs, lists, headings and code survive, entities are decoded.
// Small and dependency-free because the input is a narrow, machine-written subset of HTML.

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', hellip: '…', mdash: '—', ndash: '–',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', bull: '•', middot: '·', copy: '©', reg: '®',
  trade: '™', times: '×', divide: '÷', laquo: '«', raquo: '»', deg: '°', euro: '€', pound: '£',
  cent: '¢', yen: '¥', sect: '§', para: '¶', plusmn: '±', larr: '←', rarr: '→', uarr: '↑', darr: '↓',
  le: '≤', ge: '≥', ne: '≠', minus: '−', shy: '',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});/g, (match, body: string) => {
    if (body.startsWith('#')) {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
      return valid ? String.fromCodePoint(code) : '\uFFFD';
    }
    return Object.hasOwn(NAMED_ENTITIES, body) ? (NAMED_ENTITIES[body] ?? match) : match;
  });
}

const BLOCK_TAGS = new Set(['p', 'div', 'section', 'article', 'header', 'footer', 'blockquote', 'table', 'ul', 'ol', 'figure', 'main', 'aside', 'nav']);
const SKIPPED_CONTENT = new Set(['script', 'style', 'head', 'template', 'svg', 'noscript', 'iframe', 'object']);
// Attribute text stops at '<' so a stray '<' cannot make one token scan the rest of the input.
const TOKEN = /<!--[\s\S]*?(?:-->|$)|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^<>"']|"[^"<]*"|'[^'<]*')*)>|<!?[^<>]*>|[^<]+|</g;

function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(attributes);
  if (match === null) return undefined;
  return decodeEntities(match[1] ?? match[2] ?? match[3] ?? '');
}

function safeUrl(url: string | undefined): string | undefined {
  return url !== undefined && /^(https?:|mailto:)/i.test(url.trim()) ? url.trim() : undefined;
}

/**
 * Output as a list of pieces: asking a concatenated string for its last characters flattens it,
 * which made long responses quadratic.
 */
class TextBuilder {
  private pieces: string[] = [];

  private lastChars(count: number): string {
    let tail = '';
    for (let i = this.pieces.length - 1; i >= 0 && tail.length < count; i -= 1) tail = (this.pieces[i] ?? '') + tail;
    return tail.slice(-count);
  }

  append(text: string): void {
    if (text !== '') this.pieces.push(text);
  }

  /** Inline text: whitespace collapses as a browser would, and no line starts with a space. */
  appendInline(text: string): void {
    const collapsed = text.replace(/\s+/g, ' ');
    const last = this.lastChars(1);
    this.append(last === '' || last === '\n' || last === ' ' ? collapsed.replace(/^ /, '') : collapsed);
  }

  newline(): void {
    while (this.pieces.length > 0) {
      const last = this.pieces[this.pieces.length - 1] ?? '';
      const trimmed = last.replace(/ +$/, '');
      if (trimmed !== '') {
        this.pieces[this.pieces.length - 1] = trimmed;
        break;
      }
      this.pieces.pop();
    }
    if (this.pieces.length > 0 && this.lastChars(1) !== '\n') this.pieces.push('\n');
  }

  blankLine(): void {
    this.newline();
    if (this.pieces.length > 0 && this.lastChars(2) !== '\n\n') this.pieces.push('\n');
  }

  toString(): string {
    return this.pieces
      .join('')
      .replace(/[ \t]+\n/g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
  }
}

export function htmlToText(html: string): string {
  const out = new TextBuilder();
  const lists: Array<{ ordered: boolean; index: number }> = [];
  const links: Array<string | undefined> = [];
  let preDepth = 0;
  let skipUntil: string | undefined;
  for (const match of html.matchAll(TOKEN)) {
    const [token, closing, rawTag, attributes = ''] = match;
    const tag = rawTag?.toLowerCase();
    if (skipUntil !== undefined) {
      if (tag === skipUntil && closing === '/') skipUntil = undefined;
      continue;
    }
    if (tag === undefined) {
      if (token.startsWith('<') && token.length > 1) continue; // comments, doctype, stray markup
      const text = decodeEntities(token);
      if (preDepth > 0) out.append(text);
      else out.appendInline(text);
      continue;
    }
    const open = closing !== '/';
    if (open && SKIPPED_CONTENT.has(tag) && !attributes.trim().endsWith('/')) {
      skipUntil = tag;
      continue;
    }
    if (tag === 'pre') {
      if (open) {
        out.blankLine();
        out.append('```\n');
        preDepth += 1;
      } else if (preDepth > 0) {
        preDepth -= 1;
        out.newline();
        out.append('```');
        out.blankLine();
      }
    } else if (preDepth > 0) {
      if (tag === 'br') out.append('\n');
    } else if (/^h[1-6]$/.test(tag)) {
      out.blankLine();
      if (open) out.append(`${'#'.repeat(Number(tag[1]))} `);
    } else if (tag === 'ul' || tag === 'ol') {
      if (open) lists.push({ ordered: tag === 'ol', index: 0 });
      else lists.pop();
      if (lists.length === 0) out.blankLine();
      else out.newline();
    } else if (tag === 'li') {
      if (!open) continue;
      out.newline();
      const list = lists[lists.length - 1];
      const indent = '  '.repeat(Math.max(0, lists.length - 1));
      if (list === undefined) out.append(`${indent}- `);
      else out.append(`${indent}${list.ordered ? `${(list.index += 1)}.` : '-'} `);
    } else if (BLOCK_TAGS.has(tag)) {
      out.blankLine();
    } else if (tag === 'br') {
      out.newline();
    } else if (tag === 'hr') {
      out.blankLine();
      out.append('---');
      out.blankLine();
    } else if (tag === 'tr') {
      out.newline();
      if (!open) continue;
    } else if (tag === 'td' || tag === 'th') {
      if (open) out.append('| ');
      else out.append(' ');
    } else if (tag === 'code') {
      out.append('`');
    } else if (tag === 'strong' || tag === 'b') {
      out.append('**');
    } else if (tag === 'em' || tag === 'i') {
      out.append('_');
    } else if (tag === 'a') {
      if (open) {
        const href = safeUrl(attribute(attributes, 'href'));
        links.push(href);
        if (href !== undefined) out.append('[');
      } else {
        const href = links.pop();
        if (href !== undefined) out.append(`](${href})`);
      }
    } else if (tag === 'img' && open) {
      const alt = attribute(attributes, 'alt') ?? '';
      const src = safeUrl(attribute(attributes, 'src'));
      out.appendInline(src === undefined ? alt : `![${alt}](${src})`);
    }
  }
  if (preDepth > 0) {
    out.newline();
    out.append('```');
  }
  return out.toString();
}
