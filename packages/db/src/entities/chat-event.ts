import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const changeTypes = [
  'chatlog.created',
  'chatlog.updated',
  'chatlog.trashed',
  'chatlog.restored',
  'chatlog.purged',
  'chatlog.tagged',
  'annotation.changed',
] as const;
export type ChangeType = (typeof changeTypes)[number];

// The outbox of change events. Triggers on chatlogs, annotations and chat_tags (events migration) write
// it in the same transaction as each change, so no write path can forget one; subscribers read it by id.
// No foreign keys: a purged log's event outlives the log.
export const ChatEvent = defineEntity({
  name: 'ChatEvent',
  tableName: 'chat_events',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    userId: p.uuid(),
    type: p.text().$type<ChangeType>(),
    chatlogId: p.uuid(),
    version: p.integer().nullable(),
    createdAt: p.datetime().defaultRaw('now()'),
  },
  indexes: [{ name: 'chat_events_user_id_index', properties: ['userId', 'id'] }],
});
export type IChatEvent = InferEntity<typeof ChatEvent>;
