/**
 * Keyboard movement through a list that is one stop in the Tab order, as the palette and the
 * summary are: the arrow keys move one item, Home and End go to either end.
 */

const STEPS: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, Home: -Infinity, End: Infinity };

/**
 * Moves the focus from `from` to the item of `items` that `key` leads to, stopping at either end.
 * From an element outside the list, such as a search box above it, Down goes to the first item.
 * Returns whether `key` is one of the keys that move the focus.
 */
export function moveListFocus(items: readonly HTMLElement[], from: HTMLElement, key: string): boolean {
  const step = STEPS[key];
  if (step === undefined) return false;
  if (items.length === 0) return true;
  const index = Math.min(items.length - 1, Math.max(0, items.indexOf(from) + step));
  items[index].focus();
  return true;
}
