/**
 * The graph slice: the one graph the editor shows, with undo history from zundo's temporal
 * middleware. Every edit goes through `applyEdit`, so each is one undo step. A gesture such as a
 * node drag pauses the history and records a single step when it ends.
 */
import { temporal } from 'zundo';
import { create } from 'zustand';
import type { Graph, GraphNode } from '../graph/types';

/** How many edits undo can go back. */
export const UNDO_LIMIT = 300;

/**
 * Edits with the same merge key closer together than this, in milliseconds, form one undo
 * step, so typing "128" into a field is undone at once rather than digit by digit.
 */
export const MERGE_WINDOW_MS = 1500;

export interface GraphState {
  graph: Graph;
  /** The graph when the running gesture began; `null` when no gesture runs. */
  gestureOrigin: Graph | null;
  /**
   * Replaces the graph with `update(graph)`: one undo step, unless a gesture runs or the
   * previous edit had the same `mergeKey` less than `MERGE_WINDOW_MS` ago.
   */
  applyEdit(update: (graph: Graph) => Graph, mergeKey?: string): void;
  /** Starts a gesture: edits until `endGesture` become one undo step. */
  beginGesture(): void;
  endGesture(): void;
  /** Makes the next edit its own undo step, whatever its merge key. */
  breakMerge(): void;
}

export const EMPTY_GRAPH: Graph = { nodes: [], edges: [] };

export const useGraphStore = create<GraphState>()(
  temporal(
    (set, get) => {
      let lastMergeKey: string | undefined;
      let lastEditTime = 0;

      return {
        graph: EMPTY_GRAPH,
        gestureOrigin: null,

        applyEdit(update, mergeKey) {
          const current = get().graph;
          const next = update(current);
          if (next === current) return;

          const now = Date.now();
          const history = useGraphStore.temporal.getState();
          const merge =
            mergeKey !== undefined &&
            mergeKey === lastMergeKey &&
            now - lastEditTime < MERGE_WINDOW_MS &&
            history.isTracking &&
            history.futureStates.length === 0;
          lastMergeKey = mergeKey;
          lastEditTime = now;

          if (!merge) {
            set({ graph: next });
            return;
          }
          history.pause();
          set({ graph: next });
          history.resume();
        },

        breakMerge() {
          lastMergeKey = undefined;
        },

        beginGesture() {
          if (get().gestureOrigin) return;
          lastMergeKey = undefined;
          set({ gestureOrigin: get().graph });
          useGraphStore.temporal.getState().pause();
        },

        endGesture() {
          const origin = get().gestureOrigin;
          if (!origin) return;
          set({ gestureOrigin: null });
          const history = useGraphStore.temporal;
          history.getState().resume();
          if (get().graph === origin) return;
          history.setState({
            pastStates: [...history.getState().pastStates, { graph: origin }].slice(-UNDO_LIMIT),
            futureStates: [],
          });
        },
      };
    },
    {
      partialize: (state): Pick<GraphState, 'graph'> => ({ graph: state.graph }),
      equality: (past, current) => past.graph === current.graph,
      limit: UNDO_LIMIT,
    },
  ),
);

/** Returns the current graph, for code outside React. */
export function currentGraph(): Graph {
  return useGraphStore.getState().graph;
}

/** Replaces the graph as one undo step. */
export function setGraph(graph: Graph): void {
  useGraphStore.getState().applyEdit(() => graph);
}

/** Replaces the graph and clears the undo history, as when the app starts. */
export function resetGraph(graph: Graph): void {
  useGraphStore.getState().breakMerge();
  useGraphStore.setState({ graph, gestureOrigin: null });
  useGraphStore.temporal.getState().clear();
}

export function undo(): void {
  useGraphStore.getState().endGesture();
  useGraphStore.getState().breakMerge();
  useGraphStore.temporal.getState().undo();
}

export function redo(): void {
  useGraphStore.getState().endGesture();
  useGraphStore.getState().breakMerge();
  useGraphStore.temporal.getState().redo();
}

const layerMaps = new WeakMap<readonly GraphNode[], Map<string, GraphNode>>();

/** Maps the nodes of a graph by id, building one map per nodes array for every caller. */
export function layersById(nodes: readonly GraphNode[]): Map<string, GraphNode> {
  let byId = layerMaps.get(nodes);
  if (!byId) {
    byId = new Map(nodes.map((node) => [node.id, node]));
    layerMaps.set(nodes, byId);
  }
  return byId;
}

/** Returns one node of the graph in the store. A view that uses it redraws only when that node changes. */
export function useLayer(nodeId: string): GraphNode | undefined {
  return useGraphStore((state) => layersById(state.graph.nodes).get(nodeId));
}
