import type { Selectable } from 'kysely';
import type { InferDBFromKysely } from '@mikro-orm/postgresql';
import type { EntityManager } from './db-types';

/**
 * Typed SQL through MikroORM's Kysely integration: tables by entity name (`ChatLog`), columns by
 * property name (`startedAt`, `user`), values converted as the entities declare them (timestamps
 * come back as Dates), and `onCreate` defaults (ids, creation times) filled in on insert. Bound to the
 * EntityManager's transaction when it is in one.
 */
export const QUERY_OPTIONS = {
  tableNamingStrategy: 'entity',
  columnNamingStrategy: 'property',
  convertValues: true,
  processOnCreateHooks: true,
} as const;

export function query(em: EntityManager) {
  return em.getKysely(QUERY_OPTIONS);
}

export type Query = ReturnType<typeof query>;
/** The tables as `query()` sees them, inferred from the entities. */
export type Database = InferDBFromKysely<Query>;
/** A row of one table as a query returns it. */
export type Row<Table extends keyof Database> = Selectable<Database[Table]>;
