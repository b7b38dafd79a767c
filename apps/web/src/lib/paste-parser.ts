/**
 * Turns a conversation pasted as text into messages, entirely in the browser so the user sees what
 * will be saved before saving it. Understood shapes, tried in this order:
 *
 * - JSON: an array of `{ role, content }`, or an object with such an array under `messages`
 *   (OpenAI's shape; `content` may also be an array of `{ type: 'text', text }` parts);
 * - Markdown headings naming the speaker on their own line: `## User`, `### Assistant`;
 * - speaker labels at the start of a line: `User:`, `You:`, `Human:`, `Assistant:`, `ChatGPT:`,
 *   `Claude:`, `Gemini:`, `System:`, `Tool:` (any case, optionally bold, and the "You said:" /
 *   "ChatGPT said:" lines a copy from ChatGPT's page has);
 * - anything else: one user message holding the whole text.
 *
 * Labels inside ``` code fences never start a message. Nothing is dropped silently: every message
 * that could not be taken is named in `notes`.
 */

export type ParsedRole = 'user' | 'assistant' | 'system' | 'tool';

export type ParsedMessage = { role: ParsedRole; content: string; name?: string };

export type PasteFormat = 'empty' | 'json' | 'headings' | 'labels' | 'plain';

export type PasteParseResult = {
  format: PasteFormat;
  messages: ParsedMessage[];
  /** What the parser guessed or could not take, for the person to read. */
  notes: string[];
};

const ROLE_ALIASES: Record<string, ParsedRole> = {
  user: 'user',
  you: 'user',
  human: 'user',
  assistant: 'assistant',
  chatgpt: 'assistant',
  claude: 'assistant',
  gemini: 'assistant',
  system: 'system',
  tool: 'tool',
};

/** Roles that JSON exports use beyond the four the API stores. */
const JSON_ROLE_ALIASES: Record<string, ParsedRole> = {
  ...ROLE_ALIASES,
  developer: 'system',
  function: 'tool',
  ai: 'assistant',
  bot: 'assistant',
  model: 'assistant',
};

const SPEAKERS = Object.keys(ROLE_ALIASES).join('|');
// `User: text`, `**User:** text`, `**User**: text`, `You said:`
const LABEL_LINE = new RegExp(`^[ \\t]*(?:\\*\\*)?(${SPEAKERS})(?:[ \\t]+said)?(?:\\*\\*)?[ \\t]*:(?:\\*\\*)?[ \\t]?(.*)$`, 'i');
// `## User`, `### Assistant:` alone on the line
const HEADING_LINE = new RegExp(`^[ \\t]*#{1,6}[ \\t]+(${SPEAKERS})[ \\t]*:?[ \\t]*#*[ \\t]*$`, 'i');
const FENCE_LINE = /^[ \t]*(```|~~~)/;

export function parsePastedConversation(input: string): PasteParseResult {
  const text = input.replace(/\r\n?/g, '\n');
  if (!text.trim()) return { format: 'empty', messages: [], notes: [] };

  const trimmed = text.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    const fromJson = parseJson(trimmed);
    if (fromJson) return fromJson;
  }

  const lines = text.split('\n');
  const headings = splitBySpeakerLines(lines, (line) => HEADING_LINE.exec(line)?.[1] ?? null);
  if (headings.count > 0) return finish('headings', headings);

  const labels = splitBySpeakerLines(lines, (line) => {
    const match = LABEL_LINE.exec(line);
    return match ? match[1]! : null;
  }, (line) => LABEL_LINE.exec(line)?.[2] ?? '');
  if (labels.count > 0) return finish('labels', labels);

  return {
    format: 'plain',
    messages: [{ role: 'user', content: tidy(text) }],
    notes: ['No speaker labels found (such as "User:" or "Assistant:"), so the whole text is one user message.'],
  };
}

type Split = { count: number; preamble: string; messages: ParsedMessage[]; notes: string[] };

/**
 * Walks the lines, starting a message at every line `speakerOf` recognises outside a code fence.
 * `firstLineText` gives the text that follows the label on that same line.
 */
function splitBySpeakerLines(
  lines: string[],
  speakerOf: (line: string) => string | null,
  firstLineText: (line: string) => string = () => '',
): Split {
  const result: Split = { count: 0, preamble: '', messages: [], notes: [] };
  let current: { role: ParsedRole; lines: string[] } | null = null;
  const preamble: string[] = [];
  let fence: string | null = null;

  const close = () => {
    if (!current) return;
    const content = tidy(current.lines.join('\n'));
    if (content) result.messages.push({ role: current.role, content });
    else result.notes.push(`An empty ${current.role} message (message ${result.count}) was left out.`);
  };

  for (const line of lines) {
    const fenceMatch = FENCE_LINE.exec(line);
    if (fence === null) {
      const speaker = speakerOf(line);
      if (speaker) {
        close();
        result.count += 1;
        const first = firstLineText(line);
        current = { role: ROLE_ALIASES[speaker.toLowerCase()]!, lines: [first] };
        fence = FENCE_LINE.exec(first)?.[1] ?? null;
        continue;
      }
      if (fenceMatch) fence = fenceMatch[1]!;
    } else if (fenceMatch && fenceMatch[1] === fence && line.trim() === fence) {
      fence = null;
    }
    (current ? current.lines : preamble).push(line);
  }
  close();
  result.preamble = tidy(preamble.join('\n'));
  return result;
}

function finish(format: 'headings' | 'labels', split: Split): PasteParseResult {
  const messages = [...split.messages];
  const notes = [...split.notes];
  if (split.preamble) {
    messages.unshift({ role: 'user', content: split.preamble });
    notes.unshift('The text before the first speaker label was kept as a user message.');
  }
  return { format, messages, notes };
}

/** Drops blank lines at the start and white space at the end; keeps indentation inside. */
function tidy(text: string): string {
  return text.replace(/^(?:[ \t]*\n)+/, '').trimEnd();
}

function parseJson(text: string): PasteParseResult | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const list = Array.isArray(value)
    ? value
    : isRecord(value) && Array.isArray(value.messages)
      ? value.messages
      : null;
  // An array of numbers or strings is not a conversation: leave it to the text shapes.
  if (!list || (list.length > 0 && !list.some(isRecord))) return null;

  const messages: ParsedMessage[] = [];
  const notes: string[] = [];
  list.forEach((item: unknown, index) => {
    const position = `Message ${index + 1}`;
    if (!isRecord(item)) {
      notes.push(`${position} is not an object and was left out.`);
      return;
    }
    const rawRole = typeof item.role === 'string' ? item.role : typeof item.author === 'string' ? item.author : null;
    const role = rawRole ? JSON_ROLE_ALIASES[rawRole.trim().toLowerCase()] : undefined;
    if (!role) {
      notes.push(`${position} has ${rawRole ? `the unknown role "${rawRole}"` : 'no role'} and was left out.`);
      return;
    }
    const content = contentText(item.content ?? item.text);
    if (content === null) {
      notes.push(`${position} has no text content and was left out.`);
      return;
    }
    const message: ParsedMessage = { role, content };
    if (typeof item.name === 'string' && item.name) message.name = item.name;
    messages.push(message);
  });
  if (list.length === 0) notes.push('The JSON holds no messages.');
  return { format: 'json', messages, notes };
}

/** A string, or the text parts of an OpenAI-style content array joined by blank lines. */
function contentText(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    const texts = content.flatMap((part: unknown) => {
      if (typeof part === 'string') return [part];
      if (isRecord(part) && typeof part.text === 'string') return [part.text];
      return [];
    });
    return texts.length ? texts.join('\n\n') : null;
  }
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
