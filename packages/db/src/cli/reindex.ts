// `pnpm db:reindex`: rebuilds the search index (chatlog_search_entries) from the chat logs and their
// annotations, on DATABASE_URL or the embedded database in CHATSYNTH_DATA_DIR. One transaction: search
// keeps answering from the old index until the new one is complete, and a failure leaves it as it was.
// Writers to chat logs wait meanwhile (their triggers write to the index).
import { initORM } from '../orm';

const BATCH = 1000;

const db = await initORM();
try {
  const started = Date.now();
  const em = db.orm.em.fork();
  const total = await em.transactional(async (tx) => {
    const run = <T>(query: string, params: unknown[] = []) =>
      tx.getConnection().execute<T[]>(query, params, 'all', tx.getTransactionContext());
    await run('truncate chatlog_search_entries');
    const count = (await run<{ count: number }>('select count(*)::int as count from chatlogs where deleted_at is null'))[0]?.count ?? 0;
    let after = '00000000-0000-0000-0000-000000000000';
    let done = 0;
    for (;;) {
      const rows = await run<{ ids: string[] | null }>(
        `select array_agg(id order by id) as ids
         from (select id from chatlogs where deleted_at is null and id > ? order by id limit ?) as batch`,
        [after, BATCH],
      );
      const ids = rows[0]?.ids;
      if (!ids?.length) break;
      // As JSON: knex would expand an array parameter into a list.
      await run('select chatsynth_search_reindex(array(select jsonb_array_elements_text(?::jsonb)::uuid))', [JSON.stringify(ids)]);
      after = ids[ids.length - 1]!;
      done += ids.length;
      if (process.stdout.isTTY) process.stdout.write(`\rReindexed ${done} of ${count} chat logs`);
      else if (done % (BATCH * 10) === 0) console.log(`Reindexed ${done} of ${count} chat logs`);
    }
    return done;
  });
  // Fresh statistics (search picks the word index or the recency index by them), and the GIN indexes'
  // pending lists merged, so the first searches need not read them.
  await em.getConnection().execute('vacuum analyze chatlog_search_meta, chatlog_search_messages');
  await em.getConnection().execute('analyze chatlog_search_entries');
  if (process.stdout.isTTY) process.stdout.write('\n');
  console.log(`Search index rebuilt: ${total} chat logs in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
} finally {
  await db.close();
}
