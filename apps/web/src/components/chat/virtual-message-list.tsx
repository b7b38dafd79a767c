import './chat.css';
import { useCallback, useEffect, useImperativeHandle, useLayoutEffect, useRef, useState, type ComponentProps, type ReactNode, type Ref } from 'react';
import { defaultRangeExtractor, useWindowVirtualizer, type Range } from '@tanstack/react-virtual';
import { isTyping } from '../../lib/keyboard';
import { useSearchTarget } from '../../lib/use-search-target';

export type MessageListHandle = {
  /** Scrolls message `index` into view (rendering it first) and, unless told otherwise, focuses it. */
  goTo: (index: number, options?: { focus?: boolean; align?: 'auto' | 'center' | 'start' }) => void;
};

/** What the list gives each row's `<li>`: its position for the virtualiser and for screen readers. */
export type MessageItemProps = ComponentProps<'li'> & { 'data-index': number; 'data-search-target'?: 'true' };

/** Rows rendered beyond the screen on each side, so a short scroll or j/k shows rows already laid out. */
const OVERSCAN = 6;
/**
 * Up to this many messages every row is rendered (and measured, and placed like the others): most
 * conversations are this short, render in a few hundred milliseconds at most, and then the
 * browser's find (Ctrl+F) sees all of them.
 */
const RENDER_ALL_UP_TO = 100;
/** Frames to wait for a row to mount after asking the virtualiser to scroll to it. */
const MOUNT_FRAMES = 60;

/**
 * The conversation as a virtualised `<ol>`: only the messages near the screen are in the DOM (a
 * 5,000-message log keeps a few dozen), each measured once rendered, the window scrolling as
 * before. For assistive technology every `<li>` says where it sits (aria-posinset of
 * aria-setsize). Rows that hold the focus, a note being written, a selection or the search target
 * stay mounted however far one scrolls (`pinned`), so nothing typed or selected is lost.
 *
 * A known limit of virtualising: in a log longer than RENDER_ALL_UP_TO messages the browser's find
 * (Ctrl+F) sees only the rendered ones. The app's search (the sidebar field, `/`) finds every
 * message and opens the log at it.
 *
 * Keyboard: `j` and `k` move the focus to the next and previous message, scrolling it into view
 * (the virtualiser renders it first); ignored while typing in a field or with a modifier key.
 */
