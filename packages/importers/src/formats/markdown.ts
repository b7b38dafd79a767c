// Markdown transcripts as written by browser extensions and people: `# Title`, then turns introduced
// by `## User` / `### Assistant` headings or `**You:**` bold prefixes, or, in a text without either,
// by plain `User:` / `You said:` / `ChatGPT said:` labels at the start of a line (a copy from a chat
// page). Code fences are opaque, so a speaker-like line inside a fence never starts a turn.
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
// A plain label has no markup to set it apart, so "Model: GPT-4o", a header line many exporters
// write, must not start a turn.
const LABEL_WORDS = Object.keys(SPEAKERS)
  .filter((word) => word !== 'model')
  .join('|');
// ChatGPT's page announces each turn to screen readers ("You said:", "ChatGPT said:"); a copy of the page keeps them.
const HEADING_TURN = new RegExp(`^ {0,3}#{1,6}\\s+(?:\\*\\*)?(${SPEAKER_WORDS})(?:\\s+said)?(?:\\*\\*)?\\s*:?\\s*(?:\\([^)]*\\))?\\s*#*\\s*$`, 'i');
// The colon is required (`**You:**` or `**You**:`) so a paragraph opening with "**Model** …" stays text.
const BOLD_TURN = new RegExp(`^ {0,3}\\*\\*(${SPEAKER_WORDS})(?:\\s+said)?\\s*(?::\\s*\\*\\*|\\*\\*\\s*:)[ \\t]?`, 'i');
// Indented four spaces or more, a line is code in Markdown, never a label.
const LABEL_TURN = new RegExp(`^ {0,3}(${LABEL_WORDS})(?:[ \\t]+said)?[ \\t]*:[ \\t]?`, 'i');
// Markers and titles are short; testing only a bounded prefix keeps the regexes linear on huge lines.
const MARKER_SCAN = 200;
const TITLE = /^ {0,3}#\s+(.+?)\s*#*\s*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const SEPARATOR = /^ {0,3}([-*_])(\s*\1){2,}\s*$/;
const LINE_BREAK = /\r\n?|\n/;

export type TurnMarkerKind = 'heading' | 'bold' | 'label';

export type TurnMarker = { speaker: string; kind: TurnMarkerKind; rest: string };

/** A line that starts a turn in Markdown markup (`## User`, `**You:**`), if it is one (callers handle fences). */
export function markupTurn(line: string): TurnMarker | undefined {
  const heading = line.length <= MARKER_SCAN ? HEADING_TURN.exec(line) : null;
  if (heading?.[1] !== undefined) return { speaker: heading[1].toLowerCase(), kind: 'heading', rest: '' };
  const bold = BOLD_TURN.exec(line.slice(0, MARKER_SCAN));
  if (bold?.[1] !== undefined) return { speaker: bold[1].toLowerCase(), kind: 'bold', rest: line.slice(bold[0].length) };
  return undefined;
}

/** A line that starts a turn with a plain label (`User: …`, `ChatGPT said:`), if it is one (callers handle fences). */
export function labelTurn(line: string): TurnMarker | undefined {
  const label = LABEL_TURN.exec(line.slice(0, MARKER_SCAN));
  if (label?.[1] !== undefined) return { speaker: label[1].toLowerCase(), kind: 'label', rest: line.slice(label[0].length) };
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

type Turn = { speaker: string; kind: TurnMarkerKind; lines: string[] };
type Split = { turns: Turn[]; before: string[]; titleAt: number | undefined };

function split(lines: string[], markerOf: (line: string) => TurnMarker | undefined): Split {
  const fences = new FenceTracker();
  const result: Split = { turns: [], before: [], titleAt: undefined };
  for (const line of lines) {
    const inFence = fences.step(line);
    const marker = inFence ? undefined : markerOf(line);
    if (marker !== undefined) {
      // A fence opened right after the marker (`User: ```python`) is a fence all the same.
      if (marker.rest !== '') fences.step(marker.rest);
      result.turns.push({ speaker: marker.speaker, kind: marker.kind, lines: marker.rest === '' ? [] : [marker.rest] });
      continue;
    }
    const current = result.turns[result.turns.length - 1];
    if (current !== undefined) {
      current.lines.push(line);
      continue;
    }
    if (result.titleAt === undefined && !inFence && line.length <= 1000 && TITLE.test(line)) result.titleAt = result.before.length;
    result.before.push(line);
  }
  return result;
}

/**
 * Markup wins over plain labels: a transcript with headings or bold prefixes often quotes a
 * "User: …" line inside a turn, while a text with neither has nothing else to go by.
 */
function splitTranscript(text: string): Split {
  const lines = text.replace(/^\uFEFF/, '').split(LINE_BREAK);
  const markup = split(lines, markupTurn);
  return markup.turns.length > 0 ? markup : split(lines, labelTurn);
}

/**
 * Whether a text is a transcript, for telling one from any other text file: a heading or bold turn
 * is enough, plain labels must name both sides (one "System:" line in a log file is not a chat).
 */
export function looksLikeTranscript(text: string): boolean {
  const { turns } = splitTranscript(text);
  if (turns.some((turn) => turn.kind !== 'label')) return true;
  const roles = new Set(turns.map((turn) => speakerOf(turn.speaker).role));
  return roles.has('user') && roles.has('assistant');
}

export type MarkdownTranscriptOptions = {
  /**
   * Where the text before the first turn goes. In a file it is mostly an exporter's note ("Exported
   * on …"), kept in `metadata.preamble`; in text a person pastes it is their own words, so 'message'
   * makes it the first user message (marked `metadata.preamble: true`), title line included, and a
   * text without turns one user message instead of a problem.
   */
  preamble?: 'metadata' | 'message';
};

export function parseMarkdownTranscript(text: string, options: MarkdownTranscriptOptions = {}): CanonicalConversation {
  const conversation = emptyConversation();
  const { turns, before, titleAt } = splitTranscript(text);
  const title = titleAt === undefined ? undefined : TITLE.exec(before[titleAt] ?? '')?.[1];

  if (options.preamble === 'message') {
    const intro = trimTurn(before);
    if (intro !== '') conversation.messages.push({ role: 'user', content: intro, metadata: { preamble: true } });
  } else {
    const intro = trimTurn(before.filter((_, index) => index !== titleAt));
    if (intro !== '') conversation.metadata.preamble = intro;
  }
  for (const turn of turns) {
    const speaker = speakerOf(turn.speaker);
    const message: Message = { role: speaker.role, content: trimTurn(turn.lines) };
    if (speaker.name !== undefined) message.name = speaker.name;
    conversation.messages.push(message);
  }
  if (turns.length > 0) conversation.metadata.turnMarkers = [...new Set(turns.map((turn) => turn.kind))];
  else if (options.preamble !== 'message') {
    conversation.problems.push({
      conversation: title ?? 'Markdown transcript',
      reason: 'no turns were found (expected headings like "## User" / "## Assistant", prefixes like "**You:**" or lines starting "User:" / "Assistant:")',
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

function speakerOf(word: string): { role: Role; name?: string } {
  return SPEAKERS[word] ?? { role: 'user' };
}

/** Drops blank lines around a turn, white space at its end and the `---` rule exporters put between turns. */
function trimTurn(lines: string[]): string {
  let start = 0;
  let end = lines.length;
  const blank = (i: number) => (lines[i] ?? '').trim() === '';
  while (start < end && blank(start)) start += 1;
  while (end > start && (blank(end - 1) || SEPARATOR.test(lines[end - 1] ?? ''))) end -= 1;
  return lines.slice(start, end).join('\n').trimEnd();
}
