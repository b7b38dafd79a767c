import { query, type EntityManager } from '@chatsynth/db';
import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { chatLogsOf, countAll, type OwnerCtx } from './scope';

/** Makes sure each of `names` (already normalised) has its row in the shared `tags` table. */
export async function ensureTags(em: EntityManager, names: readonly string[]): Promise<void> {
  if (!names.length) return;
  const now = new Date();
  await query(em)
    .insertInto('tags')
    .values(names.map((name) => ({ id: uuidv7(), name, created_at: now })))
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

/** Replaces a log's tags with `names` (already normalised), creating the tag names that do not exist yet. */
export async function replaceTags(em: EntityManager, chatlogId: string, names: readonly string[]): Promise<void> {
  const q = query(em);
  await ensureTags(em, names);
  await q.deleteFrom('chat_tags').where('chat_id', '=', chatlogId).execute();
  if (names.length) {
    await q
      .insertInto('chat_tags')
      .columns(['chat_id', 'tag_id'])
      .expression((eb) => eb.selectFrom('tags as t').select([eb.val(chatlogId).as('chat_id'), 't.id']).where('t.name', 'in', names))
      .execute();
  }
}

export type TagCount = { name: string; count: number };

/** The caller's tags with how many of their logs (outside the trash) carry each, most used first. */
export async function tagCounts(ctx: OwnerCtx, limit?: number): Promise<TagCount[]> {
  let counts = chatLogsOf(ctx)
    .innerJoin('chat_tags as ct', 'ct.chat_id', 'c.id')
    .innerJoin('tags as t', 't.id', 'ct.tag_id')
    .select(['t.name', countAll.as('count')])
    .groupBy('t.name')
    // "C" collation: the same order on every server, whatever its locale.
    .orderBy(sql`count(*)`, 'desc')
    .orderBy(sql`${sql.ref('t.name')} collate "C"`);
  if (limit !== undefined) counts = counts.limit(limit);
  return counts.execute();
}