export function VirtualMessageList(props: {
  count: number;
  estimateSize: (index: number) => number;
  pinned: readonly (number | null | undefined)[];
  target: number | null;
  query: string;
  renderItem: (index: number, item: MessageItemProps) => ReactNode;
  handleRef?: Ref<MessageListHandle>;
}) {
  const { count, estimateSize, pinned, target, query, renderItem, handleRef } = props;
  const listRef = useRef<HTMLOListElement | null>(null);
  const [layout, setLayout] = useState({ scrollMargin: 0, gap: 0 });
  const [focused, setFocused] = useState<number | null>(null);
  // The message j/k last went to, before its row has mounted and taken the focus: presses quicker
  // than a frame each move one further.
  const heading = useRef<number | null>(null);

  const keep = [...new Set([...pinned, focused, target].filter((i): i is number => typeof i === 'number' && i >= 0 && i < count))].sort((a, b) => a - b);
  const keepKey = keep.join(',');
  // A new function when the pinned rows change, so the virtualiser recomputes which rows to render.
  const rangeExtractor = useCallback(
    (range: Range) => {
      const rows = defaultRangeExtractor(range);
      const extra = keepKey ? keepKey.split(',').map(Number).filter((i) => !rows.includes(i)) : [];
      return extra.length ? [...rows, ...extra].sort((a, b) => a - b) : rows;
    },
    [keepKey],
  );

  const virtualizer = useWindowVirtualizer<HTMLLIElement>({
    count,
    estimateSize,
    overscan: count <= RENDER_ALL_UP_TO ? count : OVERSCAN,
    scrollMargin: layout.scrollMargin,
    gap: layout.gap,
    rangeExtractor,
    initialRect: typeof window === 'undefined' ? undefined : { width: window.innerWidth, height: window.innerHeight },
    // Positions and the list's height are written to the DOM by the virtualiser; React renders
    // again only when the set of rows changes, not on every scrolled pixel.
    directDomUpdates: true,
    directDomUpdatesMode: 'position',
  });

  // Where the list starts in the page (the header, notes and versions above it change height) and
  // the gap between messages, from the stylesheet.
  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list) return;
    const measure = () => {
      const scrollMargin = Math.round(list.getBoundingClientRect().top + window.scrollY);
      const gap = Number.parseFloat(getComputedStyle(list).rowGap) || 0;
      setLayout((old) => (Math.abs(old.scrollMargin - scrollMargin) < 1 && old.gap === gap ? old : { scrollMargin, gap }));
    };
    measure();
    const observer = new ResizeObserver(measure);
    const page = list.closest('article') ?? document.body;
    observer.observe(page);
    for (const child of page.children) if (!child.contains(list)) observer.observe(child);
    return () => observer.disconnect();
  }, []);

  const goTo = useCallback<MessageListHandle['goTo']>(
    (index, { focus = true, align = 'auto' } = {}) => {
      if (index < 0 || index >= count) return;
      if (focus) {
        heading.current = index;
        setFocused(index);
      }
      virtualizer.scrollToIndex(index, { align });
      let frames = 0;
      const settle = () => {
        const row = listRef.current?.querySelector<HTMLElement>(`:scope > [data-index="${index}"]`);
        if (!row) {
          if (++frames < MOUNT_FRAMES) requestAnimationFrame(settle);
          return;
        }
        // The row's real height may differ from the estimate the scroll was computed with.
        row.scrollIntoView({ block: align === 'center' ? 'center' : 'nearest' });
        if (focus) row.focus({ preventScroll: true });
      };
      requestAnimationFrame(settle);
    },
    [count, virtualizer],
  );
  useImperativeHandle(handleRef, () => ({ goTo }), [goTo]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'j' && event.key !== 'k') return;
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      if (document.querySelector('dialog[open]')) return;
      const list = listRef.current;
      if (!list || !count) return;
      event.preventDefault();
      const row = document.activeElement instanceof HTMLElement ? document.activeElement.closest<HTMLElement>('.conversation > [data-index]') : null;
      const at = heading.current ?? (row && list.contains(row) ? Number(row.dataset.index) : null);
      let next: number;
      if (at !== null) {
        next = event.key === 'j' ? Math.min(at + 1, count - 1) : Math.max(at - 1, 0);
      } else {
        // Not on a message yet: start at the first one on the screen.
        const top = virtualizer.scrollOffset ?? window.scrollY;
        next = virtualizer.getVirtualItems().find((item) => item.end > top)?.index ?? 0;
      }
      goTo(next);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [count, goTo, virtualizer]);

  const reveal = useCallback((index: number) => virtualizer.scrollToIndex(index, { align: 'center' }), [virtualizer]);
  useSearchTarget(target !== null && target < count ? target : null, query, reveal);

  const setListRef = useCallback(
    (node: HTMLOListElement | null) => {
      listRef.current = node;
      virtualizer.containerRef(node);
    },
    [virtualizer],
  );

  return (
    <ol
      ref={setListRef}
      className="conversation virtual"
      onFocus={(event) => {
        const row = (event.target as HTMLElement).closest<HTMLElement>('.conversation > [data-index]');
        if (!row) return;
        heading.current = Number(row.dataset.index);
        setFocused(heading.current);
      }}
      onBlur={(event) => {
        if (event.currentTarget.contains(event.relatedTarget as Node | null)) return;
        heading.current = null;
        setFocused(null);
      }}
    >
      {virtualizer.getVirtualItems().map((item) =>
        renderItem(item.index, {
          ref: virtualizer.measureElement,
          'data-index': item.index,
          'aria-setsize': count,
          'aria-posinset': item.index + 1,
          tabIndex: -1,
          'data-search-target': item.index === target ? 'true' : undefined,
        }),
      )}
    </ol>
  );
}
