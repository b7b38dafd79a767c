// One huge string, one heavy or broken conversation: the conversations around it are still read, it
// is named in the report, and memory stays bounded. Each export is generated as it is written to
// disk, never held whole, so the test measures the reader and not its own data.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { CONTENT_LIMITS, type ExportItem } from '../src/index';
import { chatgptConversation } from '../src/testing';
import { buildZip, collect, conversationsOf, problemsOf, tempDir } from './helpers';

const temp = tempDir();
afterAll(temp.cleanup);

const MB = 1024 * 1024;

/** Text written to disk as it is produced: `bytes` bytes made of `unit` repeated. */
type Run = { unit: string; bytes: number };

async function writeFile(name: string, pieces: Array<string | Run>): Promise<string> {
  const path = temp.file(name);
  const out = createWriteStream(path);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  for (const piece of pieces) {
    if (typeof piece === 'string') {
      await write(piece);
      continue;
    }
    const block = piece.unit.repeat(Math.max(1, Math.floor(MB / piece.unit.length)));
    let written = 0;
    while (written + block.length <= piece.bytes) {
      await write(block);
      written += block.length;
    }
    await write(piece.unit.repeat(Math.ceil((piece.bytes - written) / piece.unit.length)));
  }
  out.end();
  await once(out, 'finish');
  return path;
}

/** A ChatGPT conversation as JSON text, its user message split around `@@TEXT@@` to take a Run. */
function conversationAround(id: string, title: string): [string, string] {
  const json = JSON.stringify(chatgptConversation({ id, title, turns: [{ user: '@@TEXT@@', assistant: 'That is a lot to read.' }] }));
  return json.split('"@@TEXT@@"').map((side, i) => (i === 0 ? `${side}"` : `"${side}`)) as [string, string];
}

const before = JSON.stringify(chatgptConversation({ id: 'before', title: 'Before the huge one', turns: [{ user: 'Hello', assistant: 'Hi there' }] }));
const after = JSON.stringify(chatgptConversation({ id: 'after', title: 'After the huge one', turns: [{ user: 'Again', assistant: 'Still here' }] }));

/** Reads the export while sampling RSS. */
async function collectMeasuringRss(path: string): Promise<{ items: ExportItem[]; growth: number }> {
  const start = process.memoryUsage.rss();
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  try {
    const items = await collect(path);
    return { items, growth: Math.max(peak, process.memoryUsage.rss()) - start };
  } finally {
    clearInterval(timer);
  }
}

const userText = (items: ExportItem[], title: string) => conversationsOf(items).find((c) => c.title === title)?.messages.find((m) => m.role === 'user')?.content;

