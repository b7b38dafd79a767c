import { TRPCClientError } from '@chatsynth/client';

/** An error the CLI reports as one line, ending the process with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A mistake in the command line: the message, then the command's usage. */
export class UsageError extends CliError {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message, 2);
  }
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/** The system error code (ECONNREFUSED, …) somewhere in an error's cause chain, if any. */
export function networkErrorCode(error: unknown): string | null {
  for (let e = error, depth = 0; e && depth < 6; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || code.startsWith('UND_ERR_'))) return code;
    const cause = (e as { cause?: unknown }).cause;
    // undici's own failures (a bad port, a bad header…) carry a cause with no code: its message says why.
    if (e instanceof TypeError && e.message === 'fetch failed' && networkErrorCode(cause) === null) {
      return cause instanceof Error ? cause.message : 'fetch failed';
    }
    e = cause;
  }
  return null;
}

/** The error for a server that could not be reached; the network error stays its cause. */
export function unreachable(url: string, code: string, cause?: unknown): CliError {
  return new CliError(`Cannot reach the server at ${url} (${code}). Is it running, and is the URL right?`, 2, { cause });
}

type ZodFlat = { formErrors?: string[]; fieldErrors?: Record<string, string[] | undefined> };

/**
 * One line a person can act on: the server's message for an API error (with the fields a bad input
 * names), the reason a connection failed, or the message of anything else. Never a stack trace.
 */
export function describeError(error: unknown, url?: string): CliError {
  for (let e = error, depth = 0; e && depth < 4; depth++, e = (e as { cause?: unknown }).cause) {
    if (e instanceof CliError) return e;
  }
  const code = networkErrorCode(error);
  if (code && url) return unreachable(url, code, error);
  if (error instanceof TRPCClientError) {
    const data = error.data as { code?: string; zodError?: ZodFlat | null } | undefined;
    if (!data?.code) {
      // Not a tRPC answer: a proxy's page, or a server that is not ChatSynth.
      return new CliError(`The server${url ? ` at ${url}` : ''} did not answer as a ChatSynth server: ${error.message}`);
    }
    const fields = Object.entries(data.zodError?.fieldErrors ?? {}).map(([field, messages]) => `${field} ${messages?.[0] ?? 'is invalid'}`);
    const form = data.zodError?.formErrors ?? [];
    if (fields.length || form.length) return new CliError(`The server refused the request: ${[...form, ...fields].join('; ')}.`);
    if (data.code === 'UNAUTHORIZED') return new CliError(`${error.message} Your token was refused: run \`chatsynth login\` again.`);
    return new CliError(withScopeHint(error.message));
  }
  if (error instanceof Error) return new CliError(error.message, 1);
  return new CliError(String(error), 1);
}

/** A refusal for a scope the saved token lacks says how to get a token that has it. */
export function withScopeHint(message: string): string {
  return /^This API token lacks the [a-z ]+ scope\.$/.test(message) ? `${message} Run \`chatsynth login\` again for a token with it (see --scopes).` : message;
}
