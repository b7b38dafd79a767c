// Snippets come from chatsynth_headline (search migration) with the matched words between START and
// STOP and "<" as LT; the text can hold none of the three, as they are taken out before highlighting.
const START = '\u0001';
const STOP = '\u0002';
const LT = '\u0003';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/**
 * The snippet as HTML: everything escaped, matched words in <mark>. The two highlighting passes can
 * nest markers around one word; depth counting turns them into a single <mark>.
 */
export function snippetHtml(marked: string): string {
  let html = '';
  let depth = 0;
  let plain = '';
  const flush = () => {
    html += escapeHtml(plain.replaceAll(LT, '<'));
    plain = '';
  };
  for (const ch of marked) {
    if (ch === START) {
      flush();
      if (depth++ === 0) html += '<mark>';
    } else if (ch === STOP) {
      if (depth === 0) continue;
      flush();
      if (--depth === 0) html += '</mark>';
    } else {
      plain += ch;
    }
  }
  flush();
  if (depth > 0) html += '</mark>';
  return html.replaceAll('</mark><mark>', '');
}

export const hasMark = (marked: string) => marked.includes(START);
