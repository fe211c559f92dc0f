/**
 * Inference of the current graph for the views. Moving a node changes only its position, which
 * no shape or count depends on, so the last result is reused while a drag runs.
 */
import { useMemo } from 'react';
import { inferGraph, type Inference } from '../graph/infer';
import type { Graph } from '../graph/types';
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

/**
 * Inference of the graph in the store, with the loaded data set's mismatches against the graph
 * added to its errors; recomputed only when the graph's structure or the data set changes.
 */
export function useInference(): Inference {
  const graph = useGraphStore((state) => state.graph);
  const dataShapes = useDataStore(selectDataShapes);
  return useMemo(() => mergeDataErrors(graph, inferShared(graph), dataShapes), [graph, dataShapes]);
}

/** Inference of the graph in the store, outside React. */
export function currentInference(): Inference {
  return inferShared(useGraphStore.getState().graph);
}
