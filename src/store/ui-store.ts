/**
 * The ui slice: selection, the clipboard and the messages shown over the editor. None of it
 * is saved or undone; a reload restores the graph, not the selection.
 */
import { create } from 'zustand';
import type { Fragment } from '../graph/edit';

/** A short message near the pointer or at the foot of the canvas, gone after a few seconds. */
export interface Toast {
  /** Distinguishes two toasts with the same text, so each restarts the timer. */
  key: number;
  message: string;
  tone: 'info' | 'error';
  /** Viewport coordinates of the pointer when the message concerns a pointer action. */
  at?: { x: number; y: number };
}

/** A message that stays until dismissed, such as why a file could not be opened. */
export interface Banner {
  message: string;
  tone: 'info' | 'error';
}

export interface UiState {
  selectedNodeIds: string[];
  selectedEdgeIds: string[];
  clipboard: Fragment | null;
  toast: Toast | null;
  banner: Banner | null;
  /** Base of the file name that Save writes: `<projectName>.layerlab.json`. */
  projectName: string;
  /** Whether the data and training panels are folded down to their headers, leaving the canvas the room. */
  panelsCollapsed: boolean;
  selectNodes(nodeIds: string[], edgeIds?: string[]): void;
  setSelection(nodeIds: string[], edgeIds: string[]): void;
  setClipboard(fragment: Fragment): void;
  showToast(message: string, tone?: Toast['tone'], at?: Toast['at']): void;
  moveToast(at: Toast['at']): void;
  clearToast(): void;
  showBanner(message: string, tone?: Banner['tone']): void;
  clearBanner(): void;
  setProjectName(name: string): void;
  setPanelsCollapsed(collapsed: boolean): void;
}

export const useUiStore = create<UiState>()((set, get) => ({
  selectedNodeIds: [],
  selectedEdgeIds: [],
  clipboard: null,
  toast: null,
  banner: null,
  projectName: 'model',
  panelsCollapsed: false,
  selectNodes(nodeIds, edgeIds = []) {
    set({ selectedNodeIds: nodeIds, selectedEdgeIds: edgeIds });
  },
  setSelection(nodeIds, edgeIds) {
    const state = get();
    if (sameIds(state.selectedNodeIds, nodeIds) && sameIds(state.selectedEdgeIds, edgeIds)) return;
    set({ selectedNodeIds: nodeIds, selectedEdgeIds: edgeIds });
  },
  setClipboard(fragment) {
    set({ clipboard: fragment });
  },
  showToast(message, tone = 'info', at) {
    const key = (get().toast?.key ?? 0) + 1;
    set({ toast: at ? { key, message, tone, at } : { key, message, tone } });
  },
  moveToast(at) {
    const toast = get().toast;
    if (toast) set({ toast: { ...toast, at } });
  },
  clearToast() {
    set({ toast: null });
  },
  showBanner(message, tone = 'error') {
    set({ banner: { message, tone } });
  },
  clearBanner() {
    set({ banner: null });
  },
  setProjectName(name) {
    set({ projectName: name });
  },
  setPanelsCollapsed(collapsed) {
    set({ panelsCollapsed: collapsed });
  },
}));

function sameIds(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
