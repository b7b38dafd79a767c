/**
 * Splits a message's text into plain text and fenced code blocks, so the page can show code in
 * `<pre><code>` while everything else stays text. Nothing here produces HTML: React renders both
 * kinds as text nodes, so markup in a log never runs.
 */

export type MessageBlock = { kind: 'text'; text: string } | { kind: 'code'; language: string | null; code: string };

const OPENING_FENCE = /^[ \t]{0,3}(`{3,}|~{3,})[ \t]*([^\s`]*)[^`]*$/;

export function splitMessageBlocks(text: string): MessageBlock[] {
  const blocks: MessageBlock[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let prose: string[] = [];
  let code: { fence: string; language: string | null; lines: string[] } | null = null;

  const flushProse = () => {
    const joined = prose.join('\n').replace(/^\n+|\n+$/g, '');
    if (joined.trim()) blocks.push({ kind: 'text', text: joined });
    prose = [];
  };

  for (const line of lines) {
    if (code) {
      const closing = line.trim();
      if (closing.startsWith(code.fence[0]!) && closing.length >= code.fence.length && /^(`+|~+)$/.test(closing)) {
        blocks.push({ kind: 'code', language: code.language, code: code.lines.join('\n') });
        code = null;
      } else {
        code.lines.push(line);
      }
      continue;
    }
    const opening = OPENING_FENCE.exec(line);
    if (opening) {
      flushProse();
      code = { fence: opening[1]!, language: opening[2] || null, lines: [] };
    } else {
      prose.push(line);
    }
  }
  // An unclosed fence runs to the end of the message, as Markdown renderers show it.
  if (code) blocks.push({ kind: 'code', language: code.language, code: code.lines.join('\n') });
  flushProse();
  return blocks;
}
