import { UniqueConstraintViolationException } from '@chatsynth/db';
import { TRPCError } from '@trpc/server';

/** The name of the violated unique constraint, or null when `error` is something else. */
export function uniqueViolation(error: unknown): string | null {
  if (!(error instanceof UniqueConstraintViolationException)) return null;
  const constraint = (error as { constraint?: string }).constraint;
  return constraint ?? error.message;
}

export const notFound = (what: string) => new TRPCError({ code: 'NOT_FOUND', message: `${what} not found.` });
