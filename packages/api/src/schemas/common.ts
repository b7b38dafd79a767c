import { z } from 'zod';
import { jsonObject, text, TIME_RANGE } from '@chatsynth/importers/canonical';

export { jsonObject, text };

/** A trimmed, non-empty line of text. */
export function line(max: number) {
  return text(max).trim().min(1, 'must not be empty');
}

export const uuid = z.string().uuid('must be an id');

export const limitSchema = z.number().int().min(1).max(100);
export const cursorSchema = text(500).nullish();

/**
 * The page of a list the contract gives as an array (versions, notes, API tokens, imports): at most
 * `limit` items (default 100) after `cursor`, the key of the last item the client already has, read
 * from that item. A page shorter than `limit` is the last.
 */
export function arrayPage<Cursor extends z.ZodType>(cursor: Cursor) {
  return { limit: limitSchema.default(100), cursor: cursor.nullish() };
}

// Bounded to the years PostgreSQL's timestamptz holds (TIME_RANGE, as message times), so no date
// reaches the database out of range. A Date, or an ISO 8601 string (a caller without superjson): typed
// as those two, so a client cannot pass anything else.
export const dateSchema = z.coerce
  .date<Date | string>()
  .min(TIME_RANGE.min, 'must be in the year 1 or later')
  .max(TIME_RANGE.max, 'must be before the year 10000');
