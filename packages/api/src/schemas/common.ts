import { z } from 'zod';

/**
 * Text that PostgreSQL can store: no NUL characters (text and jsonb reject them) and no lone
 * surrogates (jsonb rejects their escapes). Either would otherwise surface as a server error.
 */
export function text(max: number) {
  return z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters')
    .refine((s) => s.isWellFormed(), 'must be valid Unicode');
}

/** A trimmed, non-empty line of text. */
export function line(max: number) {
  return text(max).trim().min(1, 'must not be empty');
}

export const uuid = z.string().uuid('must be an id');

const MAX_JSON_DEPTH = 32;
const MAX_JSON_BYTES = 256 * 1024;

/** Why a value cannot be stored as JSON in PostgreSQL, or null when it can. */
function jsonProblem(value: unknown, depth: number): string | null {
  if (depth > MAX_JSON_DEPTH) return `is nested deeper than ${MAX_JSON_DEPTH} levels`;
  if (value === null || typeof value === 'boolean') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : 'holds a number that is not finite';
  if (typeof value === 'string') {
    return value.includes('\u0000') || !value.isWellFormed() ? 'holds text with NUL characters or invalid Unicode' : null;
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = jsonProblem(item, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) {
      const problem = jsonProblem(key, depth + 1) ?? jsonProblem(item, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  return 'holds a value that is not JSON (only objects, arrays, strings, finite numbers, booleans and null)';
}

/** Free-form metadata: a JSON object of bounded size and depth. */
export const jsonObject = z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
  const problem = jsonProblem(value, 0);
  if (problem) {
    ctx.addIssue({ code: 'custom', message: `metadata ${problem}` });
    return;
  }
  if (Buffer.byteLength(JSON.stringify(value)) > MAX_JSON_BYTES) {
    ctx.addIssue({ code: 'custom', message: `metadata must be at most ${MAX_JSON_BYTES / 1024} KB as JSON` });
  }
});

export const limitSchema = z.number().int().min(1).max(100);
export const cursorSchema = text(500).nullish();

// Bounded to years PostgreSQL's timestamptz holds, so no date reaches the database out of range.
export const dateSchema = z.coerce
  .date()
  .min(new Date('0001-01-01T00:00:00Z'), 'must be in the year 1 or later')
  .max(new Date('9999-12-31T23:59:59Z'), 'must be before the year 10000');
