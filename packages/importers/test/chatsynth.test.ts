import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  parseChatGPTConversation,
  parseChatSynthLog,
  parseClaudeConversation,
  type CanonicalConversation,
  type ChatSynthExport,
  type ChatSynthExportedLog,
  type ChatSynthImportedMetadata,
  type ChatSynthSingleExport,
} from '../src/index';
import { collect, conversationsOf, fixtureJson, problemsOf, tempDir } from './helpers';

/** What the API's export does with a stored chat log (written here from the type alone). */
function exportLog(id: string, source: string, conversation: CanonicalConversation): ChatSynthExportedLog {
  return {
    id,
    version: 3,
    source,
    externalId: conversation.externalId,
    title: conversation.title,
    summary: 'A summary',
    content: { messages: conversation.messages },
    metadata: conversation.metadata,
    tags: ['work', 'travel'],
    annotations: [
      { content: 'Check this', messageIndex: 1, quote: 'Rome', start: 0, end: 4, createdAt: '2025-05-01T10:00:00.000Z' },
      { content: 'Whole chat note', messageIndex: null, quote: null, start: null, end: null, createdAt: '2025-05-01T10:01:00.000Z' },
    ],
    createdAt: conversation.createdAt ?? '2025-05-01T00:00:00.000Z',
    updatedAt: conversation.updatedAt ?? '2025-05-01T00:00:00.000Z',
    startedAt: conversation.createdAt,
  };
}

const chatgpt = (fixtureJson('chatgpt', 'conversations.json') as unknown[]).slice(0, 3).map(parseChatGPTConversation);
const claude = parseClaudeConversation((fixtureJson('claude', 'conversations.json') as unknown[])[0]);
const originals = [...chatgpt, claude];
const logs = originals.map((c, i) => exportLog(`01900000-0000-7000-8000-00000000000${i}`, i < 3 ? 'chatgpt' : 'claude', c));

describe('ChatSynth export round trip', () => {
  const temp = tempDir();
  afterAll(temp.cleanup);

  it('re-imports an "export all" file with the same messages, ids, tags and annotations', async () => {
    const file: ChatSynthExport = { format: 'chatsynth', version: 1, exportedAt: '2025-05-02T00:00:00.000Z', chatlogs: logs };
    const path = temp.file('everything.json', JSON.stringify(file, null, 2));
    const items = await collect(path);
    expect(problemsOf(items)).toEqual([]);
    const back = conversationsOf(items);
    expect(items.every((i) => i.kind === 'conversation' && i.source === 'chatsynth')).toBe(true);
    expect(back.map((c) => c.messages)).toEqual(originals.map((c) => c.messages));
    expect(back.map((c) => c.externalId)).toEqual(originals.map((c) => c.externalId));
    expect(back.map((c) => c.title)).toEqual(originals.map((c) => c.title));
    const meta = back[0]?.metadata.chatsynth as ChatSynthImportedMetadata;
    expect(meta).toEqual({
      id: '01900000-0000-7000-8000-000000000000',
      version: 3,
      source: 'chatgpt',
      summary: 'A summary',
      startedAt: '2024-05-01T08:00:00.123Z',
      tags: ['work', 'travel'],
      annotations: logs[0]?.annotations,
    });
    expect(back[0]?.metadata.branches).toEqual(originals[0]?.metadata.branches);
  });

  it('re-imports a single-chat export, falling back to the log id when there is no externalId', async () => {
    const log = { ...exportLog('01900000-0000-7000-8000-0000000000ff', 'manual', claude), externalId: null };
    const file: ChatSynthSingleExport = { format: 'chatsynth', version: 1, chatlog: log };
    const items = await collect(temp.file('one.json', JSON.stringify(file)));
    const [conversation] = conversationsOf(items);
    expect(conversation?.externalId).toBe('01900000-0000-7000-8000-0000000000ff');
    expect(conversation?.messages).toEqual(claude.messages);
  });

  it('notes a newer version, and reports invalid messages and parts without dropping the rest', async () => {
    const log = exportLog('x', 'manual', chatgpt[0] as CanonicalConversation);
    const messages: unknown[] = [
      ...log.content.messages,
      { role: 'robot', content: 'who' },
      { role: 'user', content: 42 },
      { role: 'user', content: 'kept', parts: [{ type: 'hologram' }, { type: 'code', text: 'x', language: 'js' }] },
    ];
    const file = { format: 'chatsynth', version: 2, exportedAt: 'now', chatlogs: [{ ...log, content: { messages } }] };
    writeFileSync(temp.file('v2.json'), JSON.stringify(file));
    const items = await collect(temp.file('v2.json'));
    expect(problemsOf(items).map((p) => p.reason)).toEqual([expect.stringMatching(/version 2; this version reads version 1/)]);
    const [conversation] = conversationsOf(items);
    expect(conversation?.messages.at(-1)).toEqual({ role: 'user', content: 'kept', parts: [{ type: 'code', text: 'x', language: 'js' }] });
    expect(conversation?.problems.map((p) => p.reason)).toEqual([
      'message #3 has an unknown role "robot"',
      'message #4 has content 42, which is not text',
      'message #5: part #1 ("hologram") is not a known part type and was left out',
    ]);
  });

  it('passes annotation positions on as numbers for the API to check, and names one that is not a number', () => {
    const log = exportLog('01900000-0000-7000-8000-0000000000aa', 'manual', claude);
    const c = parseChatSynthLog({
      ...log,
      version: 'three',
      annotations: [
        { content: 'Before the start', messageIndex: -1, quote: null, start: null, end: null },
        { content: 'Half a message', messageIndex: 0.5, quote: null, start: 2, end: 1 },
        { content: 'Named by text', messageIndex: '1', quote: null, start: null, end: null },
        { content: 'A quote that is a number', messageIndex: 1, quote: 42, start: null, end: null },
      ],
    });
    const meta = c.metadata.chatsynth as ChatSynthImportedMetadata;
    expect(meta.version).toBeNull();
    expect(meta.annotations.map((a) => [a.content, a.messageIndex, a.start, a.end])).toEqual([
      ['Before the start', -1, null, null],
      ['Half a message', 0.5, 2, 1],
    ]);
    expect(c.problems.map((p) => p.reason)).toEqual([
      'annotation #3 has messageIndex "1", which is not a number, and was not imported',
      'annotation #4 has quote 42, which is not text, and was not imported',
    ]);
  });

  it('parses a log object directly', () => {
    const c = parseChatSynthLog(logs[3]);
    expect(c.messages).toEqual(claude.messages);
    expect(c.createdAt).toBe(claude.createdAt);
  });
});
