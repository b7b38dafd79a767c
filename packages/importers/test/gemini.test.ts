import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { detectFormat, htmlToText, parseGeminiActivity } from '../src/index';
import { buildZip, collect, conversationsOf, fixtureJson, fixturePath, problemsOf, tempDir } from './helpers';

const temp = tempDir();
afterAll(temp.cleanup);

const activityPath = ['gemini', 'Takeout', 'My Activity', 'Gemini Apps', 'MyActivity.json'] as const;

describe('parseGeminiActivity', () => {
  const activity = parseGeminiActivity(fixtureJson(...activityPath));
  const byId = (id: string) => activity.conversations.find((c) => c.externalId === id);

  it('orders oldest first, groups rows that name the same conversation URL, and counts other products', () => {
    expect(activity.ignoredRows).toBe(1);
    expect(activity.conversations.map((c) => c.title)).toEqual([
      "what's 2+2",
      'Describe this photo',
      'Created Gemini Canvas titled Trip plan',
      'Summarise this contract',
      'How do I sort a list in Python?',
      'Plan a birthday party for a 6-year-old',
      'Explain the TCP handshake',
    ]);
    const grouped = byId('3f9a1c2b7d4e5f60');
    expect(grouped?.messages.map((m) => [m.role, m.content.split('\n')[0]])).toEqual([
      ['user', 'How do I sort a list in Python?'],
      ['assistant', '## Sorting'],
      ['user', 'and how do I sort it descending?'],
      ['assistant', 'Pass `reverse=True`:'],
    ]);
    expect(grouped?.createdAt).toBe('2025-04-02T10:00:00.123Z');
    expect(grouped?.updatedAt).toBe('2025-04-02T10:05:00.456Z');
  });

  it('reads the real id from /app/c/<id> URLs, so unrelated conversations stay apart', () => {
    expect(byId('a1b2c3d4e5f60718')?.messages.map((m) => m.content)).toEqual(['Plan a birthday party for a 6-year-old', 'Pick a theme, invite 8 friends, plan two games.']);
    expect(byId('0f1e2d3c4b5a6978')?.messages[0]?.content).toBe('Explain the TCP handshake');
    expect(byId('c')).toBeUndefined();
  });

  it('turns response HTML into Markdown-ish text with no tags left', () => {
    const grouped = byId('3f9a1c2b7d4e5f60');
    expect(grouped?.messages[1]?.content).toBe(
      '## Sorting\n\nUse **sorted()** & _list.sort()_:\n\n- sorted() returns a new list\n- list.sort() sorts in place\n\nSee [the HOWTO](https://docs.python.org/3/howto/sorting.html).',
    );
    expect(grouped?.messages[3]?.content).toBe('Pass `reverse=True`:\n\n```\nsorted(xs, reverse=True)\n# <done>\n```');
  });

  it('keeps the first of several drafts as the answer and the others in its metadata, never one merged answer', () => {
    const tcp = byId('0f1e2d3c4b5a6978');
    expect(tcp?.messages[1]?.content).toBe('The client sends **SYN**, the server answers **SYN-ACK**, the client sends **ACK**.');
    expect(tcp?.messages[1]?.metadata).toEqual({ otherDrafts: ['1. SYN\n2. SYN-ACK\n3. ACK'] });
  });

  it('does not make app actions user messages: kept with their conversation, or skipped with a count', () => {
    const canvas = activity.conversations[2];
    expect(canvas?.messages).toEqual([
      { role: 'assistant', content: '1. Day 1: Rome\n2. Day 2: Florence', createdAt: '2025-03-30T08:00:00.000Z', metadata: { activity: 'Created Gemini Canvas titled Trip plan' } },
    ]);
    expect(canvas?.metadata.activity).toBe('Created Gemini Canvas titled Trip plan');
    // The id is the one earlier versions gave this row, so re-importing the same Takeout adds nothing.
    expect(canvas?.externalId).toBe('gemini-activity:2025-03-30T08:00:00.000Z:6a965f72');
    expect(byId('3f9a1c2b7d4e5f60')?.metadata.activities).toEqual([{ time: '2025-04-02T10:06:00.000Z', title: 'Selected preferred draft' }]);
    const said = activity.conversations.flatMap((c) => c.messages.filter((m) => m.role === 'user').map((m) => m.content));
    expect(said.some((text) => /^(Created|Selected|Gave feedback)/.test(text))).toBe(false);
    expect(activity.problems).toEqual([
      { reason: 'activity row #12 is "not a row", not an object' },
      { reason: '1 Gemini activity rows were actions in the app, not messages, and name no conversation; they were skipped: "Gave feedback" ×1' },
    ]);
  });

  it('keeps attached files, given as names or as objects, under the names the person saw', () => {
    const [math, photo, , contract] = activity.conversations;
    expect(math?.messages).toEqual([{ role: 'user', content: "what's 2+2", createdAt: '2025-03-28T07:00:00.000Z' }]);
    expect(math?.externalId).toMatch(/^gemini-activity:2025-03-28T07:00:00.000Z:[0-9a-f]{8}$/);
    expect(photo?.messages[0]?.parts).toEqual([{ type: 'image', name: 'IMG_2041.jpg', metadata: { takeoutFile: 'IMG_2041-9c8b7a6d5e4f3a2b.jpg' } }]);
    expect(photo?.messages[1]?.content).toBe('A cat on a windowsill.\nIt looks content.');
    expect(contract?.messages[0]?.parts).toEqual([
      { type: 'attachment', name: 'contract.pdf', mimeType: 'application/pdf', metadata: { takeoutFile: 'contract-5b7c9d1e2f3a4b5c.pdf' } },
    ]);
  });

  it('names an attached file it cannot read instead of dropping it', () => {
    const rows = [
      { header: 'Gemini Apps', title: 'Prompted Look at these', time: '2025-04-01T12:00:00.000Z', products: ['Gemini Apps'], attachedFiles: [{ sizeBytes: 120 }, 42] },
    ];
    const result = parseGeminiActivity(rows);
    expect(result.conversations[0]?.messages[0]?.parts).toEqual([{ type: 'attachment' }]);
    expect(result.problems.map((p) => p.reason)).toEqual([
      'activity row #1: attached file #1 names no file (fields: sizeBytes); it was kept as an unnamed attachment',
      'activity row #1: attached file #2 is 42, not a file',
    ]);
  });
});

