/**
 * The schema objects the migrations create in SQL and the entities do not describe. Everything else
 * (every table, column, key, index, check and default) is declared on the entities, and the schema diff
 * of entities against a migrated database is empty (`pnpm db:check`).
 *
 * These are left to SQL on purpose: the search index is derived data with a partitioned table, GIN
 * indexes with storage options, text search configurations and a planner-steered candidates function;
 * the triggers write the search index and the change outbox in the writer's own transaction. MikroORM
 * can neither introspect all of that faithfully nor needs to query it through entities. `db:check` still
 * verifies that each of them exists, so a database missing one fails the check.
 */
export const SQL_OWNED = {
  tables: ['chatlog_search_entries', 'chatlog_search_meta', 'chatlog_search_messages', 'chatlog_search_words'],
  views: ['chatlog_search_source'],
  functions: [
    'chatsynth_tsvector',
    'chatsynth_headline',
    'chatsynth_prefix_query',
    'chatsynth_term_query',
    'chatsynth_search_candidates',
    'chatsynth_search_reindex',
    'chatsynth_search_chatlog_changed',
    'chatsynth_search_annotation_changed',
    'chatsynth_chatlog_words',
    'chatsynth_search_words_apply',
    'chatsynth_search_words_changed',
    'chatsynth_search_similar_words',
    'chatsynth_chatlog_event',
    'chatsynth_annotation_event',
    'chatsynth_chat_tag_event',
    'chatsynth_credentials_changed',
  ],
  triggers: [
    'chatlogs_search_insert',
    'chatlogs_search_update',
    'annotations_search_insert',
    'annotations_search_update',
    'chatlogs_search_words_insert',
    'chatlogs_search_words_update',
    'chatlogs_search_words_delete',
    'chatlogs_events',
    'annotations_events',
    'chat_tags_events',
    'sessions_credentials',
    'api_tokens_credentials',
    'users_credentials',
  ],
  textSearchConfigs: ['chatsynth_english', 'chatsynth_simple'],
  extensions: ['unaccent', 'pg_trgm', 'btree_gin'],
} as const;
