import { Migration } from '@mikro-orm/migrations';

/**
 * Each user's vocabulary, for "Did you mean …" when a search finds little: the words of their own chat
 * logs outside the trash (titles, summaries, messages; annotations are left out) as they wrote them,
 * lower-cased and accent-folded by the chatsynth_simple configuration, never stemmed, with the number
 * of logs holding each, and a pg_trgm index to find the words that look like a misspelt one.
 *
 * Derived data, like the search index, kept in the writer's transaction by statement-level triggers
 * with transition tables: a bulk import's batch insert adds its words in one statement (summed per
 * word), not one per log; an edit, a move to the trash, a restore or a purge applies the difference
 * between the log's old and new words; a word no live log holds any more leaves the table, so a
 * suggestion always finds something. These triggers are separate from the search index's own.
 */
const WORDS_FUNCTION = `
  -- The distinct words of a log: runs of letters of 3 to 32 characters (no digits, no punctuation, so
  -- no ids, paths or numbers), from each 50,000-character chunk as the search index reads them (a
  -- tsvector holds at most 1 MB).
  create function chatsynth_chatlog_words(title text, summary text, content jsonb) returns text[]
    language sql immutable parallel safe
    return array(
      select distinct w.word
      from (
        select title as body
        union all select summary
        union all select m.message->>'content'
        from jsonb_array_elements(case when jsonb_typeof(content->'messages') = 'array' then content->'messages' else '[]'::jsonb end) as m(message)
        where jsonb_typeof(m.message) = 'object'
      ) as b
      cross join lateral generate_series(0, greatest(0, (length(b.body) - 1) / 50000)) as part(chunk)
      cross join lateral unnest(tsvector_to_array(
        to_tsvector('chatsynth_simple'::regconfig, translate(coalesce(substr(b.body, part.chunk * 50000 + 1, 50000), ''), '<', ' '))
      )) as w(word)
      where char_length(w.word) between 3 and 32 and w.word !~ '[[:digit:][:punct:][:space:]]'
    );

  -- Adds each (user, word, delta), summed; a count that reaches zero deletes the word. Rows are
  -- written in (user, word) order so that two concurrent writers lock them in the same order.
  create function chatsynth_search_words_apply(users uuid[], words text[], deltas integer[]) returns void
    language plpgsql volatile
    as $$
    begin
      update chatlog_search_words s set count = s.count + d.delta
        from (select u, w, sum(n)::integer as delta from unnest(users, words, deltas) as x(u, w, n)
              group by u, w having sum(n) < 0) as d
        where s.user_id = d.u and s.word = d.w;
      delete from chatlog_search_words s
        using (select distinct u, w from unnest(users, words, deltas) as x(u, w, n) where n < 0) as d
        where s.user_id = d.u and s.word = d.w and s.count <= 0;
      insert into chatlog_search_words (user_id, word, count)
        select u, w, sum(n)::integer from unnest(users, words, deltas) as x(u, w, n)
        group by u, w having sum(n) > 0 order by u, w
        on conflict (user_id, word) do update set count = chatlog_search_words.count + excluded.count;
    end $$;
`;

export class Migration20261206091500SearchVocabulary extends Migration {
  override name = 'Migration20261206091500SearchVocabulary';

