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
