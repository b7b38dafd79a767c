import './chat.css';
import { useEffect, useMemo, useState } from 'react';
import { highlightLanguage, highlightTokens } from '../../lib/code-highlight';
import { buildLeaves, exactPieces, type Piece } from '../../lib/markdown-pieces';
import type { Mark } from '../../lib/message-segments';
import { renderLeaves } from './leaves';

const NO_MARKS: readonly Mark[] = [];
const COPIED_FOR_MS = 2000;

type CopyState = 'idle' | 'copied' | 'refused';

/**
 * A block of code: its language, a Copy button and the code highlighted. Inside a message's text
 * `pieces` carry the raw offsets of the code (so annotations and selections work in it); for a
 * code part they are left out and the code is shown without offsets.
 */
export function CodeBlock({ code, language, pieces, marks = NO_MARKS }: { code: string; language: string | null; pieces?: readonly Piece[]; marks?: readonly Mark[] }) {
  const tokens = useMemo(() => highlightTokens(code, language), [code, language]);
  const leaves = useMemo(() => buildLeaves(pieces ?? exactPieces(code), marks, tokens ?? undefined), [code, pieces, marks, tokens]);
  const [copy, setCopy] = useState<CopyState>('idle');

  useEffect(() => {
    if (copy !== 'copied') return;
    const timer = window.setTimeout(() => setCopy('idle'), COPIED_FOR_MS);
    return () => window.clearTimeout(timer);
  }, [copy]);

  const copyCode = async () => {
    try {
      // Missing outside a secure context (plain http on another host): the same message as a refusal.
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(code);
      setCopy('copied');
    } catch {
      setCopy('refused');
    }
  };

  const name = highlightLanguage(language);
  return (
    <figure className="code-block">
      <figcaption className="code-block-bar">
        <span className="code-language">{language || 'code'}</span>
        <span role="status" className={copy === 'refused' ? 'code-copy-status' : 'visually-hidden'}>
          {copy === 'copied' ? 'Copied' : copy === 'refused' ? 'The browser refused the clipboard: select the code and copy it with Ctrl+C.' : ''}
        </span>
        <button type="button" className="code-copy" onClick={() => void copyCode()}>
          {copy === 'copied' ? (
            'Copied'
          ) : (
            <>
              Copy<span className="visually-hidden"> code</span>
            </>
          )}
        </button>
      </figcaption>
      {/* Focusable so a long line can be scrolled sideways from the keyboard. */}
      <pre tabIndex={0}>
        <code className={name ? `hljs language-${name}` : undefined}>{renderLeaves(leaves, pieces !== undefined)}</code>
      </pre>
    </figure>
  );
}
