import { readFileSync, statSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { detectFormat, ImportFormatError } from '../src/index';
import { buildZip, collect, conversationsOf, fixturePath, problemsOf, tempDir } from './helpers';

const temp = tempDir();
afterAll(temp.cleanup);

const chatgptJson = readFileSync(fixturePath('chatgpt', 'conversations.json'), 'utf8');
const chatgptList = JSON.parse(chatgptJson) as unknown[];
const claudeJson = readFileSync(fixturePath('claude', 'conversations.json'), 'utf8');
const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

function zipFile(name: string, entries: Parameters<typeof buildZip>[0]): string {
  return temp.file(name, buildZip(entries));
}

describe('ChatGPT zips', () => {
  const layout = [
    { name: 'conversations.json', data: chatgptJson },
    { name: 'chat.html', data: '<html><body>chat</body></html>' },
    { name: 'user.json', data: '{"id":"user-1","email":"ada@example.com"}' },
    { name: 'message_feedback.json', data: '[]' },
    { name: 'model_comparisons.json', data: '[]' },
    { name: 'shared_conversations.json', data: '[]' },
    { name: 'file-Upl0adedSales-sales.png', data: png, store: true },
    { name: 'dalle-generations/file-DaLLe0001-1234.webp', data: png, store: true },
  ];

  it('reads conversations.json from the export zip', async () => {
    const path = zipFile('chatgpt.zip', layout);
    expect(await detectFormat(path)).toBe('chatgpt');
    const progress: number[] = [];
    const items = await collect(path, { onProgress: (bytes) => progress.push(bytes) });
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(statSync(path).size);
    expect(conversationsOf(items)).toHaveLength(6);
    expect(problemsOf(items)).toHaveLength(1);
  });

  it('reads a zip whose files sit in one top-level folder', async () => {
    const path = zipFile('chatgpt-folder.zip', layout.map((e) => ({ ...e, name: `chatgpt-export-2025-05-01/${e.name}` })));
    expect(await detectFormat(path)).toBe('chatgpt');
    expect(conversationsOf(await collect(path))).toHaveLength(6);
  });

  it('reads shards in manifest order and reports a shard the manifest names but the zip lacks', async () => {
    const manifest = {
      export_version: 2,
      created_at: '2025-05-01T00:00:00Z',
      conversations: [
        { path: 'conversations-000.json', conversation_count: 2 },
        { file: 'conversations-001.json', conversation_count: 2 },
        { name: 'conversations-002.json', conversation_count: 3 },
      ],
    };
    const path = zipFile('sharded.zip', [
      { name: 'export_manifest.json', data: JSON.stringify(manifest) },
      { name: 'conversations-000.json', data: JSON.stringify(chatgptList.slice(0, 2)) },
      { name: 'conversations-002.json', data: JSON.stringify(chatgptList.slice(4)) },
      { name: 'user.json', data: '{}' },
    ]);
    expect(await detectFormat(path)).toBe('chatgpt');
    const items = await collect(path);
    expect(items[0]).toEqual({
      kind: 'problem',
      problem: { reason: 'export_manifest.json names conversations-001.json, but the zip file has no such file; its conversations are missing' },
    });
    expect(conversationsOf(items).map((c) => c.title)).toEqual(['Capital cities', 'Sales analysis and a chart', 'Corrupted tree', 'Dangling pointer']);
  });

  it('accepts a manifest that is a plain list of names, and shards without any manifest', async () => {
    const listed = zipFile('listed.zip', [
      { name: 'export_manifest.json', data: JSON.stringify(['conversations-001.json', 'conversations-000.json']) },
      { name: 'conversations-000.json', data: JSON.stringify(chatgptList.slice(0, 1)) },
      { name: 'conversations-001.json', data: JSON.stringify(chatgptList.slice(1, 2)) },
    ]);
    expect(conversationsOf(await collect(listed)).map((c) => c.title)).toEqual(['Sales analysis and a chart', 'Capital cities']);
    const bare = zipFile('bare-shards.zip', [
      { name: 'conversations-001.json', data: JSON.stringify(chatgptList.slice(1, 2)) },
      { name: 'conversations-000.json', data: JSON.stringify(chatgptList.slice(0, 1)) },
    ]);
    expect(conversationsOf(await collect(bare)).map((c) => c.title)).toEqual(['Capital cities', 'Sales analysis and a chart']);
  });

  it('tells ChatGPT from Claude by the neighbours when conversations.json is an empty list', async () => {
    const empty = zipFile('empty-chatgpt.zip', [{ name: 'conversations.json', data: '[]' }, { name: 'user.json', data: '{}' }]);
    expect(await detectFormat(empty)).toBe('chatgpt');
    expect(await collect(empty)).toEqual([]);
  });
});

describe('Claude, Takeout and bundle zips', () => {
  it('reads a Claude export zip', async () => {
    const path = zipFile('claude.zip', [
      { name: 'conversations.json', data: claudeJson },
      { name: 'users.json', data: readFileSync(fixturePath('claude', 'users.json')) },
      { name: 'projects.json', data: readFileSync(fixturePath('claude', 'projects.json')) },
    ]);
    expect(await detectFormat(path)).toBe('claude');
    const items = await collect(path);
    expect(conversationsOf(items)).toHaveLength(2);
    expect(items.filter((i) => i.kind === 'conversation').every((i) => i.kind === 'conversation' && i.source === 'claude')).toBe(true);
  });

  it('finds the Gemini activity inside a Takeout archive', async () => {
    const activity = readFileSync(fixturePath('gemini', 'Takeout', 'My Activity', 'Gemini Apps', 'MyActivity.json'));
    const path = zipFile('takeout.zip', [
      { name: 'Takeout/archive_browser.html', data: '<html></html>' },
      { name: 'Takeout/My Activity/Gemini Apps/MyActivity.json', data: activity },
    ]);
    expect(await detectFormat(path)).toBe('gemini');
    expect(conversationsOf(await collect(path))).toHaveLength(7);
  });

  it('asks for JSON when Takeout holds the activity as HTML only', async () => {
    const path = zipFile('takeout-html.zip', [{ name: 'Takeout/My Activity/Gemini Apps/MyActivity.html', data: '<html></html>' }]);
    await expect(collect(path)).rejects.toThrow(/choose|"JSON" format/);
  });

  it('reads a bundle of single-chat files and reports the file it cannot read', async () => {
    const path = zipFile('bundle.zip', [
      { name: 'chats/one.md', data: readFileSync(fixturePath('markdown', 'chatgpt-transcript.md')) },
      { name: 'chats/two.json', data: readFileSync(fixturePath('librechat', 'flat.json')) },
      { name: 'chats/notes.txt', data: 'shopping list: milk' },
      { name: '__MACOSX/chats/._one.md', data: 'junk' },
    ]);
    const items = await collect(path);
    expect(items.filter((i) => i.kind === 'conversation').map((i) => i.kind === 'conversation' && i.source)).toEqual(['markdown', 'librechat']);
    expect(problemsOf(items).map((p) => p.reason)).toEqual([expect.stringMatching(/^notes\.txt in the zip file was skipped: it is text without chat turns/)]);
  });
});

describe('zip limits', () => {
  it('refuses more entries than maxEntries before inflating anything', async () => {
    const entries = Array.from({ length: 5 }, (_, i) => ({ name: `conversations-00${i}.json`, data: '[]' }));
    const path = zipFile('many.zip', entries);
    await expect(collect(path, { limits: { maxEntries: 4 } })).rejects.toThrow(/has 5 entries, more than the 4/);
  });

  it('refuses the default limit of 10,000 entries', async () => {
    const entries = Array.from({ length: 10_001 }, (_, i) => ({ name: `f/${i}.txt`, data: '', store: true }));
    const path = zipFile('ten-thousand.zip', entries);
    const error = await collect(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFormatError);
    expect((error as Error).message).toMatch(/10001 entries, more than the 10000/);
  });

  it('refuses an entry that inflates past the compression ratio', async () => {
    const bomb = `[${' '.repeat(4 * 1024 * 1024)}]`;
    const path = zipFile('ratio.zip', [{ name: 'conversations.json', data: bomb }, { name: 'user.json', data: '{}' }]);
    await expect(collect(path)).rejects.toThrow(/inflates more than 100 times its compressed size/);
  });

  it('stops inflating an entry whose header understates its size, reporting it as damaged', async () => {
    const bomb = `[${' '.repeat(4 * 1024 * 1024)}]`;
    const path = zipFile('lying.zip', [{ name: 'conversations.json', data: bomb, declaredSize: 100 }, { name: 'user.json', data: '{}' }]);
    const items = await collect(path);
    // yauzl measures the inflated stream against the header and stops at the first excess chunk.
    expect(conversationsOf(items)).toEqual([]);
    expect(problemsOf(items).map((p) => p.reason)).toEqual([expect.stringMatching(/^conversations\.json breaks off .*too many bytes in the stream/)]);
  });

  it('refuses a zip whose total inflated size passes maxTotalUncompressedBytes', async () => {
    const path = zipFile('total.zip', [{ name: 'conversations.json', data: chatgptJson }, { name: 'user.json', data: '{}' }]);
    await expect(collect(path, { limits: { maxTotalUncompressedBytes: 10_000 } })).rejects.toThrow(/inflates to more than/);
  });

  it('reports a damaged zip as a format error', async () => {
    const whole = buildZip([{ name: 'conversations.json', data: chatgptJson }]);
    const path = temp.file('cut.zip', whole.subarray(0, Math.floor(whole.length / 2)));
    await expect(collect(path)).rejects.toThrow(/zip file could not be opened/);
  });
});
