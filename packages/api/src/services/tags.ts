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
