import { changeTypes, query, type ChangeType, type EntityManager } from '@chatsynth/db';
import { sql } from 'kysely';
import { z } from 'zod';
import { badInput } from './errors';

export { changeTypes };
export type ChangeEvent = { type: ChangeType; chatlogId: string; version: number | null };

/** How long change events are kept for subscribers that reconnect with a lastEventId. */
export const EVENT_RETENTION_HOURS = 24;

/** Events read at once; a full page is followed at once by the next. */
export const EVENT_PAGE_SIZE = 500;

/**
 * A place in a user's change feed: just after event `id` of transaction `tx`. The feed is in (tx, id)
 * order and a reader only goes below the oldest transaction still open (the horizon): ids are taken
 * before commit, so a later id may commit first, but every transaction older than the horizon has
 * ended, so nothing can still appear before a place a reader has passed. That makes every subscriber
 * see every event once, in the same order, on any instance, and a resume from any place exact.
 */
export type EventPosition = { tx: bigint; id: bigint };

const XID8_MAX = 2n ** 64n - 1n;
const BIGINT_MAX = 2n ** 63n - 1n;

/** The SSE id of a position, `<tx>-<id>`: what a client sends back as `lastEventId`. */
export function formatEventPosition(position: EventPosition): string {
  return `${position.tx}-${position.id}`;
}

/**
 * A `lastEventId`: `<tx>-<id>` as events.onChange gives them, or plain digits, which are the ids given
 * before events recorded their transaction (kept with tx 0, so an open tab resumes across the upgrade);
 * "0" is the beginning. Anything else, or a number past its type, is refused.
 */
export const eventPositionSchema = z
  .string()
  .max(41)
  .transform((value, ctx): EventPosition => {
    const match = /^(?:(\d{1,20})-)?(\d{1,19})$/.exec(value);
    const position = match ? { tx: BigInt(match[1] ?? 0), id: BigInt(match[2]!) } : null;
    if (!position || position.tx > XID8_MAX || position.id > BIGINT_MAX) {
      ctx.addIssue({ code: 'custom', message: 'must be an event id given by events.onChange' });
      return z.NEVER;
    }
    return position;
  });

/**
 * Where a subscription starts: after `after`, or, without it, at the horizon, so whatever commits from
 * now on is still to come (with, possibly, a change committed just before behind an open transaction).
 * A place no transaction has reached yet could only hold the subscriber back, so it is refused.
 */
export async function startingPosition(em: EntityManager, after: EventPosition | null): Promise<EventPosition> {
  const { rows } = await sql<{ horizon: string; next: string }>`
    select pg_snapshot_xmin(snapshot)::text as horizon, pg_snapshot_xmax(snapshot)::text as next
    from pg_current_snapshot() as current(snapshot)`.execute(query(em));
  const { horizon, next } = rows[0]!;
  if (!after) return { tx: BigInt(horizon), id: 0n };
  if (after.tx >= BigInt(next)) throw badInput('lastEventId', 'is not an event id this server has given');
  return after;
}

/**
 * The user's events after `after`, oldest first (at most `limit`), up to the horizon; `heldBack` says
 * that later events have committed but wait for an older transaction, possibly another user's, to end.
 * One statement, so the horizon and the rows come from the same snapshot.
 */
export async function eventsAfter(em: EntityManager, userId: string, after: EventPosition, limit = EVENT_PAGE_SIZE) {
  const rows = await query(em)
    .selectFrom('chat_events')
    .select(['tx', 'id', 'type', 'chatlog_id as chatlogId', 'version'])
    // Subqueries, so the snapshot is read once for the statement rather than once a row.
    .select(sql<boolean>`tx < (select pg_snapshot_xmin(pg_current_snapshot()))`.as('settled'))
    // Committed rows always have tx below xmax; one at or past it was restored from another cluster's
    // dump and waits for nothing here, so it is no reason to read again soon.
    .select(sql<boolean>`tx < (select pg_snapshot_xmax(pg_current_snapshot()))`.as('assigned'))
    .where('user_id', '=', userId)
    .where(sql<boolean>`(tx, id) > (${after.tx.toString()}::xid8, ${after.id.toString()}::bigint)`)
    .orderBy('tx')
    .orderBy('id')
    .limit(limit)
    .execute();
  // Settled rows come first: the order is by tx, and the horizon is a tx.
  const ready = rows.filter((row) => row.settled);
  return {
    events: ready.map(({ tx, id, settled: _settled, assigned: _assigned, ...event }) => ({
      position: { tx: BigInt(tx), id: BigInt(id) },
      event: event satisfies ChangeEvent,
    })),
    heldBack: rows.some((row) => !row.settled && row.assigned),
  };
}

export async function pruneEvents(em: EntityManager, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - EVENT_RETENTION_HOURS * 3600 * 1000);
  const result = await query(em).deleteFrom('chat_events').where('created_at', '<', cutoff).executeTakeFirst();
  return Number(result.numDeletedRows);
}
