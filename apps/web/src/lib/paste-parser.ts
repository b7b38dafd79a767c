/**
 * Turns a conversation pasted as text into messages, entirely in the browser so the user sees what
 * will be saved before saving it. The reading is the importers' (`@chatsynth/importers/text`), so a
 * paste and an imported file of the same text give the same messages:
 *
 * - JSON in OpenAI's shape: a list of `{ role, content }`, or an object with such a list under
 *   `messages` (`content` may be a list of parts; roles such as developer, function or model are
 *   mapped onto the four the API stores);
 * - otherwise a transcript: `## User` / `### Assistant` headings, `**User:**` bold prefixes or, in a
 *   text with neither, `User:` / `Assistant:` / `You said:` / `ChatGPT said:` … labels at the start
 *   of a line; a label inside a code fence never starts a message;
 * - anything else: one user message holding the whole text.
 *
 * What a paste adds to a file import: the text before the first speaker is the person's own, so it
 * becomes a user message; empty messages are left out; the API stores only the text of a pasted
 * message. Nothing is dropped silently: `notes` names every message or part that was not taken.
 */
import type { Message, Part, Role } from '@chatsynth/importers/canonical';
import { parseMarkdownTranscript, parseOpenAIConversation } from '@chatsynth/importers/text';

export type ParsedRole = Role;

export type ParsedMessage = { role: ParsedRole; content: string; name?: string };

export type PasteFormat = 'empty' | 'json' | 'headings' | 'labels' | 'plain';

export type PasteParseResult = {
  format: PasteFormat;
  messages: ParsedMessage[];
  /** What the parser guessed or could not take, for the person to read. */
  notes: string[];
};

const PREAMBLE_NOTE = 'The text before the first speaker label was kept as a user message.';
const PLAIN_NOTE = 'No speaker labels found (such as "User:" or "Assistant:"), so the whole text is one user message.';
// Each JSON message is read as a list of one, in which the importer calls it "message #1".
const LABEL = /^message #1\b/;

export function parsePastedConversation(input: string): PasteParseResult {
  if (!input.trim()) return { format: 'empty', messages: [], notes: [] };
  return readJson(input.trim()) ?? readTranscript(input);
}

function readTranscript(text: string): PasteParseResult {
  const conversation = parseMarkdownTranscript(text, { preamble: 'message' });
  const markers = conversation.metadata.turnMarkers;
  if (!Array.isArray(markers)) return { format: 'plain', messages: conversation.messages.map(parsedMessage), notes: [PLAIN_NOTE] };

  const messages: ParsedMessage[] = [];
  const notes: string[] = [];
  let turn = 0;
  for (const message of conversation.messages) {
    if (message.metadata?.preamble === true) {
      messages.push(parsedMessage(message));
      notes.push(PREAMBLE_NOTE);
      continue;
    }
    turn += 1;
    if (message.content.trim()) messages.push(parsedMessage(message));
    else notes.push(`An empty ${message.role} message (message ${turn}) was left out.`);
  }
  notes.push(...conversation.problems.map((problem) => sentence(problem.reason)));
  return { format: markers.includes('heading') ? 'headings' : 'labels', messages, notes };
}

function readJson(text: string): PasteParseResult | null {
  if (!text.startsWith('[') && !text.startsWith('{')) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const list = Array.isArray(value) ? value : isRecord(value) && Array.isArray(value.messages) ? (value.messages as unknown[]) : null;
  // A list of numbers or strings is not a conversation: leave it to the text shapes.
  if (!list || (list.length > 0 && !list.some(isRecord))) return null;
  if (list.length === 0) return { format: 'json', messages: [], notes: ['The JSON holds no messages.'] };

  const messages: ParsedMessage[] = [];
  const notes: string[] = [];
  // One message at a time, so that each note names the message by its place in the pasted list.
  list.forEach((item, index) => {
    const position = `Message ${index + 1}`;
    const { messages: [message], problems } = parseOpenAIConversation([item]);
    const said = problems.map((problem) => (LABEL.test(problem.reason) ? problem.reason.replace(LABEL, position) : `${position}: ${problem.reason}`));
    if (!message) {
      notes.push(...said.map((note) => `${note}; it was left out.`));
      return;
    }
    notes.push(...said.map((note) => `${note}.`));
    const parts = describeParts(message);
    if (!message.content.trim()) {
      notes.push(`${position} has no text${parts ? ` (only ${parts})` : ''}; it was left out.`);
      return;
    }
    if (parts) notes.push(`${position}: only its text is kept, not ${parts}.`);
    messages.push(parsedMessage(message));
  });
  return { format: 'json', messages, notes };
}

function parsedMessage({ role, content, name }: Message): ParsedMessage {
  return name ? { role, content, name } : { role, content };
}

const PART_NAMES: Partial<Record<Part['type'], string>> = {
  image: 'an image',
  attachment: 'an attached file',
  thinking: 'the reasoning',
  tool_call: 'a tool call',
  tool_result: 'a tool result',
  code: 'a code block',
  citation: 'a citation',
};

/** The parts of a message that a pasted chat cannot keep, in words; a tool result that is the text itself is kept. */
function describeParts(message: Message): string {
  const names = (message.parts ?? [])
    .filter((part) => !(part.type === 'tool_result' && part.output === message.content))
    .map((part) => PART_NAMES[part.type] ?? 'a part');
  return [...new Set(names)].join(' and ');
}

function sentence(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
