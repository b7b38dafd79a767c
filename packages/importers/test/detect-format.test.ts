import { afterAll, describe, expect, it } from 'vitest';
import { detectFormat, ImportFormatError, type ImportFormat } from '../src/index';
import { buildZip, collect, fixturePath, tempDir } from './helpers';

const temp = tempDir();
afterAll(temp.cleanup);

describe('detectFormat', () => {
  const cases: Array<[string, string[]]> = [
    ['chatgpt', ['chatgpt', 'conversations.json']],
    ['claude', ['claude', 'conversations.json']],
    ['gemini', ['gemini', 'Takeout', 'My Activity', 'Gemini Apps', 'MyActivity.json']],
    ['openwebui', ['open-webui', 'chat-export-1717000000000.json']],
    ['librechat', ['librechat', 'flat.json']],
    ['librechat', ['librechat', 'recursive.json']],
    ['openai', ['openai', 'conversation.json']],
    ['openai', ['openai', 'conversations-array.json']],
    ['openai', ['openai', 'bare-messages.json']],
    ['openai', ['openai', 'train.jsonl']],
    ['markdown', ['markdown', 'chatgpt-transcript.md']],
    ['markdown', ['markdown', 'bold-transcript.md']],
    ['markdown', ['markdown', 'chatgpt-page-copy.txt']],
    ['markdown', ['markdown', 'labels.txt']],
  ];
  it.each(cases)('recognises %s from %j', async (format, segments) => {
    expect(await detectFormat(fixturePath(...segments))).toBe(format as ImportFormat);
  });

  it('ignores the file name and reads the content', async () => {
    const path = temp.file('conversations.json', '# Chat\n\n## User\n\nhi\n\n## Assistant\n\nhello\n');
    expect(await detectFormat(path)).toBe('markdown');
    const chatsynth = temp.file('export.md', JSON.stringify({ format: 'chatsynth', version: 1, exportedAt: 'x', chatlogs: [] }));
    expect(await detectFormat(chatsynth)).toBe('chatsynth');
  });

  it('recognises a ChatGPT conversation whose first node is larger than the 64 KB head', async () => {
    const big = [{ title: 'Big', create_time: 1, mapping: { root: { id: 'root', message: null, parent: null, children: [], padding: 'x'.repeat(200_000) } }, current_node: 'root' }];
    expect(await detectFormat(temp.file('big.json', JSON.stringify(big)))).toBe('chatgpt');
  });
});

describe('files that are not exports', () => {
  const garbage: Array<[string, string | Buffer, RegExp]> = [
    ['empty.json', '', /the file is empty/],
    ['binary.bin', Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x00, 0x42]), /binary data/],
    ['other.json', JSON.stringify([{ id: 1, name: 'not a chat' }]), /it is JSON, but its fields \(id, name\) match no supported export/],
    ['empty-list.json', '[]', /empty or unrecognised list/],
    ['prose.txt', 'Dear diary,\ntoday was fine.\n', /text without chat turns/],
    // Plain labels count only when both sides speak: one speaker's lines are a log, not a chat.
    ['boot.log', 'System: starting\nSystem: ready\nTool: ok\n', /text without chat turns/],
    ['image.png', Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex'), /binary data/],
    ['notes.zip', buildZip([{ name: 'readme.txt', data: 'hello' }]), /none of its files \(readme\.txt\) is a conversation export/],
    ['nothing.zip', buildZip([]), /it is empty/],
  ];
  it.each(garbage)('%s is refused with a clear ImportFormatError', async (name, content, message) => {
    const path = temp.file(name, content);
    const error = await collect(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFormatError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/Supported: ChatGPT, Claude/);
    await expect(detectFormat(path)).rejects.toThrow(ImportFormatError);
  });

  it('refuses a missing file and a folder', async () => {
    await expect(collect(temp.file('missing.json'))).rejects.toThrow(/could not be read/);
    await expect(collect(temp.dir)).rejects.toThrow(/is a folder/);
  });

  it('reads a file as the format it is told, even when detection would fail', async () => {
    const path = temp.file('forced.json', JSON.stringify([{ id: 1 }]));
    const items = await collect(path, { format: 'chatgpt' });
    expect(items).toEqual([{ kind: 'problem', problem: { reason: 'has no message tree ("mapping"); nothing could be imported', conversation: '1' } }]);
  });
});
