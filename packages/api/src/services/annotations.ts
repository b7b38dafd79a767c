import { Annotation, jsonb, query } from '@chatsynth/db';
import { TRPCError } from '@trpc/server';
import { sql, type InferResult } from 'kysely';
import type { z } from 'zod';
import type { createAnnotationInput, listAnnotationsInput, updateAnnotationInput } from '../schemas/annotation';
import { LIMITS } from '../schemas/chat-log';
import { placeAnnotation } from './annotation-placement';
import type { ChatLogCtx } from './chat-logs';
import { badInput, notFound } from './errors';
import { annotationsOf, chatLogsOf, countAll } from './scope';

const COLUMNS = [
  'a.id',
  'a.chatlog_id as chatlogId',
  'a.content',
  'a.message_index as messageIndex',
  'a.quote',
  'a.start',
  'a.end',
  'a.version',
  'a.metadata',
  'a.created_at as createdAt',
  'a.updated_at as updatedAt',
] as const;

// What the selection returns is the DTO: declared nowhere else.
const selectAnnotation = (annotations: ReturnType<typeof annotationsOf>) => annotations.select(COLUMNS);
export type AnnotationDto = InferResult<ReturnType<typeof selectAnnotation>>[number];

/**
 * Annotates the whole log or one message of its current version, whose number the annotation keeps;
 * `placeAnnotation` checks the message and offsets and gives the quote.
 */
export async function createAnnotation(ctx: ChatLogCtx, input: z.infer<typeof createAnnotationInput>): Promise<AnnotationDto> {
  const id = await ctx.em.transactional(async (tx) => {
    // Only the addressed message leaves the database. The lock keeps the log from being purged
    // before the annotation is in, and makes concurrent notes on the log wait their turn, so the
    // count below sees every note committed before it (a statement of its own, for a fresh snapshot).
    const log = await chatLogsOf({ em: tx, userId: ctx.userId })
      .select(['c.version', 'c.message_count as messageCount'])
      .select(sql<unknown>`${sql.ref('c.content')}->'messages'->(${input.messageIndex ?? 0}::int)->'content'`.as('text'))
      .where('c.id', '=', input.chatlogId)
      .forNoKeyUpdate()
      .executeTakeFirst();
    if (!log) throw notFound('Chat log');
    const notes = await query(tx).selectFrom('annotations').select(countAll.as('n')).where('chatlog_id', '=', input.chatlogId).executeTakeFirstOrThrow();
    if (notes.n >= LIMITS.notesPerLog) throw tooManyNotes();

    const placed = placeAnnotation(input, log);
    if ('field' in placed) throw badInput(placed.field, placed.message);

    const annotation = tx.create(Annotation, {
      user: ctx.userId,
      chatlog: input.chatlogId,
      content: input.content,
      messageIndex: input.messageIndex ?? null,
      quote: placed.quote,
      start: input.start ?? null,
      end: input.end ?? null,
      version: log.version,
      metadata: input.metadata ?? {},
    });
    await tx.flush();
    return annotation.id;
  });
  return selectAnnotation(annotationsOf(ctx)).where('a.id', '=', id).executeTakeFirstOrThrow();
}

const tooManyNotes = () =>
  new TRPCError({
    code: 'BAD_REQUEST',
    message: `This chat log already has ${LIMITS.notesPerLog.toLocaleString('en-US')} notes, the most one log holds: delete one before adding another.`,
  });

/**
 * A page of a log's annotations in reading order: the whole-log ones first, then by message and
 * offset, then as they were written (ids are UUIDv7, so in time order). The cursor is the last note's
 * (messageIndex, start, id); missing places sort first, as -1.
 */
export async function listAnnotations(ctx: ChatLogCtx, input: z.infer<typeof listAnnotationsInput>): Promise<AnnotationDto[]> {
  const owned = await chatLogsOf(ctx).select('c.id').where('c.id', '=', input.chatlogId).executeTakeFirst();
  if (!owned) throw notFound('Chat log');
  const messageKey = sql<number>`coalesce(${sql.ref('a.message_index')}, -1)`;
  const startKey = sql<number>`coalesce(${sql.ref('a.start')}, -1)`;
  let notes = query(ctx.em).selectFrom('annotations as a').select(COLUMNS).where('a.chatlog_id', '=', input.chatlogId);
  const { cursor } = input;
  if (cursor) {
    notes = notes.where(
      sql<boolean>`(${messageKey}, ${startKey}, ${sql.ref('a.id')}) > (${cursor.messageIndex ?? -1}::int, ${cursor.start ?? -1}::int, ${cursor.id}::uuid)`,
    );
  }
  return notes.orderBy(messageKey).orderBy(startKey).orderBy('a.id').limit(input.limit).execute();
}

// Only the author changes an annotation, and not while its log is in the trash (annotationsOf).
const editable = (ctx: ChatLogCtx, id: string) => annotationsOf(ctx).select('a.id').where('a.id', '=', id);

export async function updateAnnotation(ctx: ChatLogCtx, input: z.infer<typeof updateAnnotationInput>): Promise<AnnotationDto> {
  const updated = await query(ctx.em)
    .updateTable('annotations as a')
    .set({ content: input.content, updated_at: new Date(), ...(input.metadata ? { metadata: jsonb(input.metadata) } : {}) })
    .where('a.id', 'in', editable(ctx, input.id))
    .returning(COLUMNS)
    .executeTakeFirst();
  if (!updated) throw notFound('Annotation');
  return updated;
}

export async function deleteAnnotation(ctx: ChatLogCtx, id: string) {
  const deleted = await query(ctx.em).deleteFrom('annotations').where('id', 'in', editable(ctx, id)).returning('id').executeTakeFirst();
  if (!deleted) throw notFound('Annotation');
  return { ok: true as const };
}
