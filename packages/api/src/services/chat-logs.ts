import { createHash } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { ChatLog, ChatVersion, type EntityManager, type VersionChange } from '@chatsynth/db';
import type { z } from 'zod';
import type {
  ChatContent,
  createChatLogInput,
  listChatLogsInput,
  updateChatLogInput,
} from '../schemas/chat-log';
import { canonicalJson } from './canonical-json';
import type { ChatLogDto, ChatLogSummary } from './dto';
import { notFound } from './errors';
import { decodeCursor, encodeCursor, jsonArray, sql, toDate, toNullableDate } from './sql';
import { replaceTags } from './tags';

export type ChatLogCtx = { em: EntityManager; userId: string };

/** The columns every chat log DTO is built from; tags aggregated in name order. */
export const SUMMARY_COLUMNS = `c.id, c.source, c.title, c.summary, c.metadata, c.version, c.message_count,
  c.started_at, c.created_at, c.updated_at,
  coalesce((select array_agg(t.name order by t.name) from chat_tags ct join tags t on t.id = ct.tag_id
            where ct.chat_id = c.id), '{}') as tags`;

export type SummaryRow = {
  id: string;
  source: string;
  title: string;
  summary: string | null;
  metadata: Record<string, unknown>;
  version: number;
  message_count: number;
  started_at: unknown;
  created_at: unknown;
  updated_at: unknown;
  tags: string[];
};

export function toSummary(row: SummaryRow): ChatLogSummary {
  return {
    id: row.id,
    source: row.source,
    title: row.title,
    summary: row.summary,
    metadata: row.metadata ?? {},
    tags: row.tags ?? [],
    version: row.version,
    messageCount: row.message_count,
    startedAt: toNullableDate(row.started_at),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

/** Values stored beside the content so lists, sorting and re-import never parse it. */
export function deriveFromContent(content: ChatContent) {
  const times = content.messages
    .map((m) => (m.createdAt ? Date.parse(m.createdAt) : Number.NaN))
    .filter((t) => !Number.isNaN(t));
  return {
    messageCount: content.messages.length,
    startedAt: times.length ? new Date(Math.min(...times)) : null,
    // Canonical JSON: the same content hashes the same whatever order its keys arrived in (jsonb
    // hands them back in its own order), so restores and re-imports recognise unchanged content.
    contentHash: createHash('sha256').update(canonicalJson(content)).digest('hex'),
  };
}

/** A title for a log created without one: the first line of the first user message. */
export function defaultTitle(content: ChatContent): string {
  const first = content.messages.find((m) => m.role === 'user' && m.content.trim()) ?? content.messages[0];
  const firstLine = first?.content.trim().split('\n')[0]?.trim() ?? '';
  if (!firstLine) return 'Untitled conversation';
  return firstLine.length > 80 ? `${firstLine.slice(0, 79)}…` : firstLine;
}

export async function createChatLog(ctx: ChatLogCtx, input: z.infer<typeof createChatLogInput>): Promise<ChatLogDto> {
  const id = await ctx.em.transactional(async (tx) => {
    const derived = deriveFromContent(input.content);
    const title = input.title ?? defaultTitle(input.content);
    const log = tx.create(ChatLog, {
      user: ctx.userId,
      source: input.source,
      title,
      content: input.content,
      summary: input.summary ?? null,
      metadata: input.metadata ?? {},
      version: 1,
      externalId: null,
      ...derived,
    });
    tx.create(ChatVersion, {
      chatlog: log,
      version: 1,
      title,
      summary: log.summary,
      content: input.content,
      metadata: log.metadata,
      change: 'created',
      messageCount: derived.messageCount,
    });
    await tx.flush();
    if (input.tags?.length) await replaceTags(tx, log.id, input.tags);
    return log.id;
  });
  return getChatLog(ctx, id);
}

export async function getChatLog(ctx: ChatLogCtx, id: string): Promise<ChatLogDto> {
  const rows = await sql<SummaryRow & { content: ChatContent }>(
    ctx.em,
    `select ${SUMMARY_COLUMNS}, c.content from chatlogs c where c.id = ? and c.user_id = ? and c.deleted_at is null`,
    [id, ctx.userId],
  );
  const row = rows[0];
  if (!row) throw notFound('Chat log');
  return { ...toSummary(row), content: row.content };
}

const SORT_EXPRESSIONS = {
  updatedAt: 'c.updated_at',
  createdAt: 'c.created_at',
  // Logs without message times sort by when they were stored.
  startedAt: 'coalesce(c.started_at, c.created_at)',
} as const;

export async function listChatLogs(ctx: ChatLogCtx, input: z.infer<typeof listChatLogsInput>) {
  const sortExpr = SORT_EXPRESSIONS[input.sort];
  const where = ['c.user_id = ?', 'c.deleted_at is null'];
  const params: unknown[] = [ctx.userId];
  if (input.source) {
    where.push('c.source = ?');
    params.push(input.source);
  }
  if (input.from) {
    where.push('coalesce(c.started_at, c.created_at) >= ?');
    params.push(input.from);
  }
  if (input.to) {
    where.push('coalesce(c.started_at, c.created_at) <= ?');
    params.push(input.to);
  }
  if (input.tags?.length) {
    // Every named tag must be on the log.
    where.push(`(select count(*) from chat_tags ct join tags t on t.id = ct.tag_id
                 where ct.chat_id = c.id and t.name in (select jsonb_array_elements_text(?::jsonb))) = ?`);
    params.push(jsonArray(input.tags), input.tags.length);
  }
  if (input.cursor) {
    const cursor = decodeCursor(input.cursor);
    where.push(`(${sortExpr}, c.id) ${input.order === 'desc' ? '<' : '>'} (?::timestamptz, ?::uuid)`);
    params.push(cursor.sortKey, cursor.id);
  }
  params.push(input.limit + 1);
  const rows = await sql<SummaryRow & { sort_key: string }>(
    ctx.em,
    `select ${SUMMARY_COLUMNS}, (${sortExpr})::text as sort_key
     from chatlogs c where ${where.join(' and ')}
     order by ${sortExpr} ${input.order}, c.id ${input.order}
     limit ?`,
    params,
  );
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toSummary),
    nextCursor: rows.length > input.limit && last ? encodeCursor(last.sort_key, last.id) : null,
  };
}

