import { describe, expect, it } from 'vitest';
import { parseOpenAIConversation } from '../src/index';
import { collect, conversationsOf, fixtureJson, fixturePath, problemsOf } from './helpers';

describe('parseOpenAIConversation', () => {
  it('maps roles, content parts, tool calls and tool results', () => {
    const c = parseOpenAIConversation(fixtureJson('openai', 'conversation.json'));
    expect(c.externalId).toBe('chatcmpl-session-77');
    expect(c.title).toBe('Weather tool demo');
    expect(c.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'tool']);
    const [developer, user, call, result, answer, legacy] = c.messages;
    expect(developer).toEqual({ role: 'system', content: 'You are a weather bot.', metadata: { originalRole: 'developer' } });
    expect(user).toEqual({ role: 'user', content: "What's the weather like here?", parts: [{ type: 'image', url: 'https://example.com/sky.jpg' }] });
    expect(call).toMatchObject({ content: '', model: 'gpt-4o-2024-08-06', parts: [{ type: 'tool_call', id: 'call_abc', name: 'get_weather', input: { location: 'Berlin' } }] });
    expect(result).toMatchObject({ content: '{"temp": 12}', parts: [{ type: 'tool_result', id: 'call_abc', output: '{"temp": 12}' }] });
    expect(answer?.content).toBe("It's 12 °C in Berlin.");
    expect(legacy).toMatchObject({ role: 'tool', name: 'legacy_fn' });
    expect(c.problems.map((p) => p.reason)).toEqual(['message #7 has an unknown role "narrator"']);
  });

  it('accepts a bare list of messages as one conversation', () => {
    const c = parseOpenAIConversation(fixtureJson('openai', 'bare-messages.json'));
    expect(c.title).toBe('Bare question');
    expect(c.messages[1]).toEqual({ role: 'assistant', content: 'Bare answer', parts: [{ type: 'thinking', text: 'Thinking about it.' }] });
  });

  it('reads the role and text other tools write as author and text, and role names in any case', () => {
    const c = parseOpenAIConversation([
      { author: 'user', text: 'hi' },
      { role: ' ChatGPT ', content: 'hello' },
      { role: 'You', content: [{ type: 'text', text: 'part one' }, { type: 'text', text: 'part two' }] },
      { role: 'model', content: null, text: 'from text' },
    ]);
    expect(c.messages).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello' },
      // Separate text parts stay separate paragraphs.
      { role: 'user', content: 'part one\n\npart two' },
      { role: 'assistant', content: 'from text' },
    ]);
    expect(c.problems).toEqual([]);
  });

  it('says whether a message it leaves out had no role or an unknown one', () => {
    const c = parseOpenAIConversation([{ content: 'no role' }, { role: 'wizard', content: 'x' }, { author: { role: 'user' }, content: 'object author' }]);
    expect(c.messages).toEqual([]);
    expect(c.problems.map((p) => p.reason)).toEqual(['message #1 has no role', 'message #2 has an unknown role "wizard"', 'message #3 has no role']);
  });
});

describe('OpenAI message fields beside content', () => {
  const c = parseOpenAIConversation(fixtureJson('openai', 'search-audio-refusal.json'));
  const byIndex = (i: number) => c.messages[i];

  it('keeps URL citations, spoken answers, refusals and custom tool calls', () => {
    expect(byIndex(1)?.parts).toEqual([
      { type: 'citation', url: 'https://www.bbc.com/news/world-europe-123?utm_source=openai', title: 'Heatwave grips southern Europe - BBC News', metadata: { start: 53, end: 127 } },
    ]);
    expect(byIndex(3)).toMatchObject({
      content: 'Here is the top story: a heatwave grips southern Europe.',
      model: 'gpt-4o-audio-preview',
      parts: [{ type: 'attachment', id: 'audio_683d9f2c8b5481919f6e', text: 'Here is the top story: a heatwave grips southern Europe.', metadata: { audio: true } }],
    });
    expect(byIndex(5)).toMatchObject({ content: "I'm sorry, I can't help with that.", metadata: { refusal: true } });
    expect(byIndex(7)?.parts).toEqual([{ type: 'tool_call', id: 'call_sql_1', name: 'run_sql', input: 'select count(*) from orders' }]);
    expect(c.problems.map((p) => p.reason)).toEqual(["message #4: the spoken answer's audio (base64 in the file) was not kept; its transcript was"]);
  });
});

describe('readExport on OpenAI messages files', () => {
  it('reads a single conversation object', async () => {
    const items = await collect(fixturePath('openai', 'conversation.json'));
    expect(conversationsOf(items).map((c) => c.messages.length)).toEqual([6]);
    expect(items[0]).toMatchObject({ kind: 'conversation', source: 'openai' });
  });

  it('reads a list of conversations and a bare list of messages', async () => {
    const list = conversationsOf(await collect(fixturePath('openai', 'conversations-array.json')));
    expect(list.map((c) => c.title)).toEqual(['Hi', 'Second']);
    expect(list[1]?.messages[0]).toEqual({ role: 'user', content: 'Summarise this file', parts: [{ type: 'attachment', name: 'report.pdf', id: 'file-1' }] });
    const bare = conversationsOf(await collect(fixturePath('openai', 'bare-messages.json')));
    expect(bare.map((c) => c.messages.length)).toEqual([2]);
  });

  it('reads JSONL line by line, naming the bad line and keeping the others', async () => {
    const items = await collect(fixturePath('openai', 'train.jsonl'));
    expect(conversationsOf(items).map((c) => c.title)).toEqual(['What is 2+2?', 'Translate hello to French']);
    const problems = problemsOf(items);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.reason).toMatch(/^train\.jsonl line 2 is not valid JSON/);
  });
});
