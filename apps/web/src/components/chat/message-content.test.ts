import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Mark } from '../../lib/message-segments';
import { MARKDOWN_LIMIT } from '../../lib/markdown-parse';
import { MessageContent } from './message-content';

function render(text: string, role: 'assistant' | 'user' = 'assistant', marks: Mark[] = []) {
  return renderToStaticMarkup(createElement(MessageContent, { text, role, marks }));
}

function decode(html: string) {
  return html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&amp;/g, '&');
}

/** The offset-carrying spans of the markup: their offset, the raw length they stand for (if not exact) and text. */
function pieces(html: string) {
  return [...html.matchAll(/<(?:span|mark)[^>]*? data-offset="(\d+)"(?: data-raw-length="(\d+)")?[^>]*>([^<]*)<\/(?:span|mark)>/g)].map((m) => ({
    offset: Number(m[1]),
    rawLength: m[2] === undefined ? null : Number(m[2]),
    text: decode(m[3]!),
  }));
}

/** Every exact piece is the raw text at its offset: what makes selections and marks land right. */
function expectExactOffsets(raw: string, html: string) {
  const found = pieces(html);
  expect(found.length).toBeGreaterThan(0);
  for (const piece of found) {
    if (piece.rawLength === null) expect(raw.slice(piece.offset, piece.offset + piece.text.length)).toBe(piece.text);
  }
}

describe('Markdown rendering', () => {
  it('renders GFM: headings, emphasis, lists with tasks, links, code, quotes, tables, rules', () => {
    const raw = [
      '# Title',
      '',
      'Some **bold**, *italic*, ~~gone~~ and `inline` text with https://example.com/x.',
      '',
      '- [x] done',
      '- [ ] to do',
      '',
      '1. first',
      '2. second',
      '',
      '> quoted',
      '',
      '| a | b |',
      '|:--|--:|',
      '| 1 | 2 |',
      '',
      '---',
      '',
      '```python',
      'print("hi")',
      '```',
    ].join('\n');
    const html = render(raw);
    expect(html).toContain('<h3 class="md-heading md-h1">');
    expect(html).toMatch(/<strong><span data-offset="\d+">bold<\/span><\/strong>/);
    expect(html).toMatch(/<em><span data-offset="\d+">italic<\/span><\/em>/);
    expect(html).toMatch(/<del><span data-offset="\d+">gone<\/span><\/del>/);
    expect(html).toMatch(/<code class="md-code"><span data-offset="\d+">inline<\/span><\/code>/);
    expect(html).toContain('<a href="https://example.com/x" target="_blank" rel="noopener noreferrer nofollow">');
    expect(html).toContain('<input type="checkbox" class="md-task-box" disabled="" aria-label="Done" checked=""/>');
    expect(html).toContain('aria-label="To do"');
    expect(html).toContain('<ol class="md-list md-tight" start="1">');
    expect(html).toContain('<blockquote class="md-quote">');
    expect(html).toContain('<th scope="col" style="text-align:left">');
    expect(html).toContain('<td style="text-align:right">');
    expect(html).toContain('<hr class="md-rule"/>');
    expect(html).toContain('<code class="hljs language-python">');
    expect(html).toContain('<span class="code-language">python</span>');
    expectExactOffsets(raw, html);
  });

  it('gives every text the offset of its raw source, so selecting "bold" in **bold** gives the offsets of "bold"', () => {
    const raw = 'a **bold** move';
    const found = pieces(render(raw));
    expect(found).toContainEqual({ offset: 4, rawLength: null, text: 'bold' });
    expect(found).toContainEqual({ offset: 10, rawLength: null, text: ' move' });
  });

  it('maps escapes, references, continuation lines and code inside lists to raw offsets', () => {
    const raw = 'Costs \\*5\\* &amp; more\r\n   still the paragraph\n\n- item\n\n  ```js\n  let a = 1;\n  ```\n\n> quote with `code`';
    const html = render(raw);
    expectExactOffsets(raw, html);
    // The reference stands for its five raw characters.
    expect(pieces(html)).toContainEqual({ offset: raw.indexOf('&amp;'), rawLength: 5, text: '&' });
    // The code's `let` starts where it is in the raw text, past the list's indentation.
    expect(pieces(html)).toContainEqual({ offset: raw.indexOf('let'), rawLength: null, text: 'let' });
  });

  it('draws an annotation as one <mark> over highlighted tokens, and as marks around the pieces it covers in prose', () => {
    const raw = 'See **this** here.\n\n```python\nprint(items[::-1])\n```';
    const start = raw.indexOf('items');
    const html = render(raw, 'assistant', [
      { id: 'code-note', start, end: start + 'items[::-1]'.length },
      { id: 'prose-note', start: raw.indexOf('this'), end: raw.indexOf(' here') + 5 },
    ]);
    const codeMarks = [...html.matchAll(/<mark class="annotation-mark" data-annotations="code-note">(.*?)<\/mark>/g)];
    expect(codeMarks).toHaveLength(1);
    expect(decode(codeMarks[0]![1]!.replace(/<[^>]+>/g, ''))).toBe('items[::-1]');
    expect(html).toContain('<mark class="annotation-mark" data-offset="6" data-annotations="prose-note">this</mark>');
    expect(html).toContain('<mark class="annotation-mark" data-offset="12" data-annotations="prose-note"> here</mark>');
  });
});

