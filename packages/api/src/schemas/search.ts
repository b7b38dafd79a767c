import { z } from 'zod';
import { cursorSchema, dateSchema, limitSchema, text } from './common';
import { sourceSchema, tagListSchema } from './chat-log';
import { countTerms, MAX_SEARCH_TERMS, parseSearchQuery } from '../services/search-query';

export const SEARCH_QUERY_MAX = 500;


export const searchRoles = ['user', 'assistant'] as const;

export const searchInput = z.strictObject({
  /** Not trimmed: a trailing space says the last word is finished, so it no longer matches as a prefix. */
  query: text(SEARCH_QUERY_MAX)
    .refine((q) => q.trim().length > 0, 'must not be empty')
    .refine((q) => countTerms(parseSearchQuery(q)) <= MAX_SEARCH_TERMS, `must have at most ${MAX_SEARCH_TERMS} words and phrases`),
  source: sourceSchema.optional(),
  /** Logs carrying all of these tags. */
  tags: tagListSchema.optional(),
  /** On or after, by coalesce(started_at, created_at) as chatlogs.list. */
  from: dateSchema.optional(),
  to: dateSchema.optional(),
  /** Only what the user wrote, or only the answers; titles, summaries and annotations are then left out. */
  role: z.enum(searchRoles).optional(),
  limit: limitSchema.default(20),
  cursor: cursorSchema,
});

export type SearchInput = z.infer<typeof searchInput>;
