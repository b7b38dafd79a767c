import { UniqueConstraintViolationException } from '@chatsynth/db';
import { TRPCError } from '@trpc/server';
import { ZodRealError } from 'zod';

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
