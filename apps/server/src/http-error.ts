import { exposeUnexpected } from '@chatsynth/api';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The error codes of the plain HTTP routes: tRPC's, so a client reads both alike. */
export type ApiErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'PAYLOAD_TOO_LARGE'
  | 'TOO_MANY_REQUESTS'
  | 'INTERNAL_SERVER_ERROR';

/** The one error body of every plain HTTP route: a sentence a person can act on, and the code. */
export type ApiErrorBody = { error: string; code: ApiErrorCode };

/** A response in the one error shape. */
export function errorResponse(status: ContentfulStatusCode, code: ApiErrorCode, message: string, headers?: Record<string, string>): Response {
  return Response.json({ error: message, code } satisfies ApiErrorBody, { status, headers });
}

/** Thrown by routes and middleware; the app's error handler answers it in the one shape. */
export function apiError(status: ContentfulStatusCode, code: ApiErrorCode, message: string, headers?: Record<string, string>): HTTPException {
  return new HTTPException(status, { res: errorResponse(status, code, message, headers) });
}

/**
 * The app's error handler: expected errors as thrown; anything else is logged with a reference and
 * answered with only that reference (its own message may carry SQL and the caller's data): a
 * PostgreSQL data exception as 400, as tRPC answers it, everything else as 500.
 */
export function onError(error: Error, c: Context): Response {
  if (error instanceof HTTPException) {
    const response = error.getResponse();
    // An HTTPException raised by Hono itself (a malformed body, say) carries no JSON of ours.
    if (response.headers.get('content-type')?.includes('application/json')) return response;
    return errorResponse(error.status as ContentfulStatusCode, error.status === 401 ? 'UNAUTHORIZED' : 'BAD_REQUEST', error.message || 'Bad request.');
  }
  const exposed = exposeUnexpected(error, { method: c.req.method, path: new URL(c.req.url).pathname });
  return errorResponse(exposed.code === 'BAD_REQUEST' ? 400 : 500, exposed.code, exposed.message);
}
