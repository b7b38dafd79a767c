import { sql } from 'kysely';
import { query } from '@chatsynth/db';
import type { OwnerCtx } from './scope';
import { parseSearchQuery } from './search-query';

/**
 * "Did you mean …": when a search finds little, the words of the query that the caller never wrote are
 * replaced by the closest words they did write. The vocabulary is the caller's own
 * (chatlog_search_words, kept by triggers beside the search index: search-vocabulary migration), so a
 * suggestion never shows another account's words.
 */

export type SearchSuggestion = {
  /** The whole query with the replacements made, ready to search. */
  query: string;
  /** Each replaced word: as typed (`from`), and the caller's word put in its place (`to`). */
  words: { from: string; to: string }[];
};

/** Suggestions are computed only when a search finds fewer hits than this (all on its first page). */
export const SUGGEST_BELOW_HITS = 3;
/** At most this many suggestions, best first. */
export const MAX_SUGGESTIONS = 3;
/** Shorter words are left alone: one letter off a two-letter word is another word altogether. */
export const MIN_SUGGESTED_WORD_LENGTH = 3;
/**
 * A word is replaced by one of the caller's words within this many edits (a letter added, dropped,
 * changed, or two neighbours swapped): one for words of up to 5 letters, two for longer ones. The
 * candidates are every word one edit away (looked up by key, which trigrams would miss in short words:
 * "rsut" shares one trigram with "rust"), and the SIMILAR_CANDIDATES words most similar by pg_trgm,
 * with a similarity of at least 0.2 (chatsynth_search_similar_words), for the second edit.
 */
export const maxEdits = (length: number) => (length <= 5 ? 1 : 2);
export const SIMILAR_CANDIDATES = 30;
/** As chatsynth_search_similar_words (search-vocabulary migration) sets pg_trgm.similarity_threshold. */
export const MIN_TRIGRAM_SIMILARITY = 0.2;
/** At most this many unknown words are looked up per query: a query is a search, not a document. */
const MAX_UNKNOWN_WORDS = 6;

