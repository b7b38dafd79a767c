import { sql, type RawBuilder } from 'kysely';

/**
 * The search box's query language, as PostgreSQL's websearch_to_tsquery reads it: words (all must
 * match), "quoted phrases", `or` between two terms, `-` before a word or phrase to exclude it. Other
 * punctuation separates words. As in websearch_to_tsquery, `a b or c d` means (a and b) or (c and d).
 * The last word, when the query does not end in a space or a quote, also matches as a prefix, so
 * results follow typing.
 *
 * Parsing happens here so each word can be turned into a tsquery matching either its English stem or
 * the word as written (chatsynth_term_query, in the search migration); PostgreSQL does the lexing and
 * stemming, so no user text is ever spliced into tsquery syntax.
 */

export type SearchTerm = {
  /** A word or phrase exactly as typed (without quotes or the leading minus). */
  text: string;
  phrase: boolean;
  negated: boolean;
  /** The last word of a query being typed: matches as a prefix too. */
  prefix: boolean;
};

/** Alternatives (`or`) of groups of terms that must all match. */
export type ParsedQuery = SearchTerm[][];

/** At most this many words and phrases: a query is a search, not a document. */
export const MAX_SEARCH_TERMS = 32;

/** Shortest last word that also matches as a prefix: one or two letters would match most of a library. */
export const MIN_PREFIX_LENGTH = 2;

type Token = { kind: 'term'; term: SearchTerm } | { kind: 'or' };

const isSpace = (c: string) => /\s/u.test(c);

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i]!;
    if (isSpace(c)) {
      i += 1;
      continue;
    }
    let negated = false;
    while (query[i] === '-') {
      negated = !negated;
      i += 1;
    }
    if (i >= query.length || isSpace(query[i]!)) continue; // a lone minus is punctuation
    if (query[i] === '"') {
      const end = query.indexOf('"', i + 1);
      const text = query.slice(i + 1, end === -1 ? query.length : end);
      i = end === -1 ? query.length : end + 1;
      tokens.push({ kind: 'term', term: { text, phrase: true, negated, prefix: false } });
      continue;
    }
    let j = i;
    while (j < query.length && !isSpace(query[j]!) && query[j] !== '"') j += 1;
    const text = query.slice(i, j);
    i = j;
    if (!negated && text.toLowerCase() === 'or') tokens.push({ kind: 'or' });
    else tokens.push({ kind: 'term', term: { text, phrase: false, negated, prefix: false } });
  }
  return tokens;
}

/** Reads a query; terms that hold no word (punctuation alone) are kept and simply match nothing. */
export function parseSearchQuery(query: string): ParsedQuery {
  const tokens = tokenize(query);
  const last = tokens[tokens.length - 1];
  const endsInWord = query.length > 0 && !isSpace(query[query.length - 1]!) && query[query.length - 1] !== '"';
  if (last?.kind === 'term' && endsInWord && !last.term.phrase && !last.term.negated) {
    last.term.prefix = [...last.term.text].filter((ch) => /[\p{L}\p{N}]/u.test(ch)).length >= MIN_PREFIX_LENGTH;
  }
  const groups: ParsedQuery = [[]];
  tokens.forEach((token, index) => {
    const previous = tokens[index - 1];
    const next = tokens[index + 1];
    if (token.kind === 'or') {
      // `or` joins two terms; at either end, or after another `or`, it is an ordinary word.
      if (previous?.kind === 'term' && next?.kind === 'term') {
        groups.push([]);
        return;
      }
      groups[groups.length - 1]!.push({ text: 'or', phrase: false, negated: false, prefix: false });
      return;
    }
    groups[groups.length - 1]!.push(token.term);
  });
  return groups.filter((g) => g.length > 0);
}

export const countTerms = (parsed: ParsedQuery) => parsed.reduce((n, group) => n + group.length, 0);

/**
 * The tsquery as SQL, each term a bind parameter. Empty parts (punctuation, stop words alone) vanish:
 * in PostgreSQL an empty tsquery is the identity of && and ||.
 */
export function tsqueryExpression(parsed: ParsedQuery): RawBuilder<unknown> {
  const term = (t: SearchTerm) => {
    const expr = sql`chatsynth_term_query(${t.text}::text, ${t.prefix}::boolean)`;
    return t.negated ? sql`(!! ${expr})` : expr;
  };
  if (!parsed.length) return sql`''::tsquery`;
  return sql`(${sql.join(parsed.map((group) => sql`(${sql.join(group.map(term), sql` && `)})`), sql` || `)})`;
}
