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

  it('reads an older export without parent ids in time order, titling it from the first message', () => {
    const old = parseClaudeConversation(conversations[1]);
    expect(old.title).toBe('Explain recursion in one sentence.');
    expect(old.metadata.titleFromFirstMessage).toBe(true);
    expect(old.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'assistant']);
    expect(old.messages[2]).toMatchObject({ content: 'This block is not supported on your current device yet.', metadata: { placeholderText: true } });
    expect(old.problems.map((p) => p.reason)).toEqual(['message #4 has an unknown sender "narrator"']);
    expect(old.metadata.branches).toBeUndefined();
  });

  it('keeps the text of a block type it does not know, and names the type', () => {
    const raw = structuredClone(conversations[1]) as { chat_messages: Array<Record<string, unknown>> };
    const first = raw.chat_messages[0];
    if (first !== undefined) first.content = [{ type: 'voice_note', title: 'Recording', text: 'Explain recursion in one sentence.' }];
    const parsed = parseClaudeConversation(raw);
    expect(parsed.messages[0]?.content).toBe('Explain recursion in one sentence.');
    expect(parsed.problems.map((p) => p.reason)).toContain('message #1: content block type "voice_note" was read as plain text');
  });

  it('turns a conversation without chat_messages into a problem', () => {
    const broken = parseClaudeConversation(conversations[2]);
    expect(broken.messages).toEqual([]);
    expect(broken.problems[0]?.reason).toMatch(/no "chat_messages"/);
  });
});

const export2024 = fixtureJson('claude', 'conversations-2024.json') as unknown[];

describe('Claude exports without parent links (2024 and older)', () => {
  const c = parseClaudeConversation(export2024[0]);

  it('orders turns by created_at, not by their place in the file, keeping file order for ties', () => {
    // The file opens with a late human turn and lists two assistant replies in a row.
    expect(c.messages.map((m) => m.id?.slice(-2))).toEqual(['01', '02', '03', '04', '05', '06']);
    expect(c.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user', 'assistant']);
    expect(c.metadata.orderedByTime).toBe(true);
    expect(c.problems).toEqual([]);
  });

  it('turns inline <antThinking> into a thinking part and <antArtifact> into a code part with a short reference', () => {
    const answer = c.messages[1];
    expect(answer?.content).toBe('Here is a recursive version:\n\n[Artifact: Recursive Fibonacci]\n\nIt runs in exponential time, so keep `n` small.');
    expect(answer?.parts).toEqual([
      { type: 'thinking', text: 'A recursive Fibonacci function is short and self-contained, and the user will likely reuse it. It qualifies as an artifact.' },
      {
        type: 'code',
        language: 'javascript',
        title: 'Recursive Fibonacci',
        text: 'function fib(n) {\n  return n < 2 ? n : fib(n - 1) + fib(n - 2);\n}',
        metadata: { identifier: 'fibonacci-js', artifactType: 'application/vnd.ant.code' },
      },
    ]);
    const second = c.messages[3];
    expect(second?.content).toBe('Sure, an iterative version with a chart of its growth:\n\n[Artifact: Iterative Fibonacci]\n\n[Artifact: Growth of fib(n)]');
    expect(second?.parts?.map((p) => [p.type, p.language, p.title])).toEqual([
      ['code', 'javascript', 'Iterative Fibonacci'],
      ['code', 'mermaid', 'Growth of fib(n)'],
    ]);
  });

  it("leaves a person's own text alone, tags and all", () => {
    const raw = structuredClone(export2024[0]) as { chat_messages: Array<Record<string, unknown>> };
    const pasted = 'Why does my prompt say <antThinking>plan</antThinking> and <antArtifact identifier="x">y</antArtifact>?';
    const human = raw.chat_messages.find((m) => m.sender === 'human');
    if (human !== undefined) Object.assign(human, { text: pasted, content: [{ type: 'text', text: pasted }] });
    const parsed = parseClaudeConversation(raw);
    const message = parsed.messages.find((m) => m.content === pasted);
    expect(message?.role).toBe('user');
    expect(message?.parts).toBeUndefined();
  });

  it('keeps a conversation without any timestamps in file order', () => {
    const raw = structuredClone(export2024[0]) as { chat_messages: Array<Record<string, unknown>> };
    for (const m of raw.chat_messages) delete m.created_at;
    const undated = parseClaudeConversation(raw);
    expect(undated.messages.map((m) => m.id?.slice(-2))).toEqual(['03', '02', '01', '04', '05', '06']);
    expect(undated.metadata.orderedByTime).toBeUndefined();
  });
});

describe('Claude conversation-level fields', () => {
  const c = parseClaudeConversation(export2024[1]);

  it('keeps the project, the model and the settings, and follows current_leaf_message_uuid', () => {
    expect(c.metadata).toMatchObject({
      model: 'claude-3-5-sonnet-20241022',
      project: { uuid: '9d6f1a20-7c1b-4c55-b0a2-3e1f00000001', name: 'Grant writing' },
      projectUuid: '9d6f1a20-7c1b-4c55-b0a2-3e1f00000001',
      isStarred: false,
    });
    // The newest leaf is the regenerated answer, but the person last looked at the other one.
    expect(c.messages.map((m) => m.id)).toEqual(['c2a1-0001', 'c2a1-0003']);
    const branches = c.metadata.branches as Array<{ messages: Array<{ id: string; parts?: unknown[] }> }>;
    expect(branches[0]?.messages[0]?.id).toBe('c2a1-0002');
    expect(branches[0]?.messages[0]?.parts).toEqual([{ type: 'thinking', text: '', metadata: { redacted: true } }]);
    expect(c.problems).toEqual([]);
  });

  it('treats an empty parent_message_uuid as the root, not as a missing parent', () => {
    const raw = structuredClone(export2024[1]) as { chat_messages: Array<Record<string, unknown>> };
    const first = raw.chat_messages[0];
    if (first !== undefined) first.parent_message_uuid = '';
    const parsed = parseClaudeConversation(raw);
    expect(parsed.messages.map((m) => m.id)).toEqual(['c2a1-0001', 'c2a1-0003']);
    expect(parsed.problems).toEqual([]);
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
