import { sql } from 'kysely';
import type { EntityManager } from './db-types';
import { query } from './query';

/**
 * The tables search and the lists read, whose planner statistics decide their plans. The search index
 * is named by its partitioned parent: analyzing it refreshes the parent's statistics (joins) and each
 * partition's (the search function's scans, pruned to one partition). chatlog_search_words is the
 * per-user vocabulary search suggestions read.
 */
export const SEARCH_STATISTICS_TABLES = ['chatlogs', 'chat_tags', 'tags', 'chatlog_search_entries', 'chatlog_search_words'] as const;
export type StatisticsTable = (typeof SEARCH_STATISTICS_TABLES)[number];

/** Rows a writer knows it wrote to each table since the last refresh (the server's counts may lag). */
export type RowsWritten = Partial<Record<StatisticsTable, number>>;

export type RefreshStatisticsOptions = {
  /**
   * A table is stale when more rows changed since its last analyze than `threshold + scale × rows`
   * (PostgreSQL's autovacuum rule, with its defaults 50 and 0.1). A long import refreshes with a larger
   * scale while it runs (each refresh then at least doubles what the statistics had seen), so the
   * cost stays a few analyzes per import however large it is.
   */
  scale?: number;
  threshold?: number;
  written?: RowsWritten;
};

export type RefreshedStatistics = { analyzed: StatisticsTable[]; seconds: number };

/**
 * Tag names are few and the tag filter's plan hangs on them: never analyzed, the planner took one
 * tag for a thousandth of the tagged logs and re-ran search's recency window once per tagged log
 * (6.7 s instead of 23 ms, 30,000 logs). So any change beyond a tenth of them counts, not fifty rows.
 */
const THRESHOLD_OVERRIDES: Partial<Record<StatisticsTable, number>> = { tags: 0 };

/**
 * Analyzes the search and list tables whose statistics are stale, and nothing else: the product never
 * depends on autovacuum (off on some servers, always lagging a bulk load) for the planner to know that
 * a user now has a million messages. Staleness comes from what PostgreSQL keeps with autovacuum off
 * (pg_stat_user_tables.n_mod_since_analyze against pg_class.reltuples, summed over a partitioned
 * table's partitions), raised to what the caller says it wrote, since the server's counters reach the
 * statistics view up to a second after a commit. Run it outside any transaction that wrote the rows:
 * ANALYZE sees only committed rows, and a failure here must not undo them.
 */
export async function refreshStatistics(em: EntityManager, options: RefreshStatisticsOptions = {}): Promise<RefreshedStatistics> {
  const start = performance.now();
  const scale = options.scale ?? 0.1;
  const threshold = options.threshold ?? 50;
  const k = query(em);
  // The parent's own counters stay 0 (rows live in the partitions); its partitions' are summed.
  const { rows } = await sql<{ table: StatisticsTable; reltuples: number; modified: number }>`
    select t.name as "table",
           coalesce(sum(greatest(c.reltuples, 0)), 0)::float8 as reltuples,
           coalesce(sum(s.n_mod_since_analyze), 0)::float8 as modified
    from unnest(${[...SEARCH_STATISTICS_TABLES]}::text[]) as t(name)
    join pg_class p on p.oid = to_regclass(t.name)
    join pg_class c on (p.relkind = 'r' and c.oid = p.oid)
      or (p.relkind = 'p' and c.oid in (select inhrelid from pg_inherits where inhparent = p.oid))
    left join pg_stat_user_tables s on s.relid = c.oid
    group by t.name`.execute(k);
  const stale = new Set(
    rows.filter((row) => Math.max(row.modified, options.written?.[row.table] ?? 0) > (THRESHOLD_OVERRIDES[row.table] ?? threshold) + scale * row.reltuples).map((row) => row.table),
  );
  // One statement per table, in a fixed order: each takes its own lock for a short time only.
  const analyzed = SEARCH_STATISTICS_TABLES.filter((table) => stale.has(table));
  for (const table of analyzed) await sql`analyze ${sql.table(table)}`.execute(k);
  return { analyzed, seconds: (performance.now() - start) / 1000 };
}

/** Analyzes every search and list table, stale or not (after a rebuild of the index). */
export async function analyzeSearchTables(em: EntityManager): Promise<void> {
  for (const table of SEARCH_STATISTICS_TABLES) await sql`analyze ${sql.table(table)}`.execute(query(em));
}
