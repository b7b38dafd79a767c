import { useMemo } from 'react';
import { parseSnippet } from '../../lib/snippet-segments';

/** A snippet from the server, its matched words as `<mark>`; rendered as text, never as HTML. */
export function SearchSnippet({ html }: { html: string }) {
  const segments = useMemo(() => parseSnippet(html), [html]);
  return (
    <>
      {segments.map((segment, index) => (segment.marked ? <mark key={index}>{segment.text}</mark> : <span key={index}>{segment.text}</span>))}
    </>
  );
}
