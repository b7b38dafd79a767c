import { sql } from 'kysely';
import { annotationsOf, chatLogsOf, countAll, type OwnerCtx } from './scope';
import { sortAt } from './chat-log-summary';
import { tagCounts, type TagCount } from './tags';

export type ChatLogStats = {
  totals: { chatlogs: number; messages: number; annotations: number };
  perSource: Array<{ source: string; chatlogs: number; messages: number }>;
  /** By when the conversation started (or was stored, without message times), in UTC. */
  perMonth: Array<{ month: string; source: string; chatlogs: number }>;
  topTags: TagCount[];
};

const TOP_TAGS = 10;

/** Counts over the caller's logs outside the trash. */
export async function chatLogStats(ctx: OwnerCtx): Promise<ChatLogStats> {
  const perSource = await chatLogsOf(ctx)
    .select(['c.source', countAll.as('chatlogs'), sql<number>`coalesce(sum(${sql.ref('c.message_count')}), 0)::int`.as('messages')])
    .groupBy('c.source')
    .orderBy(sql`count(*)`, 'desc')
    .orderBy(sql`${sql.ref('c.source')} collate "C"`)
    .execute();
  const perMonth = await chatLogsOf(ctx)
    .select((eb) => [sql<string>`to_char(${sortAt(eb)} at time zone 'UTC', 'YYYY-MM')`.as('month'), 'c.source', countAll.as('chatlogs')])
    .groupBy(['month', 'c.source'])
    .orderBy('month')
    .orderBy(sql`${sql.ref('c.source')} collate "C"`)
    .execute();
  const annotations = await annotationsOf(ctx).select(countAll.as('count')).executeTakeFirstOrThrow();
  return {
    totals: {
      chatlogs: perSource.reduce((n, s) => n + s.chatlogs, 0),
      messages: perSource.reduce((n, s) => n + s.messages, 0),
      annotations: annotations.count,
    },
    perSource,
    perMonth,
    topTags: await tagCounts(ctx, TOP_TAGS),
  };
}
