import type { EntityManager as PostgreSqlEntityManager, MikroORM as PostgreSqlMikroORM } from '@mikro-orm/postgresql';
import type { entities } from './entities';

export type Entities = typeof entities;
/** The request's EntityManager, carrying the entities so `em.getKysely()` is typed from them. */
export type EntityManager = PostgreSqlEntityManager & { readonly '~entities'?: Entities };
export type MikroORM = PostgreSqlMikroORM<EntityManager, Entities>;
