import { createHash } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { ChatLog, ChatVersion, type EntityManager, type VersionChange } from '@chatsynth/db';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { ChatContent, createChatLogInput, listChatLogsInput, updateChatLogInput } from '../schemas/chat-log';
import { canonicalJson } from './canonical-json';
import { selectSummary, selectWholeSummary, sortAt, type ChatLogDto, type ChatLogSummary } from './chat-log-summary';
import { decodeCursor, encodeCursor, pageOf } from './cursor';
import { notFound } from './errors';
import { chatLogsOf, countAll, type OwnerCtx } from './scope';
import { replaceTags } from './tags';

export type ChatLogCtx = OwnerCtx;
export type { ChatLogDto, ChatLogSummary };

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
  const log = await selectWholeSummary(chatLogsOf(ctx))
    .select('c.content')
    .where('c.id', '=', id)
    .executeTakeFirst();
  if (!log) throw notFound('Chat log');
  return log;
}

export async function listChatLogs(ctx: ChatLogCtx, input: z.infer<typeof listChatLogsInput>) {
  const sortKey = (eb: Parameters<typeof sortAt>[0]) =>
    input.sort === 'startedAt' ? sortAt(eb) : eb.ref(input.sort === 'createdAt' ? 'c.created_at' : 'c.updated_at');
  let logs = selectSummary(chatLogsOf(ctx))
    // The sort key as PostgreSQL prints it: exact to the microsecond, for the cursor.
    .select((eb) => sql<string>`(${sortKey(eb)})::text`.as('sortKey'));
  if (input.source) logs = logs.where('c.source', '=', input.source);
  const { from, to, tags } = input;
  if (from) logs = logs.where((eb) => eb(sortAt(eb), '>=', from));
  if (to) logs = logs.where((eb) => eb(sortAt(eb), '<=', to));
  if (tags?.length) {
    // Every named tag must be on the log.
    logs = logs.where((eb) =>
      eb(
        eb
          .selectFrom('chat_tags as ct')
          .innerJoin('tags as t', 't.id', 'ct.tag_id')
          .select(countAll.as('n'))
          .whereRef('ct.chat_id', '=', 'c.id')
          .where('t.name', 'in', tags),
        '=',
        tags.length,
      ),
    );
  }
  if (input.cursor) {
    const cursor = decodeCursor(input.cursor);
    const after = input.order === 'desc' ? sql`<` : sql`>`;
    logs = logs.where((eb) => sql<boolean>`(${sortKey(eb)}, ${eb.ref('c.id')}) ${after} (${cursor.sortKey}::timestamptz, ${cursor.id}::uuid)`);
  }
  const rows = await logs
    .orderBy((eb) => sortKey(eb), input.order)
    .orderBy('c.id', input.order)
    .limit(input.limit + 1)
    .execute();
  const page = pageOf(rows, input.limit, (last) => encodeCursor(last.sortKey, last.id));
  return { items: page.items.map(({ sortKey: _, ...summary }) => summary), nextCursor: page.nextCursor };
}

export async function updateChatLog(ctx: ChatLogCtx, input: z.infer<typeof updateChatLogInput>): Promise<ChatLogDto> {
  await ctx.em.transactional(async (tx) => {
    // The `live` filter keeps logs in the trash out.
    const log = await tx.findOne(ChatLog, { id: input.id, user: ctx.userId }, { populate: ['content'] });
    if (!log) throw notFound('Chat log');
    if (log.version !== input.expectedVersion) throw staleVersion(log.version);

    const next: ChatLogState = {
      title: input.title ?? log.title,
      summary: input.summary !== undefined ? input.summary : (log.summary ?? null),
      content: input.content ?? log.content,
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
  // expectedVersion, the row lock lets exactly one through and the rest match no row. The `live`
  // filter leaves logs in the trash alone.
  const version = target.expectedVersion + 1;
  const affected = await tx.nativeUpdate(
    ChatLog,
    { id: target.id, user: target.userId, version: target.expectedVersion },
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
    const owned = await chatLogsOf({ em: tx, userId: ctx.userId }).select('c.id').where('c.id', '=', id).forUpdate().executeTakeFirst();
    if (!owned) throw notFound('Chat log');
    await replaceTags(tx, id, tags);
  });
  return { tags };
}