/** Optimal string alignment distance: Levenshtein plus the swap of two neighbours, the commonest typo. */
export function editDistance(a: string, b: string): number {
  const s = [...a];
  const t = [...b];
  const d = Array.from({ length: s.length + 1 }, (_, i) => Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= s.length; i += 1) {
    for (let j = 1; j <= t.length; j += 1) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[s.length]![t.length]!;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';

/** Every string one edit away from the word, its own letters and a-z used to change or add one. */
export function oneEditAway(word: string): string[] {
  const s = [...word];
  const letters = [...new Set([...ALPHABET, ...s])];
  const out = new Set<string>();
  for (let i = 0; i <= s.length; i += 1) {
    const head = s.slice(0, i).join('');
    const tail = s.slice(i);
    for (const l of letters) out.add(head + l + tail.join(''));
    if (i < s.length) {
      out.add(head + tail.slice(1).join(''));
      for (const l of letters) out.add(head + l + tail.slice(1).join(''));
      if (i + 1 < s.length) out.add(head + tail[1] + tail[0] + tail.slice(2).join(''));
    }
  }
  out.delete(word);
  return [...out];
}

/** A search operator (`source:claude`): not a word, never corrected. */
const isOperator = (text: string) => /^[\p{L}_]+:/u.test(text);

/** The word inside a term, without the punctuation around it (`pyhton,` -> `pyhton`), when it is letters only. */
function wordOf(text: string): string | null {
  const core = text.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  return core.length >= MIN_SUGGESTED_WORD_LENGTH && /^\p{L}+$/u.test(core) ? core : null;
}

/**
 * The query with some words replaced, token by token as search-query.ts reads it: phrases and
 * excluded words are left as they are, the punctuation around a word kept.
 */
function rewrite(queryText: string, replacements: Map<string, string>): string {
  let out = '';
  let i = 0;
  while (i < queryText.length) {
    const c = queryText[i]!;
    if (/\s/u.test(c)) {
      out += c;
      i += 1;
      continue;
    }
    if (c === '"') {
      const end = queryText.indexOf('"', i + 1);
      const stop = end === -1 ? queryText.length : end + 1;
      out += queryText.slice(i, stop);
      i = stop;
      continue;
    }
    let j = i;
    while (j < queryText.length && !/\s/u.test(queryText[j]!) && queryText[j] !== '"') j += 1;
    const token = queryText.slice(i, j);
    const word = token.startsWith('-') || isOperator(token) ? null : wordOf(token);
    const to = word === null ? undefined : replacements.get(word);
    out += to === undefined || word === null ? token : token.replace(word, to);
    i = j;
  }
  return out.trim();
}

type Candidate = { word: string; count: number; similarity: number; edits: number };

/**
 * Up to MAX_SUGGESTIONS rewritten queries, best first, or none when every word of the query is one the
 * caller has written (or has no close enough replacement). Only plain words are considered: phrases,
 * excluded words and operators are left alone; the word being typed (a prefix) counts as known when
 * one of the caller's words starts with it.
 */
export async function suggestSearches(ctx: OwnerCtx, queryText: string): Promise<SearchSuggestion[]> {
  const parsed = parseSearchQuery(queryText);
  const typed = new Map<string, boolean>(); // word as typed -> matches as a prefix
  for (const term of parsed.flat()) {
    if (term.negated || term.phrase || isOperator(term.text)) continue;
    const word = wordOf(term.text);
    if (word !== null) typed.set(word, (typed.get(word) ?? false) || term.prefix);
  }
  if (!typed.size) return [];
  const db = query(ctx.em);

  // The words as the vocabulary holds them: lower-cased and accent-folded by the same configuration.
  const asTyped = [...typed.keys()];
  const normalised = await sql<{ typed: string; lexemes: string[] }>`
    select t as typed, tsvector_to_array(to_tsvector('chatsynth_simple'::regconfig, t)) as lexemes
    from unnest(${asTyped}::text[]) as t`.execute(db);
  const lexemeOf = new Map(normalised.rows.filter((r) => r.lexemes.length === 1).map((r) => [r.typed, r.lexemes[0]!]));
  const lexemes = [...new Set(lexemeOf.values())];
  if (!lexemes.length) return [];

  const known = new Set(
    (
      await sql<{ word: string }>`
        select word from chatlog_search_words where user_id = ${ctx.userId}::uuid and word = any (${lexemes}::text[])`.execute(db)
    ).rows.map((r) => r.word),
  );
  const unknown: string[] = [];
  for (const [word, prefix] of typed) {
    const lexeme = lexemeOf.get(word);
    if (lexeme === undefined || known.has(lexeme)) continue;
    if (prefix) {
      const pattern = `${lexeme.replace(/[\\%_]/g, '\\$&')}%`;
      const started = await sql<{ one: number }>`
        select 1 as one from chatlog_search_words where user_id = ${ctx.userId}::uuid and word like ${pattern} limit 1`.execute(db);
      if (started.rows.length) continue;
    }
    unknown.push(word);
    if (unknown.length >= MAX_UNKNOWN_WORDS) break;
  }
  if (!unknown.length) return [];

  // Each unknown word's replacements, fewest edits first, then the caller's most used word.
  const alternatives = new Map<string, Candidate[]>();
  for (const word of unknown) {
    const lexeme = lexemeOf.get(word)!;
    const near = oneEditAway(lexeme);
    const rows = await sql<{ word: string; count: number; similarity: number }>`
      select word, count, similarity from chatsynth_search_similar_words(${ctx.userId}::uuid, ${lexeme}::text, ${SIMILAR_CANDIDATES}::integer)
      union
      select word, count, similarity(word, ${lexeme}::text) from chatlog_search_words
      where user_id = ${ctx.userId}::uuid and word = any (${near}::text[])`.execute(db);
    const limit = maxEdits([...lexeme].length);
    const close = rows.rows
      .map((r) => ({ ...r, edits: editDistance(lexeme, r.word) }))
      .filter((c) => c.edits <= limit && c.word !== lexeme)
      .sort((a, b) => a.edits - b.edits || b.count - a.count || b.similarity - a.similarity || (a.word < b.word ? -1 : 1))
      .slice(0, MAX_SUGGESTIONS);
    if (close.length) alternatives.set(word, close);
  }
  if (!alternatives.size) return [];

  // The best replacement of every word first; then, one word at a time, its next best.
  const best = new Map([...alternatives].map(([word, list]) => [word, list[0]!.word]));
  const choices: Map<string, string>[] = [best];
  for (let rank = 1; rank < MAX_SUGGESTIONS; rank += 1) {
    for (const [word, list] of alternatives) {
      const next = list[rank];
      if (next) choices.push(new Map([...best, [word, next.word]]));
    }
  }
  const seen = new Set<string>();
  const suggestions: SearchSuggestion[] = [];
  for (const replacements of choices) {
    const rewritten = rewrite(queryText, replacements);
    if (seen.has(rewritten)) continue;
    seen.add(rewritten);
    suggestions.push({ query: rewritten, words: [...replacements].map(([from, to]) => ({ from, to })) });
    if (suggestions.length >= MAX_SUGGESTIONS) break;
  }
  return suggestions;
}
