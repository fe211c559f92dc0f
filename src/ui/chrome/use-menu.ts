/**
 * The behaviour a drop-down menu of the top bar shares: it closes on a click outside or on
 * Escape, focuses its first item when it opens, moves focus with the arrow keys, and gives the
 * focus back to its button when it closes.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';

export function useMenu() {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const rootRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    let closedByPointer = false;
    const onPointerDown = (event: PointerEvent) => {
      if (rootRef.current?.contains(event.target as Node)) return;
      closedByPointer = true;
      setOpen(false);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('keydown', onKeyDown);
    const root = rootRef.current;
    root?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus();
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('keydown', onKeyDown);
      // Closing from an item or with Escape gives the focus back to the menu's button, where a
      // keyboard user left off, instead of dropping it to the page. A click elsewhere keeps its focus.
      const focused = document.activeElement;
      if (root && !closedByPointer && (focused === null || focused === document.body || root.contains(focused))) {
        root.querySelector<HTMLButtonElement>('button[aria-haspopup]')?.focus();
      }
    };
  }, [open]);

  const moveFocus = (event: ReactKeyboardEvent) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const items = [...(rootRef.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
    const index = items.indexOf(document.activeElement as HTMLButtonElement);
    const next = event.key === 'ArrowDown' ? (index + 1) % items.length : (index - 1 + items.length) % items.length;
    items[next]?.focus();
  };

  return { open, setOpen, menuId, rootRef, moveFocus };
}
