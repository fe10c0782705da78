// The tray keeps the live runs pinned on top (a sticky card whose height grows with what it
// says). A card opened in the list is scrolled so its top sits just under that card: a fixed
// scroll-margin left the top of a result hidden under a tall pinned card (a long failure reason).

/** Scrolls the tray so `element`'s top is just below the pinned card (or at the top, without one). */
export function scrollBelowPinned(element: HTMLElement | null): void {
  if (!element) return;
  const scroller = element.closest<HTMLElement>('.tray');
  if (!scroller) {
    element.scrollIntoView({ block: 'nearest' });
    return;
  }
  const pinned = scroller.querySelector<HTMLElement>(':scope > .pinned');
  const line = (pinned ? pinned.getBoundingClientRect().bottom : Math.max(0, scroller.getBoundingClientRect().top)) + 8;
  const by = element.getBoundingClientRect().top - line;
  // The tray scrolls itself when its height is bounded (the app's layout), else the page does.
  if (scroller.scrollHeight > scroller.clientHeight) scroller.scrollBy({ top: by });
  else window.scrollBy({ top: by });
}
