const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

const unescapeHtml = (html: string) => html.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity]!);

/**
 * A search snippet (escaped HTML, matched words in <mark>) as terminal text: each match wrapped by
 * `mark`, e.g. in bold on a terminal or in [brackets] in a pipe, and the entities turned back into text.
 */
export function snippetText(html: string, mark: (match: string) => string): string {
  return html
    .split(/(<mark>[\s\S]*?<\/mark>)/)
    .map((part) => (part.startsWith('<mark>') && part.endsWith('</mark>') ? mark(unescapeHtml(part.slice(6, -7))) : unescapeHtml(part)))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}
