import { describe, expect, it } from 'vitest';
import { decodeEntities, parseSnippet } from './snippet-segments';

describe('parseSnippet', () => {
  it('splits marked and plain text', () => {
    expect(parseSnippet('take the <mark>ferry</mark> at <mark>noon</mark>')).toEqual([
      { text: 'take the ', marked: false },
      { text: 'ferry', marked: true },
      { text: ' at ', marked: false },
      { text: 'noon', marked: true },
    ]);
  });

  it('decodes the escaped characters inside and outside marks', () => {
    expect(parseSnippet('a &lt;b&gt; &amp; <mark>&quot;c&#39;s&quot;</mark> &#x27;d&#x27; caf&#233;')).toEqual([
      { text: 'a <b> & ', marked: false },
      { text: '"c\'s"', marked: true },
      { text: " 'd' café", marked: false },
    ]);
  });

  it('keeps escaped markup as text: &lt;img onerror&gt; is a string, not an element', () => {
    const segments = parseSnippet('&lt;img src=x onerror=&quot;alert(1)&quot;&gt; <mark>hi</mark>');
    expect(segments[0]).toEqual({ text: '<img src=x onerror="alert(1)"> ', marked: false });
    expect(segments[1]).toEqual({ text: 'hi', marked: true });
  });

  it('treats raw tags other than mark as text', () => {
    expect(parseSnippet('<script>alert(1)</script><mark>x</mark><b>y</b>')).toEqual([
      { text: '<script>alert(1)</script>', marked: false },
      { text: 'x', marked: true },
      { text: '<b>y</b>', marked: false },
    ]);
  });

  it('decodes once: an escaped entity stays an entity', () => {
    expect(parseSnippet('&amp;lt;mark&amp;gt; &amp;amp;')).toEqual([{ text: '&lt;mark&gt; &amp;', marked: false }]);
  });

  it('does not turn an escaped <mark> into a highlight', () => {
    expect(parseSnippet('&lt;mark&gt;no&lt;/mark&gt;')).toEqual([{ text: '<mark>no</mark>', marked: false }]);
  });

  it('survives unbalanced and empty marks', () => {
    expect(parseSnippet('<mark>open')).toEqual([{ text: 'open', marked: true }]);
    expect(parseSnippet('close</mark> after')).toEqual([{ text: 'close after', marked: false }]);
    expect(parseSnippet('<mark></mark>')).toEqual([]);
    expect(parseSnippet('')).toEqual([]);
  });
});

describe('decodeEntities', () => {
  it('leaves unknown, out-of-range and bare ampersands as written', () => {
    expect(decodeEntities('&bogus; &#0; &#x110000; &#xD800; a & b &')).toBe('&bogus; &#0; &#x110000; &#xD800; a & b &');
  });
  it('decodes named and numeric entities', () => {
    expect(decodeEntities('&lt;&gt;&amp;&quot;&apos;&#39;&#x1F600;&nbsp;')).toBe('<>&"\'\'😀\u00a0');
  });
});
