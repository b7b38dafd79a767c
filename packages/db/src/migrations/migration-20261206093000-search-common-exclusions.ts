import { Migration } from '@mikro-orm/migrations';
import { Migration20261206090500SearchExclusions } from './migration-20261206090500-search-exclusions';

/**
 * Search candidates: an exclusion of a common word no longer reads its whole posting list. The
 * exclusions migration took a log out through an uncorrelated NOT IN over the excluded word's rows
 * (the GIN index, then each row's chatlog_id from the heap): a few ms for a rare word, but in proportion
 * to the word's rows, so on 300,000 messages `python -w1` (w1 in 66,000 rows) took ~150 ms and
 * `w500 -w3` ~95 ms. An exclusion estimated above the GIN budget is now checked per candidate through
 * the chatlog_id index instead (NOT EXISTS), which the candidates' caps bound: ~20-30 ms for both. A
 * rare exclusion keeps the hashed NOT IN, which the correlated form made several times slower there
 * (`python -snake`, snake in 6,000 rows: ~30 ms against ~200 ms).
 */
const candidatesFunction = `
      create or replace function chatsynth_search_candidates(
        part text, owner uuid, groups tsquery[], exclusions tsquery[], has_prefix boolean, source text,
        since timestamptz, until timestamptz, message_role text, tags text[], cap integer
      ) returns setof chatlog_search_entries
        language plpgsql volatile
        set enable_seqscan = off set enable_indexscan = on set jit = off
        as $$
        declare
          gin_budget constant integer := 20000;
          window_rows constant integer := 3000;
          examine_rows constant integer := 200;
          kinds text := case part when 'meta' then 'e.kind in (''t'', ''a'')' when 'title' then 'e.kind = ''t'''
                                  when 'notes' then 'e.kind = ''a''' else 'e.kind = ''m''' end;
          -- The positive words of every group, or-ed: what the index reads, estimates and ranks.
          search_query tsquery := ''::tsquery;
          exact text;
          loose text;
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
          matches text[] := '{}';
          i integer;
          plan json;
          estimate float8;
          lexeme text;
          lexemes text[];
          rarest float8;
          recent chatlog_search_entries[];
          found chatlog_search_entries[];
        begin
          for i in 1 .. coalesce(cardinality(groups), 0) loop
            -- A group of exclusions alone (or of punctuation) matches nothing, as a query of them does.
            continue when numnode(groups[i]) = 0 or querytree(groups[i]) = 'T';
            search_query := search_query || groups[i];
            if numnode(coalesce(exclusions[i], ''::tsquery)) = 0 then
              matches := matches || format('e.tsv @@ %L::tsquery', groups[i]::text);
              continue;
            end if;
            execute format('explain (format json) select 1 from chatlog_search_entries x where x.tsv @@ %L::tsquery', exclusions[i]::text) into plan;
            matches := matches || case
              -- A rare exclusion: its logs' ids from the GIN index, hashed once (an uncorrelated NOT IN).
              when (plan->0->'Plan'->>'Plan Rows')::float8 <= gin_budget then
                format('(e.tsv @@ %L::tsquery and e.chatlog_id not in (
                          select x.chatlog_id from chatlog_search_entries x where x.user_id = %L and x.tsv @@ %L::tsquery))',
                       groups[i]::text, owner, exclusions[i]::text)
              -- A common one would read most of its posting list: each candidate's log is checked
              -- through the chatlog_id index instead, which the candidates' caps bound.
              else
                format('(e.tsv @@ %L::tsquery and not exists (
                          select from chatlog_search_entries x where x.chatlog_id = e.chatlog_id and x.tsv @@ %L::tsquery))',
                       groups[i]::text, exclusions[i]::text)
            end;
          end loop;
          -- Nothing to look for (punctuation, stop words, exclusions alone): no scan at all.
          if cardinality(matches) = 0 then
            return;
          end if;
          exact := '(' || array_to_string(matches, ' or ') || ')';
          if part = 'title' then
            exact := exact || format(' and ts_filter(e.tsv, ''{a}'') @@ %L::tsquery', search_query::text);
          end if;
          -- What the index can check: phrases as plain conjunctions.
          loose := format('e.tsv @@ %L::tsquery', regexp_replace(querytree(search_query), '<(\\d+|-)>', '&', 'g'));
          lexemes := array(
            select distinct '''' || m[1] || ''''
            from regexp_matches(querytree(search_query), '''((?:[^'']|'''')*)''', 'g') as m);
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
          -- Words that are each common can still be rare together, but the index reads whole posting
          -- lists: if no word is under the budget, no combination of them is cheaper (rarest-word migration).
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
          perform set_config('enable_indexscan', 'off', true);
          execute format(
            'select array(select e from (select * from chatlog_search_entries e where %s and %s limit %s) e where %s limit %s)',
            filters, loose, examine_rows, exact, cap) into found;
          return query
            select distinct on (c.chatlog_id, c.kind, c.message_index, c.chunk, c.annotation_id) c.*
            from (select * from unnest(recent) union all select * from unnest(found)) as c;
        end $$;`;

const SIGNATURE = 'chatsynth_search_candidates(text, uuid, tsquery[], tsquery[], boolean, text, timestamptz, timestamptz, text, text[], integer)';

export class Migration20261206093000SearchCommonExclusions extends Migration {
  override async up(): Promise<void> {
    this.addSql(candidatesFunction);
  }

  override async down(): Promise<void> {
    // The exclusions migration's function, which its up() creates.
    this.addSql(`drop function if exists ${SIGNATURE};`);
    await Migration20261206090500SearchExclusions.prototype.up.call(this);
  }
}
