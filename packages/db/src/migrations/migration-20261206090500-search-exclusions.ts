import { Migration } from '@mikro-orm/migrations';
import { Migration2026112602SearchRarestWord } from './migration-2026112602-search-rarest-word';

/**
 * Search candidates: exclusions apply to the conversation, and a search can be limited to titles or
 * to notes. `python -snake` used to drop only the messages naming snakes, so a log titled "Snakes"
 * whose other message says "python" was still found; people mean the conversation. The query now
 * comes as its `or` groups, each as its positive words (what the index reads and ranks) and its
 * exclusions, and a row of a group counts only if its log has no row at all (title, summary, message
 * or note) matching that group's exclusions: an anti-join on the chat log ids that the GIN index gives
 * for the excluded words, built once per call (a hashed NOT IN), never a scan. `part` gains 'title'
 * (a match in the title itself, not the summary) and 'notes' (annotations only). Otherwise as the
 * rarest-word migration left it.
 *
 * How an exclusion is checked (it was three migrations before this landed, squashed here):
 * Search candidates: an exclusion of a common word no longer reads its whole posting list. The
 * exclusions migration took a log out through an uncorrelated NOT IN over the excluded word's rows
 * (the GIN index, then each row's chatlog_id from the heap): a few ms for a rare word, but in proportion
 * to the word's rows, so on 300,000 messages `python -w1` (w1 in 66,000 rows) took ~150 ms and
 * `w500 -w3` ~95 ms. An exclusion estimated above the GIN budget is now checked per candidate through
 * the chatlog_id index instead (NOT EXISTS), which the candidates' caps bound: ~20-30 ms for both. A
 * rare exclusion keeps the hashed NOT IN, which the correlated form made several times slower there
 * (`python -snake`, snake in 6,000 rows: ~30 ms against ~200 ms).
 *
 * Search candidates: how an exclusion is checked, measured on 300,000 messages on PostgreSQL 15 (best
 * of 5 on a busy machine, meta and messages parts together; "before" is the per-message exclusion of
 * the rarest-word migration, which did no work for it):
 *
 *   query            before   hashed NOT IN   NOT EXISTS   this
 *   python -snake     ~12 ms      ~35 ms        ~200 ms    ~25 ms
 *   w1500 -python     ~14 ms      ~50-140 ms                ~25 ms
 *   w3 -w4            ~11 ms      ~66 ms         ~66 ms    ~15 ms
 *
 * The hashed NOT IN of the exclusions migration reads every row of the excluded word (GIN, then the
 * heap for chatlog_id), twice a call; NOT EXISTS became a hash anti-join doing the same, or for a rare
 * word read its posting list once per candidate. Now an exclusion estimated in at most
 * exclusion_budget rows keeps the NOT IN (few rows), and a commoner one reads each candidate's log
 * through the chatlog_id index up to its first row with the word: a scalar subquery the planner keeps
 * per row, bounded by the candidates' caps. Empty tsqueries are no longer built (each made a NOTICE).
 *
 * And planned well without statistics:
 * Search candidates when the tables have no statistics yet (a fresh import, autovacuum behind; issue 14):
 *
 *  - The recency window (the user's rows, newest first, up to window_rows) is run with bitmap scans
 *    off, so it reads the (user_id, sort_at desc) index in order instead of bitmap-scanning all the
 *    user's rows and sorting them. The SET clause now names enable_bitmapscan (on), so the change made
 *    for that one statement is undone on any way out of the function, an error included; it is set
 *    back right after it, before the GIN path, which needs bitmap scans.
 *  - The tag filter is a correlated count per candidate through the chat_tags primary key, the names
 *    resolved to tag ids once per call, instead of an IN of a grouped subquery, which the planner pulled
 *    up into a join and, with a low estimate for a never-analyzed tags table, re-ran the recency window
 *    once per tagged log. Same meaning: every given tag on the log (the count compares with the number
 *    of distinct names asked for). Joining tags in each probe instead (count(distinct t.name)) made
 *    the window slower than before once analyzed: 30,000 logs, a word in 2 of 3 messages, a tag on 1
 *    log in 20, the window statement 6.5-7 ms before, 11-12 ms with the join, 4-7 ms with the ids.
 *
 * Measured on PostgreSQL with 30,000 logs (330,000 index rows), one log in 10 tagged work and one in 20
 * also home, loaded into fresh tables never analyzed (autovacuum off); the messages part alone (cap
 * 100), three runs each, ms, on a busy 2-core machine:
 *
 *   query                       no statistics              analyzed
 *                               before         this        before      this
 *   common word                 279-306        7-11        9-11        12
 *   common word, tag            2,640-3,410    15-18       12-19       10-18
 *   common word, two tags       5,620-5,750    19-24       21-26       12-20
 *   rare word                   259-281        18-27       8-12        10-13
 *   rare word, tag              22,350-24,530  18-30       13-20       9-11
 *   mid word, the rarer tag     2,550-2,620    53-67       18-26       13-19
 *
 * Either change alone is not enough (12,000 logs, no statistics): bitmap scans off only, a tag filter
 * still took 1-5.6 s; the correlated tag check only, every query still took 110-190 ms.
 *
 * The same rows come back, but for which messages of the oldest log at the window's edge (equal
 * sort_at), which was never specified.
 */
