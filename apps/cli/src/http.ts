import type { Connection } from './connection';
import { USER_AGENT } from './connection';
import { CliError, networkErrorCode, unreachable, withScopeHint } from './errors';

/**
 * A request to the server's HTTP routes (GET /api/exports) with the login's token. Anything
 * but a 2xx becomes a CliError carrying the server's own message (its `{ error }` body).
 */
export async function apiFetch(connection: Connection, path: string, init: RequestInit = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`${connection.url}${path}`, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${connection.token}`, 'user-agent': USER_AGENT },
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    const code = networkErrorCode(error);
    throw code ? unreachable(connection.url, code, error) : new CliError(`The request to ${connection.url} failed: ${(error as Error).message}`);
  }
  if (!response.ok) throw httpError(response.status, response.statusText, await response.text().catch(() => ''));
  return response;
}

/** The server's `{ error }` message for a refused request, or what its status says. */
export function httpError(status: number, statusText: string, text: string): CliError {
  let message: string | null = null;
  try {
    const body = JSON.parse(text) as { error?: unknown };
    if (typeof body.error === 'string') message = body.error;
  } catch {
    // Not the server's JSON: a proxy's page, say. The status still says what happened.
  }
  if (status === 401) {
    return new CliError(`${message ?? 'The server refused the token.'} Your token was refused: run \`chatsynth login\` again.`);
  }
  return new CliError(message ? withScopeHint(message) : `The server answered HTTP ${status}${statusText ? ` ${statusText}` : ''}.`);
}
