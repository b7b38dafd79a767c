import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { removeFromLists, rollback, withoutItem } from './run-mutation';

const page = (ids: string[], nextCursor: string | null = null) => ({ items: ids.map((id) => ({ id, title: id })), nextCursor });

describe('withoutItem', () => {
  it('takes the item out of every page of an infinite list', () => {
    const data = { pages: [page(['a', 'b'], 'c1'), page(['c', 'd'])], pageParams: [null, 'c1'] };
    expect(withoutItem(data, 'c')).toEqual({ pages: [page(['a', 'b'], 'c1'), page(['d'])], pageParams: [null, 'c1'] });
  });
  it('takes it out of a plain list answer, and leaves an answer without it as it was', () => {
    const data = page(['a', 'b']);
    expect(withoutItem(data, 'a')).toEqual(page(['b']));
    expect(withoutItem(data, 'z')).toBe(data);
  });
  it('leaves anything that is not a list alone', () => {
    expect(withoutItem(undefined, 'a')).toBeUndefined();
    const log = { id: 'a', title: 'a' };
    expect(withoutItem(log, 'a')).toBe(log);
  });
});

describe('removeFromLists and rollback', () => {
  it('removes the item from every matching query and puts back what they held', async () => {
    const client = new QueryClient();
    client.setQueryData(['list', { tag: 'x' }], { pages: [page(['a', 'b'])], pageParams: [null] });
    client.setQueryData(['list', { tag: 'y' }], page(['b']));
    client.setQueryData(['other'], page(['b']));
    const snapshot = await removeFromLists(client, { queryKey: ['list'] }, 'b');
    expect(client.getQueryData(['list', { tag: 'x' }])).toEqual({ pages: [page(['a'])], pageParams: [null] });
    expect(client.getQueryData(['list', { tag: 'y' }])).toEqual(page([]));
    expect(client.getQueryData(['other'])).toEqual(page(['b']));
    rollback(client, snapshot);
    expect(client.getQueryData(['list', { tag: 'x' }])).toEqual({ pages: [page(['a', 'b'])], pageParams: [null] });
    expect(client.getQueryData(['list', { tag: 'y' }])).toEqual(page(['b']));
  });
});
