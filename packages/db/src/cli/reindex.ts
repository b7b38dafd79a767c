// `pnpm db:reindex`: rebuilds the search index (chatlog_search_entries) from the chat logs and their
// annotations, on DATABASE_URL or the embedded database in CHATSYNTH_DATA_DIR. One transaction: search
// keeps answering from the old index until the new one is complete, and a failure leaves it as it was.
// Writers to chat logs wait meanwhile (their triggers write to the index).
import { sql } from 'kysely';
import { initORM } from '../orm';
import { analyzeSearchTables } from '../statistics';

const BATCH = 1000;

const db = await initORM();
try {
  const started = Date.now();
  const em = db.orm.em.fork();
  const total = await em.transactional(async (tx) => {
    const k = tx.getKysely();
    await sql`truncate chatlog_search_entries`.execute(k);
    const { count } = await k
      .selectFrom('chatlogs')
      .select(sql<number>`count(*)::int`.as('count'))
      .where('deleted_at', 'is', null)
      .executeTakeFirstOrThrow();
    let after = '00000000-0000-0000-0000-000000000000';
    let done = 0;
    for (;;) {
      const batch = await k
        .selectFrom('chatlogs')
        .select('id')
        .where('deleted_at', 'is', null)
        .where('id', '>', after)
        .orderBy('id')
        .limit(BATCH)
        .execute();
      if (!batch.length) break;
      const ids = batch.map((row) => row.id);
      await sql`select chatsynth_search_reindex(${ids}::uuid[])`.execute(k);
      after = ids[ids.length - 1]!;
      done += ids.length;
      if (process.stdout.isTTY) process.stdout.write(`\rReindexed ${done} of ${count} chat logs`);
      else if (done % (BATCH * 10) === 0) console.log(`Reindexed ${done} of ${count} chat logs`);
    }
    return done;
  });
  // The GIN indexes' pending lists merged, so the first searches need not read them, and fresh
  // statistics (search picks the word index or the recency index by them) for every table search and
  // the lists read, through the same module as imports.
  await sql`vacuum chatlog_search_meta, chatlog_search_messages`.execute(em.getKysely());
  await analyzeSearchTables(em);
  if (process.stdout.isTTY) process.stdout.write('\n');
  console.log(`Search index rebuilt: ${total} chat logs in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
} finally {
  await db.close();
}
