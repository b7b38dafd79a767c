import type { Message } from '../schemas/chat-log';
import { canonicalJson } from './canonical-json';

export type MessageChange =
  | { op: 'added'; index: number; after: Message }
  | { op: 'removed'; index: number; before: Message }
  | { op: 'changed'; index: number; before: Message; after: Message };

/** Beyond this many insertions plus removals the alignment gives up on a minimal edit script. */
const MAX_EDIT_DISTANCE = 2_000;
/** Gaps between aligned messages larger than this (removed x added) are paired by position. */
const MAX_GAP_CELLS = 10_000;
/** How much of each end of two texts the similarity looks at. */
const SIMILARITY_WINDOW = 1_000;

/**
 * The message-by-message difference between two versions. Messages are aligned by a longest common
 * subsequence over their identity (the platform's id when there is one, else the whole message), so a
 * message inserted in the middle is one 'added' rather than a cascade of 'changed'. Between aligned
 * messages, removed and added ones of the same role are paired as 'changed' (an edit), preferring
 * pairs whose texts share more of their beginning and end.
 *
 * `index` is the position in `to` for 'added' and 'changed', in `from` for 'removed'.
 */
export function diffMessages(from: readonly Message[], to: readonly Message[]): MessageChange[] {
  const keys = new Map<string, number>();
  const keyOf = (m: Message) => {
    const key = typeof m.id === 'string' ? `id:${m.id}` : `m:${canonicalJson(m)}`;
    let n = keys.get(key);
    if (n === undefined) keys.set(key, (n = keys.size));
    return n;
  };
  const a = from.map(keyOf);
  const b = to.map(keyOf);

  // Most edits touch a few messages: trimming the common ends keeps the search small.
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  ) {
    suffix++;
  }
  const middle = commonSubsequence(a.slice(prefix, a.length - suffix), b.slice(prefix, b.length - suffix));

  const anchors: Array<[number, number]> = [];
  for (let i = 0; i < prefix; i++) anchors.push([i, i]);
  // With too many differences to align exactly, the middle is one gap, paired by position.
  for (const [i, j] of middle ?? []) anchors.push([prefix + i, prefix + j]);
  for (let s = suffix; s > 0; s--) anchors.push([a.length - s, b.length - s]);

  const changes: MessageChange[] = [];
  let i = 0;
  let j = 0;
  for (const [ai, bj] of [...anchors, [a.length, b.length] as [number, number]]) {
    changes.push(...diffGap(from, to, i, ai, j, bj));
    if (ai < a.length && bj < b.length) {
      // Aligned by id, the message itself may still have been edited.
      const before = from[ai]!;
      const after = to[bj]!;
      if (canonicalJson(before) !== canonicalJson(after)) changes.push({ op: 'changed', index: bj, before, after });
    }
    i = ai + 1;
    j = bj + 1;
  }
  return changes;
}

/** Pairs the removed messages from[i0, i1) with the added ones to[j0, j1), in order. */
function diffGap(
  from: readonly Message[],
  to: readonly Message[],
  i0: number,
  i1: number,
  j0: number,
  j1: number,
): MessageChange[] {
  const k = i1 - i0;
  const m = j1 - j0;
  const steps: Array<'pair' | 'remove' | 'add'> = [];
  if (k * m > MAX_GAP_CELLS) {
    for (let n = 0; n < Math.max(k, m); n++) {
      if (n < k && n < m && similarity(from[i0 + n]!, to[j0 + n]!) > 0) steps.push('pair');
      else {
        if (n < k) steps.push('remove');
        if (n < m) steps.push('add');
      }
    }
  } else {
    // Best-scoring monotone pairing (a weighted LCS) over the gap.
    const width = m + 1;
    const score = new Float64Array((k + 1) * width);
    for (let r = 1; r <= k; r++) {
      for (let c = 1; c <= m; c++) {
        const sim = similarity(from[i0 + r - 1]!, to[j0 + c - 1]!);
        score[r * width + c] = Math.max(
          score[(r - 1) * width + c]!,
          score[r * width + c - 1]!,
          sim > 0 ? score[(r - 1) * width + c - 1]! + sim : 0,
        );
      }
    }
    let r = k;
    let c = m;
    while (r > 0 || c > 0) {
      const here = score[r * width + c]!;
      if (r > 0 && c > 0) {
        const sim = similarity(from[i0 + r - 1]!, to[j0 + c - 1]!);
        if (sim > 0 && here === score[(r - 1) * width + c - 1]! + sim) {
          steps.push('pair');
          r--;
          c--;
          continue;
        }
      }
      if (c > 0 && (r === 0 || here === score[r * width + c - 1]!)) {
        steps.push('add');
        c--;
      } else {
        steps.push('remove');
        r--;
      }
    }
    steps.reverse();
  }

  const changes: MessageChange[] = [];
  let i = i0;
  let j = j0;
  for (const step of steps) {
    if (step === 'pair') changes.push({ op: 'changed', index: j, before: from[i++]!, after: to[j++]! });
    else if (step === 'remove') changes.push({ op: 'removed', index: i, before: from[i++]! });
    else changes.push({ op: 'added', index: j, after: to[j++]! });
  }
  return changes;
}

/**
 * 0 when two messages cannot be one edited message (other role, or other platform ids), else a score in
 * (1, 2]: 1 plus how much of their texts' beginning and end they share.
 */
function similarity(before: Message, after: Message): number {
  if (before.role !== after.role) return 0;
  if (typeof before.id === 'string' && typeof after.id === 'string' && before.id !== after.id) return 0;
  const x = before.content;
  const y = after.content;
  const longest = Math.max(x.length, y.length);
  if (longest === 0) return 2;
  const limit = Math.min(x.length, y.length, SIMILARITY_WINDOW);
  let head = 0;
  while (head < limit && x[head] === y[head]) head++;
  let tail = 0;
  while (tail < limit - head && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail++;
  return 1 + Math.min(1, (head + tail) / Math.min(longest, 2 * SIMILARITY_WINDOW));
}

/**
 * Index pairs of a longest common subsequence of `a` and `b` (Myers' O((N+M)D) algorithm), or null
 * when they differ by more than MAX_EDIT_DISTANCE insertions and removals.
 */
function commonSubsequence(a: readonly number[], b: readonly number[]): Array<[number, number]> | null {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return [];
  const maxD = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = maxD + 1;
  const v = new Int32Array(2 * offset + 1);
  // trace[d] holds v[-d-1 .. d+1] as it was before step d.
  const trace: Int32Array[] = [];
  let found = -1;
  search: for (let d = 0; d <= maxD; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break search;
      }
    }
  }
  if (found < 0) return null;

  const pairs: Array<[number, number]> = [];
  let x = n;
  let y = m;
  for (let d = found; d >= 0; d--) {
    const snapshot = trace[d]!;
    const at = (k: number) => snapshot[k + d + 1]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      pairs.push([x, y]);
    }
    x = prevX;
    y = prevY;
  }
  return pairs.reverse();
}
