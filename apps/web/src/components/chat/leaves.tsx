import type { ReactNode } from 'react';
import type { Leaf } from '../../lib/markdown-pieces';

function leafSpan(leaf: Leaf, key: number, offsets: boolean): ReactNode {
  return (
    <span
      key={key}
      className={leaf.className}
      data-offset={offsets ? leaf.offset : undefined}
      // A piece that does not show its raw text as is (`&amp;` shown as `&`) says how long that raw text is.
      data-raw-length={offsets && !leaf.exact ? leaf.rawLength : undefined}
    >
      {leaf.text}
    </span>
  );
}

/**
 * Leaves as React text: each in a span carrying its raw offset, and consecutive leaves under the
 * same annotations wrapped in one `<mark>` (in code one mark spans several highlighted tokens).
 * `offsets` is off for text outside a message's annotatable content, such as a code part.
 */
export function renderLeaves(leaves: readonly Leaf[], offsets = true): ReactNode[] {
  const out: ReactNode[] = [];
  let i = 0;
  while (i < leaves.length) {
    const leaf = leaves[i]!;
    if (!leaf.marks.length) {
      out.push(leafSpan(leaf, i, offsets));
      i++;
      continue;
    }
    const ids = leaf.marks.join(' ');
    let j = i + 1;
    while (j < leaves.length && leaves[j]!.marks.join(' ') === ids) j++;
    if (j - i === 1 && !leaf.className && leaf.exact) {
      out.push(
        <mark key={i} className="annotation-mark" data-offset={leaf.offset} data-annotations={ids}>
          {leaf.text}
        </mark>,
      );
    } else {
      out.push(
        <mark key={i} className="annotation-mark" data-annotations={ids}>
          {leaves.slice(i, j).map((l, k) => leafSpan(l, i + k, offsets))}
        </mark>,
      );
    }
    i = j;
  }
  return out;
}
