import { MutationObserver, type MutationObserverOptions, type QueryClient, type QueryFilters, type QueryKey } from '@tanstack/react-query';

/**
 * Runs a mutation with its whole lifecycle (onMutate, onError, onSuccess, onSettled, scope) without a
 * component: a notification's Undo is pressed after the page that offered it may be gone, and
 * `useMutation`'s `mutate` does nothing once its component has unmounted. Failures are reported by the
 * options' onError, so the promise resolves to undefined then.
 */
export function runMutation<TData, TError, TVariables, TContext>(
  queryClient: QueryClient,
  options: MutationObserverOptions<TData, TError, TVariables, TContext>,
  variables: TVariables,
): Promise<TData | undefined> {
  return new MutationObserver(queryClient, options).mutate(variables).catch(() => undefined);
}

export type Snapshot = Array<[QueryKey, unknown]>;

type Identified = { id: string };
type ListPage = { items: Identified[] };

/** A list answer (`{ items }`, or an infinite query's pages of them) without the log `id`. */
export function withoutItem(data: unknown, id: string): unknown {
  if (!data || typeof data !== 'object') return data;
  if ('pages' in data && Array.isArray(data.pages)) {
    return { ...data, pages: (data.pages as ListPage[]).map((page) => withoutItem(page, id)) };
  }
  if ('items' in data && Array.isArray(data.items)) {
    const items = (data.items as Identified[]).filter((item) => item.id !== id);
    return items.length === data.items.length ? data : { ...data, items };
  }
  return data;
}

/**
 * Takes `id` out of every cached list the filter matches, after stopping their fetches (an answer
 * already on its way would put it back), and returns what they held so a failure can roll back.
 */
export async function removeFromLists(queryClient: QueryClient, filter: QueryFilters, id: string): Promise<Snapshot> {
  await queryClient.cancelQueries(filter);
  const snapshot = queryClient.getQueriesData<unknown>(filter);
  queryClient.setQueriesData<unknown>(filter, (data: unknown) => withoutItem(data, id));
  return snapshot;
}

export function rollback(queryClient: QueryClient, snapshot: Snapshot | undefined) {
  for (const [key, data] of snapshot ?? []) queryClient.setQueryData(key, data);
}
