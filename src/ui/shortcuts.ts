/**
 * Keyboard shortcuts of the editor: undo (Ctrl/Cmd+Z), redo (Ctrl/Cmd+Shift+Z, Ctrl+Y), copy,
 * paste and select all. Delete and Backspace are React Flow's own. Keys typed into a text
 * field, a select or a number input stay with that field.
 */
import { useReactFlow } from '@xyflow/react';
import { useEffect } from 'react';
import { copySelection, pasteClipboard, selectAll } from '../store/actions';
import { redo, undo } from '../store/graph-store';
import { useUiStore } from '../store/ui-store';
import { revealSoon } from './canvas/fit';

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return target.closest('input, textarea, select, [contenteditable="true"]') !== null;
}

/** Checks whether the page has selected text, which Ctrl+C should copy instead of layers. */
function hasTextSelection(): boolean {
  const selection = window.getSelection?.();
  return selection !== null && selection !== undefined && !selection.isCollapsed && selection.toString().trim() !== '';
}

/** Runs the shortcut for a key press; returns whether it handled the event. `onPasted` gets the ids of pasted layers. */
export function handleShortcut(event: KeyboardEvent, onPasted?: (nodeIds: string[]) => void): boolean {
  const mod = event.ctrlKey || event.metaKey;
  if (!mod || event.altKey || isEditable(event.target)) return false;
  const key = event.key.toLowerCase();

  if (key === 'z' && !event.shiftKey) {
    undo();
    return true;
  }
  if ((key === 'z' && event.shiftKey) || (key === 'y' && !event.shiftKey)) {
    redo();
    return true;
  }
  if (key === 'a' && !event.shiftKey) {
    selectAll();
    return true;
  }
  if (key === 'c' && !event.shiftKey) {
    if (hasTextSelection()) return false;
    const count = copySelection();
    if (count > 0) useUiStore.getState().showToast(count === 1 ? 'Copied 1 layer' : `Copied ${count} layers`);
    return count > 0;
  }
  if (key === 'v' && !event.shiftKey) {
    const pasted = pasteClipboard();
    if (pasted.length > 0) onPasted?.(pasted);
    return pasted.length > 0;
  }
  return false;
}

export function useShortcuts(): void {
  const flow = useReactFlow();
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (handleShortcut(event, (pasted) => revealSoon(flow, pasted))) event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [flow]);
}
