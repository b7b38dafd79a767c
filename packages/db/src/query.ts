import { sql, type RawBuilder } from 'kysely';
import type { InferDBFromKysely } from '@mikro-orm/postgresql';
import type { EntityManager } from './db-types';

/**
 * Typed SQL through MikroORM's Kysely integration: the tables and columns as they are in the database
 * (`chatlogs.started_at`), their types inferred from the entities, bound to the EntityManager's
 * transaction when it is in one. Without MikroORM's Kysely plugin: its renaming and value conversion
 * walk every row of every result (1.5 ms of a 21-row search page, measured), and the driver already
 * hands back Dates and parsed JSON (orm.ts). Inserts therefore give ids and times themselves.
 */
export function query(em: EntityManager) {
  return em.getKysely();
}

export type Query = ReturnType<typeof query>;
/** The tables as `query()` sees them, inferred from the entities. */
export type Database = InferDBFromKysely<Query>;
/**
 * A value for a jsonb column or parameter. The driver sends a JS object as JSON but a JS array as a
 * PostgreSQL array, so every JSON value goes as its text, cast.
 */
export function jsonb<T>(value: T): RawBuilder<T> {
  return sql<T>`${JSON.stringify(value)}::jsonb`;
}
