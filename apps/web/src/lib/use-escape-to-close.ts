import { useEffect, useRef } from 'react';

type Entry = { close: () => void };

/** Open panels, the last opened last: one Escape closes the panel opened most recently. */
const open: Entry[] = [];

function onKeyDown(event: KeyboardEvent) {
  if (event.key !== 'Escape' || event.defaultPrevented || !open.length) return;
  // A modal <dialog> closes itself on Escape (and a field's own list, which prevents the default,
  // closes first): the panel under it stays.
  if (document.querySelector('dialog[open]')) return;
  event.preventDefault();
  open[open.length - 1]!.close();
}

/**
 * Escape closes this panel while it is `open`. Panels on a page register here rather than each
 * listening to the keyboard, so one key press closes one panel: the innermost, most recent one.
 */
export function useEscapeToClose(isOpen: boolean, close: () => void) {
  const latest = useRef(close);
  useEffect(() => {
    latest.current = close;
  });
  useEffect(() => {
    if (!isOpen) return;
    const entry: Entry = { close: () => latest.current() };
    open.push(entry);
    if (open.length === 1) document.addEventListener('keydown', onKeyDown);
    return () => {
      open.splice(open.indexOf(entry), 1);
      if (!open.length) document.removeEventListener('keydown', onKeyDown);
    };
  }, [isOpen]);
}
