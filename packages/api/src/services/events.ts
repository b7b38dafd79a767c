import { changeTypes, query, type ChangeType, type EntityManager } from '@chatsynth/db';
import { sql } from 'kysely';

export { changeTypes };
export type ChangeEvent = { type: ChangeType; chatlogId: string; version: number | null };

/** How long change events are kept for subscribers that reconnect with a lastEventId. */
export const EVENT_RETENTION_HOURS = 24;

/** The id of the caller's newest event: a new subscription starts after it. */
export async function latestEventId(em: EntityManager, userId: string): Promise<string> {
  const row = await query(em)
    .selectFrom('chat_events')
    .select(sql<string | null>`max(id)::text`.as('id'))
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.id ?? '0';
}

/** The caller's events after `afterId`, oldest first (at most `limit`). */
export async function eventsAfter(em: EntityManager, userId: string, afterId: string, limit = 500) {
  const rows = await query(em)
    .selectFrom('chat_events')
    .select(['id', 'type', 'chatlog_id as chatlogId', 'version'])
    .where('user_id', '=', userId)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(({ id, ...event }) => ({ id: String(id), event: event satisfies ChangeEvent }));
}

export async function pruneEvents(em: EntityManager, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - EVENT_RETENTION_HOURS * 3600 * 1000);
  const result = await query(em).deleteFrom('chat_events').where('created_at', '<', cutoff).executeTakeFirst();
  return Number(result.numDeletedRows);
}
