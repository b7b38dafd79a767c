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

/** The app's error handler: expected errors as thrown, anything else as a 500 that shows no internals. */
export function onError(error: Error, c: Context): Response {
  if (error instanceof HTTPException) {
    const response = error.getResponse();
    // An HTTPException raised by Hono itself (a malformed body, say) carries no JSON of ours.
    if (response.headers.get('content-type')?.includes('application/json')) return response;
    return errorResponse(error.status as ContentfulStatusCode, error.status === 401 ? 'UNAUTHORIZED' : 'BAD_REQUEST', error.message || 'Bad request.');
  }
  console.error(`${c.req.method} ${new URL(c.req.url).pathname} failed:`, error);
  return errorResponse(500, 'INTERNAL_SERVER_ERROR', 'Something went wrong on the server.');
}
