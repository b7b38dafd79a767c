import { useEffect, useMemo } from 'react';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { ListFooter } from '../components/list-footer';
import { SearchFilters } from '../components/search/search-filters';
import { SearchHit } from '../components/search/search-hit';
import { readFilters, toSearchInput, writeFilters, type SearchFilterValues } from '../components/search/search-params';
import { describeError, fieldMessage } from '../lib/errors';
import { plural } from '../lib/format';
import { isTyping } from '../lib/keyboard';
import { useTRPC, useTRPCClient, type RouterOutputs } from '../lib/trpc';
import { useDocumentTitle } from '../lib/use-document-title';

const FIELD_LABELS: Record<string, string> = { query: 'The query', source: 'Source', tags: 'Tags', from: 'From', to: 'To', role: 'Messages' };

/** j and k move the focus between results; Enter then opens the focused one (it is a link). */
function useResultKeys() {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      if (event.key !== 'j' && event.key !== 'k') return;
      const links = [...document.querySelectorAll<HTMLAnchorElement>('[data-search-result]')];
      if (!links.length) return;
      event.preventDefault();
      const at = links.indexOf(document.activeElement as HTMLAnchorElement);
      const next = event.key === 'j' ? (at < 0 ? 0 : Math.min(at + 1, links.length - 1)) : at < 0 ? 0 : Math.max(at - 1, 0);
      links[next]!.focus();
      links[next]!.closest('li')?.scrollIntoView({ block: 'nearest' });
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}

export function SearchPage() {
  const trpc = useTRPC();
  const trpcClient = useTRPCClient();
  const [params, setParams] = useSearchParams();
  const query = params.get('q') ?? '';
  const filters = useMemo(() => readFilters(params), [params]);
  const input = useMemo(() => toSearchInput(query, filters), [query, filters]);
  const active = query.trim() !== '';
  useDocumentTitle(active ? `Search: ${query.trim()}` : 'Search');
  useResultKeys();

  // As the library does: the strict input refuses tRPC's `direction`, so the query function sends only the cursor.
  const results = useInfiniteQuery({
    queryKey: trpc.chatlogs.search.infiniteQueryKey(input),
    queryFn: ({ pageParam, signal }) => trpcClient.chatlogs.search.query({ ...input, cursor: pageParam }, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    enabled: active,
    // The previous results stay while the next keystroke's arrive, so the list does not flash.
    placeholderData: keepPreviousData,
  });
  const hits = active ? (results.data?.pages.flatMap((page) => page.items) ?? []) : [];
  const more = results.hasNextPage;
  const shownQuery = results.isPlaceholderData ? null : query.trim();
  // A page after the first that failed keeps the results shown; ListFooter offers to try it again.
  const failed = results.isError && !results.isFetchNextPageError;
  // Only the first page carries suggestions, and only those of the query shown (not the previous one's).
  const suggestions = active && shownQuery !== null ? (results.data?.pages[0]?.suggestions ?? []) : [];

  const applyFilters = (values: SearchFilterValues) => setParams(writeFilters(params, values));

  let status = '';
  if (active && failed) status = 'The search failed.';
  else if (active && results.isPending) status = 'Searching…';
  else if (active && shownQuery !== null) status = hits.length ? `${plural(hits.length, 'result')}${more ? ' so far, more to load' : ''} for “${shownQuery}”` : `No results for “${shownQuery}”`;

  return (
    <section aria-labelledby="search-heading" className="page search-page">
      <div className="page-heading">
        <h1 id="search-heading">Search</h1>
      </div>
      <div className="search-layout">
        <SearchFilters values={filters} onChange={applyFilters} />
        <div className="search-results-area" aria-busy={active && results.isFetching ? 'true' : 'false'}>
          <p className="search-status" role="status" aria-live="polite">
            {status}
          </p>
          {suggestions.length && !failed ? <DidYouMean suggestions={suggestions} params={params} /> : null}
          {!active ? (
            <SearchHelp />
          ) : failed ? (
            <SearchError error={results.error} onRetry={() => void results.refetch()} />
          ) : results.isPending ? (
            <p className="muted">Searching…</p>
          ) : hits.length === 0 ? (
            <div className="panel empty-state">
              <p className="empty-title">Nothing matches.</p>
              <p className="muted">Try fewer or other words, end a word early to match it as a prefix, or clear the filters.</p>
            </div>
          ) : (
            <>
              <ol className="search-results" aria-label="Search results">
                {hits.map((hit) => (
                  <SearchHit key={hit.chatlog.id} hit={hit} query={query.trim()} />
                ))}
              </ol>
              <ListFooter list={results} what={{ nextPage: 'more results', refresh: 'the results' }} />
              <p className="muted search-keys">
                <kbd>j</kbd> and <kbd>k</kbd> move between results, <kbd>Enter</kbd> opens one, <kbd>/</kbd> goes back to the search field.
              </p>
            </>
          )}
        </div>
      </div>
    </section>
  );
}

type Suggestion = RouterOutputs['chatlogs']['search']['suggestions'][number];

/** "Did you mean python snakes?": each suggestion a link that runs it, the filters kept, the replaced words in bold. */
function DidYouMean({ suggestions, params }: { suggestions: Suggestion[]; params: URLSearchParams }) {
  const link = (suggestion: Suggestion) => {
    const next = new URLSearchParams(params);
    next.set('q', suggestion.query);
    const replaced = new Set(suggestion.words.map((w) => w.to));
    return (
      <Link key={suggestion.query} to={{ pathname: '/search', search: `?${next.toString()}` }} className="search-suggestion">
        {suggestion.query.split(/(\s+)/).map((part, i) => (replaced.has(part.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '').toLowerCase()) ? <strong key={i}>{part}</strong> : part))}
      </Link>
    );
  };
  const [first, ...others] = suggestions;
  return (
    <p className="search-suggestions">
      Did you mean {link(first!)}?
      {others.length ? (
        <>
          {' '}
          <span className="muted">
            Or{' '}
            {others.map((s, i) => (
              <span key={s.query}>
                {i > 0 ? ', ' : null}
                {link(s)}
              </span>
            ))}
            ?
          </span>
        </>
      ) : null}
    </p>
  );
}