describe('Gemini Takeout in another language', () => {
  const activity = parseGeminiActivity(fixtureJson('gemini', 'ja', 'MyActivity.json'));

  it('reads rows whose header, products and prompt label are Japanese', () => {
    expect(activity.ignoredRows).toBe(1);
    expect(activity.conversations.map((c) => c.title)).toEqual(['Gemini Canvas「旅行プラン」を作成しました', 'この写真の料理は何ですか？', '東京でおすすめのラーメン屋は？']);
    const ramen = activity.conversations[2];
    expect(ramen?.externalId).toBe('8f3a2b1c9d0e4f57');
    expect(ramen?.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', '東京でおすすめのラーメン屋は？'],
      ['assistant', '- 一蘭（豚骨）\n- すみれ（味噌）'],
      ['user', '味噌ラーメンとの違いは？'],
      ['assistant', '豚骨は**白濁した**スープ、味噌は_発酵した_コクが特徴です。'],
    ]);
    expect(ramen?.messages[1]?.metadata).toEqual({ otherDrafts: ['豚骨なら一蘭、味噌ならすみれがおすすめです。'] });
    expect(ramen?.metadata.activities).toEqual([{ time: '2025-05-10T03:11:00.000Z', title: '優先する下書きを選択しました' }]);
    expect(activity.conversations[1]?.messages[0]?.parts).toEqual([{ type: 'image', name: 'ramen.jpg', metadata: { takeoutFile: 'ramen-4e5f6a7b8c9d0e1f.jpg' } }]);
    expect(activity.conversations[0]?.messages.map((m) => m.role)).toEqual(['assistant']);
    expect(activity.problems.map((p) => p.reason)).toEqual([
      '1 Gemini activity rows were actions in the app, not messages, and name no conversation; they were skipped: "フィードバックを送信しました" ×1',
    ]);
  });

  it('learns a prompt label it does not know from the rows that carry it', () => {
    const row = (title: string, time: string, answer?: string) => ({
      header: 'Gemini-Apps',
      title,
      time,
      products: ['Gemini-Apps'],
      activityControls: ['Gemini-Apps-Aktivität'],
      ...(answer === undefined ? {} : { safeHtmlItem: [{ html: `<p>${answer}</p>` }] }),
    });
    const result = parseGeminiActivity([
      row('Eingegebener Prompt: Wie spät ist es in Tokio?', '2025-06-01T10:03:00.000Z', '17 Uhr.'),
      row('Feedback gegeben: Gute Antwort', '2025-06-01T10:02:00.000Z'),
      row('Eingegebener Prompt: Was ist 2+2?', '2025-06-01T10:01:00.000Z', '4.'),
      row('Eingegebener Prompt: Und 3+3?', '2025-06-01T10:00:00.000Z'),
    ]);
    expect(result.conversations.map((c) => c.messages[0]?.content)).toEqual(['Und 3+3?', 'Was ist 2+2?', 'Wie spät ist es in Tokio?']);
    expect(result.problems.map((p) => p.reason)).toEqual([
      '1 Gemini activity rows were actions in the app, not messages, and name no conversation; they were skipped: "Feedback gegeben" ×1',
    ]);
  });

  it('takes a row Gemini answered as a prompt, whole, when no label can be learned', () => {
    const result = parseGeminiActivity([
      { header: 'Gemini 앱', title: '여동생은 간호사예요', time: '2025-06-01T10:00:00.000Z', products: ['Gemini 앱'], safeHtmlItem: [{ html: '<p>좋네요</p>' }] },
      { header: 'Gemini 앱', title: '알림 설정됨', time: '2025-06-01T09:00:00.000Z', products: ['Gemini 앱'] },
    ]);
    expect(result.conversations.map((c) => c.messages.map((m) => m.content))).toEqual([['여동생은 간호사예요', '좋네요']]);
    expect(result.problems.map((p) => p.reason)).toEqual(['1 Gemini activity rows were actions in the app, not messages, and name no conversation; they were skipped: "알림 설정됨" ×1']);
  });
});

