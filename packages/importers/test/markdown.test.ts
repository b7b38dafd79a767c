import { afterAll, describe, expect, it } from 'vitest';
import { ImportFormatError, parseMarkdownTranscript } from '../src/index';
import { collect, conversationsOf, fixturePath, fixtureText, problemsOf, tempDir } from './helpers';

describe('parseMarkdownTranscript', () => {
  it('takes the title and heading turns, never splitting inside code fences', () => {
    const c = parseMarkdownTranscript(fixtureText('markdown', 'chatgpt-transcript.md'));
    expect(c.title).toBe('Debugging a Python script');
    expect(c.metadata.preamble).toBe('Exported on 2024-05-01.');
    expect(c.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(c.messages[0]?.content).toBe('Why does this print nothing?\n\n```python\ndef main():\n    print("hi")\n## User\n# not a heading either\n```');
    expect(c.messages[1]?.content).toBe('You never call `main()`. Add:\n\n~~~python\nif __name__ == "__main__":\n    main()\n~~~');
    expect(c.messages[3]).toEqual({ role: 'assistant', content: "You're welcome.", name: 'ChatGPT' });
    expect(c.problems).toEqual([]);
  });

  it('reads bold speaker prefixes, case-insensitively, and requires the colon', () => {
    const c = parseMarkdownTranscript(fixtureText('markdown', 'bold-transcript.md'));
    expect(c.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'hello there\nhow are you?'],
      ['assistant', "I'm fine.\n\n**Model** architecture is not a speaker line."],
      ['user', 'lowercase works too'],
    ]);
    expect(c.title).toBe('hello there');
  });

  it('reports a text without turns', () => {
    const c = parseMarkdownTranscript('# Notes\n\nJust notes.');
    expect(c.messages).toEqual([]);
    expect(c.problems[0]?.reason).toMatch(/no turns were found/);
  });

  it('reads the "You said:" / "ChatGPT said:" lines of a copy from ChatGPT\'s page', () => {
    const c = parseMarkdownTranscript(fixtureText('markdown', 'chatgpt-page-copy.txt'));
    expect(c.messages).toEqual([
      { role: 'user', content: 'How do I reverse a list in Python?' },
      {
        role: 'assistant',
        name: 'ChatGPT',
        content: 'Use slicing:\n\n```python\nitems[::-1]\nYou said: not a turn inside the fence\n```\n\nOr `reversed(items)` for an iterator.',
      },
      { role: 'user', content: 'And a string?' },
      { role: 'assistant', name: 'ChatGPT', content: 'The same: `"abc"[::-1]`.' },
    ]);
    expect(c.metadata.turnMarkers).toEqual(['label']);
    expect(c.title).toBe('How do I reverse a list in Python?');
    expect(c.problems).toEqual([]);
  });

  it('reads plain speaker labels at the start of a line, but not "Model:", indented code or longer words', () => {
    const c = parseMarkdownTranscript(fixtureText('markdown', 'labels.txt'));
    expect(c.metadata.preamble).toBe('Model: GPT-4o\nDate: 2024-06-01');
    expect(c.messages).toEqual([
      { role: 'user', content: 'What does this print?\n    User: indented four spaces, so code' },
      { role: 'assistant', content: 'Nothing; see:' },
      // The fence opened right after the label, so the label inside it starts nothing.
      { role: 'user', content: '```js\nconsole.log(1)\nAssistant: still inside the fence\n```' },
      { role: 'assistant', content: 'It prints 1.\nUsers: are not a label' },
    ]);
  });

  it('keeps plain labels inside the turns of a transcript with headings or bold prefixes', () => {
    const headings = parseMarkdownTranscript('## User\nQuote this:\nUser: hi\nAssistant: hello\n\n## Assistant\nDone.');
    expect(headings.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'Quote this:\nUser: hi\nAssistant: hello'],
      ['assistant', 'Done.'],
    ]);
    expect(headings.metadata.turnMarkers).toEqual(['heading']);
    const bold = parseMarkdownTranscript('**You said:** one\nUser: quoted\n**ChatGPT**: two');
    expect(bold.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'one\nUser: quoted'],
      ['assistant', 'two'],
    ]);
    expect(bold.metadata.turnMarkers).toEqual(['bold']);
  });

  it('drops the white space at the end of a turn and reads any line ending', () => {
    const c = parseMarkdownTranscript('User: a  \r\nb \t\r\rAssistant: c\n');
    expect(c.messages.map((m) => m.content)).toEqual(['a  \nb', 'c']);
  });

  describe('with the text before the first turn as a message (a paste)', () => {
    const paste = { preamble: 'message' } as const;

    it('makes the preamble, title line included, the first user message', () => {
      const c = parseMarkdownTranscript('# Chat about tea\n\nSome context.\n\n## User\nGreen or black?\n## Assistant\nGreen.', paste);
      expect(c.title).toBe('Chat about tea');
      expect(c.messages).toEqual([
        { role: 'user', content: '# Chat about tea\n\nSome context.', metadata: { preamble: true } },
        { role: 'user', content: 'Green or black?' },
        { role: 'assistant', content: 'Green.' },
      ]);
      expect(c.metadata.preamble).toBeUndefined();
    });

    it('makes a text without turns one user message, without a problem', () => {
      const c = parseMarkdownTranscript('\n\n  just some text\nover two lines  \n', paste);
      expect(c.messages).toEqual([{ role: 'user', content: '  just some text\nover two lines', metadata: { preamble: true } }]);
      expect(c.metadata.turnMarkers).toBeUndefined();
      expect(c.problems).toEqual([]);
      expect(parseMarkdownTranscript(' \n\t', paste).messages).toEqual([]);
    });
  });
});

describe('readExport on Markdown', () => {
  const temp = tempDir();
  afterAll(temp.cleanup);

  it('detects a transcript from its content and yields one conversation', async () => {
    const items = await collect(fixturePath('markdown', 'chatgpt-transcript.md'));
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'conversation', source: 'markdown' });
    expect(conversationsOf(items)[0]?.metadata.fileName).toBe('chatgpt-transcript.md');
  });

  it('detects a copy from a chat page by its speaker labels', async () => {
    const items = await collect(fixturePath('markdown', 'chatgpt-page-copy.txt'));
    expect(conversationsOf(items).map((c) => c.messages.length)).toEqual([4]);
    expect(items[0]).toMatchObject({ kind: 'conversation', source: 'markdown' });
  });

  it('reports a forced Markdown read of a text without turns as a problem', async () => {
    const path = temp.file('notes.txt', 'hello\nworld\n');
    const items = await collect(path, { format: 'markdown' });
    expect(problemsOf(items)[0]?.reason).toMatch(/no turns were found/);
  });

  it('refuses a Markdown file over 64 MB with an ImportFormatError', async () => {
    const path = temp.file('huge.md', `## User\n\n${'a'.repeat(65 * 1024 * 1024)}\n`);
    await expect(collect(path)).rejects.toThrow(ImportFormatError);
    await expect(collect(path)).rejects.toThrow(/over 64 MB are not read/);
  });
});
