import type { EntityManager } from '@chatsynth/db';
import { sql } from './sql';

export const changeTypes = [
  'chatlog.created',
  'chatlog.updated',
  'chatlog.trashed',
  'chatlog.restored',
  'chatlog.purged',
  'chatlog.tagged',
  'annotation.changed',
] as const;
export type ChangeEvent = { type: (typeof changeTypes)[number]; chatlogId: string; version: number | null };

/** How long change events are kept for subscribers that reconnect with a lastEventId. */
export const EVENT_RETENTION_HOURS = 24;

/** The id of the caller's newest event: a new subscription starts after it. */
export async function latestEventId(em: EntityManager, userId: string): Promise<string> {
  const rows = await sql<{ id: string | null }>(em, 'select max(id)::text as id from chat_events where user_id = ?', [userId]);
  return rows[0]?.id ?? '0';
}

/** The caller's events after `afterId`, oldest first (at most `limit`). */
export async function eventsAfter(em: EntityManager, userId: string, afterId: string, limit = 500) {
  const rows = await sql<{ id: string; type: ChangeEvent['type']; chatlog_id: string; version: number | null }>(
    em,
    `select id::text as id, type, chatlog_id, version from chat_events
     where user_id = ? and id > ?::bigint order by id limit ?`,
    [userId, afterId, limit],
  );
  return rows.map((r) => ({ id: r.id, event: { type: r.type, chatlogId: r.chatlog_id, version: r.version } satisfies ChangeEvent }));
}

export async function pruneEvents(em: EntityManager, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - EVENT_RETENTION_HOURS * 3600 * 1000);
  const rows = await sql<{ n: number }>(
    em,
    'with gone as (delete from chat_events where created_at < ? returning 1) select count(*)::int as n from gone',
    [cutoff],
  );
  return rows[0]?.n ?? 0;
}
