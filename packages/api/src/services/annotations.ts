import { Annotation } from '@chatsynth/db';
import type { z } from 'zod';
import type { createAnnotationInput, updateAnnotationInput } from '../schemas/annotation';
import type { ChatLogCtx } from './chat-logs';
import { badInput, notFound } from './errors';
import { sql, toDate } from './sql';

export type AnnotationDto = {
  id: string;
  chatlogId: string;
  content: string;
  messageIndex: number | null;
  quote: string | null;
  start: number | null;
  end: number | null;
  version: number;
  metadata: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
};

const COLUMNS = `a.id, a.chatlog_id, a.content, a.message_index, a.quote, a."start", a."end", a.version, a.metadata,
  a.created_at, a.updated_at`;

type AnnotationRow = {
  id: string;
  chatlog_id: string;
  content: string;
  message_index: number | null;
  quote: string | null;
  start: number | null;
  end: number | null;
  version: number;
  metadata: Record<string, unknown>;
  created_at: unknown;
  updated_at: unknown;
};

function toAnnotationDto(row: AnnotationRow): AnnotationDto {
  return {
    id: row.id,
    chatlogId: row.chatlog_id,
    content: row.content,
    messageIndex: row.message_index,
    quote: row.quote,
    start: row.start,
    end: row.end,
    version: row.version,
    metadata: row.metadata ?? {},
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

/**
 * Annotates the whole log or one message of its current version, whose number the annotation keeps.
 * Offsets count UTF-16 code units of the message's text; without a quote, the text between them is kept
 * as the quote, so the annotation still reads right after the message changes.
 */
export async function createAnnotation(ctx: ChatLogCtx, input: z.infer<typeof createAnnotationInput>): Promise<AnnotationDto> {
  const id = await ctx.em.transactional(async (tx) => {
    // Only the addressed message leaves the database; the key-share lock keeps the log from being
    // purged before the annotation is in.
    const rows = await sql<{ version: number; message_count: number; text: unknown }>(
      tx,
      `select version, message_count, content->'messages'->(?::int)->'content' as text
       from chatlogs where id = ? and user_id = ? and deleted_at is null for key share`,
      [input.messageIndex ?? 0, input.chatlogId, ctx.userId],
    );
    const log = rows[0];
    if (!log) throw notFound('Chat log');

    let quote = input.quote ?? null;
    if (input.messageIndex !== undefined) {
      if (input.messageIndex >= log.message_count) {
        throw badInput('messageIndex', `must be below ${log.message_count}, the number of messages in this chat log`);
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
  const rows = await sql<AnnotationRow>(ctx.em, `select ${COLUMNS} from annotations a where a.id = ?`, [id]);
  return toAnnotationDto(rows[0]!);
}

/** A log's annotations in reading order: the whole-log ones first, then by message and offset. */
export async function listAnnotations(ctx: ChatLogCtx, chatlogId: string): Promise<AnnotationDto[]> {
  const owned = await sql(ctx.em, `select 1 from chatlogs where id = ? and user_id = ? and deleted_at is null`, [
    chatlogId,
    ctx.userId,
  ]);
  if (!owned.length) throw notFound('Chat log');
  const rows = await sql<AnnotationRow>(
    ctx.em,
    `select ${COLUMNS} from annotations a where a.chatlog_id = ?
     order by a.message_index asc nulls first, a."start" asc nulls first, a.created_at, a.id`,
    [chatlogId],
  );
  return rows.map(toAnnotationDto);
}

// Only the author changes an annotation, and not while its log is in the trash.
const EDITABLE = `a.id = ? and a.user_id = ? and c.id = a.chatlog_id and c.deleted_at is null`;

export async function updateAnnotation(ctx: ChatLogCtx, input: z.infer<typeof updateAnnotationInput>): Promise<AnnotationDto> {
  const rows = await sql<AnnotationRow>(
    ctx.em,
    `update annotations a set content = ?, metadata = coalesce(?::jsonb, a.metadata), updated_at = ?
     from chatlogs c where ${EDITABLE}
     returning ${COLUMNS}`,
    [input.content, input.metadata ? JSON.stringify(input.metadata) : null, new Date(), input.id, ctx.userId],
  );
  if (!rows[0]) throw notFound('Annotation');
  return toAnnotationDto(rows[0]);
}

export async function deleteAnnotation(ctx: ChatLogCtx, id: string) {
  const rows = await sql(ctx.em, `delete from annotations a using chatlogs c where ${EDITABLE} returning a.id`, [
    id,
    ctx.userId,
  ]);
  if (!rows.length) throw notFound('Annotation');
  return { ok: true as const };
}
