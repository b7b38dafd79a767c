import type { UseInfiniteQueryResult } from '@tanstack/react-query';
import { LoadError } from './route-error';

/**
 * Under a paged list: "Load more" while there are pages, and the error of a failed refresh or next
 * page with Try again (the list already shown stays).
 */
export function ListFooter({ list, what }: { list: UseInfiniteQueryResult; what: { nextPage: string; refresh: string } }) {
  return (
    <>
      {list.hasNextPage ? (
        <p className="load-more">
          <button type="button" className="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
            {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        </p>
      ) : null}
      {list.isError ? (
        <LoadError
          compact
          what={list.isFetchNextPageError ? what.nextPage : what.refresh}
          error={list.error}
          onRetry={() => void (list.isFetchNextPageError ? list.fetchNextPage() : list.refetch())}
          retrying={list.isFetching}
        />
      ) : null}
    </>
  );
}
