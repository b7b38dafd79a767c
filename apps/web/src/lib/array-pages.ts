// The lists the API gives as arrays (versions, notes, API tokens, imports) come a page at a time: at
// most ARRAY_PAGE items after a cursor made from the last item the client already has. A page shorter
// than that is the last.

/** The page size the app asks for: the API's largest. */
export const ARRAY_PAGE = 100;

/** The cursor of the page after `page`, or undefined when `page` was the last (the shape useInfiniteQuery wants). */
export function nextArrayPage<T, Cursor>(cursorOf: (last: T) => Cursor) {
  return (page: T[]): Cursor | undefined => (page.length < ARRAY_PAGE ? undefined : cursorOf(page[page.length - 1]!));
}

/**
 * Every item of such a list, page after page, for the views that need it whole (the notes drawn
 * into a conversation, the versions to compare). `fetchPage` gets null for the first page.
 */
export async function fetchAllPages<T, Cursor>(fetchPage: (cursor: Cursor | null) => Promise<T[]>, cursorOf: (last: T) => Cursor): Promise<T[]> {
  const next = nextArrayPage(cursorOf);
  const items: T[] = [];
  let cursor: Cursor | null = null;
  for (;;) {
    const page = await fetchPage(cursor);
    items.push(...page);
    const after = next(page);
    if (after === undefined) return items;
    cursor = after;
  }
}
