import { z } from 'zod';
import { uuid } from '../schemas/common';
import type { SearchInput } from '../schemas/search';
import type { ChatLogCtx } from './chat-logs';
import { readCursor, timestampText, writeCursor } from './cursor';
import type { ChatLogSummary } from './dto';
import { hasMark, snippetHtml } from './search-highlight';
import { readSearchQuery } from './search-query';
import { searchRows, type SearchCursor, type SnippetRow } from './search-sql';
import { SUGGEST_BELOW_HITS, suggestSearches, type SearchSuggestion } from './search-suggestions';

export type SearchSnippet = {
  kind: 'title' | 'summary' | 'message' | 'annotation';
  /**
   * The message the text comes from; for an annotation, the message it is attached to (null when it
   * annotates the whole log); null for the title and the summary.
   */
  messageIndex: number | null;
  /** HTML: the text escaped, the matched words in <mark>. */
  text: string;
};

export type SearchHit = { chatlog: ChatLogSummary; score: number; snippets: SearchSnippet[] };

function snippetsOf(snippets: SnippetRow[]): SearchSnippet[] {
  const found = snippets
    .filter((s): s is SnippetRow & { text: string } => s.text !== null)
    // The title and summary come as a pair; keep the ones the query matched.
    .filter((s) => (s.kind !== 'title' && s.kind !== 'summary') || hasMark(s.text));
  // An imported log's summary is often its first message: show that text once, as the message,
  // which opens the chat at it.
  const messageTexts = new Set(found.filter((s) => s.kind === 'message').map((s) => s.text));
  return found
    .filter((s) => s.kind !== 'summary' || !messageTexts.has(s.text))
    .map((s) => ({ kind: s.kind, messageIndex: s.messageIndex, text: snippetHtml(s.text) }));
}

/** A search cursor: the score, sort key and id of the last hit of the page. */
const searchCursor = z.tuple([z.number(), timestampText, uuid]);

const encodeSearchCursor = (cursor: SearchCursor) => writeCursor([cursor.score, cursor.sortKey, cursor.id]);

function decodeSearchCursor(cursor: string): SearchCursor {
  const [score, sortKey, id] = readCursor(cursor, searchCursor);
  return { score, sortKey, id };
}

/**
 * A page of hits (searchPage), and on a first page that found little, the caller's own words in place
 * of the ones they never wrote (search-suggestions.ts); a normal search does no more work.
 */
export async function searchChatLogs(
  ctx: ChatLogCtx,
  input: SearchInput,
): Promise<{ items: SearchHit[]; nextCursor: string | null; suggestions: SearchSuggestion[] }> {
  const found = await searchPage(ctx, input);
  const little = !input.cursor && found.nextCursor === null && found.items.length < SUGGEST_BELOW_HITS;
  const suggestions = little ? await suggestSearches(ctx, input.query) : [];
  return { ...found, suggestions };
}

/**
 * The caller's logs (never another user's, never the trash) matching the query and the filters, best
 * first: title hits above summary hits above annotation hits above message hits, ts_rank within each,
 * then the most recent. Each hit carries highlighted snippets from its best-scoring rows (at most
 * SNIPPETS_PER_HIT of them; a title and summary row gives one snippet for each that matched).
 */
async function searchPage(ctx: ChatLogCtx, input: SearchInput): Promise<{ items: SearchHit[]; nextCursor: string | null }> {
  const { terms: parsed, operators } = readSearchQuery(input.query);
  const after = input.cursor ? decodeSearchCursor(input.cursor) : undefined;
  // Operators and the input's filters all hold; a query of operators alone lists the logs they select.
  const rows = await searchRows(ctx, { parsed, operators }, { ...input, limit: input.limit + 1 }, after);

  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(({ score, sortKey: _, snippets, ...chatlog }) => ({ chatlog, score, snippets: snippetsOf(snippets) })),
    nextCursor: rows.length > input.limit && last ? encodeSearchCursor({ score: last.score, sortKey: last.sortKey, id: last.id }) : null,
  };
}
