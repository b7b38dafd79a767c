export * from './entities';
export { API_TOKEN_SCOPES, type ApiTokenScope } from './api-token-scopes';
export { initORM, ormConfig, pingDatabase, type Database, type InitOrmOptions } from './orm';
export { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded';
export { readDbEnv, type DbEnv } from './env';
export { migrationsList } from './migrations';
export type { EntityManager, Entities, MikroORM } from './db-types';
export { schemaDrift } from './schema-check';
export { UniqueConstraintViolationException } from '@mikro-orm/core';
export {
  analyzeSearchTables,
  refreshStatistics,
  SEARCH_STATISTICS_TABLES,
  type RefreshedStatistics,
  type RefreshStatisticsOptions,
  type RowsWritten,
  type StatisticsTable,
} from './statistics';
export { jsonb, query, type Database as Tables, type Query } from './query';
