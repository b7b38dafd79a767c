// A synthetic library for the search benchmark: conversations whose words follow a Zipf distribution
// over a pseudo-word vocabulary (so the most common words are in nearly every message, as "the" would
// be if English stop words were indexed), plus marker words and phrases planted at known frequencies.

/** mulberry32: small, fast and seeded, so every run searches the same library. */
export function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ONSETS = ['b', 'c', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'w', 'z', 'br', 'st', 'tr', 'pl', 'gr', 'sh'];
const NUCLEI = ['a', 'e', 'i', 'o', 'u', 'ai', 'ou', 'ea'];
const CODAS = ['', '', '', 'n', 'r', 'l', 's', 'm', 'x', 'nd', 'rt'];

export type Corpus = {
  /** Vocabulary in rank order: vocabulary[0] is the most common word. */
  vocabulary: string[];
  /** Words planted in exactly `rarePerWord` messages each. */
  rareWords: string[];
  rarePerWord: number;
  /** Two-word phrases planted, words adjacent, in `phrasePerPair` messages each. */
  phrases: Array<[string, string]>;
  phrasePerPair: number;
};

export function buildCorpus(size = 20_000, seed = 42): Corpus {
  const next = random(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const seen = new Set<string>();
  const word = (syllables: number) => {
    for (;;) {
      let w = '';
      for (let i = 0; i < syllables; i++) w += pick(ONSETS) + pick(NUCLEI) + (i === syllables - 1 ? pick(CODAS) : '');
      if (!seen.has(w)) {
        seen.add(w);
        return w;
      }
    }
  };
  // Common words are short, as in natural languages.
  const vocabulary = Array.from({ length: size }, (_, rank) => word(rank < 200 ? 1 + Math.floor(next() * 2) : 2 + Math.floor(next() * 3)));
  const rareWords = Array.from({ length: 60 }, () => `q${word(3)}`);
  const phrases = Array.from({ length: 30 }, () => [`v${word(2)}`, `k${word(2)}`] as [string, string]);
  return { vocabulary, rareWords, rarePerWord: 20, phrases, phrasePerPair: 300 };
}

/** Samples ranks 0..n-1 with probability proportional to 1 / (rank + 1)^s. */
function zipfSampler(n: number, s: number, next: () => number) {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += 1 / Math.pow(i + 1, s);
    cdf[i] = total;
  }
  return () => {
    const x = next() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export type GeneratedConversation = {
  title: string;
  summary: string | null;
  startedAt: Date;
  messages: Array<{ role: 'user' | 'assistant'; content: string; createdAt: string }>;
};

/**
 * `count` conversations of `perConversation` messages. Marker words and phrases go into messages
 * chosen up front, so their frequencies are exact.
 */
export function* generateConversations(corpus: Corpus, count: number, perConversation: number, seed = 7): Generator<GeneratedConversation> {
  const next = random(seed);
  const zipf = zipfSampler(corpus.vocabulary.length, 1.0, next);
  const totalMessages = count * perConversation;
  const planted = new Map<number, string[]>();
  const plant = (text: string, times: number) => {
    for (let i = 0; i < times; i++) {
      const at = Math.floor(next() * totalMessages);
      planted.set(at, [...(planted.get(at) ?? []), text]);
    }
  };
  for (const w of corpus.rareWords) plant(w, corpus.rarePerWord);
  for (const [a, b] of corpus.phrases) plant(`${a} ${b}`, corpus.phrasePerPair);

  const words = (n: number) => {
    const out: string[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = corpus.vocabulary[zipf()]!;
    return out;
  };
  const start = Date.UTC(2023, 0, 1);
  const span = 3 * 365 * 24 * 3600 * 1000;
  let messageNo = 0;
  for (let c = 0; c < count; c++) {
    // Later conversations are more recent, as in a library that grows.
    const startedAt = new Date(start + Math.floor(((c + next()) / count) * span));
    const messages: GeneratedConversation['messages'] = [];
    for (let m = 0; m < perConversation; m++) {
      const role = m % 2 === 0 ? 'user' : 'assistant';
      const body = words(role === 'user' ? 6 + Math.floor(next() * 15) : 20 + Math.floor(next() * 41));
      for (const text of planted.get(messageNo) ?? []) body.splice(Math.floor(next() * body.length), 0, text);
      messageNo += 1;
      const sentence = body.join(' ');
      messages.push({
        role,
        content: sentence.charAt(0).toUpperCase() + sentence.slice(1) + '.',
        createdAt: new Date(startedAt.getTime() + m * 60_000).toISOString(),
      });
    }
    const title = words(3 + Math.floor(next() * 5)).join(' ');
    yield {
      title: title.charAt(0).toUpperCase() + title.slice(1),
      summary: next() < 0.3 ? words(12).join(' ') : null,
      startedAt,
      messages,
    };
  }
}