export async function updateChatLog(ctx: ChatLogCtx, input: z.infer<typeof updateChatLogInput>): Promise<ChatLogDto> {
  await ctx.em.transactional(async (tx) => {
    const log = await tx.findOne(
      ChatLog,
      { id: input.id, user: ctx.userId, deletedAt: null },
      { populate: ['content'] },
    );
    if (!log) throw notFound('Chat log');
    if (log.version !== input.expectedVersion) throw staleVersion(log.version);

    const next: ChatLogState = {
      title: input.title ?? log.title,
      summary: input.summary !== undefined ? input.summary : (log.summary ?? null),
      content: input.content ?? (log.content as ChatContent),
      metadata: input.metadata ?? log.metadata,
    };
    const unchanged =
      next.title === log.title &&
      next.summary === (log.summary ?? null) &&
      deriveFromContent(next.content).contentHash === log.contentHash &&
      canonicalJson(next.metadata) === canonicalJson(log.metadata);
    if (unchanged) return;

    await writeVersion(tx, { id: log.id, userId: ctx.userId, expectedVersion: input.expectedVersion }, next, 'edited');
  });
  ctx.em.clear();
  return getChatLog(ctx, input.id);
}

/** What a version holds, and what a write makes current. */
export type ChatLogState = {
  title: string;
  summary: string | null;
  content: ChatContent;
  metadata: Record<string, unknown>;
};

/**
 * Makes `next` the log's current state as version `expectedVersion + 1` and records that version
 * with its `change`, inside the caller's transaction. Every change to an existing log's title, summary
 * or content goes through here, so history and the log cannot drift apart.
 */
export async function writeVersion(
  tx: EntityManager,
  target: { id: string; userId: string; expectedVersion: number },
  next: ChatLogState,
  change: VersionChange,
): Promise<number> {
  const derived = deriveFromContent(next.content);
  // The version check is in the UPDATE itself: of concurrent writers holding the same
  // expectedVersion, the row lock lets exactly one through and the rest match no row.
  const version = target.expectedVersion + 1;
  const affected = await tx.nativeUpdate(
    ChatLog,
    { id: target.id, user: target.userId, deletedAt: null, version: target.expectedVersion },
    { ...next, ...derived, version, updatedAt: new Date() },
  );
  if (affected !== 1) throw staleVersion();
  tx.create(ChatVersion, {
    chatlog: target.id,
    version,
    title: next.title,
    summary: next.summary,
    content: next.content,
    metadata: next.metadata,
    change,
    messageCount: derived.messageCount,
  });
  await tx.flush();
  return version;
}

export function staleVersion(current?: number) {
  return new TRPCError({
    code: 'CONFLICT',
    message:
      current === undefined
        ? 'This chat log was changed by someone else. Reload it and apply your change again.'
        : `This chat log is at version ${current}; reload it and apply your change again.`,
  });
}

export async function setChatLogTags(ctx: ChatLogCtx, id: string, tags: string[]) {
  await ctx.em.transactional(async (tx) => {
    const owned = await sql(tx, `select id from chatlogs where id = ? and user_id = ? and deleted_at is null for update`, [
      id,
      ctx.userId,
    ]);
    if (!owned.length) throw notFound('Chat log');
    await replaceTags(tx, id, tags);
  });
  return { tags };
}
