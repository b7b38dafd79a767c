import { query } from '@chatsynth/db';
import { notFound } from './errors';
import { chatLogsOf, countAll, type OwnerCtx } from './scope';
import { ensureTags, tagCounts, type TagCount } from './tags';

// Tag names are shared by every user (one row per name in `tags`); a user's tags are the chat_tags rows
// on their own logs. So renaming and deleting move or drop those rows and never touch the shared name.
// Both act on the caller's logs in the trash too, so a restored log comes back with today's tag names.

/** The id of `name` if the caller uses it, with the caller's rows of it locked. */
async function usedTagId(ctx: OwnerCtx, name: string): Promise<string | null> {
  const rows = await query(ctx.em)
    .selectFrom('chat_tags as ct')
    .innerJoin('tags as t', 't.id', 'ct.tag_id')
    .select('ct.tag_id')
    .where('t.name', '=', name)
    .where('ct.chat_id', 'in', chatLogsOf(ctx, 'any').select('c.id'))
    .forUpdate('ct')
    .execute();
  return rows[0]?.tag_id ?? null;
}

/** The caller's logs (trash included) that carry the tag. */
const taggedLogsOf = (ctx: OwnerCtx) => chatLogsOf(ctx, 'any').select('c.id');

async function countOf(ctx: OwnerCtx, name: string): Promise<TagCount> {
  const row = await chatLogsOf(ctx)
    .innerJoin('chat_tags as ct', 'ct.chat_id', 'c.id')
    .innerJoin('tags as t', 't.id', 'ct.tag_id')
    .select(countAll.as('count'))
    .where('t.name', '=', name)
    .executeTakeFirstOrThrow();
  return { name, count: row.count };
}

export function listTags(ctx: OwnerCtx): Promise<TagCount[]> {
  return tagCounts(ctx);
}

/** Renames one of the caller's tags on their logs; when they already use `to`, the two merge. */
export async function renameTag(ctx: OwnerCtx, input: { from: string; to: string }): Promise<TagCount> {
  await ctx.em.transactional(async (tx) => {
    const scoped = { em: tx, userId: ctx.userId };
    const fromId = await usedTagId(scoped, input.from);
    if (!fromId) throw notFound(`Tag "${input.from}"`);
    if (input.from === input.to) return;
    await ensureTags(tx, [input.to]);
    const q = query(tx);
    // A log that already has `to` keeps one row of it: that is the merge.
    await q
      .insertInto('chat_tags')
      .columns(['chat_id', 'tag_id'])
      .expression((eb) =>
        eb
          .selectFrom('chat_tags as ct')
          .select(['ct.chat_id', eb.selectFrom('tags').select('id').where('name', '=', input.to).as('tag_id')])
          .where('ct.tag_id', '=', fromId)
          .where('ct.chat_id', 'in', taggedLogsOf(scoped)),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
    await q.deleteFrom('chat_tags').where('tag_id', '=', fromId).where('chat_id', 'in', taggedLogsOf(scoped)).execute();
  });
  return countOf(ctx, input.to);
}

/** Takes a tag off every one of the caller's logs. */
export async function deleteTag(ctx: OwnerCtx, name: string) {
  await ctx.em.transactional(async (tx) => {
    const scoped = { em: tx, userId: ctx.userId };
    const tagId = await usedTagId(scoped, name);
    if (!tagId) throw notFound(`Tag "${name}"`);
    await query(tx).deleteFrom('chat_tags').where('tag_id', '=', tagId).where('chat_id', 'in', taggedLogsOf(scoped)).execute();
  });
  return { ok: true as const };
}
