import { sql } from 'kysely';
import { CHATSYNTH_EXPORT_VERSION, type ChatSynthExportedLog, type ChatSynthSingleExport } from '@chatsynth/importers';
import type { Message } from '../schemas/chat-log';
import type { ChatLogCtx } from './chat-logs';
import { selectWholeSummary } from './chat-log-summary';
import type { ChatLogDto } from './dto';
import { notFound } from './errors';
import { annotationsOf, chatLogsOf } from './scope';

export const exportFormats = ['markdown', 'json', 'openai'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export type ExportedAnnotation = ChatSynthExportedLog['annotations'][number];
export type ExportFile = { filename: string; mimeType: string; body: string };

const ROLE_HEADINGS: Record<Message['role'], string> = { user: 'User', assistant: 'Assistant', system: 'System', tool: 'Tool' };

/** A file name from the title: readable, safe on every OS, unique by the id's tail. */
export function exportFileName(log: Pick<ChatLogDto, 'id' | 'title'>, extension: string): string {
  const slug = log.title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${slug || 'chat'}-${log.id.slice(-8)}.${extension}`;
}

/** The annotations of the given logs, by log, as an export carries them. */
async function exportedAnnotations(ctx: ChatLogCtx, chatlogIds: string[]): Promise<Map<string, ExportedAnnotation[]>> {
  const byLog = new Map<string, ExportedAnnotation[]>();
  if (!chatlogIds.length) return byLog;
  const rows = await annotationsOf(ctx)
    .select(['a.chatlog_id as chatlog', 'a.content', 'a.message_index as messageIndex', 'a.quote', 'a.start', 'a.end', 'a.created_at as createdAt'])
    .where('a.chatlog_id', 'in', chatlogIds)
    .orderBy('a.created_at')
    .orderBy('a.id')
    .execute();
  for (const { chatlog, createdAt, ...annotation } of rows) {
    const list = byLog.get(chatlog) ?? [];
    list.push({ ...annotation, createdAt: createdAt.toISOString() });
    byLog.set(chatlog, list);
  }
  return byLog;
}

type ExportSource = { log: ChatLogDto; externalId: string | null; annotations: ExportedAnnotation[] };

export function toExportedLog({ log, externalId, annotations }: ExportSource): ChatSynthExportedLog {
  return {
    id: log.id,
    version: log.version,
    source: log.source,
    externalId,
    title: log.title,
    summary: log.summary,
    content: log.content,
    metadata: log.metadata,
    tags: log.tags,
    annotations,
    createdAt: log.createdAt.toISOString(),
    updatedAt: log.updatedAt.toISOString(),
    startedAt: log.startedAt?.toISOString() ?? null,
  };
}

function renderMarkdown(log: ChatLogDto, annotations: ExportedAnnotation[]): string {
  const lines = [`# ${log.title}`, ''];
  lines.push(`- Source: ${log.source}`);
  if (log.startedAt) lines.push(`- Started: ${log.startedAt.toISOString()}`);
  if (log.tags.length) lines.push(`- Tags: ${log.tags.join(', ')}`);
  if (log.summary) lines.push('', `> ${log.summary.replace(/\n/g, '\n> ')}`);
  log.content.messages.forEach((message, index) => {
    const who = message.model ? `${ROLE_HEADINGS[message.role]} (${message.model})` : ROLE_HEADINGS[message.role];
    lines.push('', `## ${who}`, '', message.content);
    for (const part of message.parts ?? []) {
      if (part.type === 'code') lines.push('', `\`\`\`${part.language ?? ''}`, part.text ?? '', '```');
      else if (part.type === 'thinking') lines.push('', `> **Thinking:** ${(part.text ?? '').replace(/\n/g, '\n> ')}`);
      else if (part.text || part.name || part.url) {
        lines.push('', `*${part.type.replace('_', ' ')}:* ${[part.name, part.url, part.text].filter(Boolean).join(' — ')}`);
      }
    }
    for (const a of annotations.filter((a) => a.messageIndex === index)) {
      lines.push('', `> 📝 ${a.quote ? `“${a.quote}” — ` : ''}${a.content.replace(/\n/g, '\n> ')}`);
    }
  });
  const general = annotations.filter((a) => a.messageIndex === null);
  if (general.length) {
    lines.push('', '---', '', '**Notes**', '');
    for (const a of general) lines.push(`- ${a.content.replace(/\n/g, ' ')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** OpenAI chat-completions `messages`: what other tools and fine-tuning pipelines read. */
function renderOpenAI(log: ChatLogDto): string {
  const messages = log.content.messages.map((m) => ({ role: m.role, content: m.content, ...(m.name ? { name: m.name } : {}) }));
  return `${JSON.stringify({ title: log.title, model: log.content.messages.find((m) => m.model)?.model, messages }, null, 2)}\n`;
}

export function renderExport(source: ExportSource, format: ExportFormat): ExportFile {
  const { log, annotations } = source;
  if (format === 'markdown') {
    return { filename: exportFileName(log, 'md'), mimeType: 'text/markdown; charset=utf-8', body: renderMarkdown(log, annotations) };
  }
  if (format === 'openai') {
    return { filename: exportFileName(log, 'openai.json'), mimeType: 'application/json', body: renderOpenAI(log) };
  }
  const single: ChatSynthSingleExport = {
    format: 'chatsynth',
    version: CHATSYNTH_EXPORT_VERSION,
    exportedAt: new Date().toISOString(),
    chatlog: toExportedLog(source),
  };
  return { filename: exportFileName(log, 'json'), mimeType: 'application/json', body: `${JSON.stringify(single, null, 2)}\n` };
}

/** Logs with everything an export holds: the DTO and the platform id, which the DTO leaves out. */
function exportableLogs(ctx: ChatLogCtx) {
  return selectWholeSummary(chatLogsOf(ctx)).select(['c.content', 'c.external_id as externalId']);
}

export async function exportChatLog(ctx: ChatLogCtx, id: string, format: ExportFormat): Promise<ExportFile> {
  const row = await exportableLogs(ctx).where('c.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Chat log');
  const { externalId, ...log } = row;
  const annotations = (await exportedAnnotations(ctx, [id])).get(id) ?? [];
  return renderExport({ log, externalId, annotations }, format);
}

/** Logs listed per query by the zip export. */
const EXPORT_PAGE = 50;
/**
 * Stored bytes (content and metadata, as PostgreSQL keeps them) read per query: a page of 50 logs at
 * the 20 MB content bound would otherwise be a gigabyte in memory at once. A log larger than this is
 * read alone.
 */
const EXPORT_READ_BYTES = 8 * 1024 * 1024;

/** Every live log of the user with its annotations, a page at a time (oldest first), for the zip export. */
export async function* exportAll(ctx: ChatLogCtx, format: ExportFormat): AsyncGenerator<ExportFile> {
  // The key as PostgreSQL prints it, exact to the microsecond (a Date would round it to the millisecond).
  let after: { sortKey: string; id: string } | null = null;
  for (;;) {
    // The page's ids and weights first; the logs themselves in reads of at most EXPORT_READ_BYTES.
    let page = chatLogsOf(ctx)
      .select(['c.id', sql<string>`${sql.ref('c.created_at')}::text`.as('sortKey')])
      .select(sql<number>`pg_column_size(${sql.ref('c.content')}) + pg_column_size(${sql.ref('c.metadata')})`.as('bytes'));
    if (after) {
      const { sortKey, id } = after;
      page = page.where(sql<boolean>`(${sql.ref('c.created_at')}, ${sql.ref('c.id')}) > (${sortKey}::timestamptz, ${id}::uuid)`);
    }
    const entries = await page.orderBy('c.created_at').orderBy('c.id').limit(EXPORT_PAGE).execute();
    if (!entries.length) return;
    const annotations = await exportedAnnotations(ctx, entries.map((e) => e.id));
    for (const ids of byWeight(entries, EXPORT_READ_BYTES)) {
      const rows = await exportableLogs(ctx).where('c.id', 'in', ids).orderBy('c.created_at').orderBy('c.id').execute();
      for (const { externalId, ...log } of rows) {
        yield renderExport({ log, externalId, annotations: annotations.get(log.id) ?? [] }, format);
      }
    }
    const last = entries.at(-1)!;
    after = { sortKey: last.sortKey, id: last.id };
    if (entries.length < EXPORT_PAGE) return;
  }
}

/** Consecutive groups of ids whose bytes add up to at most `budget` (a heavier entry alone). */
function byWeight(entries: Array<{ id: string; bytes: number }>, budget: number): string[][] {
  const groups: string[][] = [];
  let group: string[] = [];
  let weight = 0;
  for (const { id, bytes } of entries) {
    if (group.length && weight + Number(bytes) > budget) {
      groups.push(group);
      group = [];
      weight = 0;
    }
    group.push(id);
    weight += Number(bytes);
  }
  if (group.length) groups.push(group);
  return groups;
}
