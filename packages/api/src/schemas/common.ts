import { z } from 'zod';
import { jsonObject, text } from '@chatsynth/importers/canonical';

export { jsonObject, text };

/** A trimmed, non-empty line of text. */
export function line(max: number) {
  return text(max).trim().min(1, 'must not be empty');
}

export const uuid = z.string().uuid('must be an id');

export const limitSchema = z.number().int().min(1).max(100);
export const cursorSchema = text(500).nullish();

// Bounded to years PostgreSQL's timestamptz holds, so no date reaches the database out of range.
export const dateSchema = z.coerce
  .date()
  .min(new Date('0001-01-01T00:00:00Z'), 'must be in the year 1 or later')
  .max(new Date('9999-12-31T23:59:59Z'), 'must be before the year 10000');
