import { sql } from 'kysely';
import { sortAt, summaryColumns } from './chat-log-summary';
import { chatLogsOf, countAll, type OwnerCtx } from './scope';
import {
  combineFilters,
  exclusionQuery,
  groupQueries,
  hasOperators,
  tsqueryExpression,
  type ParsedQuery,
  type SearchOperators,
  type SearchPlace,
} from './search-query';

/**
 * How many matching rows a search ranks, at most, of titles/summaries/annotations and of messages.
 * Ranking every one of hundreds of thousands of hits is what makes naive full-text search slow; past
 * these caps a query ranks its most recent matches (chatsynth_search_candidates in the search
 * migration says which).
 */
export const META_CANDIDATES = 50;
export const MESSAGE_CANDIDATES = 100;

/** Snippets per hit: its best-scoring messages, title, summary or annotations. */
export const SNIPPETS_PER_HIT = 3;

export type SearchCursor = { score: number; sortKey: string; id: string };

export type SearchStatementInput = {
  parsed: ParsedQuery;
  source?: string;
  tags?: string[];
  from?: Date;
  /** On or before this instant (the `to` filter). */
  to?: Date;
  /** Strictly before this instant (the `before:` operator). */
  before?: Date;
  role?: 'user' | 'assistant';
  /** Only titles, notes or messages (the `in:` operator); none: everywhere. */
  places?: SearchPlace[];
  limit: number;
  after?: SearchCursor;
};

export type SnippetRow = { kind: 'title' | 'summary' | 'message' | 'annotation'; messageIndex: number | null; text: string | null };

/** A page of hits before the chat logs are joined: the log, its score and sort key, its snippets. */
type PageRow = { chatlogId: string; score: number; sortKey: string; snippets: SnippetRow[] };

const SNIPPET_OPTIONS = sql.lit('MaxWords=30, MinWords=12, ShortWord=2');

/**
 * One statement returning a page of hits, each with the chat log's summary columns, score, sort key and
 * snippets. Hand-written SQL where the planner needs it: candidates come from chatsynth_search_candidates
 * (search migration), the most recent rows first and the GIN index for words rare enough to read their
 * posting lists; ranking and snippets work on those candidates only. The chat logs themselves are
 * joined through the owner scope, as every other read of them.
 */
export function searchQuery(ctx: OwnerCtx, input: SearchStatementInput) {
  // Snippets mark any positive word or phrase: which combination matched is the index's business.
  const positive = input.parsed.flat().filter((t) => !t.negated);
  const hasPrefix = input.parsed.some((group) => group.some((term) => term.prefix));
  const { groups, exclusions } = groupQueries(input.parsed);
  const until = sql`least(${input.to ?? null}::timestamptz, ${input.before ?? null}::timestamptz - interval '1 microsecond')`;
  type Part = 'meta' | 'title' | 'notes' | 'messages';
  const candidates = (part: Part, cap: number) =>
    sql`select chatlog_id, sort_at, kind, message_index, chunk, annotation_id, tsv
        from chatsynth_search_candidates(${part}, ${ctx.userId}::uuid, ${groups}, ${exclusions}, ${hasPrefix}::boolean,
          ${input.source ?? null}::text, ${input.from ?? null}::timestamptz, ${until},
          ${part === 'messages' ? (input.role ?? null) : null}::text, ${input.tags ?? []}::text[], ${sql.lit(cap)})`;
  // With a role, only messages: titles, summaries and annotations are nobody's turn.
  const wanted: Part[] = input.places?.length
    ? input.places.filter((p) => !input.role || p === 'messages')
    : input.role
      ? ['messages']
      : ['meta', 'messages'];
  const hits = wanted.length
    ? sql.join(
        wanted.map((part) => candidates(part, part === 'messages' ? MESSAGE_CANDIDATES : META_CANDIDATES)),
        sql` union all `,
      )
    : sql`select chatlog_id, sort_at, kind, message_index, chunk, annotation_id, tsv from chatlog_search_entries where false`;
  const after = input.after
    ? sql`where (l.score, l.sort_at, l.chatlog_id) < (${input.after.score}::float8, ${input.after.sortKey}::timestamptz, ${input.after.id}::uuid)`
    : sql``;

  const page = sql<PageRow>`(
    with query as materialized (
      select ${tsqueryExpression(input.parsed)} as q, ${tsqueryExpression(positive.map((t) => [t]))} as hl
    ),
    hits as materialized (
      ${hits}
    ),
    scored as (
      -- Title above summary above annotations above messages; within a tier, ts_rank (scaled below 1).
      select h.chatlog_id, h.sort_at, h.kind, h.message_index, h.chunk, h.annotation_id,
             round((case h.kind
                      when 't' then case when ts_filter(h.tsv, '{a}') @@ query.q then 3 else 2 end
                      when 'a' then 1.5
                      else 1 end + ts_rank(h.tsv, query.q, 32))::numeric, 6)::float8 as score
      from hits h cross join query
    ),
    logs as (
      select chatlog_id, max(score) as score, max(sort_at) as sort_at from scored group by chatlog_id
    ),
    page as (
      select l.chatlog_id, l.score, l.sort_at from logs l ${after}
      order by l.score desc, l.sort_at desc, l.chatlog_id desc
      limit ${input.limit}
    ),
    snippet_rows as (
      select * from (
        select s.*, row_number() over (partition by s.chatlog_id
                                       order by s.score desc, s.message_index nulls first, s.chunk) as rank
        from scored s where s.chatlog_id in (select chatlog_id from page)
      ) ranked
      where rank <= ${sql.lit(SNIPPETS_PER_HIT)}
    ),
    snippets as (
      select r.chatlog_id,
             json_agg(json_build_object('kind', b.kind, 'messageIndex', b.message_index,
                                        'text', chatsynth_headline(b.body, query.hl, b.options))
                      order by r.rank, b.ord) as snippets
      from snippet_rows r
      cross join query
      join chatlogs c on c.id = r.chatlog_id
      cross join lateral (
        select 'title' as kind, null::integer as message_index, c.title as body, 'HighlightAll=true' as options, 1 as ord
        where r.kind = 't'
        union all
        select 'summary', null, c.summary, ${SNIPPET_OPTIONS}, 2 where r.kind = 't' and c.summary is not null
        union all
        select 'message', r.message_index,
               substr(c.content->'messages'->r.message_index->>'content', r.chunk * 50000 + 1, 50000), ${SNIPPET_OPTIONS}, 0
        where r.kind = 'm'
        union all
        select 'annotation', a.message_index, a.content, ${SNIPPET_OPTIONS}, 0
        from annotations a where r.kind = 'a' and a.id = r.annotation_id
      ) b
      group by r.chatlog_id
    )
    select p.chatlog_id as "chatlogId", p.score, p.sort_at::text as "sortKey", coalesce(sn.snippets, '[]'::json) as snippets
    from page p left join snippets sn on sn.chatlog_id = p.chatlog_id
  )`;

  return chatLogsOf(ctx)
    .innerJoin(page.as('p'), 'p.chatlogId', 'c.id')
    .select(summaryColumns)
    .select(['p.score', 'p.sortKey', 'p.snippets'])
    .orderBy('p.score', 'desc')
    .orderBy(sql`${sql.ref('p.sortKey')}::timestamptz`, 'desc')
    .orderBy('c.id', 'desc');
}

