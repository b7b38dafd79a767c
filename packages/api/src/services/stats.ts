import type { ChatLogCtx } from './chat-logs';
import { sql } from './sql';
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
export async function chatLogStats(ctx: ChatLogCtx): Promise<ChatLogStats> {
  // count() and sum() are bigint/numeric, which the driver hands over as strings.
  const perSource = await sql<{ source: string; chatlogs: string; messages: string }>(
    ctx.em,
    `select source, count(*) as chatlogs, coalesce(sum(message_count), 0) as messages
     from chatlogs where user_id = ? and deleted_at is null
     group by source order by count(*) desc, source collate "C"`,
    [ctx.userId],
  );
  const perMonth = await sql<{ month: string; source: string; chatlogs: string }>(
    ctx.em,
    `select to_char(coalesce(started_at, created_at) at time zone 'UTC', 'YYYY-MM') as month, source, count(*) as chatlogs
     from chatlogs where user_id = ? and deleted_at is null
     group by 1, 2 order by month, source collate "C"`,
    [ctx.userId],
  );
  const annotations = await sql<{ count: string }>(
    ctx.em,
    `select count(*) as count from annotations a join chatlogs c on c.id = a.chatlog_id
     where c.user_id = ? and c.deleted_at is null`,
    [ctx.userId],
  );
  const sources = perSource.map((r) => ({ source: r.source, chatlogs: Number(r.chatlogs), messages: Number(r.messages) }));
  return {
    totals: {
      chatlogs: sources.reduce((n, s) => n + s.chatlogs, 0),
      messages: sources.reduce((n, s) => n + s.messages, 0),
      annotations: Number(annotations[0]?.count ?? 0),
    },
    perSource: sources,
    perMonth: perMonth.map((r) => ({ month: r.month, source: r.source, chatlogs: Number(r.chatlogs) })),
    topTags: await tagCounts(ctx, TOP_TAGS),
  };
}