describe('a conversation with one huge string', () => {
  it('keeps a 300 MB message cut to the content bound, says so, and reads the conversations around it', { timeout: 120_000 }, async () => {
    // A pasted JSON dump: escaped quotes and newlines, short runs between them. On main the
    // tokenizer's builder grew one array element per byte: "Invalid array length" near 160 MB, RSS
    // past 2 GB, and the huge conversation and everything after it lost.
    const row = JSON.stringify(`${JSON.stringify({ id: 123456, name: 'row 123456', ok: true })}\n`).slice(1, -1);
    const [head, tail] = conversationAround('huge', 'The huge paste');
    const path = await writeFile('pasted-dump.json', ['[', before, ',', head, { unit: row, bytes: 300 * MB }, tail, ',', after, ']']);

    const { items, growth } = await collectMeasuringRss(path);

    expect(conversationsOf(items).map((c) => c.title)).toEqual(['Before the huge one', 'The huge paste', 'After the huge one']);
    const text = userText(items, 'The huge paste') ?? '';
    expect(text).toHaveLength(CONTENT_LIMITS.messageContent);
    expect(text.startsWith('{"id":123456,"name":"row 123456","ok":true}\n{"id"')).toBe(true);
    const huge = conversationsOf(items).find((c) => c.title === 'The huge paste');
    expect(huge?.problems.map((p) => p.reason)).toEqual([
      expect.stringMatching(
        /^a text of 2\d\d\.\d MB \(at mapping\.huge-user-0\.message\.content\.parts\[0\]\) is longer than the 8,000,000 characters one text may have; only its first 2,000,000 characters were imported$/,
      ),
    ]);
    expect(problemsOf(items)).toEqual([]);
    // Measured at 80 MB here (main: over 1.9 GB before it failed).
    expect(growth).toBeLessThan(400 * MB);
  });

  it('cuts plain text at the bound without splitting a surrogate pair', { timeout: 60_000 }, async () => {
    // 8 MB of prose past the string bound, with an emoji straddling the 2,000,000th code unit.
    const [head, tail] = conversationAround('prose', 'Long prose');
    const prefix = 'x'.repeat(CONTENT_LIMITS.messageContent - 1);
    const path = await writeFile('prose.json', ['[', before, ',', head, prefix, '😀', { unit: 'All work and no play. ', bytes: 8 * MB }, tail, ',', after, ']']);

    const items = await collect(path);

    expect(conversationsOf(items).map((c) => c.title)).toEqual(['Before the huge one', 'Long prose', 'After the huge one']);
    const text = userText(items, 'Long prose') ?? '';
    expect(text).toBe(prefix);
    expect(text.isWellFormed()).toBe(true);
  });

  it('keeps a text under the string bound whole, for the writer to fit to the content bound', async () => {
    const [head, tail] = conversationAround('long', 'Long but whole');
    const path = await writeFile('whole.json', ['[', head, { unit: 'abc ', bytes: 3 * MB }, tail, ']']);
    const items = await collect(path);
    expect(userText(items, 'Long but whole')).toHaveLength(3 * MB);
    expect(conversationsOf(items)[0]?.problems).toEqual([]);
  });

  it('reads a conversation with bytes that are not UTF-8 and the ones after it', async () => {
    // On main the tokenizer's strict decoder ended the whole document at the first bad byte. The
    // first conversation is long enough that format detection, which reads the head, sees none.
    const [first, firstTail] = conversationAround('first', 'A long first one');
    const [head, tail] = conversationAround('latin1', 'Pasted from a Latin-1 file');
    const path = temp.file(
      'latin1.json',
      Buffer.concat([
        Buffer.from(`[${first}${'Plain text. '.repeat(20_000)}${firstTail},${head}Caf`),
        Buffer.from([0xe9, 0x20, 0xe0]),
        Buffer.from(` la carte${tail},${after}]`),
      ]),
    );

    const items = await collect(path);

    expect(conversationsOf(items).map((c) => c.title)).toEqual(['A long first one', 'Pasted from a Latin-1 file', 'After the huge one']);
    expect(userText(items, 'Pasted from a Latin-1 file')).toBe('Caf\uFFFD \uFFFD la carte');
    expect(conversationsOf(items)[1]?.problems.map((p) => p.reason)).toEqual([
      'a text (at mapping.latin1-user-0.message.content.parts[0]) holds bytes that are not UTF-8; they were imported as \uFFFD',
    ]);
  });
});