/**
 * A query of operators alone (`tag:work`, `source:claude -snake`): the logs they select, most recent
 * first (by when the conversation happened), with no score and no snippets. Words' places (`in:`,
 * `role:`) have nothing to narrow here. Exclusions still take out every log that mentions them, as the
 * anti-join of the search does.
 */
export function operatorsOnlyQuery(ctx: OwnerCtx, input: Omit<SearchStatementInput, 'role' | 'places'>) {
  let logs = chatLogsOf(ctx)
    .select(summaryColumns)
    .select((eb) => [
      sql<number>`0::float8`.as('score'),
      sql<string>`(${sortAt(eb)})::text`.as('sortKey'),
      sql<SnippetRow[]>`'[]'::json`.as('snippets'),
    ]);
  if (input.source) logs = logs.where('c.source', '=', input.source);
  const { from, to, before, tags } = input;
  if (from) logs = logs.where((eb) => eb(sortAt(eb), '>=', from));
  if (to) logs = logs.where((eb) => eb(sortAt(eb), '<=', to));
  if (before) logs = logs.where((eb) => eb(sortAt(eb), '<', before));
  if (tags?.length) {
    logs = logs.where((eb) =>
      eb(
        eb.selectFrom('chat_tags as ct').innerJoin('tags as t', 't.id', 'ct.tag_id').select(countAll.as('n')).whereRef('ct.chat_id', '=', 'c.id').where('t.name', 'in', tags),
        '=',
        tags.length,
      ),
    );
  }
  if (input.parsed.some((group) => group.some((t) => t.negated))) {
    logs = logs.where(
      sql<boolean>`c.id not in (select x.chatlog_id from chatlog_search_entries x
                                where x.user_id = ${ctx.userId}::uuid and x.tsv @@ ${exclusionQuery(input.parsed)})`,
    );
  }
  const after = input.after;
  if (after) logs = logs.where((eb) => sql<boolean>`(${sortAt(eb)}, ${eb.ref('c.id')}) < (${after.sortKey}::timestamptz, ${after.id}::uuid)`);
  return logs
    .orderBy((eb) => sortAt(eb), 'desc')
    .orderBy('c.id', 'desc')
    .limit(input.limit);
}

/**
 * The rows of a page of hits (limit of them): the search over the candidates when the query has words,
 * the logs the operators select when it has only operators (and exclusions), nothing when it has only
 * exclusions (they would match nearly everything: as in web search engines, they find nothing) or when
 * its filters cannot all hold.
 */
export async function searchRows(
  ctx: OwnerCtx,
  query: { parsed: ParsedQuery; operators: SearchOperators },
  input: { source?: string; tags?: string[]; from?: Date; to?: Date; role?: 'user' | 'assistant'; limit: number },
  after?: SearchCursor,
) {
  const filters = combineFilters(input, query.operators);
  const hasWords = query.parsed.some((group) => group.some((term) => !term.negated));
  if (!filters || (!hasWords && !hasOperators(query.operators))) return [];
  const statement = { parsed: query.parsed, ...filters, limit: input.limit, after };
  return hasWords ? searchQuery(ctx, statement).execute() : operatorsOnlyQuery(ctx, statement).execute();
}
