import { describe, expect, it } from 'vitest';
import { ARRAY_PAGE, fetchAllPages, nextArrayPage } from './array-pages';

/** A server's list of `total` numbered items, paged as the API pages its arrays (after the cursor's number). */
function server(total: number) {
  const asked: Array<number | null> = [];
  const fetchPage = async (cursor: { n: number } | null) => {
    asked.push(cursor?.n ?? null);
    const from = cursor ? cursor.n + 1 : 0;
    return Array.from({ length: Math.max(0, Math.min(ARRAY_PAGE, total - from)) }, (_, i) => ({ n: from + i }));
  };
  return { asked, fetchPage };
}

describe('array pages', () => {
  it('walks every page, each after the last item of the one before, and stops at a short page', async () => {
    for (const total of [0, 1, ARRAY_PAGE - 1, ARRAY_PAGE, ARRAY_PAGE + 1, 3 * ARRAY_PAGE + 7]) {
      const { asked, fetchPage } = server(total);
      const items = await fetchAllPages(fetchPage, (last) => ({ n: last.n }));
      expect(items.map((item) => item.n)).toEqual(Array.from({ length: total }, (_, i) => i));
      // A full last page costs one more (empty) request: the API cannot say there is no more.
      expect(asked).toHaveLength(Math.floor(total / ARRAY_PAGE) + 1);
    }
  });

  it('gives useInfiniteQuery the next cursor, or undefined after a short page', () => {
    const next = nextArrayPage((last: { id: string }) => ({ id: last.id }));
    expect(next(Array.from({ length: ARRAY_PAGE }, (_, i) => ({ id: `t${i}` })))).toEqual({ id: `t${ARRAY_PAGE - 1}` });
    expect(next([{ id: 'only' }])).toBeUndefined();
    expect(next([])).toBeUndefined();
  });
});
