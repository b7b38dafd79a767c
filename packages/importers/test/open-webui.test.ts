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
