import { describe, expect, it } from 'vitest';
import { htmlToText, parseGeminiActivity } from '../src/index';
import { collect, conversationsOf, fixtureJson, fixturePath, problemsOf } from './helpers';

const activityPath = ['gemini', 'Takeout', 'My Activity', 'Gemini Apps', 'MyActivity.json'] as const;

describe('parseGeminiActivity', () => {
  const activity = parseGeminiActivity(fixtureJson(...activityPath));

  it('orders oldest first, groups rows that name the same conversation URL, and counts other products', () => {
    expect(activity.ignoredRows).toBe(1);
    expect(activity.conversations.map((c) => c.title)).toEqual([
      "what's 2+2",
      'Describe this photo',
      'Created Gemini Canvas titled Trip plan',
      'How do I sort a list in Python?',
    ]);
    const grouped = activity.conversations[3];
    expect(grouped?.externalId).toBe('3f9a1c2b7d4e5f60');
    expect(grouped?.messages.map((m) => [m.role, m.content.split('\n')[0]])).toEqual([
      ['user', 'How do I sort a list in Python?'],
      ['assistant', '## Sorting'],
      ['user', 'and how do I sort it descending?'],
      ['assistant', 'Pass `reverse=True`:'],
    ]);
    expect(grouped?.createdAt).toBe('2025-04-02T10:00:00.123Z');
    expect(grouped?.updatedAt).toBe('2025-04-02T10:05:00.456Z');
  });

  it('turns response HTML into Markdown-ish text with no tags left', () => {
    const grouped = activity.conversations[3];
    expect(grouped?.messages[1]?.content).toBe(
      '## Sorting\n\nUse **sorted()** & _list.sort()_:\n\n- sorted() returns a new list\n- list.sort() sorts in place\n\nSee [the HOWTO](https://docs.python.org/3/howto/sorting.html).',
    );
    expect(grouped?.messages[3]?.content).toBe('Pass `reverse=True`:\n\n```\nsorted(xs, reverse=True)\n# <done>\n```');
  });

  it('keeps non-prompt activity titles whole, attachments, prompts without responses, and reports junk rows', () => {
    const [math, photo, canvas] = activity.conversations;
    expect(math?.messages).toEqual([{ role: 'user', content: "what's 2+2", createdAt: '2025-03-28T07:00:00.000Z' }]);
    expect(math?.externalId).toMatch(/^gemini-activity:2025-03-28T07:00:00.000Z:[0-9a-f]{8}$/);
    expect(photo?.messages[0]?.parts).toEqual([{ type: 'attachment', name: 'IMG_2041.jpg' }]);
    expect(photo?.messages[1]?.content).toBe('A cat on a windowsill.\nIt looks content.');
    expect(canvas?.messages[0]?.content).toBe('Created Gemini Canvas titled Trip plan');
    expect(canvas?.metadata.activity).toBe('Created Gemini Canvas titled Trip plan');
    expect(canvas?.messages[1]?.content).toBe('1. Day 1: Rome\n2. Day 2: Florence');
    expect(activity.problems).toEqual([{ reason: 'activity row #7 is "not a row", not an object' }]);
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
    expect(conversationsOf(items)).toHaveLength(4);
    expect(problemsOf(items).map((p) => p.reason)).toEqual([
      'activity row #7 is "not a row", not an object',
      '1 activity rows of other Google products were skipped; only Gemini Apps rows are conversations',
    ]);
  });
});
