import { Annotation, query, type Row } from '@chatsynth/db';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { createAnnotationInput, updateAnnotationInput } from '../schemas/annotation';
import type { ChatLogCtx } from './chat-logs';
import { badInput, notFound } from './errors';
import { annotationsOf, chatLogsOf } from './scope';

export type AnnotationDto = Pick<
  Row<'Annotation'>,
  'id' | 'content' | 'messageIndex' | 'quote' | 'start' | 'end' | 'version' | 'metadata' | 'createdAt' | 'updatedAt'
> & { chatlogId: string };

const COLUMNS = [
  'a.id',
  'a.chatlog as chatlogId',
  'a.content',
  'a.messageIndex',
  'a.quote',
  'a.start',
  'a.end',
  'a.version',
  'a.metadata',
  'a.createdAt',
  'a.updatedAt',
] as const;

/**
 * Annotates the whole log or one message of its current version, whose number the annotation keeps.
 * Offsets count UTF-16 code units of the message's text; without a quote, the text between them is kept
 * as the quote, so the annotation still reads right after the message changes.
 */
export async function createAnnotation(ctx: ChatLogCtx, input: z.infer<typeof createAnnotationInput>): Promise<AnnotationDto> {
  const id = await ctx.em.transactional(async (tx) => {
    // Only the addressed message leaves the database; the key-share lock keeps the log from being
    // purged before the annotation is in.
    const log = await chatLogsOf({ em: tx, userId: ctx.userId })
      .select(['c.version', 'c.messageCount'])
      .select(sql<unknown>`${sql.ref('c.content')}->'messages'->(${input.messageIndex ?? 0}::int)->'content'`.as('text'))
      .where('c.id', '=', input.chatlogId)
      .forKeyShare()
      .executeTakeFirst();
    if (!log) throw notFound('Chat log');

    let quote = input.quote ?? null;
    if (input.messageIndex !== undefined) {
      if (input.messageIndex >= log.messageCount) {
        throw badInput('messageIndex', `must be below ${log.messageCount}, the number of messages in this chat log`);
      }
      const text = typeof log.text === 'string' ? log.text : '';
      if (input.start !== undefined && input.end !== undefined) {
        if (input.end > text.length) {
          throw badInput('end', `must be at most ${text.length}, the length of message ${input.messageIndex}`);
        }
        const between = text.slice(input.start, input.end);
        if (!between.isWellFormed()) throw badInput('start', 'must not split a character in two');
        if (quote !== null && quote !== between) {
          throw badInput('quote', 'must equal the text between start and end');
        }
        quote ??= between;
      }
    }

    const annotation = tx.create(Annotation, {
      user: ctx.userId,
      chatlog: input.chatlogId,
      content: input.content,
      messageIndex: input.messageIndex ?? null,
      quote,
      start: input.start ?? null,
      end: input.end ?? null,
      version: log.version,
      metadata: input.metadata ?? {},
    });
    await tx.flush();
    return annotation.id;
  });
  return annotationsOf(ctx).select(COLUMNS).where('a.id', '=', id).executeTakeFirstOrThrow();
}

/** A log's annotations in reading order: the whole-log ones first, then by message and offset. */
export async function listAnnotations(ctx: ChatLogCtx, chatlogId: string): Promise<AnnotationDto[]> {
  const owned = await chatLogsOf(ctx).select('c.id').where('c.id', '=', chatlogId).executeTakeFirst();
  if (!owned) throw notFound('Chat log');
  return query(ctx.em)
    .selectFrom('Annotation as a')
    .select(COLUMNS)
    .where('a.chatlog', '=', chatlogId)
    .orderBy('a.messageIndex', (ob) => ob.asc().nullsFirst())
    .orderBy('a.start', (ob) => ob.asc().nullsFirst())
    .orderBy('a.createdAt')
    .orderBy('a.id')
    .execute();
}

// Only the author changes an annotation, and not while its log is in the trash (annotationsOf).
const editable = (ctx: ChatLogCtx, id: string) => annotationsOf(ctx).select('a.id').where('a.id', '=', id);

export async function updateAnnotation(ctx: ChatLogCtx, input: z.infer<typeof updateAnnotationInput>): Promise<AnnotationDto> {
  const updated = await query(ctx.em)
    .updateTable('Annotation')
    .set({ content: input.content, updatedAt: new Date(), ...(input.metadata ? { metadata: input.metadata } : {}) })
    .where('id', 'in', editable(ctx, input.id))
    .returning('id')
    .executeTakeFirst();
  if (!updated) throw notFound('Annotation');
  return annotationsOf(ctx).select(COLUMNS).where('a.id', '=', updated.id).executeTakeFirstOrThrow();
}

export async function deleteAnnotation(ctx: ChatLogCtx, id: string) {
  const deleted = await query(ctx.em).deleteFrom('Annotation').where('id', 'in', editable(ctx, id)).returning('id').executeTakeFirst();
  if (!deleted) throw notFound('Annotation');
  return { ok: true as const };
}
