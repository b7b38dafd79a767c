import { useEffect, useRef } from 'react';
import { findWordMatches, queryWords } from './query-highlight';

const HIGHLIGHT = 'search-terms';
/** Notes and tags load after the messages and push them down: keep the target in view meanwhile. */
const SETTLE_MS = 1500;

/** Text in a message that is not the message's: a code block's language and Copy button, a chip's kind. */
const CHROME = 'button, figcaption, .md-chip-kind';

/**
 * A chat log opened from a search hit (`?m=<messageIndex>&q=<query>`): the message is scrolled into
 * view and focused, and the query's words are highlighted in every message shown. The words use the
 * CSS Custom Highlight API, which paints ranges without touching the DOM, so the annotated text the
 * chat page renders (and its selection offsets) stays exactly as it is.
 *
 * The conversation is virtualised, so the target may not be in the DOM yet: `reveal` asks the list
 * to scroll to it (and render it); the list marks the row (`data-search-target`) itself, so the mark
 * survives the row being rendered again.
 */
export function useSearchTarget(messageIndex: number | null, query: string, reveal: (index: number) => void) {
  const latestReveal = useRef(reveal);
  useEffect(() => {
    latestReveal.current = reveal;
  });

  useEffect(() => {
    if (messageIndex === null) return;
    let focused = false;
    const align = () => {
      const target = document.querySelector<HTMLElement>(`.conversation > [data-index="${messageIndex}"]`);
      if (!target) {
        latestReveal.current(messageIndex);
        return;
      }
      target.scrollIntoView({ block: 'center' });
      if (!focused) {
        focused = true;
        target.focus({ preventScroll: true });
      }
    };
    align();

    let settled = false;
    const settle = () => {
      settled = true;
      observer.disconnect();
    };
    const observer = new MutationObserver(() => {
      if (!settled) requestAnimationFrame(align);
    });
    observer.observe(document.querySelector('#main') ?? document.body, { childList: true, subtree: true });
    const timer = window.setTimeout(settle, SETTLE_MS);
    const events = ['wheel', 'touchstart', 'keydown', 'mousedown'] as const;
    for (const name of events) window.addEventListener(name, settle, { once: true, passive: true });
    return () => {
      settle();
      window.clearTimeout(timer);
      for (const name of events) window.removeEventListener(name, settle);
    };
  }, [messageIndex]);

  useEffect(() => {
    const words = queryWords(query);
    const conversation = document.querySelector('.conversation');
    if (!words.length || !conversation || typeof Highlight === 'undefined' || !('highlights' in CSS)) return;
    let frame = 0;
    const paint = () => {
      frame = 0;
      const ranges: Range[] = [];
      for (const body of conversation.querySelectorAll('.message-body')) {
        const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (node.parentElement?.closest(CHROME)) continue;
          for (const { start, end } of findWordMatches(node.nodeValue ?? '', words)) {
            const range = new Range();
            range.setStart(node, start);
            range.setEnd(node, end);
            ranges.push(range);
          }
        }
      }
      CSS.highlights.set(HIGHLIGHT, new Highlight(...ranges));
    };
    paint();
    // Re-rendered text (a note added, rows rendered as the list scrolls) is new nodes: paint again.
    const observer = new MutationObserver(() => {
      if (!frame) frame = requestAnimationFrame(paint);
    });
    observer.observe(conversation, { childList: true, subtree: true, characterData: true });
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
      CSS.highlights.delete(HIGHLIGHT);
    };
  }, [query]);
}
