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
// it in the same transaction as each change, so no write path can forget one. No foreign keys: a purged
// log's event outlives the log.
//
// Subscribers read it in (tx, id) order, and only below the oldest transaction still open: ids are
// taken before commit, so a later id can commit first, but every transaction older than that horizon
// has ended, so no event can still appear before a place a reader has passed (services/events.ts).
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
    /** The writing transaction's id (xid8); events from before it was recorded have 0, in id order. */
    tx: p.string().columnType('xid8').defaultRaw('pg_current_xact_id()'),
  },
  indexes: [{ name: 'chat_events_user_position_index', properties: ['userId', 'tx', 'id'] }],
});
export type IChatEvent = InferEntity<typeof ChatEvent>;
