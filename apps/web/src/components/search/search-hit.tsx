import { Link } from 'react-router';
import { formatDate } from '../../lib/format';
import type { RouterOutputs } from '../../lib/trpc';
import { TagLinkChips } from '../tag-chips';
import { hitHref } from './search-params';
import { SearchSnippet } from './search-snippet';

export type SearchHitData = RouterOutputs['chatlogs']['search']['items'][number];
type Snippet = SearchHitData['snippets'][number];

function snippetLabel(snippet: Snippet): string {
  if (snippet.messageIndex !== null) return `Message ${snippet.messageIndex + 1}`;
  const kind = 'kind' in snippet ? String(snippet.kind) : '';
  return kind === 'title' ? 'Title' : kind === 'summary' ? 'Summary' : kind === 'annotation' ? 'Note' : 'Chat log';
}

/** One result: the log's title opens it at the best matching message; each message snippet opens at its own. */
export function SearchHit({ hit, query }: { hit: SearchHitData; query: string }) {
  const { chatlog, snippets } = hit;
  const first = snippets.find((s) => s.messageIndex !== null)?.messageIndex ?? null;
  const date = chatlog.startedAt ?? chatlog.createdAt;
  return (
    <li className="search-hit">
      <h2 className="search-hit-title">
        <Link to={hitHref(chatlog.id, first, query)} data-search-result="">
          {chatlog.title || 'Untitled chat log'}
        </Link>
      </h2>
      <div className="chat-row-meta">
        <span className="search-hit-source">{chatlog.source}</span>
        <time dateTime={date.toISOString()}>{formatDate(date)}</time>
        {chatlog.tags.length ? <TagLinkChips tags={chatlog.tags} /> : null}
      </div>
      {snippets.length ? (
        <ul className="search-snippets">
          {snippets.map((snippet, index) => (
            <li key={index}>
              {snippet.messageIndex !== null ? (
                <Link className="search-snippet-where" to={hitHref(chatlog.id, snippet.messageIndex, query)} tabIndex={-1}>
                  {snippetLabel(snippet)}
                </Link>
              ) : (
                <span className="search-snippet-where">{snippetLabel(snippet)}</span>
              )}
              <p className="search-snippet-text">
                <SearchSnippet html={snippet.text} />
              </p>
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}
