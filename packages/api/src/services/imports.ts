import { rm } from 'node:fs/promises';
import { ImportJob, query, type EntityManager, type IImportJob, type ImportCounts, type ImportProblem, type ImportStatus } from '@chatsynth/db';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { listImportsInput } from '../schemas/import';
import { notFound } from './errors';

export const EMPTY_COUNTS: ImportCounts = { conversations: 0, created: 0, updated: 0, unchanged: 0, failed: 0 };

export type ImportDto = {
  id: string;
  status: ImportStatus;
  format: string | null;
  filename: string;
  counts: ImportCounts;
  problems: ImportProblem[];
  bytes: number;
  bytesRead: number;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
};

export function toImportDto(job: IImportJob): ImportDto {
  return {
    id: job.id,
    status: job.status,
    format: job.format ?? null,
    filename: job.filename,
    counts: { ...EMPTY_COUNTS, ...job.counts },
    problems: job.problems ?? [],
    bytes: Number(job.bytes),
    bytesRead: Number(job.bytesRead),
    error: job.error ?? null,
    createdAt: job.createdAt,
    startedAt: job.startedAt ?? null,
    finishedAt: job.finishedAt ?? null,
  };
}

export async function createImportJob(
  em: EntityManager,
  input: { userId: string; filename: string; format: string; requestedFormat: string; bytes: number; filePath: string },
): Promise<string> {
  const job = em.create(ImportJob, {
    user: input.userId,
    filename: input.filename,
    format: input.format,
    requestedFormat: input.requestedFormat,
    status: 'queued',
    counts: { ...EMPTY_COUNTS },
    problems: [],
    bytes: input.bytes,
    filePath: input.filePath,
  });
  await em.flush();
  return job.id;
}

/** A page of the caller's imports, newest first (ids are UUIDv7, taken as each job is created). */
export async function listImports(ctx: { em: EntityManager; userId: string }, input: z.infer<typeof listImportsInput>) {
  const jobs = await ctx.em.find(
    ImportJob,
    { user: ctx.userId, ...(input.cursor ? { id: { $lt: input.cursor.id } } : {}) },
    { orderBy: { id: 'desc' }, limit: input.limit },
  );
  return jobs.map(toImportDto);
}

export async function getImport(ctx: { em: EntityManager; userId: string }, id: string) {
  const job = await ctx.em.findOne(ImportJob, { id, user: ctx.userId }, { refresh: true });
  if (!job) throw notFound('Import');
  return toImportDto(job);
}

/**
 * How many times a job may be claimed without finishing. A job is claimed again when its worker stops
 * sending heartbeats, which is a crash of its server; the import itself may be the cause (a file that
 * exhausts memory), and would then take down one server after another for ever.
 */
export const MAX_IMPORT_ATTEMPTS = 3;

const GAVE_UP =
  `The import stopped its server ${MAX_IMPORT_ATTEMPTS} times before it could finish, so it is not tried again. ` +
  'What it had imported is kept. The file may be too large or too unusual for this server: import the export in smaller parts, or report the file.';

/**
 * Claims the oldest queued job, or a running one whose worker stopped sending heartbeats (its server
 * died): the row lock with SKIP LOCKED lets several server instances poll the same table safely. A
 * dead job that has used its MAX_IMPORT_ATTEMPTS ends `failed` (its upload removed) instead.
 */
export async function claimNextImport(em: EntityManager, staleAfterMs: number): Promise<string | null> {
  const staleBefore = sql<Date>`now() - ${staleAfterMs}::float8 * interval '1 millisecond'`;
  const gaveUp = await query(em)
    .updateTable('imports')
    .set({ status: 'failed', error: GAVE_UP, finished_at: sql<Date>`now()`, heartbeat_at: sql<Date>`now()` })
    .where('status', '=', 'running')
    .where('attempts', '>=', MAX_IMPORT_ATTEMPTS)
    .where((w) => w.or([w('heartbeat_at', 'is', null), w('heartbeat_at', '<', staleBefore)]))
    .returning('file_path')
    .execute();
  await Promise.all(gaveUp.map((job) => (job.file_path ? rm(job.file_path, { force: true }) : null)));

  const claimed = await query(em)
    .updateTable('imports')
    .set((eb) => ({
      status: 'running',
      attempts: eb('attempts', '+', 1),
      heartbeat_at: sql<Date>`now()`,
      started_at: eb.fn.coalesce('started_at', sql<Date>`now()`),
    }))
    .where('id', '=', (eb) =>
      eb
        .selectFrom('imports')
        .select('id')
        .where((w) =>
          w.or([
            w('status', '=', 'queued'),
            w.and([
              w('status', '=', 'running'),
              w('attempts', '<', MAX_IMPORT_ATTEMPTS),
              w.or([w('heartbeat_at', 'is', null), w('heartbeat_at', '<', staleBefore)]),
            ]),
          ]),
        )
        .orderBy('created_at')
        .forUpdate()
        .skipLocked()
        .limit(1),
    )
    .returning('id')
    .executeTakeFirst();
  return claimed?.id ?? null;
}