describe('safety', () => {
  it('shows raw HTML as text: no script, no img, no event handler attribute', () => {
    const raw = 'Hi <img src=x onerror=alert(1)> and <script>alert(2)</script>\n\n<div onclick="alert(3)">\n<b>block</b>\n</div>\n\n<iframe src="https://evil.example"></iframe>';
    const html = render(raw);
    expect(html).not.toMatch(/<(img|script|b|iframe)[\s>]/);
    expect(html).not.toContain('<div onclick');
    // Only real tags start with `<` in the markup (text has `&lt;`): none has an event handler.
    expect(html).not.toMatch(/<[^>]*\son(error|click)=/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('&lt;iframe src=&quot;https://evil.example&quot;&gt;&lt;/iframe&gt;');
    expectExactOffsets(raw, html);
  });

  it('opens only http(s) and mailto links; javascript:, data: and relative links stay text', () => {
    const html = render('[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](data:text/html,<script>x</script>) [d](/settings) [e](mailto:me@example.com) [f][ref] <https://ok.example>\n\n[ref]: javascript:alert(2)');
    expect(html).not.toMatch(/href="(?!https?:|mailto:)/i);
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain('<span class="md-link-blocked"><span data-offset="1">a</span></span>');
    expect(html).toContain('<span class="md-link-blocked"><span data-offset="90">d</span></span>');
    expect(html).toContain('href="mailto:me@example.com"');
    expect(html).toContain('href="https://ok.example/"');
    expect(html.match(/<a /g)).toHaveLength(2);
  });

  it('never loads an image from a log: a named chip, linked only to a web address', () => {
    const html = render('![a cat](https://img.example/cat.png) ![x](javascript:alert(1))');
    expect(html).not.toContain('<img');
    expect(html).toContain('<span class="md-image-chip"><span class="md-chip-kind">Image</span> <a href="https://img.example/cat.png" target="_blank" rel="noopener noreferrer nofollow"><span data-offset="2">a cat</span></a></span>');
    expect(html).toMatch(/<span class="md-chip-kind">Image<\/span> <span data-offset="\d+">x<\/span><\/span>/);
  });

  it('shows HTML in code as code text', () => {
    const html = render('```html\n<script>alert(1)</script>\n```');
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;</span>');
  });
});

describe('plain text', () => {
  it('shows what a person typed as typed, Markdown characters and all, fenced code as code', () => {
    const raw = 'def __init__(self): *not* emphasis\n\n```py\nx = 1\n```';
    const html = render(raw, 'user');
    expect(html).not.toContain('<strong>');
    expect(html).not.toContain('<em>');
    expect(html).toContain('<p class="message-text"><span data-offset="0">def __init__(self): *not* emphasis</span></p>');
    expect(html).toContain('<code class="hljs language-py">');
    expectExactOffsets(raw, html);
  });

  it('falls back to plain text past the size limit (a 200 KB message), without parsing it', () => {
    const raw = `**big** ${'word [link](https://x.example) *em* '.repeat(200_000 / 40)}`;
    expect(raw.length).toBeGreaterThan(MARKDOWN_LIMIT);
    const started = performance.now();
    const html = render(raw);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(html).not.toContain('<strong>');
    expect(html).toContain('<span data-offset="0">**big** word');
  });

  it('says when a message is empty', () => {
    expect(render('  \n')).toContain('(empty message)');
  });
});
