import { createLowlight } from 'lowlight';
import type { ElementContent, Root } from 'hast';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import type { Token } from './markdown-pieces';

/**
 * The languages conversations with assistants mostly hold, and no others: each grammar weighs
 * 1-10 KB, and a block in another language (or none) is shown as plain code. There is no
 * auto-detection: it runs every grammar over the block, costs far more than highlighting and often
 * guesses wrong on short snippets.
 */
const lowlight = createLowlight({ bash, c, cpp, css, diff, go, java, javascript, json, markdown, python, rust, sql, typescript, xml, yaml });
// Names people write after a fence that the grammars do not already answer to.
lowlight.registerAlias({ bash: ['shell', 'console', 'shellscript'], json: ['jsonc', 'json5'], xml: ['html', 'svg'], c: ['h'], diff: ['patch'] });

/**
 * Past this size a block is shown without colours: highlight.js takes ~1-2 ms per KB here, and a
 * pasted log file of hundreds of KB would stall the page for nothing.
 */
export const HIGHLIGHT_LIMIT = 20_000;

/** The grammar's name for a fence's language (`ts` → `typescript`), or null when none is registered. */
export function highlightLanguage(language: string | null | undefined): string | null {
  if (!language) return null;
  const name = language.trim().toLowerCase();
  return name && lowlight.registered(name) ? name : null;
}

function flatten(nodes: readonly ElementContent[], classes: string[], out: Token[]) {
  for (const node of nodes) {
    if (node.type === 'text') {
      const last = out[out.length - 1];
      const className = classes.length ? classes.join(' ') : undefined;
      if (last && last.className === className) last.text += node.value;
      else out.push(className ? { text: node.value, className } : { text: node.value });
    } else if (node.type === 'element') {
      const own = node.properties.className;
      const names = Array.isArray(own) ? own.map(String) : [];
      flatten(node.children, [...classes, ...names.filter((n) => !classes.includes(n))], out);
    }
  }
}

/**
 * The code cut into runs, each with the classes of the highlight.js tokens around it, nested
 * tokens flattened (a string inside a template: `hljs-string hljs-subst`). Flat runs let an
 * annotation's `<mark>` wrap several tokens, which a nested tree could not. The runs' texts add up
 * to the code exactly, and they are rendered as React text: nothing here is HTML. Null when the
 * language is not registered or the code is too long to highlight.
 */
export function highlightTokens(code: string, language: string | null | undefined): Token[] | null {
  const name = highlightLanguage(language);
  if (!name || !code || code.length > HIGHLIGHT_LIMIT) return null;
  let tree: Root;
  try {
    tree = lowlight.highlight(name, code);
  } catch {
    // A grammar that fails on odd input leaves the block plain rather than breaking the message.
    return null;
  }
  const tokens: Token[] = [];
  flatten(tree.children as ElementContent[], [], tokens);
  return tokens;
}
