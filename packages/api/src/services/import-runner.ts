import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { ImportJob, jsonb, query, refreshStatistics, type EntityManager, type ImportCounts, type MikroORM, type RowsWritten } from '@chatsynth/db';
import { sql } from 'kysely';
import { ImportFormatError, readExport, type ImportFormat, type Problem } from '@chatsynth/importers';
import { changeFeed } from './change-feed';
import { EMPTY_COUNTS } from './imports';
import { prepareConversation, RefusedConversation, writeBatch, type PreparedConversation } from './import-writer';
import { cut } from './chat-log-bounds';
import { internalErrorMessage, logger, reportInternal } from './log';

export type RunImportOptions = {
  /** Conversations per transaction. */
  batchSize?: number;
  /** Bytes of JSON per transaction, whichever comes first. */
  batchBytes?: number;
  signal?: AbortSignal;
};

/** A report names at most this many problems, then says how many more there were. */
const MAX_PROBLEMS = 1_000;
/** How often a running job says it is alive; a job silent for much longer is taken over. */
export const HEARTBEAT_MS = 5_000;
/**
 * How often (in committed batches) a running import looks whether the statistics of what search
 * reads are stale, so searching while a large import runs is not the slow case; the look is one query.
 */
export const STATISTICS_EVERY_BATCHES = 20;

/**
 * Runs one claimed import job to the end. Each batch of conversations is written in its own
 * transaction together with the job's checkpoint (items consumed, counts, problems), so a job
 * interrupted by a restart resumes after its last committed batch and never counts twice.
 */
export async function runImportJob(orm: MikroORM, jobId: string, options: RunImportOptions = {}): Promise<void> {
  const batchSize = options.batchSize ?? 100;
  const batchBytes = options.batchBytes ?? 4 * 1024 * 1024;
  const em = orm.em.fork();
  const job = await em.findOneOrFail(ImportJob, { id: jobId });
  const userId = job.user.id;
  const counts = { ...EMPTY_COUNTS, ...job.counts };
  const problems: Problem[] = [...(job.problems ?? [])];
  let overflow = problems.length > MAX_PROBLEMS ? problems.splice(MAX_PROBLEMS).length : 0;
  // The parser knows the upload by its temporary name; the report speaks of the user's file.
  const tempName = job.filePath ? basename(job.filePath) : null;
  const ownName = (text: string) => (tempName && text.includes(tempName) ? text.replaceAll(job.filePath!, job.filename).replaceAll(tempName, job.filename) : text);
  const addProblem = (problem: Problem) => {
    problem = { ...problem, reason: ownName(problem.reason) };
    if (problems.length < MAX_PROBLEMS) problems.push(problem);
    else overflow += 1;
  };
  const resumeAfter = job.processed;
  let consumed = 0;
  let bytesRead = Number(job.bytesRead);
  let batch: PreparedConversation[] = [];
  let batchJsonBytes = 0;
  const keysInBatch = new Set<string>();
  // Rows this job wrote since it last refreshed the planner's statistics.
  const written: Required<RowsWritten> = { chatlogs: 0, chat_tags: 0, tags: 0, chatlog_search_entries: 0, chatlog_search_words: 0 };
  let batchesSinceRefresh = 0;
  const refresh = async (scale: number) => {
    batchesSinceRefresh = 0;
    if (!written.chatlogs) return;
    try {
      const refreshed = await refreshStatistics(orm.em.fork(), { scale, written });
      // A table analyzed now has counted this job's rows; one not analyzed keeps counting them.
      for (const table of refreshed.analyzed) written[table] = 0;
      if (refreshed.analyzed.length) logger.info({ importId: jobId, ...refreshed }, 'planner statistics refreshed');
    } catch (error) {
      // Stale statistics make search slow, never wrong: the import goes on.
      logger.warn({ err: error, importId: jobId }, 'could not refresh planner statistics');
    }
  };

  if (!job.filePath || !existsSync(job.filePath)) {
    await finish(orm, jobId, 'failed', 'The uploaded file is no longer on this server; upload it again.');
    return;
  }

  const checkpoint = () => ({
    counts,
    problems: overflow ? [...problems, { reason: `… and ${overflow} more problems.` }] : problems,
    processed: consumed,
    bytesRead,
  });

  const flush = async () => {
    const pending = batch;
    batch = [];
    batchJsonBytes = 0;
    keysInBatch.clear();
    // Counts and problems change only if the batch commits; a failed batch leaves them as they were.
    const before = { counts: { ...counts }, problems: problems.length, overflow };
    let rowsWritten: RowsWritten = {};
    await orm.em.fork().transactional(async (tx) => {
      const stored = pending.length ? await writeBatch(tx, userId, pending) : { outcomes: [], problems: [] };
      stored.outcomes.forEach((outcome) => (counts[outcome] += 1));
      rowsWritten = rowsOf(pending, stored.outcomes);
      stored.problems.forEach(addProblem);
      await saveCheckpoint(tx, jobId, checkpoint());
    }).then(
      // Committed: subscriptions in this process look now (other instances hear the NOTIFY).
      () => {
        changeFeed.publish(userId);
        for (const [table, rows] of Object.entries(rowsWritten) as Array<[keyof RowsWritten, number]>) written[table] += rows;
        batchesSinceRefresh += 1;
      },
      async (error: unknown) => {
        Object.assign(counts, before.counts);
        problems.length = before.problems;
        overflow = before.overflow;
        // A batch that cannot be stored whole is stored one conversation at a time, so one bad
        // conversation costs only itself, and is named in the report.
        if (pending.length <= 1) {
          for (const c of pending) {
            counts.failed += 1;
            // The database's message carries SQL and the user's data: the log gets it, the report a reference.
            const ref = reportInternal(error, { importId: jobId, conversation: c.label });
            addProblem({ conversation: c.label, reason: `Could not be stored because of an error on the server (reference ${ref}); import the file again, and if it fails again, quote the reference.` });
          }
          await saveCheckpoint(orm.em.fork(), jobId, checkpoint());
          return;
        }
        for (const single of pending) {
          batch = [single];
          await flush();
        }
      },
    );
  };

  // Heartbeats tell other instances this job is alive even while one batch takes long.
  const heartbeat = setInterval(() => {
    query(orm.em.fork()).updateTable('imports').set({ heartbeat_at: sql<Date>`now()` }).where('id', '=', jobId).execute().catch(() => {});
  }, HEARTBEAT_MS);
  heartbeat.unref();
  try {
    const items = readExport(job.filePath, {
      format: (job.format ?? 'auto') as ImportFormat | 'auto',
      onProgress: (bytes) => (bytesRead = bytes),
      signal: options.signal,
    });
    for await (const item of items) {
      consumed += 1;
      if (consumed <= resumeAfter) continue;
      if (item.kind === 'problem') {
        addProblem(item.problem);
        if (item.problem.conversation !== undefined) {
          counts.conversations += 1;
          counts.failed += 1;
        }
        continue;
      }
      // Yield to the event loop between conversations: an import never holds up other requests.
      await new Promise<void>((resolve) => setImmediate(resolve));
      counts.conversations += 1;
      let prepared: PreparedConversation;
      try {
        prepared = prepareConversation(item, jobId);
      } catch (error) {
        // One conversation that cannot be taken costs only itself.
        counts.failed += 1;
        if (error instanceof RefusedConversation) {
          for (const problem of error.problems) addProblem({ conversation: problem.conversation ?? error.label, reason: problem.reason });
        } else {
          const conversation = item.conversation.title || item.conversation.externalId || undefined;
          const ref = reportInternal(error, { importId: jobId, conversation });
          addProblem({ conversation: conversation && cut(conversation, 200), reason: `Could not be read because of an error on the server (reference ${ref}).` });
        }
        continue;
      }
      for (const problem of prepared.problems) addProblem({ conversation: problem.conversation ?? prepared.label, reason: problem.reason });
      const keys = [`${prepared.source}\u0000${prepared.externalId}`, ...(prepared.exported ? [`id\u0000${prepared.exported.id}`] : [])];
      // The same conversation twice in one file: the later copy is written after the earlier one.
      if (keys.some((key) => keysInBatch.has(key))) {
        consumed -= 1;
        await flush();
        consumed += 1;
      }
      batch.push(prepared);
      for (const key of keys) keysInBatch.add(key);
      batchJsonBytes += prepared.contentBytes;
      if (batch.length >= batchSize || batchJsonBytes >= batchBytes) await flush();
      // While it runs, a refresh when the tables at least doubled (scale 1): a few per import.
      if (batchesSinceRefresh >= STATISTICS_EVERY_BATCHES) await refresh(1);
    }
    await flush();
    // Before the job says it succeeded, so the first searches of what it brought are planned right.
    await refresh(0.1);
    await finish(orm, jobId, 'succeeded', null);
    await rm(job.filePath, { force: true });
  } catch (error) {
    if (options.signal?.aborted) return; // shutting down: the job stays claimed and is resumed later
    await refresh(0.1); // what it committed before failing is searchable too
    await finish(orm, jobId, 'failed', ownName(failureReason(error, jobId)));
    await rm(job.filePath, { force: true });
  } finally {
    clearInterval(heartbeat);
  }
}

