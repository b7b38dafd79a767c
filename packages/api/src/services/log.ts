import { randomBytes } from 'node:crypto';
import pino from 'pino';

/**
 * The process's log: one JSON object a line on stdout (pino), so a log collector reads fields
 * instead of parsing prose. `LOG_LEVEL` sets the level (default `info`; tests run at `silent`
 * unless it is set).
 */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];
const isLogLevel = (value: string | undefined): value is LogLevel => LOG_LEVELS.includes(value as LogLevel);

// A bad LOG_LEVEL must not throw while modules load: the server's env check stops it with one line.
const requested = process.env.LOG_LEVEL;
export const logger = pino({
  level: isLogLevel(requested) ? requested : process.env.VITEST ? 'silent' : 'info',
  base: { service: 'chatsynth' },
  // Errors keep their type, message, stack and the PostgreSQL fields (code, detail) for the operator.
  serializers: { err: pino.stdSerializers.err },
});

/** A short id a user can quote and an operator can grep for. */
export function newReference(): string {
  return randomBytes(6).toString('base64url');
}

/**
 * Logs an unexpected error with everything an operator needs, and returns the reference that the
 * caller shows instead of the error itself: messages from the database or a library carry SQL, row
 * data and internals that must never reach a client or an import report.
 */
export function reportInternal(error: unknown, context: Record<string, unknown> = {}): string {
  const ref = newReference();
  logger.error({ err: error, ref, ...context }, 'unexpected error');
  return ref;
}

/** The sentence shown in place of an unexpected error. */
export function internalErrorMessage(ref: string): string {
  return `Something went wrong on the server (reference ${ref}). Try again; if it keeps happening, quote the reference.`;
}
