/** About a second: an optimistic removal shows within a few frames, or not at all (it failed at once). */
const MAX_FRAMES = 60;

/**
 * After a row leaves a list with the button that removed it, focus moves to the same button of the row
 * that took its place (or the last one), else to `fallback`, instead of falling to the page's start.
 * It waits, a frame at a time, for `removed` to leave the page: the list re-renders a moment later.
 */
export function focusAfterRemoval(removed: HTMLElement, buttonSelector: string, index: number, fallback: () => HTMLElement | null) {
  let frames = 0;
  const step = () => {
    if (removed.isConnected) {
      if (++frames < MAX_FRAMES) requestAnimationFrame(step);
      return;
    }
    // Only if nothing else took the focus meanwhile.
    if (document.activeElement && document.activeElement !== document.body) return;
    const buttons = document.querySelectorAll<HTMLElement>(buttonSelector);
    (buttons[Math.min(index, buttons.length - 1)] ?? fallback())?.focus();
  };
  requestAnimationFrame(step);
}
