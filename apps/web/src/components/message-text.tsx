import { useMemo } from 'react';
import { splitMessageBlocks } from '../lib/message-blocks';

/**
 * A message's text: plain text with its white space kept, and fenced code as `<pre><code>`.
 * Everything is a React text node, so HTML in a log is shown, never run.
 */
export function MessageText({ text }: { text: string }) {
  const blocks = useMemo(() => splitMessageBlocks(text), [text]);
  if (!blocks.length) return <p className="message-text muted">(empty message)</p>;
  return (
    <>
      {blocks.map((block, index) =>
        block.kind === 'text' ? (
          <p key={index} className="message-text">
            {block.text}
          </p>
        ) : (
          <figure key={index} className="code-block">
            <figcaption>{block.language ?? 'code'}</figcaption>
            <pre>
              <code>{block.code}</code>
            </pre>
          </figure>
        ),
      )}
    </>
  );
}
