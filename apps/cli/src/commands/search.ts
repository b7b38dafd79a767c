import type { RouterOutputs } from '@chatsynth/client';
import { parseCommand, parseLimit } from '../args';
import { connect } from '../connection';
import { snippetText } from '../highlight';
import { formatDate } from '../table';
import { stylesFor } from '../terminal';
import { COMMANDS } from '../usage';

type SearchHit = RouterOutputs['chatlogs']['search']['items'][number];

const PAGE = 100;

export async function searchCommand(args: string[]): Promise<number> {
  const parsed = parseCommand(
    'search',
    args,
    { source: { type: 'string' }, tag: { type: 'string', multiple: true }, limit: { type: 'string' }, json: { type: 'boolean' } },
    { min: 1, max: 1 },
  );
  if (!parsed) {
    process.stdout.write(`${COMMANDS.search}\n`);
    return 0;
  }
  const limit = parseLimit('search', parsed.values.limit, 20);
  const { api } = await connect();
  const hits: SearchHit[] = [];
  let cursor: string | null = null;
  // The first page carries them: the caller's own words for the ones of the query they never wrote.
  let suggestions: RouterOutputs['chatlogs']['search']['suggestions'] | undefined;
  do {
    const page: RouterOutputs['chatlogs']['search'] = await api.chatlogs.search.query({
      query: parsed.positionals[0]!,
      source: parsed.values.source,
      tags: parsed.values.tag,
      limit: Math.min(PAGE, limit - hits.length),
      cursor,
    });
    hits.push(...page.items);
    suggestions ??= page.suggestions;
    cursor = page.nextCursor;
  } while (cursor && hits.length < limit);

  if (parsed.values.json) {
    process.stdout.write(`${JSON.stringify(hits, null, 2)}\n`);
    return 0;
  }
  if (!hits.length) {
    process.stderr.write(`No matches.\n${didYouMean(suggestions ?? [])}`);
    return 0;
  }
  process.stdout.write(`${formatHits(hits, stylesFor(process.stdout))}\n`);
  if (cursor) process.stderr.write(`Showing the first ${hits.length}; --limit ${hits.length * 2} shows more.\n`);
  process.stderr.write(didYouMean(suggestions ?? []));
  return 0;
}

/** `Did you mean "python snakes"? Or "pythons snakes"?`, on stderr so the hits on stdout stay as they are. */
export function didYouMean(suggestions: Array<{ query: string }>): string {
  if (!suggestions.length) return '';
  const [first, ...others] = suggestions.map((s) => JSON.stringify(s.query));
  return `Did you mean ${first}?${others.length ? ` Or ${others.join(', ')}?` : ''}\n`;
}

const SNIPPET_LABELS = { title: 'title', summary: 'summary', annotation: 'note', message: 'message' } as const;

/** Each hit: its title, then id, source, date and score, then its snippets with the matches marked. */
export function formatHits(hits: SearchHit[], style: ReturnType<typeof stylesFor>): string {
  const mark = style.enabled ? style.bold : (match: string) => `[${match}]`;
  return hits
    .map((hit) => {
      const { chatlog } = hit;
      const lines = [
        style.bold(chatlog.title),
        style.dim(`  ${chatlog.id}  ·  ${chatlog.source}  ·  ${formatDate(chatlog.startedAt ?? chatlog.createdAt)}  ·  score ${hit.score.toFixed(3)}`),
      ];
      for (const snippet of hit.snippets) {
        const where = snippet.messageIndex === null ? SNIPPET_LABELS[snippet.kind] : `${SNIPPET_LABELS[snippet.kind]} ${snippet.messageIndex + 1}`;
        lines.push(`  ${style.dim(`${where}:`)} ${snippetText(snippet.text, mark)}`);
      }
      return lines.join('\n');
    })
    .join('\n\n');
}
