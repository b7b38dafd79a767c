import { normaliseTagName, TAG_LIMITS } from '@chatsynth/importers/canonical';
import { sql, type RawBuilder } from 'kysely';

/**
 * The search box's query language, as PostgreSQL's websearch_to_tsquery reads it: words (all must
 * match), "quoted phrases", `or` between two terms, `-` before a word or phrase to exclude it. Other
 * punctuation separates words. As in websearch_to_tsquery, `a b or c d` means (a and b) or (c and d).
 * The last word, when the query does not end in a space or a quote, also matches as a prefix, so
 * results follow typing.
 *
 * Operators narrow the search wherever they stand (see SEARCH_OPERATORS); a quoted "source:claude"
 * is a phrase, and a word whose prefix is no operator's name (https://…, std::vector) is a word.
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

/**
 * What the operators of a query ask for. Each holds together with the others and with the input's
 * filters: `source:` and `role:` once (two different ones find nothing), `tag:` all of them, dates
 * on when the conversation happened (coalesce(started_at, created_at), as the from/to filters).
 */
export type SearchOperators = {
  sources: string[];
  tags: string[];
  /** On or after this UTC midnight (`after:2024-06-01` includes that day, as Gmail reads it). */
  after?: Date;
  /** Strictly before this UTC midnight (`before:2025-01-01` ends with 31 December). */
  before?: Date;
  roles: SearchRole[];
  /** Where the words are looked for: nothing here means everywhere. */
  places: SearchPlace[];
};

export const searchRoles = ['user', 'assistant'] as const;
export type SearchRole = (typeof searchRoles)[number];
export const searchPlaces = ['title', 'notes', 'messages'] as const;
export type SearchPlace = (typeof searchPlaces)[number];

export const SEARCH_OPERATORS = ['source', 'tag', 'before', 'after', 'role', 'in'] as const;
type OperatorName = (typeof SEARCH_OPERATORS)[number];

type Token = { kind: 'term'; term: SearchTerm } | { kind: 'or' } | { kind: 'operator'; name: OperatorName; value: string; negated: boolean; raw: string };

const OPERATOR_PATTERN = /^([a-z]+):(.*)$/isu;
const isOperatorName = (name: string): name is OperatorName => (SEARCH_OPERATORS as readonly string[]).includes(name);

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
    const start = i;
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
    const operator = OPERATOR_PATTERN.exec(text);
    const name = operator?.[1]!.toLowerCase() ?? '';
    if (operator && isOperatorName(name)) {
      let value = operator[2]!;
      if (value === '' && query[i] === '"') {
        // tag:"two words"
        const end = query.indexOf('"', i + 1);
        value = query.slice(i + 1, end === -1 ? query.length : end);
        i = end === -1 ? query.length : end + 1;
      }
      tokens.push({ kind: 'operator', name, value, negated, raw: query.slice(start, i) });
      continue;
    }
    if (!negated && text.toLowerCase() === 'or') tokens.push({ kind: 'or' });
    else tokens.push({ kind: 'term', term: { text, phrase: false, negated, prefix: false } });
  }
  return tokens;
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/u;

function readDate(value: string): Date | undefined {
  const m = DATE_PATTERN.exec(value);
  if (!m) return undefined;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  // 2025-02-30 would roll over to March: not a date.
  return date.toISOString().slice(0, 10) === value && Number(m[1]) >= 1 ? date : undefined;
}

/** A query read: its words and phrases, its operators, and what is wrong with any of them. */
export type ReadQuery = { terms: ParsedQuery; operators: SearchOperators; problems: string[] };

/**
 * Reads a query. Terms that hold no word (punctuation alone) are kept and simply match nothing. An
 * operator with a bad value is a problem naming it, never a silent word.
 */
export function readSearchQuery(query: string): ReadQuery {
  const all = tokenize(query);
  const operators: SearchOperators = { sources: [], tags: [], roles: [], places: [] };
  const problems: string[] = [];
  for (const token of all) {
    if (token.kind !== 'operator') continue;
    const { name, value, raw } = token;
    if (token.negated) {
      problems.push(`${raw}: an operator cannot be excluded (-${name}:…); leave out the minus, or quote it to search for the text`);
      continue;
    }
    if (value === '') {
      problems.push(`${raw} needs a value, as in ${OPERATOR_EXAMPLES[name]}`);
      continue;
    }
    switch (name) {
      case 'source':
        if (!operators.sources.includes(value)) operators.sources.push(value);
        break;
      case 'tag': {
        const tag = normaliseTagName(value);
        if (!tag || tag.length > TAG_LIMITS.tag) problems.push(`${raw}: a tag has 1 to ${TAG_LIMITS.tag} characters`);
        else if (!operators.tags.includes(tag)) operators.tags.push(tag);
        break;
      }
      case 'before':
      case 'after': {
        const date = readDate(value);
        if (!date) problems.push(`${raw} is not a date: write ${name}:2025-01-01 (year-month-day)`);
        else if (name === 'after') operators.after = operators.after && operators.after > date ? operators.after : date;
        else operators.before = operators.before && operators.before < date ? operators.before : date;
        break;
      }
      case 'role': {
        const role = value.toLowerCase();
        if (!(searchRoles as readonly string[]).includes(role)) problems.push(`${raw}: the role is ${searchRoles.join(' or ')}`);
        else if (!operators.roles.includes(role as SearchRole)) operators.roles.push(role as SearchRole);
        break;
      }
      case 'in': {
        const place = value.toLowerCase();
        if (!(searchPlaces as readonly string[]).includes(place)) problems.push(`${raw}: search in ${searchPlaces.join(', ')}`);
        else if (!operators.places.includes(place as SearchPlace)) operators.places.push(place as SearchPlace);
        break;
      }
    }
  }
  // Operators apply to the whole query: the words and `or`s are read as if they were not there.
  const tokens = all.filter((t): t is Exclude<Token, { kind: 'operator' }> => t.kind !== 'operator');
  const last = all[all.length - 1];
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
  return { terms: groups.filter((g) => g.length > 0), operators, problems };
}

