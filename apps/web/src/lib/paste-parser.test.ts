import { parseMarkdownTranscript } from '@chatsynth/importers/text';
import { describe, expect, it } from 'vitest';
import { parsePastedConversation } from './paste-parser';

describe('parsePastedConversation', () => {
  it('returns nothing for empty or blank input', () => {
    expect(parsePastedConversation('')).toEqual({ format: 'empty', messages: [], notes: [] });
    expect(parsePastedConversation('  \n\t\n')).toEqual({ format: 'empty', messages: [], notes: [] });
  });

  it('splits on speaker labels, whatever their case, and keeps multi-line text', () => {
    const result = parsePastedConversation(
      ['User: How do I reverse a list?', 'In Python.', '', 'ASSISTANT: Use slicing:', '', '    items[::-1]', '', 'human: thanks!'].join('\n'),
    );
    expect(result.format).toBe('labels');
    expect(result.messages).toEqual([
      { role: 'user', content: 'How do I reverse a list?\nIn Python.' },
      { role: 'assistant', content: 'Use slicing:\n\n    items[::-1]' },
      { role: 'user', content: 'thanks!' },
    ]);
    expect(result.notes).toEqual([]);
  });

  it('knows You, Human, ChatGPT, Claude, Gemini, System and Tool', () => {
    const result = parsePastedConversation(
      'System: be brief\nYou: hi\nChatGPT: hello\nHuman: again\nClaude: yes\nGemini: also\nTool: {"ok":true}',
    );
    expect(result.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant', 'assistant', 'tool']);
  });

  it('reads bold labels and the "You said:" lines of a copy from ChatGPT', () => {
    expect(parsePastedConversation('**User:** one\n**Assistant**: two').messages).toEqual([
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'two' },
    ]);
    // The speaker's name goes with the message, as it does when the same text is imported as a file.
    expect(parsePastedConversation('You said:\nWhat is 2+2?\nChatGPT said:\n4').messages).toEqual([
      { role: 'user', content: 'What is 2+2?' },
      { role: 'assistant', content: '4', name: 'ChatGPT' },
    ]);
  });

  it('reads a paste exactly as the importers read the same text from a file', () => {
    const pasted = '# Tea\n\n**You said:** Green or black?\nUser: (a line quoted in the question)\n\n**Claude:** Green.\n\n---\n';
    const imported = parseMarkdownTranscript(pasted);
    const result = parsePastedConversation(pasted);
    expect(result.format).toBe('labels');
    expect(result.messages).toEqual([
      { role: 'user', content: '# Tea' },
      ...imported.messages.map(({ role, content, name }) => (name ? { role, content, name } : { role, content })),
    ]);
    expect(result.messages.slice(1)).toEqual([
      { role: 'user', content: 'Green or black?\nUser: (a line quoted in the question)' },
      { role: 'assistant', content: 'Green.', name: 'Claude' },
    ]);
  });

  it('keeps a code fence opened right after a label closed to labels', () => {
    expect(parsePastedConversation('User: ```js\nconsole.log(1)\nAssistant: in the code\n```\nAssistant: 1').messages).toEqual([
      { role: 'user', content: '```js\nconsole.log(1)\nAssistant: in the code\n```' },
      { role: 'assistant', content: '1' },
    ]);
  });

  it('starts a message at the label on its own line, with the text on the following lines', () => {
    expect(parsePastedConversation('User:\n\nfirst line\nsecond line\n\nAssistant:\nreply').messages).toEqual([
      { role: 'user', content: 'first line\nsecond line' },
      { role: 'assistant', content: 'reply' },
    ]);
  });

  it('never starts a message at a label inside a code fence', () => {
    const pasted = ['User: what does this print?', '```', 'User: not a speaker', 'print("Assistant: neither")', '```', 'Assistant: the second line'].join('\n');
    expect(parsePastedConversation(pasted).messages).toEqual([
      { role: 'user', content: 'what does this print?\n```\nUser: not a speaker\nprint("Assistant: neither")\n```' },
      { role: 'assistant', content: 'the second line' },
    ]);
  });

  it('does not take words that merely start with a speaker name as labels', () => {
    const result = parsePastedConversation('User: hi\nUsers: are people\nAssistantship: a job\nYour turn: go');
    expect(result.messages).toEqual([{ role: 'user', content: 'hi\nUsers: are people\nAssistantship: a job\nYour turn: go' }]);
  });

  it('splits on Markdown headings naming the speaker', () => {
    const result = parsePastedConversation('# Chat about tea\n\n## User\nGreen or black?\n\n## Assistant\nGreen.\n\nUser: this line stays in the reply\n### system:\nquiet');
    expect(result.format).toBe('headings');
    expect(result.messages).toEqual([
      { role: 'user', content: '# Chat about tea' },
      { role: 'user', content: 'Green or black?' },
      { role: 'assistant', content: 'Green.\n\nUser: this line stays in the reply' },
      { role: 'system', content: 'quiet' },
    ]);
    expect(result.notes).toEqual(['The text before the first speaker label was kept as a user message.']);
  });

  it('names every empty message it leaves out', () => {
    const result = parsePastedConversation('User: hi\nAssistant:\n\nUser: still there?');
    expect(result.messages).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'user', content: 'still there?' },
    ]);
    expect(result.notes).toEqual(['An empty assistant message (message 2) was left out.']);
  });

  it('treats text without labels as one user message and says so', () => {
    const result = parsePastedConversation('\n\n  just some text\nover two lines  \n');
    expect(result.format).toBe('plain');
    expect(result.messages).toEqual([{ role: 'user', content: '  just some text\nover two lines' }]);
    expect(result.notes).toHaveLength(1);
  });

  it('normalises Windows line endings', () => {
    expect(parsePastedConversation('User: a\r\nb\r\nAssistant: c\r\n').messages).toEqual([
      { role: 'user', content: 'a\nb' },
      { role: 'assistant', content: 'c' },
    ]);
  });

  it('reads a JSON array of { role, content }', () => {
    const result = parsePastedConversation(
      JSON.stringify([
        { role: 'system', content: 'be kind' },
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'hello', name: 'helper' },
      ]),
    );
    expect(result).toEqual({
      format: 'json',
      messages: [
        { role: 'system', content: 'be kind' },
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'hello', name: 'helper' },
      ],
      notes: [],
    });
  });

  it('reads { messages: [...] } with OpenAI content parts and role aliases', () => {
    const result = parsePastedConversation(
      JSON.stringify({
        model: 'gpt-4o',
        messages: [
          { role: 'developer', content: 'rules' },
          { role: 'user', content: [{ type: 'text', text: 'part one' }, { type: 'image_url', image_url: { url: 'x' } }, { type: 'text', text: 'part two' }] },
          { role: 'function', content: '42' },
        ],
      }),
    );
    expect(result.messages).toEqual([
      { role: 'system', content: 'rules' },
      { role: 'user', content: 'part one\n\npart two' },
      { role: 'tool', content: '42' },
    ]);
    expect(result.notes).toEqual(['Message 2: only its text is kept, not an image.']);
  });

  it('names the tool calls and results it cannot keep, but not a tool result that is the text itself', () => {
    const result = parsePastedConversation(
      JSON.stringify([
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'weather', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: '{"temp": 12}' },
        { author: 'assistant', text: 'It is 12 °C.' },
      ]),
    );
    expect(result.messages).toEqual([
      { role: 'tool', content: '{"temp": 12}' },
      { role: 'assistant', content: 'It is 12 °C.' },
    ]);
    expect(result.notes).toEqual(['Message 1 has no text (only a tool call); it was left out.']);
  });

  it('names every JSON message it cannot take', () => {
    const result = parsePastedConversation(
      JSON.stringify([{ role: 'user', content: 'ok' }, { role: 'wizard', content: 'x' }, { content: 'no role' }, { role: 'user' }, 7]),
    );
    expect(result.messages).toEqual([{ role: 'user', content: 'ok' }]);
    expect(result.notes).toEqual([
      'Message 2 has an unknown role "wizard"; it was left out.',
      'Message 3 has no role; it was left out.',
      'Message 4 has no text; it was left out.',
      'Message 5 is 7, not a message; it was left out.',
    ]);
  });

  it('falls back to the text shapes when JSON is broken or not a conversation', () => {
    expect(parsePastedConversation('[User: hi').format).toBe('plain');
    expect(parsePastedConversation('{"User": 1}').format).toBe('plain');
    expect(parsePastedConversation('[1, 2, 3]').format).toBe('plain');
  });

  it('keeps the exact text of HTML and markdown, which the page shows as text', () => {
    const content = '<script>alert(1)</script> **bold** <img src=x onerror=alert(1)>';
    expect(parsePastedConversation(`User: ${content}`).messages).toEqual([{ role: 'user', content }]);
  });

  it('never throws, whatever it is given', () => {
    const samples = ['```', 'User:', '## User', '{', '[]', '{"messages": null}', '\u0000', 'User: ```\nAssistant: x', '#'.repeat(10) + ' User'];
    for (const sample of samples) expect(() => parsePastedConversation(sample)).not.toThrow();
    expect(parsePastedConversation('[]')).toEqual({ format: 'json', messages: [], notes: ['The JSON holds no messages.'] });
  });
});
