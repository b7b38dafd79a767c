// Values PostgreSQL can store and the API can send back, defined once: every schema that lets text,
// JSON or a time in (the API's inputs, the content shape the importers produce) is built from these,
// so nothing the database would refuse reaches it and surfaces as a server error.
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
/** Metadata objects, as JSON in UTF-8. */
export const MAX_JSON_BYTES = 256 * 1024;

/**
 * Keys superjson, the API's wire format, refuses to write (prototype pollution): a stored value
 * holding one would make every read of its row fail, so none is let in.
 */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** An object as JSON.parse makes it (or one without a prototype, which holds the same). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Why a value cannot be stored as JSON in PostgreSQL and sent back, or null when it can. */
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
  if (isPlainObject(value)) {
    for (const key of Object.keys(value)) {
      if (RESERVED_KEYS.has(key)) return `holds the key "${key}", which the API cannot send back`;
      const problem = jsonProblem(key, depth + 1) ?? jsonProblem(value[key], depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  return 'holds a value that is not JSON (only objects, arrays, strings, finite numbers, booleans and null)';
}

const sizeText = (bytes: number) => (bytes % 1024 ** 2 === 0 ? `${bytes / 1024 ** 2} MB` : `${Math.floor(bytes / 1024)} KB`);

/** UTF-8 bytes of a string, in the browser as on the server. */
const utf8Bytes = (value: string) => new TextEncoder().encode(value).length;

function checkJson(value: unknown, maxBytes: number, ctx: z.core.$RefinementCtx): void {
  const problem = jsonProblem(value);
  if (problem) {
    ctx.addIssue({ code: 'custom', message: problem });
    return;
  }
  if (utf8Bytes(JSON.stringify(value) ?? '') > maxBytes) {
    ctx.addIssue({ code: 'custom', message: `must be at most ${sizeText(maxBytes)} as JSON` });
  }
}

/**
 * Any JSON value (a tool call's input or output), bounded in size and depth as metadata is. The
 * checks read the value as sent, before anything copies it, so a `__proto__` key is refused rather
 * than turned into a prototype.
 */
export function jsonValue(maxBytes: number) {
  return z.unknown().superRefine((value, ctx) => checkJson(value, maxBytes, ctx));
}

/** Free-form metadata: a JSON object of at most MAX_JSON_BYTES, nested at most MAX_JSON_DEPTH deep. */
export const jsonObject = z
  .custom<Record<string, unknown>>(isPlainObject, 'must be a JSON object')
  .superRefine((value, ctx) => checkJson(value, MAX_JSON_BYTES, ctx));

/**
 * The instants a time may hold: years 1 to 9999 in UTC. PostgreSQL's timestamptz refuses the year 0
 * that JavaScript and ISO 8601 allow, and the driver cannot write years past 9999.
 */
export const TIME_RANGE = {
  min: new Date('0001-01-01T00:00:00.000Z'),
  max: new Date('9999-12-31T23:59:59.999Z'),
} as const;

const inTimeRange = (ms: number) => ms >= TIME_RANGE.min.getTime() && ms <= TIME_RANGE.max.getTime();

/** An ISO 8601 date and time with a zone offset, a real calendar date, from the year 1 to 9999 in UTC. */
export const isoDateTime = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date and time with a time zone' })
  .refine((value) => inTimeRange(Date.parse(value)), 'must be between the years 1 and 9999');
