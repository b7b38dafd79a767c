import { Migration } from '@mikro-orm/migrations';

/**
 * The vocabulary's counts change in one pass in (user, word) order, so two writers of the same
 * account's logs (two imports, an import and an edit) lock its words in the same order and cannot
 * deadlock. The search-vocabulary migration lowered counts with an UPDATE (rows locked in whatever
 * order the join gave) before raising them with an ordered upsert: a writer lowering x and raising y
 * could wait on another raising x and lowering y. Lowered counts now go through the same upsert (a
 * count never goes below zero for a word the account holds; a word at zero is then deleted, a row
 * this transaction already holds).
 */
const applyFunction = (ordered: boolean) => `
  create or replace function chatsynth_search_words_apply(users uuid[], words text[], deltas integer[]) returns void
    language plpgsql volatile
    as $$
    begin
${
  ordered
    ? `      insert into chatlog_search_words (user_id, word, count)
        select u, w, sum(n)::integer from unnest(users, words, deltas) as x(u, w, n)
        group by u, w having sum(n) <> 0 order by u, w
        on conflict (user_id, word) do update set count = chatlog_search_words.count + excluded.count;`
    : `      update chatlog_search_words s set count = s.count + d.delta
        from (select u, w, sum(n)::integer as delta from unnest(users, words, deltas) as x(u, w, n)
              group by u, w having sum(n) < 0) as d
        where s.user_id = d.u and s.word = d.w;`
}
      delete from chatlog_search_words s
        using (select distinct u, w from unnest(users, words, deltas) as x(u, w, n) where n < 0) as d
        where s.user_id = d.u and s.word = d.w and s.count <= 0;
${
  ordered
    ? ''
    : `      insert into chatlog_search_words (user_id, word, count)
        select u, w, sum(n)::integer from unnest(users, words, deltas) as x(u, w, n)
        group by u, w having sum(n) > 0 order by u, w
        on conflict (user_id, word) do update set count = chatlog_search_words.count + excluded.count;
`
}    end $$;
`;

export class Migration20261206095500SearchVocabularyLockOrder extends Migration {
  override name = 'Migration20261206095500SearchVocabularyLockOrder';

  override async up(): Promise<void> {
    this.addSql(applyFunction(true));
  }

  override async down(): Promise<void> {
    this.addSql(applyFunction(false));
  }
}
