import { UniqueConstraintViolationException } from '@chatsynth/db';
import { TRPCError } from '@trpc/server';
import { ZodRealError } from 'zod';
import { internalErrorMessage, reportInternal } from './log';

/** The name of the violated unique constraint, or null when `error` is something else. */
export function uniqueViolation(error: unknown): string | null {
  if (!(error instanceof UniqueConstraintViolationException)) return null;
  const constraint = (error as { constraint?: string }).constraint;
  return constraint ?? error.message;
}

export const notFound = (what: string) => new TRPCError({ code: 'NOT_FOUND', message: `${what} not found.` });

/**
 * BAD_REQUEST for input that passed its schema but not a check only the data can make (an index past
 * the last message). It carries a ZodError, so the client sees it under the field like any other.
 */
export function badInput(field: string, message: string): TRPCError {
  return new TRPCError({
    code: 'BAD_REQUEST',
    message: `${field} ${message}`,
    cause: new ZodRealError([{ code: 'custom', path: [field], message, input: undefined }]),
  });
}

/**
 * The SQLSTATE of a PostgreSQL data exception (class 22: a value the database cannot take, e.g.
 * 22P05 a character jsonb cannot hold, 22021 a bad byte sequence, 22008 a date out of range, 22003
 * a number out of range, 22P02 bad text for a type) in `error` or its causes, or null.
 */
export function dataExceptionCode(error: unknown): string | null {
  let current = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * The error to show for one the code did not raise on purpose (a driver's, a library's, a bug): it is
 * logged with a reference, and the caller sees only that reference, never the error's own message,
 * which may carry SQL and the caller's data. A PostgreSQL data exception means input got past the
 * schemas that should have refused it: still the caller's input, so BAD_REQUEST.
 */
export function exposeUnexpected(error: unknown, context: Record<string, unknown> = {}): TRPCError & { code: 'BAD_REQUEST' | 'INTERNAL_SERVER_ERROR' } {
  const sqlState = dataExceptionCode(error);
  const ref = reportInternal(error, sqlState ? { ...context, sqlState } : context);
  const exposed = sqlState
    ? new TRPCError({
        code: 'BAD_REQUEST',
        message: `The input holds a value the database cannot store (reference ${ref}): check it for unusual characters, dates or numbers.`,
      })
    : new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: internalErrorMessage(ref) });
  return exposed as TRPCError & { code: 'BAD_REQUEST' | 'INTERNAL_SERVER_ERROR' };
}
