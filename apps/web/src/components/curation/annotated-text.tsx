import { useMemo } from 'react';
import { segmentRange, splitRawBlocks, type Mark } from '../../lib/message-segments';

/**
 * A message's text like MessageText (prose with its white space, fenced code as code), cut into
 * pieces that carry their offset in the raw `content`, so a selection maps back to offsets the
 * server understands; annotated spans are `<mark>`s. All of it is text nodes: HTML in a log never runs.
 */
export function AnnotatedText({ text, messageIndex, marks }: { text: string; messageIndex: number; marks: Mark[] }) {
  const blocks = useMemo(() => splitRawBlocks(text), [text]);
  if (!blocks.length) return <p className="message-text muted">(empty message)</p>;
  return (
    <div className="annotatable" data-message-index={messageIndex}>
      {blocks.map((block) => {
        const pieces = segmentRange(block.start, block.end, marks).map((piece) => {
          const value = text.slice(piece.start, piece.end);
          return piece.marks.length ? (
            <mark key={piece.start} className="annotation-mark" data-offset={piece.start} data-annotations={piece.marks.join(' ')}>
              {value}
            </mark>
          ) : (
            <span key={piece.start} data-offset={piece.start}>
              {value}
            </span>
          );
        });
        return block.kind === 'text' ? (
          <p key={block.start} className="message-text">
            {pieces}
          </p>
        ) : (
          <figure key={block.start} className="code-block">
            <figcaption>{block.language ?? 'code'}</figcaption>
            <pre>
              <code>{pieces}</code>
            </pre>
          </figure>
        );
      })}
    </div>
  );
}
