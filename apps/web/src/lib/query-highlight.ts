/**
 * A small client-side echo of the server's search, to highlight a query's words in a chat log's
 * messages. It only needs to point the eye, not to agree with PostgreSQL to the letter: words are
 * matched case- and accent-insensitively at the start of a word, with a light English stemming
 * (ferry finds ferries) and the last word as a prefix, as the search does while one types.
 */
export type QueryWord = { stem: string; prefix: boolean };
export type TextRange = { start: number; end: number };

const LETTER = /[\p{L}\p{N}]/u;
/** A matched word may run this many letters past the query's stem: ferr|ies, search|ing. */
const SUFFIX_SLACK = 4;

export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function stem(word: string): string {
  if (word.length <= 4) return word;
  const stemmed = word.replace(/(?:ies|es|s|ed|ing|y)$/u, '');
  return stemmed.length >= 3 ? stemmed : word;
}

/**
 * The words to look for: quotes dropped (a phrase's words count one by one), `OR` and `-excluded`
 * words ignored, punctuation around words removed.
 */
export function queryWords(query: string): QueryWord[] {
  const tokens = query.replace(/["“”]/g, ' ').split(/\s+/).filter(Boolean);
  const endsOpen = /[^\s"“”]$/.test(query);
  const words: QueryWord[] = [];
  tokens.forEach((token, index) => {
    if (token === 'OR' || token.startsWith('-')) return;
    const isLast = index === tokens.length - 1;
    for (const part of fold(token).split(/[^\p{L}\p{N}]+/u)) {
      if (!part) continue;
      words.push({ stem: stem(part), prefix: isLast && endsOpen });
    }
  });
  // Longest first, so "cafeteria" wins over "cafe" where both start at the same letter.
  return words.sort((a, b) => b.stem.length - a.stem.length);
}

/** Folds the text one character at a time, remembering where each folded character came from. */
function foldWithMap(text: string): { folded: string; origin: number[] } {
  let folded = '';
  const origin: number[] = [];
  let index = 0;
  for (const char of text) {
    const f = fold(char);
    for (let k = 0; k < f.length; k += 1) origin.push(index);
    folded += f;
    index += char.length;
  }
  origin.push(text.length);
  return { folded, origin };
}

/** Where the query's words occur in a text, as ranges of the original (unfolded) text. */
export function findWordMatches(text: string, words: QueryWord[]): TextRange[] {
  if (!words.length || !text) return [];
  const { folded, origin } = foldWithMap(text);
  const ranges: TextRange[] = [];
  let at = 0;
  while (at < folded.length) {
    const startsWord = LETTER.test(folded[at]!) && (at === 0 || !LETTER.test(folded[at - 1]!));
    if (!startsWord) {
      at += 1;
      continue;
    }
    let end = at;
    while (end < folded.length && LETTER.test(folded[end]!)) end += 1;
    const word = folded.slice(at, end);
    const hit = words.find((w) => word.startsWith(w.stem) && (w.prefix || word.length - w.stem.length <= SUFFIX_SLACK));
    if (hit) ranges.push({ start: origin[at]!, end: origin[end]! });
    at = end;
  }
  return ranges;
}
