import { useState } from 'react';
import { useInfiniteQuery, useMutationState } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { ChatLogRow, type DateField } from '../components/chat-log-row';
import { LibraryFilters, type LibraryFilterValues } from '../components/library-filters';
import { PageLoading } from '../components/page-loading';
import { ListFooter } from '../components/list-footer';
import { LoadError } from '../components/route-error';
import { useChatLogActions } from '../lib/chat-log-actions';
import { focusAfterRemoval } from '../lib/focus-after-removal';
import { useTRPC, useTRPCClient } from '../lib/trpc';
import { useDocumentTitle } from '../lib/use-document-title';

const PAGE_SIZE = 20;
const SORTS = ['updated', 'created', 'started'] as const;

/** The filters live in the address, so they survive a reload and the back button. */
function readFilters(params: URLSearchParams): LibraryFilterValues {
  const sort = params.get('sort');
  return {
    source: params.get('source') ?? '',
    tag: params.get('tag') ?? '',
    sort: SORTS.find((s) => s === sort) ?? 'updated',
    order: params.get('order') === 'asc' ? 'asc' : 'desc',
  };
}

function toParams(values: LibraryFilterValues): URLSearchParams {
  const params = new URLSearchParams();
  if (values.source) params.set('source', values.source);
  if (values.tag) params.set('tag', values.tag);
  if (values.sort !== 'updated') params.set('sort', values.sort);
  if (values.order !== 'desc') params.set('order', values.order);
  return params;
}

/** Grows a sorted list with names not yet in it; the same list back when nothing is new. */
function remember(known: string[], found: string[]): string[] {
  const missing = found.filter((name) => !known.includes(name));
  return missing.length ? [...new Set([...known, ...missing])].sort() : known;
}

export function LibraryPage() {
  useDocumentTitle('Library');
  const trpc = useTRPC();
  const trpcClient = useTRPCClient();
  const actions = useChatLogActions();
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const filtered = Boolean(filters.source || filters.tag);

  const input = {
    limit: PAGE_SIZE,
    source: filters.source || undefined,
    tags: filters.tag ? [filters.tag] : undefined,
    sort: filters.sort,
    order: filters.order,
  };
  // tRPC's `infiniteQueryOptions` adds a `direction` field to the input, which the strict input of
  // `chatlogs.list` refuses; the query function sends only the cursor. The key is tRPC's, so
  // `chatlogs.list.pathFilter()` still reaches this query.
  const list = useInfiniteQuery({
    queryKey: trpc.chatlogs.list.infiniteQueryKey(input),
    queryFn: ({ pageParam, signal }) => trpcClient.chatlogs.list.query({ ...input, cursor: pageParam }, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  // Logs on their way to the trash are gone from the list at once, even from an answer that was
  // already on its way when they were trashed.
  const trashing = useMutationState({
    filters: { mutationKey: trpc.chatlogs.delete.mutationKey(), status: 'pending' },
    select: (mutation) => (mutation.state.variables as { id: string } | undefined)?.id,
  });
  const items = (list.data?.pages.flatMap((page) => page.items) ?? []).filter((log) => !trashing.includes(log.id));

  // Suggestions for the filter fields: every source and tag seen since the page opened, so that
  // filtering by one does not make the others disappear from the list.
  const [seen, setSeen] = useState<{ sources: string[]; tags: string[] }>({ sources: [], tags: [] });
  const sources = remember(seen.sources, items.map((log) => log.source));
  const tags = remember(seen.tags, items.flatMap((log) => log.tags));
  if (sources !== seen.sources || tags !== seen.tags) setSeen({ sources, tags });

  const apply = (values: LibraryFilterValues) => setParams(toParams(values));
  const dateField = `${filters.sort}At` as DateField;

  return (
    <section aria-labelledby="library-heading" className="page">
      <div className="page-heading">
        <h1 id="library-heading" tabIndex={-1}>
          Library
        </h1>
        <div className="actions">
          <Link className="button primary" to="/chats/new">
            New chat
          </Link>
        </div>
      </div>
      {/* Plain links: the server answers with a zip, and the browser downloads it with the session cookie. */}
      <p className="export-all" role="group" aria-labelledby="export-all-label">
        <span id="export-all-label">Export everything:</span>
        <a className="button small" href="/api/exports?format=json" download>
          JSON (zip)
        </a>
        <a className="button small" href="/api/exports?format=markdown" download>
          Markdown (zip)
        </a>
      </p>

      <LibraryFilters values={filters} sources={sources} tags={tags} onChange={apply} />
      {filtered ? (
        <p className="active-filters">
          Showing {filters.source ? <>source <strong>{filters.source}</strong></> : null}
          {filters.source && filters.tag ? ' and ' : null}
          {filters.tag ? <>tag <strong>{filters.tag}</strong></> : null}
          <button type="button" className="button small" onClick={() => apply({ ...filters, source: '', tag: '' })}>
            Clear filters
          </button>
        </p>
      ) : null}

      {list.isPending ? (
        <PageLoading label="Loading chat logs…" />
      ) : !list.data ? (
        <LoadError what="your chat logs" error={list.error} onRetry={() => void list.refetch()} retrying={list.isFetching} />
      ) : items.length === 0 ? (
        <div className="panel empty-state">
          {filtered ? (
            <p>No chat logs match these filters.</p>
          ) : (
            <>
              <p className="empty-title">
                No chat logs yet — <Link to="/chats/new">create one</Link> or <Link to="/imports">import</Link>
              </p>
              <p className="muted">
                Paste a conversation from ChatGPT, Claude or any other assistant, or import a whole export file.
              </p>
            </>
          )}
        </div>
      ) : (
        <>
          <ul className="chat-list" aria-label="Chat logs" aria-busy={list.isFetching}>
            {items.map((log, index) => (
              <ChatLogRow
                key={log.id}
                log={log}
                dateField={dateField}
                activeTag={filters.tag || null}
                onTag={(tag) => apply({ ...filters, tag })}
                onSource={(source) => apply({ ...filters, source })}
                onTrash={(button) => {
                  void actions.trash(log);
                  focusAfterRemoval(button, '.chat-row-trash', index, () => document.getElementById('library-heading'));
                }}
              />
            ))}
          </ul>
          <ListFooter list={list} what={{ nextPage: 'more chat logs', refresh: 'the latest list' }} />
        </>
      )}
    </section>
  );
}
