import type { EntityManager } from '@chatsynth/db';
import { uuidv7 } from 'uuidv7';
import { jsonArray, sql } from './sql';

/** Replaces a log's tags with `names` (already normalised), creating the tag names that do not exist yet. */
export async function replaceTags(em: EntityManager, chatlogId: string, names: readonly string[]): Promise<void> {
  if (names.length) {
    const values = names.map(() => '(?, ?, now())').join(', ');
    await sql(
      em,
      `insert into tags (id, name, created_at) values ${values} on conflict (name) do nothing`,
      names.flatMap((name) => [uuidv7(), name]),
    );
  }
  await sql(em, `delete from chat_tags where chat_id = ?`, [chatlogId]);
  if (names.length) {
    await sql(
      em,
      `insert into chat_tags (chat_id, tag_id)
       select ?, t.id from tags t where t.name in (select jsonb_array_elements_text(?::jsonb))`,
      [chatlogId, jsonArray(names)],
    );
  }
}

export type TagCount = { name: string; count: number };

/** The caller's tags with how many of their logs (outside the trash) carry each, most used first. */
export async function tagCounts(ctx: { em: EntityManager; userId: string }, limit?: number): Promise<TagCount[]> {
  const rows = await sql<{ name: string; count: string | number }>(
    ctx.em,
    // "C" collation: the same order on every server, whatever its locale.
    `select t.name, count(*) as count
     from chat_tags ct join chatlogs c on c.id = ct.chat_id join tags t on t.id = ct.tag_id
     where c.user_id = ? and c.deleted_at is null
     group by t.name order by count(*) desc, t.name collate "C"
     ${limit === undefined ? '' : 'limit ?'}`,
    limit === undefined ? [ctx.userId] : [ctx.userId, limit],
  );
  return rows.map((r) => ({ name: r.name, count: Number(r.count) }));
}
