import { ImportJob, type EntityManager, type IImportJob, type ImportCounts, type ImportProblem } from '@chatsynth/db';
import { notFound } from './errors';
import { sql } from './sql';

export const EMPTY_COUNTS: ImportCounts = { conversations: 0, created: 0, updated: 0, unchanged: 0, failed: 0 };

export type ImportDto = {
  id: string;
  status: IImportJob['status'];
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

export async function listImports(ctx: { em: EntityManager; userId: string }) {
  const jobs = await ctx.em.find(ImportJob, { user: ctx.userId }, { orderBy: { createdAt: 'desc' }, limit: 100 });
  return jobs.map(toImportDto);
}

export async function getImport(ctx: { em: EntityManager; userId: string }, id: string) {
  const job = await ctx.em.findOne(ImportJob, { id, user: ctx.userId }, { refresh: true });
  if (!job) throw notFound('Import');
  return toImportDto(job);
}

/**
 * Claims the oldest queued job, or a running one whose worker stopped sending heartbeats (its server
 * died): the row lock with SKIP LOCKED lets several server instances poll the same table safely.
 */
export async function claimNextImport(em: EntityManager, staleAfterMs: number): Promise<string | null> {
  const rows = await sql<{ id: string }>(
    em,
    `update imports set status = 'running', attempts = attempts + 1, heartbeat_at = now(),
            started_at = coalesce(started_at, now())
     where id = (
       select id from imports
       where status = 'queued'
          or (status = 'running' and (heartbeat_at is null or heartbeat_at < now() - (?::float8 * interval '1 millisecond')))
       order by created_at
       for update skip locked
       limit 1
     )
     returning id`,
    [staleAfterMs],
  );
  return rows[0]?.id ?? null;
}
