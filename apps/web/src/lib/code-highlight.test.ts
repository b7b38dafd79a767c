import { describe, expect, it } from 'vitest';
import { HIGHLIGHT_LIMIT, highlightLanguage, highlightTokens } from './code-highlight';

describe('highlightTokens', () => {
  it('cuts code into runs with highlight.js classes that spell the code exactly', () => {
    const code = 'const answer = 42; // why\nfunction f() { return `a${answer}`; }';
    const tokens = highlightTokens(code, 'js')!;
    expect(tokens.map((t) => t.text).join('')).toBe(code);
    expect(tokens).toContainEqual({ text: 'const', className: 'hljs-keyword' });
    expect(tokens).toContainEqual({ text: '42', className: 'hljs-number' });
    expect(tokens).toContainEqual({ text: '// why', className: 'hljs-comment' });
    // Nested tokens are flattened: the interpolation inside the template string carries both classes.
    expect(tokens).toContainEqual({ text: '${answer}', className: 'hljs-string hljs-subst' });
  });

  it('knows the common languages by the names people put after a fence', () => {
    for (const name of ['js', 'ts', 'tsx', 'python', 'py', 'bash', 'sh', 'shell', 'json', 'sql', 'html', 'xml', 'css', 'go', 'rust', 'rs', 'java', 'c', 'cpp', 'diff', 'yaml', 'yml', 'markdown', 'md']) {
      expect(highlightLanguage(name), name).not.toBeNull();
    }
    expect(highlightLanguage('Python')).toBe('python');
  });

  it('leaves code plain when the language is unknown, missing, or the block is too long', () => {
    expect(highlightTokens('x = 1', 'cobol')).toBeNull();
    expect(highlightTokens('x = 1', null)).toBeNull();
    expect(highlightTokens('x'.repeat(HIGHLIGHT_LIMIT + 1), 'python')).toBeNull();
  });

  it('keeps markup in code as text runs', () => {
    const code = '<script>alert(1)</script><img src=x onerror="alert(2)">';
    const tokens = highlightTokens(code, 'html')!;
    expect(tokens.map((t) => t.text).join('')).toBe(code);
    expect(tokens.some((t) => t.className?.includes('hljs-tag'))).toBe(true);
  });
});
