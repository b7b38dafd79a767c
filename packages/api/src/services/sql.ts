import type { EntityManager } from '@chatsynth/db';
import { TRPCError } from '@trpc/server';

/**
 * Runs raw SQL (knex `?` placeholders) inside the EntityManager's transaction, if it has one. Values
 * go to PostgreSQL as bind parameters: MikroORM's `execute` would quote them into the SQL text,
 * which for an import batch means escaping megabytes of JSON on the event loop and sending it twice
 * as large. Driver errors become MikroORM's exceptions, as from `execute`.
 */
export async function sql<T = Record<string, unknown>>(em: EntityManager, query: string, params: unknown[] = []): Promise<T[]> {
  const connection = em.getConnection();
  const statement = connection.getKnex().raw(query, params as never[]);
  const transaction = em.getTransactionContext();
  if (transaction) statement.transacting(transaction);
  try {
    const result = (await statement) as { rows: T[] };
    return result.rows;
  } catch (error) {
    throw em.getPlatform().getExceptionConverter().convertException(error as Error);
  }
}

/** Arrays travel as one JSON parameter (`jsonb_array_elements_text(?::jsonb)`), so no driver expands them. */
export const jsonArray = (values: readonly string[]) => JSON.stringify(values);

/** Keyset cursors: the sort key as PostgreSQL printed it (exact to the microsecond) and the id. */
export function encodeCursor(sortKey: string, id: string): string {
  return Buffer.from(JSON.stringify([sortKey, id])).toString('base64url');
}

export function decodeCursor(cursor: string): { sortKey: string; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      !Number.isNaN(Date.parse(value[0])) &&
      /^[0-9a-f-]{36}$/.test(value[1])
    ) {
      return { sortKey: value[0], id: value[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new TRPCError({ code: 'BAD_REQUEST', message: 'The cursor is not valid; start again from the first page.' });
}

export const toDate = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)));
export const toNullableDate = (value: unknown): Date | null => (value == null ? null : toDate(value));
