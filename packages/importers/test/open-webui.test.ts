import { describe, expect, it } from 'vitest';
import { parseOpenWebUIChat } from '../src/index';
import { collect, conversationsOf, fixtureJson, fixturePath, problemsOf } from './helpers';

const chats = fixtureJson('open-webui', 'chat-export-1717000000000.json') as unknown[];

describe('parseOpenWebUIChat', () => {
  it('walks history from currentId, keeping the regenerated answer as a branch', () => {
    const c = parseOpenWebUIChat(chats[0]);
    expect(c.externalId).toBe('5d2c9e1a-7b3f-4c1e-9a0d-0000000000a1');
    expect(c.createdAt).toBe('2024-05-29T13:40:00.000Z');
    expect(c.messages.map((m) => m.id)).toEqual(['q1', 'a2', 'q2', 'a3']);
    expect(c.messages[1]).toMatchObject({ role: 'assistant', model: 'qwen2.5:7b', name: 'Qwen 2.5 7B', createdAt: '2024-05-29T13:40:10.000Z' });
    expect(c.messages[1]?.parts).toEqual([{ type: 'citation', title: 'poetry.txt' }]);
    expect(c.messages[2]?.parts).toEqual([{ type: 'image', url: 'data:image/png;base64,iVBORw0KGgo=' }]);
    expect(c.messages[3]?.metadata).toEqual({ error: { content: 'Ollama: connection reset' } });
    const branches = c.metadata.branches as Array<{ forkAfter: string; afterMessageCount: number; messages: Array<{ id: string; model: string }> }>;
    expect(branches).toEqual([expect.objectContaining({ forkAfter: 'q1', afterMessageCount: 1, leafId: 'a1' })]);
    expect(branches[0]?.messages.map((m) => m.model)).toEqual(['llama3.1:8b']);
    expect(c.metadata).toMatchObject({ models: ['llama3.1:8b', 'qwen2.5:7b'], tags: ['poetry'], pinned: true });
    expect(c.problems).toEqual([]);
  });

  it('falls back to the flat messages list and names a message with an unknown role', () => {
    const c = parseOpenWebUIChat(chats[1]);
    expect(c.title).toBe('Ping');
    expect(c.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant']);
    expect(c.metadata).toMatchObject({ tags: ['test'], archived: true, folderId: 'f-1' });
    expect(c.problems.map((p) => p.reason)).toEqual(['message #4 has an unknown role "critic"']);
  });

  it('accepts a bare chat object without the export row around it', () => {
    const chat = (chats[0] as { chat: unknown }).chat;
    const c = parseOpenWebUIChat(chat);
    expect(c.messages.map((m) => m.id)).toEqual(['q1', 'a2', 'q2', 'a3']);
  });

  it('is read by readExport from its content', async () => {
    const items = await collect(fixturePath('open-webui', 'chat-export-1717000000000.json'));
    expect(conversationsOf(items)).toHaveLength(2);
    expect(items.every((i) => i.kind !== 'conversation' || i.source === 'openwebui')).toBe(true);
    expect(problemsOf(items)).toEqual([]);
  });
});

const newer = fixtureJson('open-webui', 'chat-export-1759834905000.json') as unknown[];

describe('Open WebUI output items and <details> blocks', () => {
  const c = parseOpenWebUIChat(newer[0]);
  const [, answer, , legacy] = c.messages;

  it('turns output[] into the answer plus thinking, tool call, tool result and citation parts', () => {
    expect(c.messages.map((m) => m.id)).toEqual(['u1', 'a1', 'u2', 'a2']);
    expect(answer?.content).toBe('It is 12 °C (53.6 °F) and cloudy in Berlin right now.');
    expect(answer?.parts).toEqual([
      {
        type: 'thinking',
        text: "**Checking the weather**\n\nThe user wants today's weather in Berlin, so I'll call the weather tool.",
        metadata: { duration: 4 },
      },
      { type: 'tool_call', id: 'call_Qm3kT9xv2Lz', name: 'get_current_weather', input: { city: 'Berlin', unit: 'celsius' } },
      {
        type: 'tool_result',
        id: 'call_Qm3kT9xv2Lz',
        name: 'get_current_weather',
        text: '{"temperature": 12, "conditions": "cloudy"}',
        output: { temperature: 12, conditions: 'cloudy' },
      },
      { type: 'tool_call', id: 'ci_68e4f1c9', name: 'code_interpreter', language: 'python', text: 'c = 12\nprint(c * 9 / 5 + 32)', input: 'c = 12\nprint(c * 9 / 5 + 32)' },
      { type: 'tool_result', id: 'ci_68e4f1c9', name: 'code_interpreter', text: '53.6', output: { stdout: '53.6\n', stderr: '', result: '' } },
      {
        type: 'citation',
        url: 'https://www.dwd.de/EN/weather/weather_climate_local/berlin/berlin_node.html',
        title: 'Deutscher Wetterdienst – Berlin',
        metadata: { start: 0, end: 47 },
      },
      { type: 'citation', url: 'https://www.timeanddate.com/weather/germany/berlin', title: 'Weather for Berlin, Germany' },
    ]);
    expect(c.messages[0]?.parts).toEqual([
      { type: 'attachment', url: '/api/v1/files/9a8b7c6d-1111-4222-8333-444455556666', name: 'trip-notes.pdf', id: '9a8b7c6d-1111-4222-8333-444455556666', size: 48213, mimeType: 'application/pdf' },
    ]);
    expect(answer?.metadata).toEqual({ feedback: { rating: 1, details: { rating: 9 }, reason: 'Accurate information', comment: 'Spot on.', tags: ['weather'] } });
    expect(legacy?.metadata).toEqual({ embeds: ['https://www.openstreetmap.org/export/embed.html?bbox=2.29,48.85,2.30,48.86&layer=mapnik'] });
    expect(c.problems).toEqual([]);
  });

  it("leaves <details> in a person's own message as written", () => {
    const written = 'Fold this:\n<details type="reasoning"><summary>Why</summary>because</details>';
    const parsed = parseOpenWebUIChat({ id: 'w-user', chat: { messages: [{ id: 'm1', role: 'user', content: written }] } });
    expect(parsed.messages[0]).toEqual({ role: 'user', id: 'm1', content: written });
  });

  it('reads a content list: text, images as parts, anything else named', () => {
    const parsed = parseOpenWebUIChat({
      id: 'w-list',
      chat: {
        messages: [
          {
            id: 'm1',
            role: 'user',
            content: [
              { type: 'text', text: 'What is in this picture?' },
              { type: 'image_url', image_url: { url: '/api/v1/files/1f2e3d4c/content' } },
              { type: 'input_audio', input_audio: { format: 'wav' } },
            ],
          },
        ],
      },
    });
    expect(parsed.messages[0]).toEqual({ role: 'user', id: 'm1', content: 'What is in this picture?', parts: [{ type: 'image', url: '/api/v1/files/1f2e3d4c/content' }] });
    expect(parsed.problems.map((p) => p.reason)).toEqual(['message #1: content part #3 has an unsupported type "input_audio"']);
  });

  it('reads the <details type="reasoning|tool_calls|code_interpreter"> HTML of builds without output[] into the same parts', () => {
    expect(legacy?.content).toBe('Paris is 15 °C and sunny. Here is the week: mild, 13–18 °C.');
    expect(legacy?.content).not.toContain('<details');
    expect(legacy?.parts).toEqual([
      { type: 'thinking', text: 'Paris next. I have a tool for that.\nThen a chart of the week.', metadata: { duration: 2 } },
      { type: 'tool_call', id: 'call_7Hd2', name: 'get_current_weather', input: { city: 'Paris' } },
      { type: 'tool_result', id: 'call_7Hd2', name: 'get_current_weather', text: '{"temperature": 15, "conditions": "sunny"}', output: { temperature: 15, conditions: 'sunny' } },
      { type: 'image', url: '/api/v1/files/5e6f7a8b-2222-4333-8444-555566667777/content' },
      {
        type: 'tool_call',
        name: 'code_interpreter',
        language: 'python',
        text: 'import matplotlib.pyplot as plt\nplt.plot([15, 16, 14, 13, 17, 18, 16])',
        input: 'import matplotlib.pyplot as plt\nplt.plot([15, 16, 14, 13, 17, 18, 16])',
      },
      { type: 'tool_result', name: 'code_interpreter', text: '<Figure size 640x480 with 1 Axes>', output: { stdout: '', stderr: '', result: '<Figure size 640x480 with 1 Axes>' } },
    ]);
  });

  it('reads the 0.5 tool_calls block (call list and results as attributes) and code_executions', () => {
    const dice = parseOpenWebUIChat(newer[1]);
    const reply = dice.messages[1];
    expect(reply?.content).toBe('You rolled a **16**.');
    expect(reply?.parts).toEqual([
      { type: 'thinking', text: 'Roll a d20.', metadata: { duration: 1 } },
      { type: 'tool_call', id: 'call_dice_1', name: 'dice_roll', input: { sides: 20 } },
      { type: 'tool_result', id: 'call_dice_1', name: 'dice_roll', text: '16', output: '16' },
      { type: 'tool_call', id: 'exec-1', name: 'code_interpreter', title: 'Check the roll', language: 'python', text: 'import random\nrandom.randint(1, 20)', input: 'import random\nrandom.randint(1, 20)' },
      { type: 'tool_result', id: 'exec-1', name: 'code_interpreter', text: '16', output: { output: '16', error: '', files: [{ name: 'roll.png', url: '/api/v1/files/77aa-roll/content' }] } },
      { type: 'image', name: 'roll.png', url: '/api/v1/files/77aa-roll/content' },
    ]);
    expect(dice.problems).toEqual([]);
  });

  it('names every output item and content part it cannot take, and keeps their text', () => {
    const chat = {
      id: 'w-unknown',
      chat: {
        history: {
          currentId: 'a',
          messages: {
            q: { id: 'q', parentId: null, role: 'user', content: 'Draft it', timestamp: 1759834800 },
            a: {
              id: 'a',
              parentId: 'q',
              role: 'assistant',
              content: 'Here is the draft.',
              timestamp: 1759834801,
              output: [
                { type: 'message', content: [{ type: 'output_text', text: 'Here is the draft.' }, { type: 'output_audio', transcript: 'x' }] },
                'garbage',
                { type: 'open_webui:document', id: 'doc-1', title: 'Draft', content: [{ type: 'output_text', text: 'Dear committee,' }] },
              ],
            },
          },
        },
      },
    };
    const parsed = parseOpenWebUIChat(chat);
    expect(parsed.messages[1]?.content).toBe('Here is the draft.\n\nDear committee,');
    expect(parsed.problems.map((p) => p.reason)).toEqual([
      'message a: output item #1 has a content part of unsupported type "output_audio"',
      'message a: output item #2 is "garbage", not an object',
      'message a: output item #3 has an unsupported type "open_webui:document"; its text was kept',
    ]);
  });
});