const OPERATOR_EXAMPLES: Record<OperatorName, string> = {
  source: 'source:claude',
  tag: 'tag:work',
  before: 'before:2025-01-01',
  after: 'after:2024-06-01',
  role: 'role:user',
  in: 'in:title',
};

/** The words and phrases of a query, operators left out. */
export const parseSearchQuery = (query: string): ParsedQuery => readSearchQuery(query).terms;

/** Whether the query has an operator (a query of operators alone lists the logs they select). */
export const hasOperators = (operators: SearchOperators) =>
  operators.sources.length > 0 || operators.tags.length > 0 || operators.after !== undefined || operators.before !== undefined ||
  operators.roles.length > 0 || operators.places.length > 0;

export const countTerms = (parsed: ParsedQuery) => parsed.reduce((n, group) => n + group.length, 0);

const termQuery = (t: SearchTerm) => sql`chatsynth_term_query(${t.text}::text, ${t.prefix}::boolean)`;

const andQuery = (terms: SearchTerm[]) =>
  terms.length ? sql`(${sql.join(terms.map(termQuery), sql` && `)})` : sql`''::tsquery`;

const orQuery = (terms: SearchTerm[]) =>
  terms.length ? sql`(${sql.join(terms.map(termQuery), sql` || `)})` : sql`''::tsquery`;

/**
 * The tsquery of the positive terms, as SQL, each term a bind parameter: the `or` groups, or-ed. Empty
 * parts (punctuation, stop words alone) vanish: in PostgreSQL an empty tsquery is the identity of &&
 * and ||.
 */
export function tsqueryExpression(parsed: ParsedQuery): RawBuilder<unknown> {
  if (!parsed.length) return sql`''::tsquery`;
  return sql`(${sql.join(parsed.map((group) => andQuery(group.filter((t) => !t.negated))), sql` || `)})`;
}

/**
 * Each `or` group as the candidates function reads it: its positive terms (all in one row) and its
 * exclusions (any of them anywhere in a log takes the log out of that group's matches).
 */
export function groupQueries(parsed: ParsedQuery): { groups: RawBuilder<unknown>; exclusions: RawBuilder<unknown> } {
  if (!parsed.length) return { groups: sql`'{}'::tsquery[]`, exclusions: sql`'{}'::tsquery[]` };
  return {
    groups: sql`array[${sql.join(parsed.map((g) => andQuery(g.filter((t) => !t.negated))))}]::tsquery[]`,
    // null where a group excludes nothing: an empty tsquery would raise a NOTICE at every use.
    exclusions: sql`array[${sql.join(parsed.map((g) => (g.some((t) => t.negated) ? orQuery(g.filter((t) => t.negated)) : sql`null::tsquery`)))}]::tsquery[]`,
  };
}

/** The or-ed exclusions of every group: for a query of operators alone, which logs to leave out. */
export const exclusionQuery = (parsed: ParsedQuery) => orQuery(parsed.flat().filter((t) => t.negated));

type InputFilters = { source?: string; tags?: string[]; from?: Date; to?: Date; role?: SearchRole };

/** The filters of a search: the input's and the operators', all of which must hold. */
export type SearchFilters = { source?: string; tags?: string[]; from?: Date; to?: Date; before?: Date; role?: SearchRole; places?: SearchPlace[] };

/**
 * The input's filters and the query's operators together, or null when they cannot all hold (two
 * sources, two roles): nothing then matches, which is an empty result, not an error.
 */
export function combineFilters(input: InputFilters, operators: SearchOperators): SearchFilters | null {
  const sources = new Set([...(input.source === undefined ? [] : [input.source]), ...operators.sources]);
  const roles = new Set([...(input.role === undefined ? [] : [input.role]), ...operators.roles]);
  if (sources.size > 1 || roles.size > 1) return null;
  const tags = [...new Set([...(input.tags ?? []), ...operators.tags])];
  const from = input.from && operators.after ? (input.from > operators.after ? input.from : operators.after) : (input.from ?? operators.after);
  return {
    source: [...sources][0],
    tags: tags.length ? tags : undefined,
    from,
    to: input.to,
    before: operators.before,
    role: [...roles][0],
    places: operators.places.length ? operators.places : undefined,
  };
}
