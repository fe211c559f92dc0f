/** Shared set-up of the component tests: fresh stores and a clean DOM for each test. */
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import type { Graph } from '../../src/graph/types';
import { resetGraph } from '../../src/store/graph-store';
import { useUiStore } from '../../src/store/ui-store';

afterEach(() => {
  cleanup();
  resetGraph({ nodes: [], edges: [] });
  useUiStore.setState({ selectedNodeIds: [], selectedEdgeIds: [], clipboard: null, toast: null, banner: null, panelsCollapsed: false });
});

/** Puts `graph` into the store with an empty undo history and selects `selected`. */
export function startWith(graph: Graph, selected: string[] = []): void {
  resetGraph(graph);
  useUiStore.getState().selectNodes(selected);
}
