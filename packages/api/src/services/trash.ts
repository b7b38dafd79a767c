import { ChatLog } from '@chatsynth/db';
import { notFound } from './errors';
import { getChatLog, type ChatLogCtx } from './chat-logs';
import { decodeCursor, encodeCursor, sql, toDate, toNullableDate } from './sql';

/** How long a log stays in the trash before the scheduled purge removes it. */
export const TRASH_RETENTION_DAYS = 30;

/** Moves a log to the trash: out of every list and procedure but trash, restore and purge. */
export async function trashChatLog(ctx: ChatLogCtx, id: string) {
  const affected = await ctx.em.nativeUpdate(ChatLog, { id, user: ctx.userId, deletedAt: null }, { deletedAt: new Date() });
  if (!affected) throw notFound('Chat log');
  return { ok: true as const };
}

export async function listTrash(ctx: ChatLogCtx, input: { limit: number; cursor?: string | null }) {
  const params: unknown[] = [ctx.userId];
  let after = '';
  if (input.cursor) {
    const cursor = decodeCursor(input.cursor);
    after = 'and (c.deleted_at, c.id) < (?::timestamptz, ?::uuid)';
    params.push(cursor.sortKey, cursor.id);
  }
  params.push(input.limit + 1);
  const rows = await sql<{
    id: string;
    source: string;
    title: string;
    message_count: number;
    version: number;
    deleted_at: unknown;
    created_at: unknown;
    started_at: unknown;
    sort_key: string;
  }>(
    ctx.em,
    `select c.id, c.source, c.title, c.message_count, c.version, c.deleted_at, c.created_at, c.started_at,
            c.deleted_at::text as sort_key
     from chatlogs c where c.user_id = ? and c.deleted_at is not null ${after}
     order by c.deleted_at desc, c.id desc limit ?`,
    params,
  );
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => {
      const deletedAt = toDate(r.deleted_at);
      return {
        id: r.id,
        source: r.source,
        title: r.title,
        messageCount: r.message_count,
        version: r.version,
        createdAt: toDate(r.created_at),
        startedAt: toNullableDate(r.started_at),
        deletedAt,
        purgeAt: new Date(deletedAt.getTime() + TRASH_RETENTION_DAYS * 24 * 60 * 60 * 1000),
      };
    }),
    nextCursor: rows.length > input.limit && last ? encodeCursor(last.sort_key, last.id) : null,
  };
}

export async function restoreChatLog(ctx: ChatLogCtx, id: string) {
  const affected = await ctx.em.nativeUpdate(ChatLog, { id, user: ctx.userId, deletedAt: { $ne: null } }, { deletedAt: null });
  if (!affected) throw notFound('Chat log in the trash');
  return getChatLog(ctx, id);
}

/** Removes a log for good; only from the trash, so no single click loses a log. */
export async function purgeChatLog(ctx: ChatLogCtx, id: string) {
  const affected = await ctx.em.nativeDelete(ChatLog, { id, user: ctx.userId, deletedAt: { $ne: null } });
  if (!affected) throw notFound('Chat log in the trash');
  return { ok: true as const };
}

/** The scheduled purge: logs in the trash longer than the retention period. Returns how many went. */
export async function purgeExpiredTrash(ctx: Pick<ChatLogCtx, 'em'>, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - TRASH_RETENTION_DAYS * 24 * 60 * 60 * 1000);
  return ctx.em.nativeDelete(ChatLog, { deletedAt: { $lt: cutoff } });
}
