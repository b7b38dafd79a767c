import { describe, expect, it } from 'vitest';
import { splitMessageBlocks } from './message-blocks';

describe('splitMessageBlocks', () => {
  it('keeps text without fences as one block, white space included', () => {
    expect(splitMessageBlocks('  indented\n\n\tand tabbed  ')).toEqual([{ kind: 'text', text: '  indented\n\n\tand tabbed  ' }]);
  });

  it('separates fenced code with its language from the text around it', () => {
    expect(splitMessageBlocks('Try this:\n\n```python\nprint("hi")\n  x = 1\n```\n\nDone.')).toEqual([
      { kind: 'text', text: 'Try this:' },
      { kind: 'code', language: 'python', code: 'print("hi")\n  x = 1' },
      { kind: 'text', text: 'Done.' },
    ]);
  });

  it('handles tildes, longer fences and fences without a language', () => {
    expect(splitMessageBlocks('~~~\na\n~~~\n````\n```\ninner\n```\n````')).toEqual([
      { kind: 'code', language: null, code: 'a' },
      { kind: 'code', language: null, code: '```\ninner\n```' },
    ]);
  });

  it('runs an unclosed fence to the end', () => {
    expect(splitMessageBlocks('before\n```js\nlet a;')).toEqual([
      { kind: 'text', text: 'before' },
      { kind: 'code', language: 'js', code: 'let a;' },
    ]);
  });

  it('does not take inline backticks for a fence', () => {
    expect(splitMessageBlocks('use ```x``` inline')).toEqual([{ kind: 'text', text: 'use ```x``` inline' }]);
  });

  it('keeps HTML as text', () => {
    expect(splitMessageBlocks('<b>hi</b>\n```html\n<script>alert(1)</script>\n```')).toEqual([
      { kind: 'text', text: '<b>hi</b>' },
      { kind: 'code', language: 'html', code: '<script>alert(1)</script>' },
    ]);
  });

  it('returns nothing for an empty message', () => {
    expect(splitMessageBlocks('')).toEqual([]);
    expect(splitMessageBlocks('\n\n')).toEqual([]);
  });
});
