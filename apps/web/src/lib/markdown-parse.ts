import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import type { Root } from 'mdast';

/**
 * Messages longer than this are shown as plain text (fenced code still as code). micromark, which
 * gives the source positions annotations need, parses about 250 KB/s here (3-4 ms per KB, and
 * pathological input such as thousands of unclosed `*` or `[` is slower still): a 200 KB pasted
 * log would freeze the page for most of a second each time its row is rendered. 50,000 characters
 * is about 200 ms once, then cached.
 */
export const MARKDOWN_LIMIT = 50_000;

/** Parsed trees of recently shown messages: the virtualised list mounts a row again as it scrolls back. */
const CACHE_SIZE = 300;
const cache = new Map<string, Root>();

/**
 * The message's Markdown tree with source offsets (GFM: tables, task lists, strikethrough,
 * autolinks, footnotes), or null when the text is over MARKDOWN_LIMIT. Raw HTML stays `html` nodes,
 * which the renderer shows as text.
 */
export function parseMarkdown(text: string): Root | null {
  if (text.length > MARKDOWN_LIMIT) return null;
  const cached = cache.get(text);
  if (cached) {
    cache.delete(text);
    cache.set(text, cached);
    return cached;
  }
  const tree = fromMarkdown(text, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  cache.set(text, tree);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return tree;
}

/**
 * The address a link from a log may open: http(s) and mailto only, so `javascript:`, `data:`,
 * `vbscript:` or a relative path (which would point into this app) stay text.
 */
export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' || parsed.protocol === 'mailto:' ? parsed.href : null;
  } catch {
    return null;
  }
}
