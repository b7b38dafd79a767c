import type { RouterOutputs } from '@chatsynth/client';
import { parseCommand, parseLimit } from '../args';
import { connect } from '../connection';
import { formatDate, formatTable } from '../table';
import { COMMANDS } from '../usage';

type ChatLogSummary = RouterOutputs['chatlogs']['list']['items'][number];

const PAGE = 100;

export async function listCommand(args: string[]): Promise<number> {
  const parsed = parseCommand(
    'list',
    args,
    { source: { type: 'string' }, tag: { type: 'string', multiple: true }, limit: { type: 'string' }, json: { type: 'boolean' } },
    { min: 0, max: 0 },
  );
  if (!parsed) {
    process.stdout.write(`${COMMANDS.list}\n`);
    return 0;
  }
  const limit = parseLimit('list', parsed.values.limit, 50);
  const { api } = await connect();
  const items: ChatLogSummary[] = [];
  let cursor: string | null = null;
  do {
    const page: RouterOutputs['chatlogs']['list'] = await api.chatlogs.list.query({
      limit: Math.min(PAGE, limit - items.length),
      cursor,
      source: parsed.values.source,
      tags: parsed.values.tag,
    });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < limit);

  if (parsed.values.json) {
    process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
    return 0;
  }
  if (!items.length) {
    process.stderr.write(parsed.values.source || parsed.values.tag ? 'No chat logs match.\n' : 'No chat logs yet: `chatsynth import <file>` brings some in.\n');
    return 0;
  }
  process.stdout.write(`${formatChatLogTable(items, process.stdout.isTTY ? process.stdout.columns : undefined)}\n`);
  if (cursor) process.stderr.write(`Showing the first ${items.length}; --limit ${items.length * 2} shows more.\n`);
  return 0;
}

/** Titles are shortened to fit a terminal of `columns`; piped output keeps them whole. */
export function formatChatLogTable(items: ChatLogSummary[], columns?: number): string {
  const titleWidth = columns ? Math.max(20, Math.min(80, columns - 100)) : undefined;
  return formatTable(items, [
    { header: 'ID', value: (log) => log.id },
    { header: 'TITLE', value: (log) => log.title, maxWidth: titleWidth },
    { header: 'SOURCE', value: (log) => log.source, maxWidth: 20 },
    { header: 'MESSAGES', value: (log) => String(log.messageCount), align: 'right' },
    { header: 'TAGS', value: (log) => log.tags.join(', '), maxWidth: columns ? 30 : undefined },
    { header: 'UPDATED', value: (log) => formatDate(log.updatedAt) },
  ]);
}
