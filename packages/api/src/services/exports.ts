import type { EntityManager } from '@chatsynth/db';
import { CHATSYNTH_EXPORT_VERSION, type ChatSynthExportedLog, type ChatSynthSingleExport } from '@chatsynth/importers';
import type { Message } from '../schemas/chat-log';
import { getChatLog, listChatLogs, type ChatLogCtx } from './chat-logs';
import type { ChatLogDto } from './dto';
import { sql, toDate } from './sql';

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

async function annotationsOf(em: EntityManager, chatlogIds: string[]): Promise<Map<string, ExportedAnnotation[]>> {
  const byLog = new Map<string, ExportedAnnotation[]>();
  if (!chatlogIds.length) return byLog;
  const rows = await sql<{
    chatlog_id: string;
    content: string;
    message_index: number | null;
    quote: string | null;
    start: number | null;
    end: number | null;
    created_at: unknown;
  }>(
    em,
    `select chatlog_id, content, message_index, quote, start, "end", created_at from annotations
     where chatlog_id in (select jsonb_array_elements_text(?::jsonb)::uuid) order by created_at, id`,
    [JSON.stringify(chatlogIds)],
  );
  for (const r of rows) {
    const list = byLog.get(r.chatlog_id) ?? [];
    list.push({
      content: r.content,
      messageIndex: r.message_index,
      quote: r.quote,
      start: r.start,
      end: r.end,
      createdAt: toDate(r.created_at).toISOString(),
    });
    byLog.set(r.chatlog_id, list);
  }
  return byLog;
}

/** The platform ids, which the DTO leaves out, so that an exported log re-imports onto itself. */
async function externalIdsOf(em: EntityManager, chatlogIds: string[]): Promise<Map<string, string | null>> {
  if (!chatlogIds.length) return new Map();
  const rows = await sql<{ id: string; external_id: string | null }>(
    em,
    `select id, external_id from chatlogs where id in (select jsonb_array_elements_text(?::jsonb)::uuid)`,
    [JSON.stringify(chatlogIds)],
  );
  return new Map(rows.map((r) => [r.id, r.external_id]));
}

type ExportSource = { log: ChatLogDto; externalId: string | null; annotations: ExportedAnnotation[] };

export function toExportedLog({ log, externalId, annotations }: ExportSource): ChatSynthExportedLog {
  return {
    id: log.id,
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

export async function exportChatLog(ctx: ChatLogCtx, id: string, format: ExportFormat): Promise<ExportFile> {
  const log = await getChatLog(ctx, id);
  const annotations = (await annotationsOf(ctx.em, [id])).get(id) ?? [];
  const externalId = (await externalIdsOf(ctx.em, [id])).get(id) ?? null;
  return renderExport({ log, externalId, annotations }, format);
}

/** Every live log of the user with its annotations, a page at a time, for the zip export. */
export async function* exportAll(ctx: ChatLogCtx, format: ExportFormat): AsyncGenerator<ExportFile> {
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof listChatLogs>> = await listChatLogs(ctx, {
      limit: 50,
      cursor,
      sort: 'createdAt',
      order: 'asc',
    });
    const ids = page.items.map((i) => i.id);
    const annotations = await annotationsOf(ctx.em, ids);
    const externalIds = await externalIdsOf(ctx.em, ids);
    for (const id of ids) {
      const log = await getChatLog(ctx, id);
      yield renderExport({ log, externalId: externalIds.get(id) ?? null, annotations: annotations.get(id) ?? [] }, format);
    }
    ctx.em.clear();
    cursor = page.nextCursor;
  } while (cursor);
}
