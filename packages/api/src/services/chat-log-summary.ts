import type { Tables } from '@chatsynth/db';
import { sql, type ExpressionBuilder, type InferResult } from 'kysely';
import type { chatLogsOf } from './scope';

/** Any query with the chat log as `c`. */
type WithChatLog = ExpressionBuilder<Tables & { c: Tables['chatlogs'] }, 'c'>;

/** The columns of a ChatLogSummary, selected from `c`: the one place lists, get and search read them. */
export function summaryColumns(eb: WithChatLog) {
  return [
    'c.id',
    'c.source',
    'c.title',
    'c.summary',
    'c.metadata',
    'c.version',
    'c.message_count as messageCount',
    'c.started_at as startedAt',
    'c.created_at as createdAt',
    'c.updated_at as updatedAt',
    eb
      .fn<string[]>('coalesce', [
        eb
          .selectFrom('chat_tags as ct')
          .innerJoin('tags as t', 't.id', 'ct.tag_id')
          .select(sql<string[]>`array_agg(${sql.ref('t.name')} order by ${sql.ref('t.name')})`.as('names'))
          .whereRef('ct.chat_id', '=', 'c.id'),
        sql<string[]>`'{}'::text[]`,
      ])
      .as('tags'),
  ] as const;
}

/** Chat logs as summaries; the type of a summary is what this returns, declared nowhere else. */
export const selectSummary = (logs: ReturnType<typeof chatLogsOf>) => logs.select(summaryColumns);

/** A chat log as lists show it: everything but the content, with its tags in name order. */
export type ChatLogSummary = InferResult<ReturnType<typeof selectSummary>>[number];

export type ChatLogDto = ChatLogSummary & { content: Tables['chatlogs']['content'] };

/** coalesce(started_at, created_at): when the conversation happened, or was stored without message times. */
export function sortAt(eb: WithChatLog) {
  return eb.fn.coalesce('c.started_at', 'c.created_at');
}
