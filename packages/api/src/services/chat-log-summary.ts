import type { Row, Tables } from '@chatsynth/db';
import { sql, type ExpressionBuilder } from 'kysely';

/** A chat log as lists show it: everything but the content, with its tags in name order. */
export type ChatLogSummary = Pick<
  Row<'ChatLog'>,
  'id' | 'source' | 'title' | 'summary' | 'metadata' | 'version' | 'messageCount' | 'startedAt' | 'createdAt' | 'updatedAt'
> & { tags: string[] };

export type ChatLogDto = ChatLogSummary & { content: Row<'ChatLog'>['content'] };

/** Any query with the chat log as `c`. */
type WithChatLog = ExpressionBuilder<Tables & { c: Tables['ChatLog'] }, 'c'>;

/** The columns of a ChatLogSummary, selected from `c`: the one place lists, get and search read them. */
export function summaryColumns(eb: WithChatLog) {
  return [
    'c.id',
    'c.source',
    'c.title',
    'c.summary',
    'c.metadata',
    'c.version',
    'c.messageCount',
    'c.startedAt',
    'c.createdAt',
    'c.updatedAt',
    eb
      .fn<string[]>('coalesce', [
        eb
          .selectFrom('ChatTag as ct')
          .innerJoin('Tag as t', 't.id', 'ct.tag')
          .select(sql<string[]>`array_agg(${sql.ref('t.name')} order by ${sql.ref('t.name')})`.as('names'))
          .whereRef('ct.chat', '=', 'c.id'),
        sql<string[]>`'{}'::text[]`,
      ])
      .as('tags'),
  ] as const;
}

/** coalesce(started_at, created_at): when the conversation happened, or was stored without message times. */
export function sortAt(eb: WithChatLog) {
  return eb.fn.coalesce('c.startedAt', 'c.createdAt');
}