const candidatesFunction = `
      create function chatsynth_search_candidates(
        part text, owner uuid, groups tsquery[], exclusions tsquery[], has_prefix boolean, source text,
        since timestamptz, until timestamptz, message_role text, tags text[], cap integer
      ) returns setof chatlog_search_entries
        language plpgsql volatile
        set enable_seqscan = off set enable_indexscan = on set enable_bitmapscan = on set jit = off
        as $$
        declare
          gin_budget constant integer := 20000;
          window_rows constant integer := 3000;
          examine_rows constant integer := 200;
          exclusion_budget constant integer := 2000;
          kinds text := case part when 'meta' then 'e.kind in (''t'', ''a'')' when 'title' then 'e.kind = ''t'''
                                  when 'notes' then 'e.kind = ''a''' else 'e.kind = ''m''' end;
          -- The positive words of every group, or-ed: what the index reads, estimates and ranks.
          search_query tsquery;
          exact text;
          loose text;
          filters text := concat_ws(' and ',
            format('e.user_id = %L', owner),
            kinds,
            case when source is not null then format('e.source = %L', source) end,
            case when since is not null then format('e.sort_at >= %L::timestamptz', since) end,
            case when until is not null then format('e.sort_at <= %L::timestamptz', until) end,
            case when message_role is not null then format('e.role = %L', message_role) end,
            -- Per candidate, through the (chat_id, tag_id) primary key: a scalar subquery the planner cannot
            -- pull up into a join (as it did the IN of a grouped subquery, then re-ran the recency window
            -- once per tagged log when it took a tag for rare). The names are resolved to ids once here
            -- (they are unique), so each probe is one index-only scan; a name no tag has leaves fewer ids
            -- than names, and the count never reaches the number of names: nothing matches, as before.
            case when coalesce(cardinality(tags), 0) > 0 then format(
              '(select count(*) from chat_tags ct where ct.chat_id = e.chatlog_id and ct.tag_id = any (%L::uuid[])) = %s',
              array(select t.id from tags t where t.name = any (tags)), cardinality(array(select distinct unnest(tags)))) end);
          matches text[] := '{}';
          i integer;
          plan json;
          estimate float8;
          lexeme text;
          lexemes text[];
          rarest float8;
          recent chatlog_search_entries[];
          found chatlog_search_entries[];
          bitmapscan text;
        begin
          for i in 1 .. coalesce(cardinality(groups), 0) loop
            -- A group of exclusions alone (or of punctuation) matches nothing, as a query of them does.
            continue when groups[i] is null or numnode(groups[i]) = 0 or querytree(groups[i]) = 'T';
            search_query := case when search_query is null then groups[i] else search_query || groups[i] end;
            if exclusions[i] is null or numnode(exclusions[i]) = 0 then
              matches := matches || format('e.tsv @@ %L::tsquery', groups[i]::text);
              continue;
            end if;
            execute format('explain (format json) select 1 from chatlog_search_entries x where x.tsv @@ %L::tsquery', exclusions[i]::text) into plan;
            matches := matches || case
              -- A rare exclusion: its logs' ids from the GIN index, hashed once (an uncorrelated NOT IN),
              -- a cost in proportion to its rows, which are few.
              when (plan->0->'Plan'->>'Plan Rows')::float8 <= exclusion_budget then
                format('(e.tsv @@ %L::tsquery and e.chatlog_id not in (
                          select x.chatlog_id from chatlog_search_entries x where x.user_id = %L and x.tsv @@ %L::tsquery))',
                       groups[i]::text, owner, exclusions[i]::text)
              -- A commoner one: each candidate's log is read through the chatlog_id index up to its first
              -- row with the word, which the candidates' caps bound. A scalar subquery, and IS TRUE, so
              -- the planner neither turns it into a hash anti-join nor reads the word's posting list for
              -- each row: both read most of the list again.
              else
                format('(e.tsv @@ %L::tsquery and coalesce((
                          select false from chatlog_search_entries x
                          where x.chatlog_id = e.chatlog_id and (x.tsv @@ %L::tsquery) is true limit 1), true))',
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
          -- The most recent rows through the (user_id, sort_at desc) index, read in order up to the window:
          -- without statistics the planner otherwise bitmap-scans every row of the user and sorts them
          -- (142 ms instead of ~1 ms on 80,000 messages). Only for this statement: the GIN path below
          -- needs bitmap scans. The SET clause above restores it on every way out, an error included.
          bitmapscan := current_setting('enable_bitmapscan');
          perform set_config('enable_bitmapscan', 'off', true);
          execute format(
            'select array(select e from (select * from chatlog_search_entries e
                                         where e.user_id = %L and %s %s %s order by e.sort_at desc limit %s) e
                          where %s and %s limit %s)',
            owner, kinds,
            case when since is not null then format('and e.sort_at >= %L::timestamptz', since) else '' end,
            case when until is not null then format('and e.sort_at <= %L::timestamptz', until) else '' end,
            window_rows, filters, exact, cap) into recent;
          perform set_config('enable_bitmapscan', bitmapscan, true);
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

const OLD_SIGNATURE = 'chatsynth_search_candidates(text, uuid, tsquery, boolean, text, timestamptz, timestamptz, text, text[], integer)';
const NEW_SIGNATURE = 'chatsynth_search_candidates(text, uuid, tsquery[], tsquery[], boolean, text, timestamptz, timestamptz, text, text[], integer)';

export class Migration20261206090500SearchExclusions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop function if exists ${OLD_SIGNATURE};`);
    this.addSql(candidatesFunction);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function if exists ${NEW_SIGNATURE};`);
    // A placeholder of the old signature, which the rarest-word migration's up() replaces with its body.
    this.addSql(`
      create function chatsynth_search_candidates(part text, owner uuid, search_query tsquery, has_prefix boolean, source text,
        since timestamptz, until timestamptz, message_role text, tags text[], cap integer)
        returns setof chatlog_search_entries language sql as 'select null::chatlog_search_entries where false';`);
    await Migration2026112602SearchRarestWord.prototype.up.call(this);
  }
}
