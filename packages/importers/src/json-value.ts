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

export const MAX_JSON_DEPTH = 32;
export const MAX_JSON_BYTES = 256 * 1024;

/** Why a value cannot be stored as JSON in PostgreSQL, or null when it can. */
export function jsonProblem(value: unknown, depth = 0): string | null {
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

/** UTF-8 bytes of a string, in the browser as on the server. */
const utf8Bytes = (value: string) => new TextEncoder().encode(value).length;

/** Free-form metadata: a JSON object of bounded size and depth. */
export const jsonObject = z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
  const problem = jsonProblem(value);
  if (problem) {
    ctx.addIssue({ code: 'custom', message: `metadata ${problem}` });
    return;
  }
  if (utf8Bytes(JSON.stringify(value)) > MAX_JSON_BYTES) {
    ctx.addIssue({ code: 'custom', message: `metadata must be at most ${MAX_JSON_BYTES / 1024} KB as JSON` });
  }
});
