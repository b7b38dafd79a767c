export * from './entities';
export { initORM, ormConfig, pingDatabase, type Database, type InitOrmOptions } from './orm';
export { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded';
export { readDbEnv, type DbEnv } from './env';
export { migrationsList } from './migrations';
export type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
export { UniqueConstraintViolationException } from '@mikro-orm/core';
