// Markdown transcripts as written by browser extensions and people: `# Title`, then turns introduced
// by `## User` / `### Assistant` headings or `**You:**` bold prefixes. Code fences are opaque, so a
// heading-like line inside a fence never starts a turn.
import type { CanonicalConversation, Message, Role } from '../canonical';
import { boundTitle, emptyConversation, titleFromText } from '../values';

const SPEAKERS: Record<string, { role: Role; name?: string }> = {
  user: { role: 'user' },
  you: { role: 'user' },
  human: { role: 'user' },
  assistant: { role: 'assistant' },
  ai: { role: 'assistant' },
  model: { role: 'assistant' },
  chatgpt: { role: 'assistant', name: 'ChatGPT' },
  claude: { role: 'assistant', name: 'Claude' },
  gemini: { role: 'assistant', name: 'Gemini' },
  bard: { role: 'assistant', name: 'Bard' },
  system: { role: 'system' },
  tool: { role: 'tool' },
};
const SPEAKER_WORDS = Object.keys(SPEAKERS).join('|');
const HEADING_TURN = new RegExp(`^ {0,3}#{1,6}\\s+(?:\\*\\*)?(${SPEAKER_WORDS})(?:\\*\\*)?\\s*:?\\s*(?:\\([^)]*\\))?\\s*#*\\s*$`, 'i');
// The colon is required (`**You:**` or `**You**:`) so a paragraph opening with "**Model** …" stays text.
const BOLD_TURN = new RegExp(`^ {0,3}\\*\\*(${SPEAKER_WORDS})\\s*(?::\\s*\\*\\*|\\*\\*\\s*:)[ \\t]?`, 'i');
// Markers and titles are short; testing only a bounded prefix keeps the regexes linear on huge lines.
const MARKER_SCAN = 200;
const TITLE = /^ {0,3}#\s+(.+?)\s*#*\s*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const SEPARATOR = /^ {0,3}([-*_])(\s*\1){2,}\s*$/;

export type TurnMarker = { speaker: string; rest: string };

/** A line that starts a turn, if it is one (callers handle fences). */
export function turnMarker(line: string): TurnMarker | undefined {
  const heading = line.length <= MARKER_SCAN ? HEADING_TURN.exec(line) : null;
  if (heading?.[1] !== undefined) return { speaker: heading[1].toLowerCase(), rest: '' };
  const bold = BOLD_TURN.exec(line.slice(0, MARKER_SCAN));
  if (bold?.[1] !== undefined) return { speaker: bold[1].toLowerCase(), rest: line.slice(bold[0].length) };
  return undefined;
}

/** Tracks fenced code blocks line by line (CommonMark rules: same character, at least as long). */
export class FenceTracker {
  private open: string | undefined;
  /** Returns true when the line is inside a fence or is a fence line itself. */
  step(line: string): boolean {
    const match = FENCE.exec(line);
    if (this.open === undefined) {
      if (match?.[1] !== undefined && !(match[1].startsWith('`') && line.slice(match[0].length).includes('`'))) {
        this.open = match[1];
        return true;
      }
      return false;
    }
    const fence = this.open;
    if (match?.[1] !== undefined && match[1][0] === fence[0] && match[1].length >= fence.length && line.slice(match[0].length).trim() === '') {
      this.open = undefined;
    }
    return true;
  }
}

type Turn = { speaker: string; lines: string[] };

export function parseMarkdownTranscript(text: string): CanonicalConversation {
  const conversation = emptyConversation();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const fences = new FenceTracker();
  const turns: Turn[] = [];
  const preamble: string[] = [];
  let title: string | undefined;
  for (const line of lines) {
    const inFence = fences.step(line);
    const marker = inFence ? undefined : turnMarker(line);
    if (marker !== undefined) {
      turns.push({ speaker: marker.speaker, lines: marker.rest === '' ? [] : [marker.rest] });
      continue;
    }
    const current = turns[turns.length - 1];
    if (current !== undefined) {
      current.lines.push(line);
      continue;
    }
    const heading = inFence || line.length > 1000 ? null : TITLE.exec(line);
    if (title === undefined && heading?.[1] !== undefined) title = heading[1];
    else preamble.push(line);
  }

  for (const turn of turns) {
    const speaker = SPEAKERS[turn.speaker] ?? { role: 'user' };
    const message: Message = { role: speaker.role, content: trimTurn(turn.lines) };
    if (speaker.name !== undefined) message.name = speaker.name;
    conversation.messages.push(message);
  }
  const intro = trimTurn(preamble);
  if (intro !== '') conversation.metadata.preamble = intro;
  if (turns.length === 0) {
    conversation.problems.push({
      conversation: title ?? 'Markdown transcript',
      reason: 'no turns were found (expected headings like "## User" / "## Assistant" or prefixes like "**You:**")',
    });
  }
  let finalTitle = title ?? '';
  if (finalTitle === '') {
    finalTitle = titleFromText(conversation.messages.find((m) => m.role === 'user')?.content ?? '');
    if (finalTitle !== '') conversation.metadata.titleFromFirstMessage = true;
  }
  conversation.title = boundTitle(finalTitle, conversation.metadata);
  return conversation;
}

/** Drops blank lines around a turn and the `---` rule exporters put between turns. */
function trimTurn(lines: string[]): string {
  let start = 0;
  let end = lines.length;
  const blank = (i: number) => (lines[i] ?? '').trim() === '';
  while (start < end && blank(start)) start += 1;
  while (end > start && (blank(end - 1) || SEPARATOR.test(lines[end - 1] ?? ''))) end -= 1;
  return lines.slice(start, end).join('\n');
}
