import { splitTags } from '../../lib/format';
import type { RouterInputs } from '../../lib/trpc';

export type SearchRole = '' | 'user' | 'assistant';
export type SearchFilterValues = { source: string; tags: string; from: string; to: string; role: SearchRole };
export type SearchApiInput = Omit<RouterInputs['chatlogs']['search'], 'cursor'>;

export const EMPTY_FILTERS: SearchFilterValues = { source: '', tags: '', from: '', to: '', role: '' };
export const PAGE_SIZE = 20;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The filters as the URL holds them: ?source=&tags=a,b&from=YYYY-MM-DD&to=YYYY-MM-DD&role=user|assistant */
export function readFilters(params: URLSearchParams): SearchFilterValues {
  const role = params.get('role');
  return {
    source: params.get('source') ?? '',
    tags: params.get('tags') ?? '',
    from: DAY.test(params.get('from') ?? '') ? params.get('from')! : '',
    to: DAY.test(params.get('to') ?? '') ? params.get('to')! : '',
    role: role === 'user' || role === 'assistant' ? role : '',
  };
}

export function writeFilters(params: URLSearchParams, values: SearchFilterValues): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const key of ['source', 'tags', 'from', 'to', 'role'] as const) {
    const value = values[key].trim();
    if (value) next.set(key, value);
    else next.delete(key);
  }
  return next;
}

export function hasFilters(values: SearchFilterValues): boolean {
  return Object.values(values).some((v) => v.trim() !== '');
}

function day(value: string, endOfDay: boolean): Date | undefined {
  if (!value) return undefined;
  // A day in the person's own time zone, as the date field shows it.
  const date = new Date(`${value}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function toSearchInput(query: string, values: SearchFilterValues): SearchApiInput {
  const tags = splitTags(values.tags);
  return {
    query,
    limit: PAGE_SIZE,
    source: values.source.trim() || undefined,
    tags: tags.length ? tags : undefined,
    from: day(values.from, false),
    to: day(values.to, true),
    role: values.role || undefined,
  };
}

/** Where a hit opens: the chat log at the matching message, with the query to highlight there. */
export function hitHref(chatlogId: string, messageIndex: number | null, query: string): string {
  const params = new URLSearchParams();
  if (messageIndex !== null) params.set('m', String(messageIndex));
  params.set('q', query);
  return `/chats/${encodeURIComponent(chatlogId)}?${params.toString()}`;
}
