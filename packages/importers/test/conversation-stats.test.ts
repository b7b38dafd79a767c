import { describe, expect, it } from 'vitest';
import { conversationStats, countWords, parseChatGPTConversation, summarize, type CanonicalConversation } from '../src/index';
import { fixtureJson } from './helpers';

describe('conversationStats', () => {
  it('counts messages, words by role and models, with the start time and a summary', () => {
    const c = parseChatGPTConversation((fixtureJson('chatgpt', 'conversations.json') as unknown[])[1]);
    const stats = conversationStats(c);
    expect(stats.messageCount).toBe(12);
    expect(stats.startedAt).toBe('2024-05-01T21:46:40.000Z');
    expect(stats.models).toEqual(['o3', 'gpt-4o']);
    expect(stats.wordsByRole.user).toBe(countWords(c.messages.filter((m) => m.role === 'user').map((m) => m.content).join(' ')));
    expect(stats.wordCount).toBe(stats.wordsByRole.user + stats.wordsByRole.assistant + stats.wordsByRole.system + stats.wordsByRole.tool);
    expect(stats.summary).toBe('Here is a screenshot of our sales table and the CSV. What is the total?');
  });

  it('falls back to the earliest message time and handles an empty conversation', () => {
    const empty: CanonicalConversation = { externalId: null, title: '', createdAt: null, updatedAt: null, messages: [], metadata: {}, problems: [] };
    expect(conversationStats(empty)).toEqual({ messageCount: 0, startedAt: null, models: [], wordCount: 0, wordsByRole: { user: 0, assistant: 0, system: 0, tool: 0 }, summary: '' });
    const dated = { ...empty, messages: [
      { role: 'assistant' as const, content: 'Hi', createdAt: '2025-01-02T00:00:00.000Z' },
      { role: 'user' as const, content: 'Hello', createdAt: '2025-01-01T00:00:00.000Z' },
    ] };
    expect(conversationStats(dated).startedAt).toBe('2025-01-01T00:00:00.000Z');
  });

  it('counts CJK words and ignores punctuation', () => {
    expect(countWords('Hello, world!')).toBe(2);
    expect(countWords('私は学生です')).toBeGreaterThan(1);
  });
});

describe('summarize', () => {
  it('takes whole opening sentences, skipping code, within 280 characters', () => {
    expect(summarize('Fix this please.\n```js\nconst x = 1;\n```\nIt throws on line 2. Thanks!')).toBe('Fix this please. It throws on line 2. Thanks!');
    const long = `${'word '.repeat(100)}end.`;
    const summary = summarize(long);
    expect(Array.from(summary).length).toBeLessThanOrEqual(280);
    expect(summary.endsWith('…')).toBe(true);
  });
});