function SearchError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { code, message, fieldErrors } = describeError(error);
  const fields = Object.entries(fieldErrors).flatMap(([field, messages]) => (messages ?? []).map((m) => fieldMessage(FIELD_LABELS[field] ?? field, m)));
  return (
    <div className="panel error-panel" role="alert">
      <p className="empty-title">{code === 'BAD_REQUEST' ? 'This search cannot run.' : 'The search failed.'}</p>
      {fields.length ? fields.map((m) => <p key={m}>{m}</p>) : <p>{message}</p>}
      {code === 'BAD_REQUEST' ? null : (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

function SearchHelp() {
  return (
    <div className="panel search-help">
      <p className="empty-title">Search every message, title, summary and note.</p>
      <p>
        Type in the search field (press <kbd>/</kbd> to get there); results follow as you type.
      </p>
      <dl>
        <div>
          <dt>
            <code>ferry timetable</code>
          </dt>
          <dd>both words, anywhere in a chat log (ferry also finds ferries)</dd>
        </div>
        <div>
          <dt>
            <code>"blue whale"</code>
          </dt>
          <dd>the words together, as a phrase</dd>
        </div>
        <div>
          <dt>
            <code>python OR rust</code>
          </dt>
          <dd>either word</dd>
        </div>
        <div>
          <dt>
            <code>recipe -cake</code>
          </dt>
          <dd>leaves out every log that mentions the word after the minus, anywhere in it</dd>
        </div>
        <div>
          <dt>
            <code>source:claude</code> <code>tag:work</code>
          </dt>
          <dd>only logs from that source, or with that tag (repeat tag: for several, all must hold)</dd>
        </div>
        <div>
          <dt>
            <code>after:2024-06-01</code> <code>before:2025-01-01</code>
          </dt>
          <dd>by when the conversation happened: on or after, strictly before the day</dd>
        </div>
        <div>
          <dt>
            <code>role:user</code> <code>role:assistant</code>
          </dt>
          <dd>only what you wrote, or only the answers</dd>
        </div>
        <div>
          <dt>
            <code>in:title</code> <code>in:notes</code> <code>in:messages</code>
          </dt>
          <dd>look for the words only there</dd>
        </div>
        <div>
          <dt>
            <code>tag:work -draft</code>
          </dt>
          <dd>operators alone list the logs they pick, newest first; quote one (<code>"tag:work"</code>) to search for the text</dd>
        </div>
        <div>
          <dt>
            <code>categ</code>
          </dt>
          <dd>the last word also matches as a prefix: category, categories…</dd>
        </div>
      </dl>
    </div>
  );
}
