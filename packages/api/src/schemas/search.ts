import { z } from 'zod';
import { cursorSchema, limitSchema, text } from './common';
import { sourceSchema, tagListSchema } from './chat-log';
import { countTerms, MAX_SEARCH_TERMS, parseSearchQuery } from '../services/search-query';

export const SEARCH_QUERY_MAX = 500;

// Bounded to years PostgreSQL's timestamptz holds, so no date reaches the database out of range.
const searchDate = z.coerce
  .date()
  .min(new Date('0001-01-01T00:00:00Z'), 'must be in the year 1 or later')
  .max(new Date('9999-12-31T23:59:59Z'), 'must be before the year 10000');

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
  from: searchDate.optional(),
  to: searchDate.optional(),
  /** Only what the user wrote, or only the answers; titles, summaries and annotations are then left out. */
  role: z.enum(searchRoles).optional(),
  limit: limitSchema.default(20),
  cursor: cursorSchema,
});

export type SearchInput = z.infer<typeof searchInput>;
