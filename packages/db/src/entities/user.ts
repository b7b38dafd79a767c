import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { idColumn, timestampColumns } from './columns';

export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    ...idColumn,
    username: p.text().check('char_length(username) >= 1 and char_length(username) <= 64'),
    email: p.text().unique('users_email_unique').check('email = lower(email)'),
    passwordHash: p.text().lazy(),
    displayName: p.text().nullable(),
    ...timestampColumns,
  },
  indexes: [
    // Usernames are unique whatever their case: "Ada" and "ada" are one account.
    { name: 'users_username_lower_unique', expression: 'create unique index users_username_lower_unique on users (lower(username))' },
  ],
});
export type IUser = InferEntity<typeof User>;
