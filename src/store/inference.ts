/**
 * Inference of the current graph for the views. Moving a node changes only its position, which
 * no shape or count depends on, so the last result is reused while a drag runs.
 */
import { create } from 'zustand';
import { inferGraph, type Inference } from '../graph/infer';
import type { Graph } from '../graph/types';
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

/** The shape along an edge as Keras prints it, `(None, 16)`, or null where an error upstream leaves it unknown. */
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
