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

// Bounded to the years PostgreSQL's timestamptz holds (TIME_RANGE, as message times), so no date
// reaches the database out of range.
export const dateSchema = z.coerce
  .date()
  .min(TIME_RANGE.min, 'must be in the year 1 or later')
  .max(TIME_RANGE.max, 'must be before the year 10000');
