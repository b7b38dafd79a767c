import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { idColumn, timestampColumns } from './columns';
import { User } from './user';

/** The stored shape of a chat log's `content`; the API validates it on the way in. */
export type ChatContent = { messages: Array<Record<string, unknown> & { role: string; content: string }> };

// (user_id, source, external_id) is a partial unique index (where external_id is not null) in the migration:
// it is what makes re-import idempotent.
export const ChatLog = defineEntity({
  name: 'ChatLog',
  tableName: 'chatlogs',
  properties: {
    ...idColumn,
    user: () => p.manyToOne(User).deleteRule('cascade'),
    source: p.text(),
    title: p.text(),
    content: p.json<ChatContent>().lazy(true, false),
    summary: p.text().nullable(),
    metadata: p.json<Record<string, unknown>>(),
    version: p.integer().default(1),
    externalId: p.text().nullable(),
    contentHash: p.text(),
    messageCount: p.integer().default(0),
    startedAt: p.datetime().nullable(),
    deletedAt: p.datetime().nullable(),
    ...timestampColumns,
  },
});
export type IChatLog = InferEntity<typeof ChatLog>;
