import { z } from 'zod';
import { uuid } from '../schemas/common';
import { badInput } from './errors';

/**
 * A timestamptz as PostgreSQL prints it (`2024-01-31 12:00:00.123456+00`): cursors carry the sort key
 * in this form so a page ends exactly, to the microsecond. JavaScript's Date.parse is no check of it
 * (it reads `0001-01-01 00:00:00+00` as the year 2001 and takes the year 0 that PostgreSQL refuses),
 * so each field is checked here.
 */
const PG_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?[+-](\d{2})(?::(\d{2}))?(?::(\d{2}))?$/;

/** Days in a month (1-12) of a year of the proleptic Gregorian calendar, as PostgreSQL counts them. */
function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last of this one; setUTCFullYear keeps years below 100 as they are.
  const date = new Date(0);
  date.setUTCFullYear(year, month, 0);
  return date.getUTCDate();
}

function isTimestampText(value: string): boolean {
  const match = PG_TIMESTAMP.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes = 0, offsetSeconds = 0] = match
    .slice(1)
    .map((field) => (field === undefined ? undefined : Number(field))) as number[];
  return (
    year! >= 1 &&
    month! >= 1 &&
    month! <= 12 &&
    day! >= 1 &&
    day! <= daysInMonth(year!, month!) &&
    hour! <= 23 &&
    minute! <= 59 &&
    second! <= 59 &&
    offsetHours! <= 15 &&
    offsetMinutes <= 59 &&
    offsetSeconds <= 59
  );
}

/** A sort key as PostgreSQL prints a timestamptz, within the calendar and the years 1 to 9999. */
export const timestampText = z.string().refine(isTimestampText);

/** What a chat log list or trash cursor holds: the sort key and the id of the last row of the page. */
const keysetCursor = z.tuple([timestampText, uuid]);

/**
 * A cursor's payload read back and checked in full against `shape`: whatever a client sends, only
 * values PostgreSQL takes reach the query, and anything else is BAD_REQUEST on `cursor`.
 */
export function readCursor<T>(cursor: string, shape: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const parsed = shape.safeParse(value);
  if (!parsed.success) throw badInput('cursor', 'is not valid; start again from the first page');
  return parsed.data;
}

export function writeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Keyset cursors: the sort key as PostgreSQL printed it (exact to the microsecond) and the id. */
export function encodeCursor(sortKey: string, id: string): string {
  return writeCursor([sortKey, id]);
}

export function decodeCursor(cursor: string): { sortKey: string; id: string } {
  const [sortKey, id] = readCursor(cursor, keysetCursor);
  return { sortKey, id };
}

/** A page of `limit` from rows fetched with `limit + 1`, and the cursor after it when there is more. */
export function pageOf<T>(rows: T[], limit: number, cursorOf: (last: T) => string): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? cursorOf(last) : null };
}
