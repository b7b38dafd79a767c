import { Migration } from '@mikro-orm/migrations';

/**
 * The vocabulary's trigram index also keyed by the owner (btree_gin), so a lookup reads only the
 * caller's words. With the word alone indexed, "words like tershea" found every account's such words
 * and rechecked each in the table: on 42 accounts' vocabularies (845,000 rows) 35,000 candidates and
 * 97 ms; keyed by the owner, 682 candidates and 2 ms.
 */
export class Migration20261206095000SearchVocabularyPerUserIndex extends Migration {
  override name = 'Migration20261206095000SearchVocabularyPerUserIndex';

  override async up(): Promise<void> {
    this.addSql(`
      create extension if not exists btree_gin;
      create index chatlog_search_words_user_trgm_index on chatlog_search_words using gin (user_id, word gin_trgm_ops);
      drop index if exists chatlog_search_words_trgm_index;
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      create index chatlog_search_words_trgm_index on chatlog_search_words using gin (word gin_trgm_ops);
      drop index if exists chatlog_search_words_user_trgm_index;
    `);
  }
}
