import { ChatLog } from '@chatsynth/db';
import { sql } from 'kysely';
import { notFound } from './errors';
import { getChatLog, type ChatLogCtx } from './chat-logs';
import { decodeCursor, encodeCursor, pageOf } from './cursor';
import { chatLogsOf } from './scope';

/** How long a log stays in the trash before the scheduled purge removes it. */
export const TRASH_RETENTION_DAYS = 30;
const RETENTION_MS = TRASH_RETENTION_DAYS * 24 * 60 * 60 * 1000;

/** The trash is what the `live` filter hides. */
const inTrash = { filters: { live: false } };

/** Moves a log to the trash: out of every list and procedure but trash, restore and purge. */
export async function trashChatLog(ctx: ChatLogCtx, id: string) {
  const affected = await ctx.em.nativeUpdate(ChatLog, { id, user: ctx.userId }, { deletedAt: new Date() });
  if (!affected) throw notFound('Chat log');
  return { ok: true as const };
}

export async function listTrash(ctx: ChatLogCtx, input: { limit: number; cursor?: string | null }) {
  let trashed = chatLogsOf(ctx, 'trash')
    .select(['c.id', 'c.source', 'c.title', 'c.message_count as messageCount', 'c.version', 'c.created_at as createdAt', 'c.started_at as startedAt'])
    .select(sql<string>`${sql.ref('c.deleted_at')}::text`.as('sortKey'));
  if (input.cursor) {
    const cursor = decodeCursor(input.cursor);
    trashed = trashed.where((eb) => sql<boolean>`(${eb.ref('c.deleted_at')}, ${eb.ref('c.id')}) < (${cursor.sortKey}::timestamptz, ${cursor.id}::uuid)`);
  }
  const rows = await trashed
    .select('c.deleted_at as deletedAt')
    .orderBy('c.deleted_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(input.limit + 1)
    .execute();
  const page = pageOf(rows, input.limit, (last) => encodeCursor(last.sortKey, last.id));
  return {
    items: page.items.map(({ sortKey: _, deletedAt, ...log }) => ({
      ...log,
      deletedAt: deletedAt!,
      purgeAt: new Date(deletedAt!.getTime() + RETENTION_MS),
    })),
    nextCursor: page.nextCursor,
  };
}

export async function restoreChatLog(ctx: ChatLogCtx, id: string) {
  const affected = await ctx.em.nativeUpdate(ChatLog, { id, user: ctx.userId, deletedAt: { $ne: null } }, { deletedAt: null }, inTrash);
  if (!affected) throw notFound('Chat log in the trash');
  return getChatLog(ctx, id);
}

/** Removes a log for good; only from the trash, so no single click loses a log. */
export async function purgeChatLog(ctx: ChatLogCtx, id: string) {
  const affected = await ctx.em.nativeDelete(ChatLog, { id, user: ctx.userId, deletedAt: { $ne: null } }, inTrash);
  if (!affected) throw notFound('Chat log in the trash');
  return { ok: true as const };
}

/** The scheduled purge: logs in the trash longer than the retention period. Returns how many went. */
export async function purgeExpiredTrash(ctx: Pick<ChatLogCtx, 'em'>, now = new Date()): Promise<number> {
  return ctx.em.nativeDelete(ChatLog, { deletedAt: { $lt: new Date(now.getTime() - RETENTION_MS) } }, inTrash);
}