  override async up(): Promise<void> {
    this.addSql(`
      create extension if not exists pg_trgm;

      create table chatlog_search_words (
        user_id uuid not null references users (id) on delete cascade,
        word text not null,
        count integer not null,
        primary key (user_id, word)
      );
      create index chatlog_search_words_trgm_index on chatlog_search_words using gin (word gin_trgm_ops);
    `);
    this.addSql(WORDS_FUNCTION);
    this.addSql(`
      create function chatsynth_search_words_changed() returns trigger
        language plpgsql as $$
        declare
          users uuid[];
          words text[];
          deltas integer[];
        begin
          if tg_op = 'INSERT' then
            select array_agg(n.user_id), array_agg(w.word), array_agg(1)
              into users, words, deltas
              from new_rows n cross join lateral unnest(chatsynth_chatlog_words(n.title, n.summary, n.content)) as w(word)
              where n.deleted_at is null;
          elsif tg_op = 'DELETE' then
            select array_agg(o.user_id), array_agg(w.word), array_agg(-1)
              into users, words, deltas
              from old_rows o cross join lateral unnest(chatsynth_chatlog_words(o.title, o.summary, o.content)) as w(word)
              where o.deleted_at is null
                -- A user's deletion cascades to their logs after their words are gone.
                and exists (select 1 from users u where u.id = o.user_id);
          else
            -- Only the logs whose words, owner or place (live or in the trash) changed: pinning, tagging
            -- or a new version number alone costs a join and nothing more.
            with changed as (
              select o.user_id as old_user, o.title as old_title, o.summary as old_summary, o.content as old_content,
                     o.deleted_at is null as old_live,
                     n.user_id as new_user, n.title as new_title, n.summary as new_summary, n.content as new_content,
                     n.deleted_at is null as new_live
              from old_rows o join new_rows n on n.id = o.id
              where (o.deleted_at is null or n.deleted_at is null)
                and ((o.deleted_at is null) <> (n.deleted_at is null) or o.user_id <> n.user_id
                     or o.title is distinct from n.title or o.summary is distinct from n.summary
                     or o.content is distinct from n.content)
            ), d as (
              select c.old_user as user_id, w.word, -1 as delta
              from changed c cross join lateral unnest(chatsynth_chatlog_words(c.old_title, c.old_summary, c.old_content)) as w(word)
              where c.old_live
              union all
              select c.new_user, w.word, 1
              from changed c cross join lateral unnest(chatsynth_chatlog_words(c.new_title, c.new_summary, c.new_content)) as w(word)
              where c.new_live
            )
            select array_agg(user_id), array_agg(word), array_agg(delta) into users, words, deltas from d;
          end if;
          if users is not null then
            perform chatsynth_search_words_apply(users, words, deltas);
          end if;
          return null;
        end $$;

      create trigger chatlogs_search_words_insert after insert on chatlogs
        referencing new table as new_rows for each statement execute function chatsynth_search_words_changed();
      create trigger chatlogs_search_words_update after update on chatlogs
        referencing old table as old_rows new table as new_rows for each statement execute function chatsynth_search_words_changed();
      create trigger chatlogs_search_words_delete after delete on chatlogs
        referencing old table as old_rows for each statement execute function chatsynth_search_words_changed();

      -- Candidates for a misspelt word: the owner's words sharing enough trigrams with it, most alike
      -- first. The threshold is lower than pg_trgm's default (0.3) because a swap of two letters in a
      -- short word ("pyhton") leaves only about a quarter of its trigrams; the caller decides with an
      -- edit distance.
      create function chatsynth_search_similar_words(owner uuid, typed text, cap integer)
        returns table (word text, count integer, similarity real)
        language sql stable
        set pg_trgm.similarity_threshold = 0.2
        begin atomic
          select s.word, s.count, similarity(s.word, typed)
          from chatlog_search_words s
          where s.word % typed and s.user_id = owner
          order by similarity(s.word, typed) desc, s.count desc, s.word
          limit cap;
        end;

      insert into chatlog_search_words (user_id, word, count)
        select c.user_id, w.word, count(*)::integer
        from chatlogs c cross join lateral unnest(chatsynth_chatlog_words(c.title, c.summary, c.content)) as w(word)
        where c.deleted_at is null
        group by c.user_id, w.word;
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      drop trigger if exists chatlogs_search_words_delete on chatlogs;
      drop trigger if exists chatlogs_search_words_update on chatlogs;
      drop trigger if exists chatlogs_search_words_insert on chatlogs;
      drop function if exists chatsynth_search_similar_words(uuid, text, integer);
      drop function if exists chatsynth_search_words_changed();
      drop function if exists chatsynth_search_words_apply(uuid[], text[], integer[]);
      drop function if exists chatsynth_chatlog_words(text, text, jsonb);
      drop table if exists chatlog_search_words;
    `);
  }
}
