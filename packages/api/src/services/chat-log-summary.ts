import type { Tables } from '@chatsynth/db';
import { MAX_JSON_BYTES } from '@chatsynth/importers/canonical';
import { sql, type ExpressionBuilder, type InferResult, type Selectable } from 'kysely';
import type { ChatContent } from '../schemas/chat-log';
import type { chatLogsOf } from './scope';

/** Any query with the chat log as `c`. */
type WithChatLog = ExpressionBuilder<Tables & { c: Tables['chatlogs'] }, 'c'>;

type Metadata = Selectable<Tables['chatlogs']>['metadata'];

/**
 * Past this a page shows a note instead of a log's metadata. The API and imports hold metadata to
 * 256 KB, but a row stored before they did (or written by hand) may hold far more, and a page of
 * such rows would outgrow what one response can be (V8 strings end near 512 MB): one stored row
 * must never break a list or a search. `chatlogs.get` and exports give the metadata whole.
 */
export const LISTED_METADATA_MAX_BYTES = 4 * MAX_JSON_BYTES;

/**
 * The metadata as a page shows it. A value whose stored size is at most 2 KB cannot expand past the
 * bound (no compression PostgreSQL uses reaches 1:500), so only larger ones are measured as text.
 */
function listedMetadata(eb: WithChatLog) {
  const metadata = eb.ref('c.metadata');
  return sql<Metadata>`case when pg_column_size(${metadata}) <= 2048 or octet_length(${metadata}::text) <= ${LISTED_METADATA_MAX_BYTES}
    then ${metadata}
    else jsonb_build_object('chatsynth', jsonb_build_object('metadataOmitted',
      'This log holds more metadata than a list shows; open the log (chatlogs.get) for all of it.'))
    end`.as('metadata');
}

/**
 * The columns of a ChatLogSummary, selected from `c`: the one place lists, get and search read them.
 * `metadata: 'whole'` for one log (get, export); pages bound it (`listedMetadata`).
 */
export function summaryColumns(eb: WithChatLog, metadata: 'listed' | 'whole' = 'listed') {
  return [
    'c.id',
    'c.source',
    'c.title',
    'c.summary',
    metadata === 'whole' ? eb.ref('c.metadata').as('metadata') : listedMetadata(eb),
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
export const selectSummary = (logs: ReturnType<typeof chatLogsOf>) => logs.select((eb) => summaryColumns(eb));

/** One chat log as get and export read it: the summary with its metadata whole. */
export const selectWholeSummary = (logs: ReturnType<typeof chatLogsOf>) => logs.select((eb) => summaryColumns(eb, 'whole'));

/**
 * A chat log as lists show it: everything but the content, with its tags in name order. Declared as
 * the API's shape (the typed client publishes it), and the query held to it below, so a column
 * added to `summaryColumns` without a place here fails to compile.
 */
export type ChatLogSummary = {
  id: string;
  source: string;
  title: string;
  summary: string | null;
  metadata: Record<string, unknown>;
  version: number;
  messageCount: number;
  startedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  tags: string[];
};
type Selected = InferResult<ReturnType<typeof selectSummary>>[number];
// Both ways: the query gives every field of the shape, and nothing the shape leaves out.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
export type SummaryMatchesQuery = Holds<Same<Selected, ChatLogSummary>>;

export type ChatLogDto = ChatLogSummary & { content: ChatContent };

/** coalesce(started_at, created_at): when the conversation happened, or was stored without message times. */
export function sortAt(eb: WithChatLog) {
  return eb.fn.coalesce('c.started_at', 'c.created_at');
}
