import { Migration } from '@mikro-orm/migrations';

/**
 * Search candidates: the GIN index is also skipped when every word of the query is common, however
 * rare their combination. The search migration decided on the estimate of the whole query, which for
 * an AND or a phrase of two common words ("zir weaplol": 17,000 rows of 130,000 each) is small while
 * reading the two posting lists takes 25-35 ms on a million messages; such a query now ranks its most
 * recent matches, as a common word does, in ~15 ms. The rest of the function is as it was.
 */
// The function as the search migration made it, and with the rarest-word check (up) or without (down).
const RAREST_WORD_DECLARE = `          lexeme text;
          -- Every word the index would read (exclusions aside), as a one-word tsquery each.
          lexemes text[] := array(
            select distinct '''' || m[1] || ''''
            from regexp_matches(querytree(search_query), '''((?:[^'']|'''')*)''', 'g') as m);
          rarest float8;
`;

const RAREST_WORD_CHECK = `          -- Words that are each common can still be rare together ("zir weaplol"), but the index reads
          -- whole posting lists: an AND or a phrase costs about as much as its rarest word's list (GIN
          -- skips through the others with it), 25-35 ms for two words in 130,000 rows each here. If
          -- no word is under the budget, no combination of them is cheaper than that.
          if cardinality(lexemes) > 1 then
            foreach lexeme in array lexemes loop
              execute format('explain (format json) select 1 from chatlog_search_entries e where %s and e.tsv @@ %L::tsquery', kinds, lexeme) into plan;
              rarest := least(rarest, (plan->0->'Plan'->>'Plan Rows')::float8);
              exit when rarest <= gin_budget;
            end loop;
            if rarest > gin_budget then
              return query select * from unnest(recent);
              return;
            end if;
          end if;
`;

const candidatesFunction = (rarestWord: boolean) => `
      create or replace function chatsynth_search_candidates(
        part text, owner uuid, search_query tsquery, has_prefix boolean, source text, since timestamptz,
        until timestamptz, message_role text, tags text[], cap integer
      ) returns setof chatlog_search_entries
        language plpgsql volatile
        set enable_seqscan = off set enable_indexscan = on set jit = off
        as $$
        declare
          gin_budget constant integer := 20000;
          window_rows constant integer := 3000;
          examine_rows constant integer := 200;
          kinds text := case part when 'meta' then 'e.kind in (''t'', ''a'')' else 'e.kind = ''m''' end;
          exact text := format('e.tsv @@ %L::tsquery', search_query::text);
          -- What the index can check: no exclusions, phrases as plain conjunctions.
          loose text := format('e.tsv @@ %L::tsquery', regexp_replace(querytree(search_query), '<(\\d+|-)>', '&', 'g'));
          filters text := concat_ws(' and ',
            format('e.user_id = %L', owner),
            kinds,
            case when source is not null then format('e.source = %L', source) end,
            case when since is not null then format('e.sort_at >= %L::timestamptz', since) end,
            case when until is not null then format('e.sort_at <= %L::timestamptz', until) end,
            case when message_role is not null then format('e.role = %L', message_role) end,
            case when coalesce(cardinality(tags), 0) > 0 then format(
              'e.chatlog_id in (select ct.chat_id from chat_tags ct join tags t on t.id = ct.tag_id
                                where t.name = any (%L::text[]) group by ct.chat_id having count(distinct t.name) = %s)',
              tags, cardinality(tags)) end);
          plan json;
          estimate float8;
${rarestWord ? RAREST_WORD_DECLARE : ''}          recent chatlog_search_entries[];
          found chatlog_search_entries[];
        begin
          -- Nothing to look for (punctuation, stop words, exclusions alone): no scan at all.
          if numnode(search_query) = 0 or querytree(search_query) = 'T' then
            return;
          end if;
          execute format('explain (format json) select 1 from chatlog_search_entries e where %s and %s', kinds, loose) into plan;
          estimate := (plan->0->'Plan'->>'Plan Rows')::float8;
          execute format(
            'select array(select e from (select * from chatlog_search_entries e
                                         where e.user_id = %L and %s %s %s order by e.sort_at desc limit %s) e
                          where %s and %s limit %s)',
            owner, kinds,
            case when since is not null then format('and e.sort_at >= %L::timestamptz', since) else '' end,
            case when until is not null then format('and e.sort_at <= %L::timestamptz', until) else '' end,
            window_rows, filters, exact, cap) into recent;
          if estimate > gin_budget or cardinality(recent) >= cap or (has_prefix and cardinality(recent) >= cap / 4) then
            return query select * from unnest(recent);
            return;
          end if;
${rarestWord ? RAREST_WORD_CHECK : ''}          perform set_config('enable_indexscan', 'off', true);
          execute format(
            'select array(select e from (select * from chatlog_search_entries e where %s and %s limit %s) e where %s limit %s)',
            filters, loose, examine_rows, exact, cap) into found;
          return query
            select distinct on (c.chatlog_id, c.kind, c.message_index, c.chunk, c.annotation_id) c.*
            from (select * from unnest(recent) union all select * from unnest(found)) as c;
        end $$;`;

export class Migration2026112602SearchRarestWord extends Migration {
  override async up(): Promise<void> {
    this.addSql(candidatesFunction(true));
  }

  override async down(): Promise<void> {
    this.addSql(candidatesFunction(false));
  }
}
