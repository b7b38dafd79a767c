import type { Credential } from '../context';
import { API_TOKEN_SCOPES, type ApiTokenScope } from '../schemas/api-token-scopes';

/** What the caller may do: a session everything, an API token what its scopes say. */
export function scopesOf(credential: Credential): readonly ApiTokenScope[] {
  return credential.kind === 'apiToken' ? credential.scopes : API_TOKEN_SCOPES;
}

/**
 * Null when the caller holds one of `anyOf`; otherwise the sentence that refuses it, naming what is
 * missing ("This API token lacks the write scope."). tRPC's protected procedures and the plain HTTP
 * routes both ask here, so a token is refused the same way on either.
 */
export function missingScope(credential: Credential, anyOf: readonly ApiTokenScope[]): string | null {
  const held = scopesOf(credential);
  if (anyOf.some((scope) => held.includes(scope))) return null;
  return `This API token lacks the ${anyOf.join(' or ')} scope.`;
}
