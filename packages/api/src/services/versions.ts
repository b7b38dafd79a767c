import type { VersionChange } from '@chatsynth/db';
import type { z } from 'zod';
import type { ChatContent } from '../schemas/chat-log';
import type { diffVersionsInput, getVersionInput, restoreVersionInput } from '../schemas/version';
import { getChatLog, staleVersion, writeVersion, type ChatLogCtx } from './chat-logs';
import type { ChatLogDto } from './dto';
import { notFound } from './errors';
import { diffMessages, type MessageChange } from './message-diff';
import { sql, toDate } from './sql';

export type VersionSummary = {
  version: number;
  createdAt: Date;
  title: string;
  messageCount: number;
  change: VersionChange;
};

export type VersionDto = {
  version: number;
  title: string;
  summary: string | null;
  content: ChatContent;
  metadata: Record<string, unknown>;
  createdAt: Date;
  change: VersionChange;
};

export type TextChange = { before: string | null; after: string | null; changed: boolean };

export type VersionDiff = {
  title: TextChange & { before: string; after: string };
  summary: TextChange;
  messages: MessageChange[];
};

type VersionRow = {
  version: number;
  title: string;
  summary: string | null;
  content: ChatContent;
  metadata: Record<string, unknown>;
  change: VersionChange;
  created_at: unknown;
};

/** NOT_FOUND unless the caller owns the log and it is not in the trash. */
async function assertOwnedLog(ctx: ChatLogCtx, chatlogId: string): Promise<void> {
  const rows = await sql(ctx.em, `select 1 from chatlogs where id = ? and user_id = ? and deleted_at is null`, [
    chatlogId,
    ctx.userId,
  ]);
  if (!rows.length) throw notFound('Chat log');
}

async function versionRows(ctx: ChatLogCtx, chatlogId: string, versions: number[]): Promise<Map<number, VersionRow>> {
  await assertOwnedLog(ctx, chatlogId);
  const rows = await sql<VersionRow>(
    ctx.em,
    `select version, title, summary, content, metadata, change, created_at from chatversions
     where chatlog_id = ? and version in (select (jsonb_array_elements_text(?::jsonb))::int)`,
    [chatlogId, JSON.stringify(versions)],
  );
  const found = new Map(rows.map((r) => [r.version, r]));
  for (const v of versions) if (!found.has(v)) throw notFound(`Version ${v}`);
  return found;
}

/** Every version of a log, newest first, without content. */
export async function listVersions(ctx: ChatLogCtx, chatlogId: string): Promise<VersionSummary[]> {
  await assertOwnedLog(ctx, chatlogId);
  const rows = await sql<{ version: number; created_at: unknown; title: string; message_count: number; change: VersionChange }>(
    ctx.em,
    `select version, created_at, title, message_count, change from chatversions where chatlog_id = ? order by version desc`,
    [chatlogId],
  );
  return rows.map((r) => ({
    version: r.version,
    createdAt: toDate(r.created_at),
    title: r.title,
    messageCount: r.message_count,
    change: r.change,
  }));
}

export async function getVersion(ctx: ChatLogCtx, input: z.infer<typeof getVersionInput>): Promise<VersionDto> {
  const row = (await versionRows(ctx, input.chatlogId, [input.version])).get(input.version)!;
  return {
    version: row.version,
    title: row.title,
    summary: row.summary,
    content: row.content,
    metadata: row.metadata ?? {},
    createdAt: toDate(row.created_at),
    change: row.change,
  };
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
    const rows = await sql<Omit<VersionRow, 'change' | 'created_at' | 'version'> & { current: number; found: number | null; unchanged: boolean }>(
      tx,
      `select c.version as current, v.version as found, v.title, v.summary, v.content, v.metadata,
              -- jsonb equality compares values, not the key order they were written in.
              (v.title = c.title and v.summary is not distinct from c.summary
               and v.content = c.content and v.metadata = c.metadata) as unchanged
       from chatlogs c left join chatversions v on v.chatlog_id = c.id and v.version = ?
       where c.id = ? and c.user_id = ? and c.deleted_at is null`,
      [input.version, input.chatlogId, ctx.userId],
    );
    const old = rows[0];
    if (!old) throw notFound('Chat log');
    if (old.found === null) throw notFound(`Version ${input.version}`);
    if (old.current !== input.expectedVersion) throw staleVersion(old.current);
    if (old.unchanged) return;

    await writeVersion(
      tx,
      { id: input.chatlogId, userId: ctx.userId, expectedVersion: input.expectedVersion },
      {
        title: old.title,
        summary: old.summary,
        content: old.content,
        metadata: old.metadata ?? {},
      },
      'restored',
    );
  });
  ctx.em.clear();
  return getChatLog(ctx, input.chatlogId);
}
