import { z } from 'zod';
import { cursorSchema, dateSchema, limitSchema, text } from './common';
import { sourceSchema, tagListSchema } from './chat-log';
import { countTerms, MAX_SEARCH_TERMS, readSearchQuery, searchRoles } from '../services/search-query';

export const SEARCH_QUERY_MAX = 500;

export { searchRoles };

export const searchInput = z.strictObject({
  /**
   * Not trimmed: a trailing space says the last word is finished, so it no longer matches as a prefix.
   * Operators (source:, tag:, before:, after:, role:, in:) with a bad value are named here.
   */
  query: text(SEARCH_QUERY_MAX)
    .refine((q) => q.trim().length > 0, 'must not be empty')
    .superRefine((q, ctx) => {
      const { terms, problems } = readSearchQuery(q);
      if (countTerms(terms) > MAX_SEARCH_TERMS) ctx.addIssue({ code: 'custom', message: `must have at most ${MAX_SEARCH_TERMS} words and phrases` });
      for (const problem of problems) ctx.addIssue({ code: 'custom', message: problem });
    }),
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
