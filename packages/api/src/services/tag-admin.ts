import type { EntityManager } from '@chatsynth/db';
import { uuidv7 } from 'uuidv7';
import { notFound } from './errors';
import { sql } from './sql';
import { tagCounts, type TagCount } from './tags';

type TagCtx = { em: EntityManager; userId: string };

// Tag names are shared by every user (one row per name in `tags`); a user's tags are the chat_tags rows
// on their own logs. So renaming and deleting move or drop those rows and never touch the shared name.
// Both act on the caller's logs in the trash too, so a restored log comes back with today's tag names.

/** The caller's chat_tags rows for `name`, locked; empty when the caller does not use it. */
async function usageOf(tx: EntityManager, userId: string, name: string) {
  return sql<{ chat_id: string; tag_id: string }>(
    tx,
    `select ct.chat_id, ct.tag_id from chat_tags ct join tags t on t.id = ct.tag_id join chatlogs c on c.id = ct.chat_id
     where t.name = ? and c.user_id = ? for update of ct`,
    [name, userId],
  );
}

async function countOf(ctx: TagCtx, name: string): Promise<TagCount> {
  const counts = await sql<{ count: string | number }>(
    ctx.em,
    `select count(*) as count from chat_tags ct join tags t on t.id = ct.tag_id join chatlogs c on c.id = ct.chat_id
     where t.name = ? and c.user_id = ? and c.deleted_at is null`,
    [name, ctx.userId],
  );
  return { name, count: Number(counts[0]?.count ?? 0) };
}

export function listTags(ctx: TagCtx): Promise<TagCount[]> {
  return tagCounts(ctx);
}

/** Renames one of the caller's tags on their logs; when they already use `to`, the two merge. */
export async function renameTag(ctx: TagCtx, input: { from: string; to: string }): Promise<TagCount> {
  await ctx.em.transactional(async (tx) => {
    const usage = await usageOf(tx, ctx.userId, input.from);
    if (!usage.length) throw notFound(`Tag "${input.from}"`);
    if (input.from === input.to) return;
    await sql(tx, `insert into tags (id, name, created_at) values (?, ?, now()) on conflict (name) do nothing`, [
      uuidv7(),
      input.to,
    ]);
    // A log that already has `to` keeps one row of it: that is the merge.
    await sql(
      tx,
      `insert into chat_tags (chat_id, tag_id)
       select ct.chat_id, (select id from tags where name = ?) from chat_tags ct
       join chatlogs c on c.id = ct.chat_id
       where ct.tag_id = ? and c.user_id = ?
       on conflict do nothing`,
      [input.to, usage[0]!.tag_id, ctx.userId],
    );
    await deleteUsage(tx, ctx.userId, usage[0]!.tag_id);
  });
  return countOf(ctx, input.to);
}

/** Takes a tag off every one of the caller's logs. */
export async function deleteTag(ctx: TagCtx, name: string) {
  await ctx.em.transactional(async (tx) => {
    const usage = await usageOf(tx, ctx.userId, name);
    if (!usage.length) throw notFound(`Tag "${name}"`);
    await deleteUsage(tx, ctx.userId, usage[0]!.tag_id);
  });
  return { ok: true as const };
}

function deleteUsage(tx: EntityManager, userId: string, tagId: string) {
  return sql(
    tx,
    `delete from chat_tags ct using chatlogs c where ct.tag_id = ? and c.id = ct.chat_id and c.user_id = ?`,
    [tagId, userId],
  );
}
