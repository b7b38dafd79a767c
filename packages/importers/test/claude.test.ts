import { describe, expect, it } from 'vitest';
import { parseClaudeConversation } from '../src/index';
import { collect, conversationsOf, fixtureJson, fixturePath, problemsOf } from './helpers';

const conversations = fixtureJson('claude', 'conversations.json') as unknown[];

describe('parseClaudeConversation', () => {
  const branched = parseClaudeConversation(conversations[0]);

  it('follows the newest leaf of the parent_message_uuid tree and keeps the other branch', () => {
    expect(branched.externalId).toBe('b1f0c9a2-1111-4c3e-9d2a-000000000001');
    expect(branched.title).toBe('Weather lookup and a CSV');
    expect(branched.messages.map((m) => m.id)).toEqual(['m-0001', 'm-0002', 'm-0005', 'm-0006']);
    const branches = branched.metadata.branches as Array<{ forkAfter: string; afterMessageCount: number; messages: Array<{ content: string }> }>;
    expect(branches).toHaveLength(1);
    expect(branches[0]).toMatchObject({ forkAfter: 'm-0002', afterMessageCount: 2 });
    expect(branches[0]?.messages.map((m) => m.content)).toEqual(['Thanks! And in Paris?', 'Paris is 15 °C.']);
    expect(branched.metadata).toMatchObject({ summary: 'The user asked for Berlin weather and a CSV check.', accountId: 'acc-0000-1111' });
  });

  it('maps human to user and keeps attachments with their extracted text', () => {
    const [user] = branched.messages;
    expect(user).toMatchObject({ role: 'user', content: "What's the weather in Berlin? Also check my CSV.", createdAt: '2025-03-01T09:00:01.000Z' });
    expect(user?.parts).toEqual([
      { type: 'attachment', name: 'data.csv', size: 58, mimeType: 'text/csv', text: 'city,temp\nBerlin,12\nParis,15' },
      { type: 'attachment', name: 'photo.jpg' },
    ]);
  });

  it('prefers content blocks over the placeholder text, with thinking, tool use, results and citations', () => {
    const assistant = branched.messages[1];
    expect(assistant?.content).toBe('It is 12 °C in Berlin.\n\nYour CSV has two rows.');
    expect(assistant?.parts).toEqual([
      { type: 'thinking', text: 'The user wants the weather. I should call the weather tool.', metadata: { summaries: ['Planning a weather lookup'] } },
      { type: 'tool_call', id: 'toolu_01', name: 'web_search', input: { query: 'Berlin weather now' } },
      { type: 'tool_result', id: 'toolu_01', name: 'web_search', text: 'Berlin: 12 °C, cloudy', output: [{ type: 'text', text: 'Berlin: 12 °C, cloudy', uuid: 'c-1' }] },
      { type: 'citation', url: 'https://weather.example.com/berlin', metadata: { start: 0, end: 21 } },
    ]);
  });

  it('reports an unknown block type but keeps the rest of the message', () => {
    const last = branched.messages[3];
    expect(last?.content).toBe('I could not reach the weather service for Rome.');
    expect(last?.parts?.map((p) => p.type)).toEqual(['tool_call', 'tool_result']);
    expect(last?.parts?.[1]).toMatchObject({ text: 'Service unavailable', metadata: { isError: true } });
    expect(branched.problems).toEqual([
      { conversation: '"Weather lookup and a CSV" (b1f0c9a2-1111-4c3e-9d2a-000000000001)', reason: 'message m-0006: unsupported content block type "hologram"' },
    ]);
  });

  it('reads an older export without parent ids in array order, titling it from the first message', () => {
    const old = parseClaudeConversation(conversations[1]);
    expect(old.title).toBe('Explain recursion in one sentence.');
    expect(old.metadata.titleFromFirstMessage).toBe(true);
    expect(old.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'assistant']);
    expect(old.messages[2]).toMatchObject({ content: 'This block is not supported on your current device yet.', metadata: { placeholderText: true } });
    expect(old.problems.map((p) => p.reason)).toEqual(['message #4 has an unknown sender "narrator"']);
    expect(old.metadata.branches).toBeUndefined();
  });

  it('turns a conversation without chat_messages into a problem', () => {
    const broken = parseClaudeConversation(conversations[2]);
    expect(broken.messages).toEqual([]);
    expect(broken.problems[0]?.reason).toMatch(/no "chat_messages"/);
  });
});

describe('readExport on a Claude conversations.json', () => {
  it('yields the usable conversations and a problem for the broken one', async () => {
    const items = await collect(fixturePath('claude', 'conversations.json'));
    expect(conversationsOf(items).map((c) => c.externalId)).toEqual([
      'b1f0c9a2-1111-4c3e-9d2a-000000000001',
      'b1f0c9a2-1111-4c3e-9d2a-000000000002',
    ]);
    expect(items.filter((i) => i.kind === 'conversation').every((i) => i.kind === 'conversation' && i.source === 'claude')).toBe(true);
    expect(problemsOf(items).map((p) => p.conversation)).toEqual(['"Broken entry" (b1f0c9a2-1111-4c3e-9d2a-000000000003)']);
  });
});
