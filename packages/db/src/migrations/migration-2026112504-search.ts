import { Migration } from '@mikro-orm/migrations';

/**
 * The search index: a derived table, one row per message (per 50,000-character chunk of a long one),
 * one for each log's title and summary and one per annotation, each with a tsvector built twice
 * (English stems, and the words as written) from accent-folded text. Triggers keep it current in the
 * writer's own transaction, whichever path writes (procedures, the bulk import's raw SQL, restore), so
 * search never shows stale text; logs in the trash have no rows at all. `pnpm db:reindex` rebuilds it.
 */
export class Migration2026112504Search extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create extension if not exists unaccent;

      -- unaccent as a filtering dictionary in front of the stemmer: to_tsvector stays IMMUTABLE, and
      -- ts_headline parses the original text the same way, so it marks "café" for the query "cafe".
      create text search configuration chatsynth_english (copy = english);
      alter text search configuration chatsynth_english
        alter mapping for hword, hword_part, word with unaccent, english_stem;
      create text search configuration chatsynth_simple (copy = simple);
      alter text search configuration chatsynth_simple
        alter mapping for hword, hword_part, word with unaccent, simple;

      -- English stems (ferries -> ferri) and the words as written (other languages, stop words, and the
      -- prefix of a word being typed, which its stem need not start with). "<" is a space: chat logs hold
      -- code, and the parser would otherwise take <div> for a tag and leave "div" out.
      create function chatsynth_tsvector(body text) returns tsvector
        language sql immutable parallel safe
        return to_tsvector('chatsynth_english'::regconfig, translate(coalesce(body, ''), '<', ' '))
            || to_tsvector('chatsynth_simple'::regconfig, translate(coalesce(body, ''), '<', ' '));

      -- A snippet with the matched words between chr(1) and chr(2), which are taken out of the text
      -- first, so they cannot occur in it; "<" comes back as chr(3) (ts_headline would drop tags). The
      -- caller escapes the rest and swaps the markers for <mark>. Two passes, because ts_headline parses
      -- with one configuration: English stems first (it picks the fragment), then the words as written.
      create function chatsynth_headline(body text, q tsquery, options text) returns text
        language sql immutable parallel safe
        return (
          select case when strpos(english, chr(1)) > 0
            then ts_headline('chatsynth_simple'::regconfig, english, q, 'HighlightAll=true, StartSel=' || chr(1) || ', StopSel=' || chr(2))
            else ts_headline('chatsynth_simple'::regconfig, clean, q, options || ', StartSel=' || chr(1) || ', StopSel=' || chr(2))
          end
          from (
            select clean, ts_headline('chatsynth_english'::regconfig, clean, q, options || ', StartSel=' || chr(1) || ', StopSel=' || chr(2)) as english
            from (select translate(body, chr(1) || chr(2) || chr(3) || '<', '   ' || chr(3)) as clean) as cleaned
          ) as first_pass
        );

      -- One word of a query, or a quoted phrase, in both forms; with prefix, the last word of each form
      -- also matches as a prefix (results follow typing). A phrase that the English form shrinks to one
      -- word by dropping stop words ("out of the box" -> box) is matched as written only.
      create function chatsynth_prefix_query(q tsquery) returns tsquery
        language sql immutable parallel safe
        return case when numnode(q) = 0 then q else regexp_replace(q::text, '''$', ''':*')::tsquery end;

      create function chatsynth_term_query(term text, prefix boolean) returns tsquery
        language sql immutable parallel safe
        return (
          select case when en = si then en when numnode(en) > 1 or numnode(en) = numnode(si) then en || si else si end
          from (
            select case when prefix then chatsynth_prefix_query(e) else e end as en,
                   case when prefix then chatsynth_prefix_query(s) else s end as si
            from (select phraseto_tsquery('chatsynth_english'::regconfig, term) as e,
                         phraseto_tsquery('chatsynth_simple'::regconfig, term) as s) as forms
          ) as terms
        );

      -- Partitioned by kind so that titles, summaries and annotations, which rank first, sit densely in
      -- their own small table (and stay in the buffer cache), and are found without wading through the
      -- messages that share their words.
      create table chatlog_search_entries (
        chatlog_id uuid not null references chatlogs (id) on delete cascade,
        user_id uuid not null,
        source text not null,
        -- coalesce(started_at, created_at): the date filters and the recency tie-break, as chatlogs.list.
        sort_at timestamptz not null,
        -- 't' title (weight A) and summary (B), 'a' an annotation, 'm' a message (C).
        kind "char" not null,
        message_index integer null,
        chunk integer not null default 0,
        role text null,
        annotation_id uuid null references annotations (id) on delete cascade,
        tsv tsvector not null
      ) partition by list (kind);
      create table chatlog_search_meta partition of chatlog_search_entries for values in ('t', 'a');
      create table chatlog_search_messages partition of chatlog_search_entries for values in ('m');
      -- Every search reads the whole pending list of a GIN index (where fast updates wait to be merged),
      -- up to 4 MB by default: 15 ms here. A small list keeps that bounded; writers merge it more often.
      create index chatlog_search_entries_tsv_index on chatlog_search_entries using gin (tsv) with (gin_pending_list_limit = 256);
      create index chatlog_search_entries_chatlog_index on chatlog_search_entries (chatlog_id);
      create index chatlog_search_entries_annotation_index on chatlog_search_entries (annotation_id) where annotation_id is not null;
      -- A small library's own rows, or a very common word's most recent rows, read without the word's
      -- whole posting list: the planner picks this over the GIN index when it is cheaper.
      create index chatlog_search_entries_user_index on chatlog_search_entries (user_id, sort_at desc);

      -- What the index holds, computed from the tables: the triggers and the rebuild both insert from it.
      create view chatlog_search_source as
        select c.id as chatlog_id, c.user_id, c.source, coalesce(c.started_at, c.created_at) as sort_at,
               't'::"char" as kind, null::integer as message_index, 0 as chunk, null::text as role,
               null::uuid as annotation_id,
               setweight(chatsynth_tsvector(c.title), 'A') || setweight(chatsynth_tsvector(c.summary), 'B') as tsv
        from chatlogs c
        where c.deleted_at is null
        union all
        select c.id, c.user_id, c.source, coalesce(c.started_at, c.created_at),
               'm'::"char", (m.ordinality - 1)::integer, part.chunk, m.message->>'role', null::uuid,
               setweight(chatsynth_tsvector(substr(m.message->>'content', part.chunk * 50000 + 1, 50000)), 'C')
        from chatlogs c
        cross join lateral jsonb_array_elements(
          case when jsonb_typeof(c.content->'messages') = 'array' then c.content->'messages' else '[]'::jsonb end
        ) with ordinality as m(message, ordinality)
        cross join lateral generate_series(0, greatest(0, (length(m.message->>'content') - 1) / 50000)) as part(chunk)
        where c.deleted_at is null and jsonb_typeof(m.message) = 'object'
        union all
        select c.id, c.user_id, c.source, coalesce(c.started_at, c.created_at),
               'a'::"char", a.message_index, 0, null::text, a.id,
               setweight(chatsynth_tsvector(a.content), 'B')
        from annotations a
        join chatlogs c on c.id = a.chatlog_id
        where c.deleted_at is null;

      -- The candidates of a search: at most cap rows (twice that for rarer words), found with bounded
      -- work whatever the words.
      --  * Always the library's most recent window_rows rows, newest first. Recent rows are the ones in
      --    memory; a very common word (estimated in more than gin_budget rows) ranks its most recent uses
      --    and nothing else, as does a word being typed (a prefix, estimated poorly) that fills a quarter
      --    of cap there.
      --  * Otherwise also the GIN index: reading a word's posting list costs time in proportion to how
      --    common the word is (a few ms for 20,000 rows, over a hundred for most of a library), so only
      --    below gin_budget. It finds every match of a rare word, and the first cap of a commoner one.
      --    Phrases and exclusions are checked on each row the index returns: at most examine_rows.
      -- Dynamic SQL lets the planner see the query as a constant. The settings hold for this function
      -- only: a sequential scan would find matches in whatever order the table (or a concurrent scan)
      -- happens to be in, so page two could rank other candidates than page one; JIT costs more than
      -- these queries take. Volatile only because it runs EXPLAIN; it writes nothing.
      create function chatsynth_search_candidates(
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
          recent chatlog_search_entries[];
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
          perform set_config('enable_indexscan', 'off', true);
          execute format(
            'select array(select e from (select * from chatlog_search_entries e where %s and %s limit %s) e where %s limit %s)',
            filters, loose, examine_rows, exact, cap) into found;
          return query
            select distinct on (c.chatlog_id, c.kind, c.message_index, c.chunk, c.annotation_id) c.*
            from (select * from unnest(recent) union all select * from unnest(found)) as c;
        end $$;

      create function chatsynth_search_reindex(ids uuid[]) returns void
        language sql volatile
        begin atomic
          delete from chatlog_search_entries where chatlog_id = any (ids);
          insert into chatlog_search_entries (chatlog_id, user_id, source, sort_at, kind, message_index, chunk, role, annotation_id, tsv)
            select chatlog_id, user_id, source, sort_at, kind, message_index, chunk, role, annotation_id, tsv
            from chatlog_search_source where chatlog_id = any (ids) and length(tsv) > 0;
        end;

      create function chatsynth_search_chatlog_changed() returns trigger
        language plpgsql as $$
        begin
          if tg_op = 'INSERT' then
            insert into chatlog_search_entries (chatlog_id, user_id, source, sort_at, kind, message_index, chunk, role, annotation_id, tsv)
              select chatlog_id, user_id, source, sort_at, kind, message_index, chunk, role, annotation_id, tsv
              from chatlog_search_source where chatlog_id = new.id and length(tsv) > 0;
          elsif new.deleted_at is not null then
            -- In the trash: nothing of it is searchable.
            delete from chatlog_search_entries where chatlog_id = new.id;
          elsif old.deleted_at is null and old.content = new.content then
            -- Title, summary or dates only: the messages' vectors stay.
            delete from chatlog_search_entries where chatlog_id = new.id and kind = 't';
            insert into chatlog_search_entries (chatlog_id, user_id, source, sort_at, kind, message_index, chunk, role, annotation_id, tsv)
              select chatlog_id, user_id, source, sort_at, kind, message_index, chunk, role, annotation_id, tsv
              from chatlog_search_source where chatlog_id = new.id and kind = 't' and length(tsv) > 0;
            update chatlog_search_entries
              set sort_at = coalesce(new.started_at, new.created_at), source = new.source, user_id = new.user_id
              where chatlog_id = new.id and kind <> 't'
                and (sort_at, source, user_id) is distinct from (coalesce(new.started_at, new.created_at), new.source, new.user_id);
          else
            perform chatsynth_search_reindex(array[new.id]);
          end if;
          return null;
        end $$;

      create trigger chatlogs_search_insert after insert on chatlogs
        for each row execute function chatsynth_search_chatlog_changed();
      create trigger chatlogs_search_update after update of title, summary, content, deleted_at, started_at, created_at, source, user_id on chatlogs
        for each row
        when (old.title is distinct from new.title or old.summary is distinct from new.summary
              or old.content is distinct from new.content or old.deleted_at is distinct from new.deleted_at
              or old.started_at is distinct from new.started_at or old.created_at is distinct from new.created_at
              or old.source is distinct from new.source or old.user_id is distinct from new.user_id)
        execute function chatsynth_search_chatlog_changed();

      -- An annotation's row; its deletion cascades through the foreign key.
      create function chatsynth_search_annotation_changed() returns trigger
        language plpgsql as $$
        begin
          -- Waits for a concurrent rewrite of the log's rows (an edit, a restore), which would otherwise
          -- reinsert this annotation's row beside the one written here.
          perform 1 from chatlogs where id = new.chatlog_id for no key update;
          delete from chatlog_search_entries where annotation_id = new.id;
          insert into chatlog_search_entries (chatlog_id, user_id, source, sort_at, kind, message_index, chunk, role, annotation_id, tsv)
            select chatlog_id, user_id, source, sort_at, kind, message_index, chunk, role, annotation_id, tsv
            from chatlog_search_source where chatlog_id = new.chatlog_id and annotation_id = new.id and length(tsv) > 0;
          return null;
        end $$;

      create trigger annotations_search_insert after insert on annotations
        for each row execute function chatsynth_search_annotation_changed();
      create trigger annotations_search_update after update of content, message_index, chatlog_id on annotations
        for each row
        when (old.content is distinct from new.content or old.message_index is distinct from new.message_index
              or old.chatlog_id is distinct from new.chatlog_id)
        execute function chatsynth_search_annotation_changed();

      insert into chatlog_search_entries (chatlog_id, user_id, source, sort_at, kind, message_index, chunk, role, annotation_id, tsv)
        select chatlog_id, user_id, source, sort_at, kind, message_index, chunk, role, annotation_id, tsv
        from chatlog_search_source where length(tsv) > 0;
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      drop trigger if exists annotations_search_update on annotations;
      drop trigger if exists annotations_search_insert on annotations;
      drop trigger if exists chatlogs_search_update on chatlogs;
      drop trigger if exists chatlogs_search_insert on chatlogs;
      drop function if exists chatsynth_search_annotation_changed();
      drop function if exists chatsynth_search_chatlog_changed();
      drop function if exists chatsynth_search_reindex(uuid[]);
      drop function if exists chatsynth_search_candidates(text, uuid, tsquery, boolean, text, timestamptz, timestamptz, text, text[], integer);
      drop view if exists chatlog_search_source;
      drop table if exists chatlog_search_entries;
      drop function if exists chatsynth_term_query(text, boolean);
      drop function if exists chatsynth_prefix_query(tsquery);
      drop function if exists chatsynth_headline(text, tsquery, text);
      drop function if exists chatsynth_tsvector(text);
      drop text search configuration if exists chatsynth_simple;
      drop text search configuration if exists chatsynth_english;
    `);
  }
}