/** The rows a committed batch wrote to the tables whose statistics search depends on. */
function rowsOf(batch: PreparedConversation[], outcomes: string[]): RowsWritten {
  const rows = { chatlogs: 0, chat_tags: 0, tags: 0, chatlog_search_entries: 0, chatlog_search_words: 0 };
  batch.forEach((c, i) => {
    if (outcomes[i] !== 'created' && outcomes[i] !== 'updated') return;
    rows.chatlogs += 1;
    rows.chat_tags += c.tags.length;
    // One row per message (more for a long one), one for the title and summary, one per annotation.
    rows.chatlog_search_entries += c.content.messages.length + 1 + c.annotations.length;
  });
  // New tag names and new words of the vocabulary are not counted here (most exist already):
  // PostgreSQL's counters, a second late at most, say when those tables changed.
  return rows;
}

/**
 * What the report says when a job fails: a file the importers cannot read says why in words meant for
 * the user; any other error is logged and only its reference is shown.
 */
function failureReason(error: unknown, jobId: string): string {
  if (error instanceof ImportFormatError) return error.message;
  return internalErrorMessage(reportInternal(error, { importId: jobId }));
}

async function saveCheckpoint(
  em: EntityManager,
  jobId: string,
  state: { counts: ImportCounts; problems: Problem[]; processed: number; bytesRead: number },
) {
  await query(em)
    .updateTable('imports')
    .set({
      counts: jsonb(state.counts),
      problems: jsonb(state.problems),
      processed: state.processed,
      bytes_read: state.bytesRead,
      heartbeat_at: sql<Date>`now()`,
    })
    .where('id', '=', jobId)
    .execute();
}

async function finish(orm: MikroORM, jobId: string, status: 'succeeded' | 'failed', error: string | null) {
  await query(orm.em.fork())
    .updateTable('imports')
    .set((eb) => ({
      status,
      error,
      finished_at: sql<Date>`now()`,
      heartbeat_at: sql<Date>`now()`,
      // A finished import has read its whole file.
      bytes_read: status === 'succeeded' ? eb.ref('bytes') : eb.ref('bytes_read'),
    }))
    .where('id', '=', jobId)
    .execute();
}
