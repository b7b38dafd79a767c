// No imports: the web app and the CLI bundle this list (through @chatsynth/api/scopes), and the
// api_tokens table's default and check are written from it, so the names live in one place.

/**
 * What an API token may do: `read` the caller's data, `write` it (every mutation), `import` files.
 * A session may do everything. Tokens made before scopes existed have all three.
 */
export const API_TOKEN_SCOPES = ['read', 'write', 'import'] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];
