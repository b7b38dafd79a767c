// Numbers and a one-line summary the library lists show for a chat log, computed from its messages.
import type { CanonicalConversation, Role } from './canonical';

export type ConversationStats = {
  messageCount: number;
  startedAt: string | null;
  models: string[];
  wordCount: number;
  wordsByRole: Record<Role, number>;
  summary: string;
};

export const SUMMARY_MAX_LENGTH = 280;

// Word-like segments, so CJK text (no spaces) counts words instead of whole sentences.
const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });

export function countWords(text: string): number {
  let count = 0;
  for (const segment of segmenter.segment(text)) if (segment.isWordLike === true) count += 1;
  return count;
}

export function conversationStats(conversation: CanonicalConversation): ConversationStats {
  const wordsByRole: Record<Role, number> = { user: 0, assistant: 0, system: 0, tool: 0 };
  const models: string[] = [];
  let earliest: string | null = null;
  for (const message of conversation.messages) {
    wordsByRole[message.role] += countWords(message.content);
    if (message.model !== undefined && message.model !== '' && !models.includes(message.model)) models.push(message.model);
    if (message.createdAt !== undefined && (earliest === null || Date.parse(message.createdAt) < Date.parse(earliest))) {
      earliest = message.createdAt;
    }
  }
  const firstUser = conversation.messages.find((m) => m.role === 'user' && m.content.trim() !== '');
  const firstAny = conversation.messages.find((m) => m.content.trim() !== '');
  return {
    messageCount: conversation.messages.length,
    startedAt: conversation.createdAt ?? earliest,
    models,
    wordCount: wordsByRole.user + wordsByRole.assistant + wordsByRole.system + wordsByRole.tool,
    wordsByRole,
    summary: summarize((firstUser ?? firstAny)?.content ?? ''),
  };
}

/** Extractive: the opening sentences of the text, code blocks left out, at most 280 characters. */
export function summarize(text: string, maxLength = SUMMARY_MAX_LENGTH): string {
  const prose = text
    .replace(/```[\s\S]*?(```|$)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (prose === '') return '';
  const sentences = prose.match(/[^.!?。！？]+(?:[.!?。！？]+|$)/g) ?? [prose];
  let summary = '';
  for (const sentence of sentences) {
    const next = (summary === '' ? sentence : `${summary} ${sentence.trim()}`).trim();
    if (Array.from(next).length > maxLength) break;
    summary = next;
    if (summary.length >= 120) break;
  }
  if (summary !== '') return summary;
  const chars = Array.from(prose);
  const cut = chars.slice(0, maxLength - 1).join('');
  const atWord = cut.replace(/\s+\S*$/, '');
  return `${atWord.length > maxLength / 2 ? atWord : cut}…`;
}
