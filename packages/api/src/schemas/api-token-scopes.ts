// The names of what an API token may do, for whoever shows or asks for them: the API, the settings
// page, the CLI. No imports beyond the list itself, so the web app and the CLI bundle this file without
// zod or server code (the list lives in @chatsynth/db, which writes the table's default and check from it).
import { API_TOKEN_SCOPES, type ApiTokenScope } from '@chatsynth/db/api-token-scopes';

export { API_TOKEN_SCOPES, type ApiTokenScope };

export function isApiTokenScope(name: string): name is ApiTokenScope {
  return (API_TOKEN_SCOPES as readonly string[]).includes(name);
}

/** The given scopes once each, in API_TOKEN_SCOPES order: how a token's scopes are stored and shown. */
export function canonicalScopes(scopes: Iterable<ApiTokenScope>): ApiTokenScope[] {
  const given = new Set(scopes);
  return API_TOKEN_SCOPES.filter((scope) => given.has(scope));
}
