import './chat.css';
import { memo, useMemo, type ReactNode } from 'react';
import { buildLeaves, exactPieces } from '../../lib/markdown-pieces';
import { parseMarkdown } from '../../lib/markdown-parse';
import { splitRawBlocks, type Mark } from '../../lib/message-segments';
import type { Message } from '../../lib/trpc';
import { CodeBlock } from './code-block';
import { renderLeaves } from './leaves';
import { renderMarkdown } from './markdown-text';

const NO_MARKS: readonly Mark[] = [];

/** Text with its white space kept, fenced code as highlighted code: how platforms show what a person typed. */
function renderPlain(text: string, marks: readonly Mark[]): ReactNode[] {
  return splitRawBlocks(text).map((block) => {
    const value = text.slice(block.start, block.end);
    const pieces = exactPieces(value, block.start);
    return block.kind === 'text' ? (
      <p key={block.start} className="message-text">
        {renderLeaves(buildLeaves(pieces, marks))}
      </p>
    ) : (
      <CodeBlock key={block.start} code={value} language={block.language} pieces={pieces} marks={marks} />
    );
  });
}

/**
 * A message's text as the platforms show it. The assistant's (and system and tool) messages are
 * Markdown; what the person typed is shown as typed, white space kept, as ChatGPT, Claude and Gemini
 * do (a `__init__` in a question must not turn bold), with fenced code still as code. Text over
 * MARKDOWN_LIMIT is shown plain too, so a huge message cannot hang the page. Either way every piece
 * carries its raw offset and `marks` are drawn over it.
 */
export const MessageContent = memo(function MessageContent({ text, role, marks = NO_MARKS }: { text: string; role: Message['role']; marks?: readonly Mark[] }) {
  const rendered = useMemo(() => {
    const tree = role === 'user' ? null : parseMarkdown(text);
    return tree ? renderMarkdown(text, tree, marks) : renderPlain(text, marks);
  }, [text, role, marks]);
  if (!text.trim()) return <p className="message-text muted">(empty message)</p>;
  return <div className={role === 'user' ? 'message-content' : 'message-content markdown'}>{rendered}</div>;
});
