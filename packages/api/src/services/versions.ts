import { query } from '@chatsynth/db';
import { sql, type InferResult } from 'kysely';
import type { z } from 'zod';
import type { diffVersionsInput, getVersionInput, listVersionsInput, restoreVersionInput } from '../schemas/version';
import { assertStorable } from './chat-log-bounds';
import { getChatLog, staleVersion, writeVersion, type ChatLogCtx } from './chat-logs';
import type { ChatLogDto } from './dto';
import { notFound } from './errors';
import { diffMessages, type MessageChange } from './message-diff';
import { chatLogsOf } from './scope';

const SUMMARY_COLUMNS = ['v.version', 'v.created_at as createdAt', 'v.title', 'v.message_count as messageCount', 'v.change'] as const;
const VERSION_COLUMNS = ['v.version', 'v.title', 'v.summary', 'v.content', 'v.metadata', 'v.change', 'v.created_at as createdAt'] as const;

// The DTOs are what the selections return: declared nowhere else.
const selectSummaries = (versions: Versions) => versions.select(SUMMARY_COLUMNS);
const selectVersions = (versions: Versions) => versions.select(VERSION_COLUMNS);
export type VersionSummary = InferResult<ReturnType<typeof selectSummaries>>[number];
export type VersionDto = InferResult<ReturnType<typeof selectVersions>>[number];

export type TextChange = { before: string | null; after: string | null; changed: boolean };

export type VersionDiff = {
  title: TextChange & { before: string; after: string };
  summary: TextChange;
  messages: MessageChange[];
};

/** The versions of one of the caller's logs outside the trash, as `v`; NOT_FOUND for any other log. */
async function versionsOf(ctx: ChatLogCtx, chatlogId: string) {
  const owned = await chatLogsOf(ctx).select('c.id').where('c.id', '=', chatlogId).executeTakeFirst();
  if (!owned) throw notFound('Chat log');
  return query(ctx.em).selectFrom('chatversions as v').where('v.chatlog_id', '=', chatlogId);
}
type Versions = Awaited<ReturnType<typeof versionsOf>>;

async function versionRows(ctx: ChatLogCtx, chatlogId: string, versions: number[]): Promise<Map<number, VersionDto>> {
  const rows = await selectVersions(await versionsOf(ctx, chatlogId))
    .where('v.version', 'in', versions)
    .execute();
  const found = new Map(rows.map((r) => [r.version, r]));
  for (const v of versions) if (!found.has(v)) throw notFound(`Version ${v}`);
  return found;
}

/** A page of a log's versions, newest first, without content: those below the cursor's version. */
export async function listVersions(ctx: ChatLogCtx, input: z.infer<typeof listVersionsInput>): Promise<VersionSummary[]> {
  let versions = selectSummaries(await versionsOf(ctx, input.chatlogId));
  if (input.cursor) versions = versions.where('v.version', '<', input.cursor.version);
  return versions.orderBy('v.version', 'desc').limit(input.limit).execute();
}

export async function getVersion(ctx: ChatLogCtx, input: z.infer<typeof getVersionInput>): Promise<VersionDto> {
  return (await versionRows(ctx, input.chatlogId, [input.version])).get(input.version)!;
}

export async function diffVersions(ctx: ChatLogCtx, input: z.infer<typeof diffVersionsInput>): Promise<VersionDiff> {
  const rows = await versionRows(ctx, input.chatlogId, [input.from, input.to]);
  const from = rows.get(input.from)!;
  const to = rows.get(input.to)!;
  return {
    title: { before: from.title, after: to.title, changed: from.title !== to.title },
    summary: { before: from.summary, after: to.summary, changed: from.summary !== to.summary },
    messages: diffMessages(from.content.messages, to.content.messages),
  };
}

/**
 * Makes an old version current again by writing a new one equal to it (change 'restored'): history
 * is never rewritten. Restoring a version equal to the current state writes nothing, as an update
 * that changes nothing does.
 */
export async function restoreVersion(ctx: ChatLogCtx, input: z.infer<typeof restoreVersionInput>): Promise<ChatLogDto> {
  await ctx.em.transactional(async (tx) => {
    // One statement, so the version checked and the state compared are the same snapshot of the log.
    const old = await chatLogsOf({ em: tx, userId: ctx.userId })
      .leftJoin('chatversions as v', (join) => join.onRef('v.chatlog_id', '=', 'c.id').on('v.version', '=', input.version))
      .select(['c.version as current', 'v.version as found', 'v.title', 'v.summary', 'v.content', 'v.metadata'])
      // jsonb equality compares values, not the key order they were written in.
      .select(
        sql<boolean>`(${sql.ref('v.title')} = ${sql.ref('c.title')} and ${sql.ref('v.summary')} is not distinct from ${sql.ref('c.summary')}
          and ${sql.ref('v.content')} = ${sql.ref('c.content')} and ${sql.ref('v.metadata')} = ${sql.ref('c.metadata')})`.as('unchanged'),
      )
      .where('c.id', '=', input.chatlogId)
      .executeTakeFirst();
    if (!old) throw notFound('Chat log');
    if (old.found === null) throw notFound(`Version ${input.version}`);
    if (old.current !== input.expectedVersion) throw staleVersion(old.current);
    if (old.unchanged) return;

    const state = { title: old.title!, summary: old.summary, content: old.content!, metadata: old.metadata ?? {} };
    // A version stored before today's bounds is refused, as chatlogs.update would refuse it.
    assertStorable(state, `Version ${input.version} cannot be restored`);
    await writeVersion(tx, { id: input.chatlogId, userId: ctx.userId, expectedVersion: input.expectedVersion }, state, 'restored');
  });
  ctx.em.clear();
  return getChatLog(ctx, input.chatlogId);
}