describe('a conversation too heavy or too deep to hold', () => {
  it('leaves it out by name and reads the conversations around it', { timeout: 60_000 }, async () => {
    // 4.5 million empty lists in one field: 13 MB of file, several hundred MB of objects once built.
    const heavy = chatgptConversation({ id: 'heavy', title: 'Heavy with junk', turns: [{ user: 'Hi', assistant: 'Hello' }] });
    const [start, end] = JSON.stringify({ ...heavy, moderation_results: '@@JUNK@@' }).split('"@@JUNK@@"') as [string, string];
    const path = await writeFile('heavy.json', ['[', before, ',', start, '[[]', { unit: ',[]', bytes: 13.5 * MB }, ']', end, ',', after, ']']);

    const items = await collect(path);

    expect(conversationsOf(items).map((c) => c.title)).toEqual(['Before the huge one', 'After the huge one']);
    expect(problemsOf(items)).toEqual([
      {
        conversation: '"Heavy with junk"',
        reason: expect.stringMatching(
          /^heavy\.json entry 2 takes 13\.\d MB of the file and would need more than the 256\.0 MB of memory one conversation may take to read; it was left out, the conversations around it were read$/,
        ),
      },
    ]);
  });

  it('reads a value nested thousands of levels deep as null, and says so', async () => {
    // Downstream, JSON.stringify and the schemas walk values recursively and overflow the stack.
    const deep = chatgptConversation({ id: 'deep', title: 'Deep', turns: [{ user: 'Hi', assistant: 'Hello' }] });
    const [start, end] = JSON.stringify({ ...deep, plugin_ids: '@@DEEP@@' }).split('"@@DEEP@@"') as [string, string];
    const path = await writeFile('deep.json', ['[', before, ',', start, '['.repeat(100_000), ']'.repeat(100_000), end, ',', after, ']']);

    const items = await collect(path);

    expect(conversationsOf(items).map((c) => c.title)).toEqual(['Before the huge one', 'Deep', 'After the huge one']);
    expect(conversationsOf(items)[1]?.messages).toHaveLength(2);
    expect(conversationsOf(items)[1]?.problems.map((p) => p.reason)).toEqual([
      'a value (at plugin_ids[0][0][0][0][0]…[0][0][0][0]) nests deeper than 512 levels and was left out',
    ]);
  });
});

describe('JSON Lines', () => {
  const line = (content: string) => JSON.stringify({ messages: [{ role: 'user', content }, { role: 'assistant', content: 'Noted.' }] });

  it('reads a 70 MB line with the bounds of a JSON document instead of skipping it', { timeout: 60_000 }, async () => {
    // On main a line over 64 MB was skipped whole ("longer than 67108864 bytes"), its conversation unnamed.
    const [head, tail] = line('@@TEXT@@').split('@@TEXT@@') as [string, string];
    const path = await writeFile('train.jsonl', [line('first'), '\n', head, { unit: 'log line 42: ok ', bytes: 70 * MB }, tail, '\n', line('last'), '\n']);

    const items = await collect(path);

    const conversations = conversationsOf(items);
    expect(conversations.map((c) => c.messages[0]?.content.length)).toEqual([5, CONTENT_LIMITS.messageContent, 4]);
    expect(conversations[1]?.problems.map((p) => p.reason)).toEqual([
      expect.stringMatching(/^a text of 70\.0 MB \(at messages\[0\]\.content\) is longer than the 8,000,000 characters/),
    ]);
    expect(problemsOf(items)).toEqual([]);
  });

  it('leaves out a line too heavy to hold, and reads the others', { timeout: 60_000 }, async () => {
    const path = await writeFile('heavy.jsonl', [line('first'), '\n', '{"messages": [[]', { unit: ',[]', bytes: 13.5 * MB }, ']}\n', line('last'), '\n']);

    const items = await collect(path);

    expect(conversationsOf(items).map((c) => c.messages[0]?.content)).toEqual(['first', 'last']);
    expect(problemsOf(items)).toEqual([{ conversation: 'heavy.jsonl line 2', reason: expect.stringMatching(/^heavy\.jsonl line 2 takes 13\.\d MB of the file and would need more than/) }]);
  });
});

describe('a zip entry too big to read whole', () => {
  it('names a Markdown file over 64 MB and reads the other files', { timeout: 60_000 }, async () => {
    const transcript = (text: string) => `## User\n\n${text}\n\n## Assistant\n\nNoted.\n`;
    const huge = Buffer.concat([Buffer.from(transcript('a long paste:')), Buffer.alloc(65 * MB, 'a')]);
    const path = temp.file(
      'notes.zip',
      buildZip([
        { name: 'notes/a-first.md', data: transcript('first') },
        { name: 'notes/b-huge.md', data: huge, store: true },
        { name: 'notes/c-last.md', data: transcript('last') },
      ]),
    );

    const items = await collect(path);

    expect(conversationsOf(items).map((c) => c.messages[0]?.content)).toEqual(['first', 'last']);
    expect(problemsOf(items)).toEqual([
      { conversation: 'b-huge.md', reason: 'b-huge.md is 65 MB; Markdown transcripts over 64 MB are not read. Split it into smaller files.' },
    ]);
  });
});
