import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { ChatContent } from '@chatsynth/importers/canonical';
import { idColumn, jsonObjectColumn, timestampColumns } from './columns';
import { User } from './user';

export type { ChatContent };

const newestFirst = (name: string, column: string) => ({
  name,
  expression: `create index ${name} on chatlogs (user_id, ${column} desc, id desc)`,
});

export const ChatLog = defineEntity({
  name: 'ChatLog',
  tableName: 'chatlogs',
  properties: {
    ...idColumn,
    user: () => p.manyToOne(User).deleteRule('cascade'),
    source: p.text(),
    title: p.text(),
    content: p.json<ChatContent>().lazy(),
    summary: p.text().nullable(),
    metadata: jsonObjectColumn(),
    version: p.integer().default(1).check('version >= 1'),
    externalId: p.text().nullable(),
    contentHash: p.text(),
    messageCount: p.integer().default(0),
    startedAt: p.datetime().nullable(),
    deletedAt: p.datetime().nullable(),
    ...timestampColumns,
  },
  uniques: [
    // The platform's conversation id, once per user and source: what makes re-import idempotent.
    {
      name: 'chatlogs_user_source_external_unique',
      properties: ['user', 'source', 'externalId'],
      where: 'external_id is not null',
    },
  ],
  indexes: [
    // Newest first by each sort key, the id breaking ties: the keyset order chatlogs.list pages by.
    // Written as SQL because MikroORM 7.2's introspection reads `id desc` after `user_id` as ascending
    // (it finds "id" inside "user_id"), which made the diff drop and recreate them on every check.
    newestFirst('chatlogs_user_updated_index', 'updated_at'),
    newestFirst('chatlogs_user_created_index', 'created_at'),
    newestFirst('chatlogs_user_started_index', 'started_at'),
  ],
  filters: {
    // Logs in the trash are out of every ORM query unless one asks for them (`filters: { live: false }`).
    live: { name: 'live', cond: { deletedAt: null }, default: true },
  },
});
export type IChatLog = InferEntity<typeof ChatLog>;
