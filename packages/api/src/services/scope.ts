import { query, type EntityManager } from '@chatsynth/db';
import { sql } from 'kysely';

/** Who is asking: every query on a user's objects starts from their id. */
export type OwnerCtx = { em: EntityManager; userId: string };

/**
 * The one owner scope of chat logs: the caller's logs, outside the trash (`live`), in it (`trash`) or
 * either (`any`), as `c`. Every read of a user's chat logs, and of what hangs off them (versions,
 * annotations, tags), starts here, so no query can forget the owner or the trash.
 */
export function chatLogsOf(ctx: OwnerCtx, where: 'live' | 'trash' | 'any' = 'live') {
  const scoped = query(ctx.em).selectFrom('chatlogs as c').where('c.user_id', '=', ctx.userId);
  if (where === 'live') return scoped.where('c.deleted_at', 'is', null);
  if (where === 'trash') return scoped.where('c.deleted_at', 'is not', null);
  return scoped;
}

/** The caller's annotations, as `a`, on logs outside the trash (only the author changes a note). */
export function annotationsOf(ctx: OwnerCtx) {
  return query(ctx.em)
    .selectFrom('annotations as a')
    .where('a.user_id', '=', ctx.userId)
    .where('a.chatlog_id', 'in', chatLogsOf(ctx).select('c.id'));
}

/** `count(*)` as a number: PostgreSQL counts in bigint, which the driver hands over as text. */
export const countAll = sql<number>`count(*)::int`;
