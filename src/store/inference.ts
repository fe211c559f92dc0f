/**
 * Inference of the current graph for the views. Moving a node changes only its position, which
 * no shape or count depends on, so the last result is reused while a drag runs.
 */
import { useSyncExternalStore } from 'react';
import { create } from 'zustand';
import { inferGraph, type Inference } from '../graph/infer';
import type { Graph, GraphError } from '../graph/types';
import { formatShape } from '../layers';
import { createDataErrorMerger, selectDataShapes, useDataStore } from './data-store';
import { useGraphStore } from './graph-store';

/** Checks whether two graphs differ at most in node positions. */
export function sameStructure(a: Graph, b: Graph): boolean {
  if (a === b) return true;
  if (a.edges !== b.edges || a.nodes.length !== b.nodes.length) return false;
  return a.nodes.every((node, i) => {
    const other = b.nodes[i];
    return (
      node === other ||
      (node.id === other.id &&
        node.kind === other.kind &&
        node.name === other.name &&
        node.params === other.params &&
        node.sharedWith === other.sharedWith)
    );
  });
}

let structureSnapshot: Graph = useGraphStore.getState().graph;

function currentStructure(): Graph {
  const graph = useGraphStore.getState().graph;
  if (!sameStructure(structureSnapshot, graph)) structureSnapshot = graph;
  return structureSnapshot;
}

/**
 * Returns the graph in the store, as the same object while only node positions change: a view
 * that reads no positions then skips the redraws of a drag, which moves a node on every frame.
 * The positions in the returned graph may be out of date.
 */
export function useGraphStructure(): Graph {
  return useSyncExternalStore(useGraphStore.subscribe, currentStructure);
}

/** Infers graphs, reusing the previous result for a graph of the same structure. */
export function createInferenceCache(): (graph: Graph) => Inference {
  let lastGraph: Graph | null = null;
  let lastInference: Inference | null = null;
  return (graph) => {
    if (lastGraph && lastInference && sameStructure(lastGraph, graph)) {
      lastGraph = graph;
      return lastInference;
    }
    lastInference = inferGraph(graph);
    lastGraph = graph;
    return lastInference;
  };
}

const inferShared = createInferenceCache();

const mergeDataErrors = createDataErrorMerger();

function mergedInference(): Inference {
  const graph = useGraphStore.getState().graph;
  return mergeDataErrors(graph, inferShared(graph), selectDataShapes(useDataStore.getState()));
}

/**
 * The inference of the graph in the store, with the loaded data set's mismatches against the graph
 * added to its errors. It is kept up to date outside React, in the same turn as each edit, so that
 * a view can subscribe to one part of it: an edge label redraws when its own shape changes.
 */
const useInferenceStore = create<{ inference: Inference }>(() => ({ inference: mergedInference() }));

function refreshInference(): void {
  const inference = mergedInference();
  if (inference !== useInferenceStore.getState().inference) useInferenceStore.setState({ inference });
}
useGraphStore.subscribe(refreshInference);
useDataStore.subscribe(refreshInference);

/** Inference of the graph in the store with the data set's mismatches; a new object only when the graph's structure or the data set changes. */
export function useInference(): Inference {
  return useInferenceStore((state) => state.inference);
}

/**
 * Checks whether an error is a mismatch between the model and the loaded data set rather than an
 * error of the model itself: the views show these apart, since the model alone may be fine.
 */
export function isDataMismatch(error: GraphError): boolean {
  return error.code === 'data-mismatch';
}

/** Returns the ids of the layers with errors of the model itself, leaving out data mismatches. */
export function modelErrorNodeIds(inference: Inference): string[] {
  return [...errorsByNodeOf(inference)].filter(([, errors]) => errors.some((error) => !isDataMismatch(error))).map(([nodeId]) => nodeId);
}

const NO_ERRORS: readonly GraphError[] = [];
const errorsCache = new WeakMap<Inference, Map<string, readonly GraphError[]>>();
let lastErrorsByNode = new Map<string, readonly GraphError[]>();

function sameErrors(a: readonly GraphError[] | undefined, b: readonly GraphError[]): boolean {
  return a !== undefined && a.length === b.length && a.every((error, i) => error.message === b[i].message && error.fix?.label === b[i].fix?.label);
}

/**
 * Groups the errors of an inference by node. A node whose errors read the same as in the previous
 * inference keeps the same array, so a view of them redraws only when they change.
 */
export function errorsByNodeOf(inference: Inference): Map<string, readonly GraphError[]> {
  const cached = errorsCache.get(inference);
  if (cached) return cached;
  const lists = new Map<string, GraphError[]>();
  for (const error of inference.errors) {
    const list = lists.get(error.nodeId);
    if (list) list.push(error);
    else lists.set(error.nodeId, [error]);
  }
  const byNode = new Map<string, readonly GraphError[]>();
  for (const [nodeId, list] of lists) {
    const previous = lastErrorsByNode.get(nodeId);
    byNode.set(nodeId, sameErrors(previous, list) ? previous! : list);
  }
  lastErrorsByNode = byNode;
  errorsCache.set(inference, byNode);
  return byNode;
}

/** Returns the errors on one node, as the same array while they read the same. */
export function useNodeErrors(nodeId: string): readonly GraphError[] {
  return useInferenceStore((state) => errorsByNodeOf(state.inference).get(nodeId) ?? NO_ERRORS);
}

/**
 * Returns the parameter count of a node (trainable and not), or null while an error upstream
 * leaves its shapes and so its count unknown, and whether it shares the weights of another.
 */
export function useNodeParams(nodeId: string): { params: number | null; shared: boolean } {
  const params = useInferenceStore((state) => {
    const node = state.inference.nodes.get(nodeId);
    if (!node?.outputShapes) return null;
    return node.trainableParams + node.nonTrainableParams;
  });
  const shared = useInferenceStore((state) => state.inference.nodes.get(nodeId)?.shared ?? false);
  return { params, shared };
}

/** Returns the shape along an edge as Keras prints it, `(None, 16)`, or null where an error upstream leaves it unknown. */
export function useEdgeShapeText(edgeId: string): string | null {
  return useInferenceStore((state) => {
    const shape = state.inference.edgeShapes.get(edgeId);
    return shape ? formatShape(shape) : null;
  });
}

/** Inference of the graph in the store, outside React. */
export function currentInference(): Inference {
  return inferShared(useGraphStore.getState().graph);
}

/** Returns the ids of the layers that show a note (an error or a data mismatch) on the canvas now. */
export function layersWithNotes(): Set<string> {
  return new Set(errorsByNodeOf(useInferenceStore.getState().inference).keys());
}
