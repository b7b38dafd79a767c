import { describe, expect, it } from 'vitest';
import { parseLibreChatConversation } from '../src/index';
import { collect, conversationsOf, fixtureJson, fixturePath } from './helpers';

describe('parseLibreChatConversation', () => {
  it('reads the flat list, following the newest leaf and keeping the sibling as a branch', () => {
    const c = parseLibreChatConversation(fixtureJson('librechat', 'flat.json'));
    expect(c.externalId).toBe('c0ffee00-1111-4222-8333-444455556666');
    expect(c.title).toBe('Regex help');
    expect(c.metadata).toMatchObject({ endpoint: 'openAI', model: 'gpt-4o' });
    expect(c.messages.map((m) => m.id)).toEqual(['lm-1', 'lm-3']);
    const [user, answer] = c.messages;
    expect(user).toMatchObject({ role: 'user', content: 'How do I match an email address?' });
    expect(user?.name).toBeUndefined();
    expect(answer).toMatchObject({ role: 'assistant', name: 'GPT-4o', model: 'gpt-4o', content: 'Use `\\S+@\\S+\\.\\S+` for a rough check.', metadata: { unfinished: true, endpoint: 'openAI' } });
    expect(answer?.parts).toEqual([
      { type: 'thinking', text: 'Emails are hard; keep it simple.' },
      { type: 'tool_call', id: 'call_9', name: 'regex_tester', input: { pattern: '\\S+@\\S+' }, output: 'ok' },
    ]);
    const branches = c.metadata.branches as Array<{ messages: Array<{ id: string }> }>;
    expect(branches.map((b) => b.messages.map((m) => m.id))).toEqual([['lm-2']]);
    expect(c.createdAt).toBe('2025-02-01T10:00:00.000Z');
  });

  it('reads recursive trees, from messagesTree or from children inside messages', () => {
    const [tree, nested] = (fixtureJson('librechat', 'recursive.json') as unknown[]).map(parseLibreChatConversation);
    expect(tree?.messages.map((m) => m.content)).toEqual(['Hi Claude', 'Hello! What can I do?', 'Tell me a joke', 'Why did the tree branch? It wanted to explore.']);
    expect(tree?.messages[3]?.metadata).toEqual({ error: true });
    expect(nested?.messages.map((m) => [m.role, m.content, m.model])).toEqual([
      ['user', 'One', undefined],
      ['assistant', 'Two', 'gpt-4'],
    ]);
  });

  it('is read by readExport as a single object and as a list', async () => {
    const single = await collect(fixturePath('librechat', 'flat.json'));
    expect(conversationsOf(single).map((c) => c.externalId)).toEqual(['c0ffee00-1111-4222-8333-444455556666']);
    const list = await collect(fixturePath('librechat', 'recursive.json'));
    expect(conversationsOf(list).map((c) => c.externalId)).toEqual(['tree-0001', 'tree-0002']);
    expect([...single, ...list].every((i) => i.kind === 'conversation' && i.source === 'librechat')).toBe(true);
  });
});

describe('LibreChat agents and assistants messages', () => {
  const c = parseLibreChatConversation(fixtureJson('librechat', 'agents.json'));
  const [question, answer] = c.messages;

  it('keeps the model of every message, the user\'s too', () => {
    expect(c.metadata).toMatchObject({ endpoint: 'agents', model: 'gpt-4o', agentId: 'agent_Xy12Zq' });
    expect(question?.metadata).toMatchObject({ model: 'gpt-4o' });
    expect(answer?.model).toBe('gpt-4o');
  });

  it('reads agent, function and code-interpreter tool calls, agent hand-offs and message attachments', () => {
    expect(answer?.content).toBe("Here is the plot of y = x².\n\nToday's Mars news: Perseverance found new rock samples.");
    expect(answer?.parts).toEqual([
      { type: 'thinking', text: 'Two tasks: plot with the code tool, then search.' },
      {
        type: 'tool_call',
        id: 'call_plot1',
        name: 'execute_code',
        input: { lang: 'py', code: "import matplotlib.pyplot as plt\nxs = range(-3, 4)\nplt.plot(xs, [x * x for x in xs])\nplt.savefig('/mnt/data/plot.png')" },
        output: 'Generated files:\n- /mnt/data/plot.png',
      },
      { type: 'tool_call', id: 'call_news1', name: 'news_search', input: { query: 'Mars' }, output: '[{"title":"Perseverance finds new rock samples"}]' },
      { type: 'tool_call', id: 'ci_count1', name: 'code_interpreter', input: 'len(headlines)', output: [{ type: 'logs', logs: '1' }] },
      { type: 'image', id: 'f-plot-0001', name: 'plot.png', url: '/images/6650f0c2/plot.png', mimeType: 'image/png', metadata: { toolCallId: 'call_plot1', width: 640, height: 480 } },
      { type: 'citation', url: 'https://mars.nasa.gov/news/', title: 'Mars Exploration News', metadata: { toolCallId: 'call_news1' } },
    ]);
    expect(answer?.metadata).toMatchObject({ agentUpdates: [{ index: 3, runId: 'run_8d7c', agentId: 'agent_News42' }] });
    expect(c.problems).toEqual([]);
  });
});

