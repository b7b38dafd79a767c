import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { API_TOKEN_SCOPES } from '../api-token-scopes';
import { idColumn } from './columns';
import { User } from './user';

const allScopes = `'{${API_TOKEN_SCOPES.join(',')}}'`;

export const ApiToken = defineEntity({
  name: 'ApiToken',
  tableName: 'api_tokens',
  properties: {
    ...idColumn,
    user: () => p.manyToOne(User).deleteRule('cascade').index('api_tokens_user_id_index'),
    name: p.text(),
    secretHash: p.uint8array().columnType('bytea'),
    // Every scope by default, so a token made before scopes existed keeps what it could do. The enum
    // array is checked to hold only known names; the table's check below, at least one.
    scopes: p.enum([...API_TOKEN_SCOPES]).array().defaultRaw(allScopes),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastUsedAt: p.datetime().nullable(),
    expiresAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
  checks: [{ name: 'api_tokens_scopes_not_empty', expression: 'cardinality(scopes) >= 1' }],
});
export type IApiToken = InferEntity<typeof ApiToken>;
