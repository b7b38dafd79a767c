import { sql } from 'kysely';
import type { IUser } from '@chatsynth/db';

/**
 * The signed-in user as requests see it: the columns of `users` a procedure may read, as a plain
 * object. Hydrating a User entity (em.map) cost ~0.4 ms of every request; procedures only need the id
 * and the profile.
 */
export type AuthUser = Pick<IUser, 'id' | 'username' | 'email' | 'displayName' | 'createdAt' | 'updatedAt'>;

/**
 * The owner's columns, selected beside a session's or API token's in the one query every request runs
 * (`u` joined to the credential), so authentication skips the unit of work's query building and hydration.
 */
export const OWNER_COLUMNS = [
  'u.id as ownerId',
  'u.username as ownerUsername',
  'u.email as ownerEmail',
  'u.displayName as ownerDisplayName',
  // Renamed columns skip MikroORM's value conversion, so these arrive as PostgreSQL prints them.
  sql<string>`${sql.ref('u.createdAt')}`.as('ownerCreatedAt'),
  sql<string>`${sql.ref('u.updatedAt')}`.as('ownerUpdatedAt'),
] as const;

type OwnerColumns = {
  ownerId: string;
  ownerUsername: string;
  ownerEmail: string;
  ownerDisplayName: string | null;
  ownerCreatedAt: string;
  ownerUpdatedAt: string;
};

export function ownerOf(row: OwnerColumns): AuthUser {
  return {
    id: row.ownerId,
    username: row.ownerUsername,
    email: row.ownerEmail,
    displayName: row.ownerDisplayName,
    createdAt: new Date(row.ownerCreatedAt),
    updatedAt: new Date(row.ownerUpdatedAt),
  };
}
