import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { idColumn, timestampColumns } from './columns';

// Case-insensitive uniqueness of username is an expression index (lower(username)) in the migration.
export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    ...idColumn,
    username: p.text(),
    email: p.text().unique('users_email_unique'),
    passwordHash: p.text().lazy(true, false),
    displayName: p.text().nullable(),
    ...timestampColumns,
  },
});
export type IUser = InferEntity<typeof User>;
