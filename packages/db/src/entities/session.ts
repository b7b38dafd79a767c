import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { idColumn } from './columns';
import { User } from './user';

export const Session = defineEntity({
  name: 'Session',
  tableName: 'sessions',
  properties: {
    ...idColumn,
    user: () => p.manyToOne(User).deleteRule('cascade').index('sessions_user_id_index'),
    secretHash: p.uint8array().columnType('bytea'),
    createdAt: p.datetime(),
    lastVerifiedAt: p.datetime(),
    userAgent: p.text().nullable(),
    ip: p.text().nullable(),
  },
});
export type ISession = InferEntity<typeof Session>;
