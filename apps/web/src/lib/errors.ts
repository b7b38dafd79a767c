import { TRPCClientError } from '@chatsynth/client';
import type { AppRouter } from '@chatsynth/client';

export type FieldErrors = Record<string, string[] | undefined>;

export type ErrorReport = {
  /** A sentence for the person, always set. */
  message: string;
  /** The server's per-field messages (from zod), keyed by input field. */
  fieldErrors: FieldErrors;
  code: string | null;
};

function asClientError(error: unknown): TRPCClientError<AppRouter> | null {
  return error instanceof TRPCClientError ? (error as TRPCClientError<AppRouter>) : null;
}

export function errorCode(error: unknown): string | null {
  return asClientError(error)?.data?.code ?? null;
}

/** An error the server answered with a 4xx code: asking again will not help. */
export function isClientMistake(error: unknown): boolean {
  const status = asClientError(error)?.data?.httpStatus;
  return typeof status === 'number' && status >= 400 && status < 500;
}

export function describeError(error: unknown): ErrorReport {
  const clientError = asClientError(error);
  if (!clientError) {
    return { message: 'Something went wrong. Try again.', fieldErrors: {}, code: null };
  }
  const data = clientError.data;
  if (!data) {
    // No tRPC answer at all: the request never reached the server, or a proxy answered.
    return { message: 'Could not reach the server. Check your connection and try again.', fieldErrors: {}, code: null };
  }
  const fieldErrors: FieldErrors = data.zodError?.fieldErrors ?? {};
  const formErrors = data.zodError?.formErrors ?? [];
  let message = clientError.message;
  if (data.code === 'BAD_REQUEST' && data.zodError) {
    message = formErrors[0] ?? 'Some fields need attention.';
  } else if (data.code === 'INTERNAL_SERVER_ERROR') {
    message = 'Something went wrong on the server. Try again in a moment.';
  }
  return { message, fieldErrors, code: data.code };
}

/**
 * The server's messages are written to follow the field's name: "must be at least 3 characters"
 * under "Username" reads "Username must be at least 3 characters". Others are sentences of their own.
 */
export function fieldMessage(label: string, message: string): string {
  if (/^(must|may|is|should|cannot) /.test(message)) return `${label} ${message}`;
  return message.charAt(0).toUpperCase() + message.slice(1);
}