describe('htmlToText', () => {
  it('drops scripts, styles and comments, decodes entities, and never passes a tag through', () => {
    const text = htmlToText('<style>p{}</style><!-- c --><p>a &lt;b&gt; &#x1F600; &#65; &bogus; &nbsp;x</p><div onclick="x()">y <img src="javascript:alert(1)" alt="pic"></div>');
    expect(text).toBe('a <b> 😀 A &bogus; x\n\ny pic');
  });

  it('keeps nested lists and tables readable and survives stray angle brackets', () => {
    expect(htmlToText('<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>')).toBe('- a\n  - b\n- c');
    expect(htmlToText('<table><tr><th>k</th><th>v</th></tr><tr><td>1</td><td>2</td></tr></table>')).toBe('| k | v\n| 1 | 2');
    expect(htmlToText('1 < 2 and <b>bold</b> <unclosed')).toBe('1 < 2 and **bold** <unclosed');
  });

  it('stays fast on pathological input', () => {
    const started = performance.now();
    htmlToText('<a '.repeat(50_000) + '<!--'.repeat(10_000));
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('readExport on a Takeout activity file', () => {
  it('yields the Gemini conversations and notes the skipped rows', async () => {
    const items = await collect(fixturePath(...activityPath));
    expect(conversationsOf(items)).toHaveLength(7);
    expect(problemsOf(items).map((p) => p.reason)).toEqual([
      'activity row #12 is "not a row", not an object',
      '1 Gemini activity rows were actions in the app, not messages, and name no conversation; they were skipped: "Gave feedback" ×1',
      '1 activity rows of other Google products were skipped; only Gemini Apps rows are conversations',
    ]);
  });

  it('detects and reads a Japanese export, alone or in a Takeout zip whose folders are translated', async () => {
    const path = fixturePath('gemini', 'ja', 'MyActivity.json');
    expect(await detectFormat(path)).toBe('gemini');
    expect(conversationsOf(await collect(path))).toHaveLength(3);
    const zip = temp.file(
      'takeout-ja.zip',
      buildZip([
        { name: 'Takeout/アーカイブ概要.html', data: '<html></html>' },
        { name: 'Takeout/マイ アクティビティ/Gemini アプリ/マイアクティビティ.json', data: readFileSync(path) },
      ]),
    );
    expect(await detectFormat(zip)).toBe('gemini');
    const items = await collect(zip);
    expect(conversationsOf(items).map((c) => c.externalId).slice(-1)).toEqual(['8f3a2b1c9d0e4f57']);
    expect(items.every((i) => i.kind !== 'conversation' || i.source === 'gemini')).toBe(true);
  });
});
