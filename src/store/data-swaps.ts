/**
 * Undo and redo across a template that brought its own data set. Undo restores graphs only, so
 * the data set a template replaced is kept here with the graphs on either side of the swap. When
 * undo returns to the graph before, the data set before comes back. Redo brings the template's
 * data set back with the template.
 */
import { currentGraph, useGraphStore } from './graph-store';
import { setLoadedData, useDataStore, type LoadedData } from './data-store';
import type { Graph } from '../graph/types';

interface DataSwap {
  graphBefore: Graph;
  graphAfter: Graph;
  before: LoadedData;
  after: LoadedData;
}

/** Swaps remembered, newest last. Each keeps two data sets in memory, so only a few are kept. */
const MAX_SWAPS = 3;
const swaps: DataSwap[] = [];
let subscribed = false;

function followGraph(graph: Graph): void {
  const loaded = useDataStore.getState().loaded;
  for (const swap of swaps) {
    if (graph === swap.graphBefore && loaded === swap.after) return setLoadedData(swap.before);
    if (graph === swap.graphAfter && loaded === swap.before) return setLoadedData(swap.after);
  }
}

/**
 * Records that the graph changed from `graphBefore` to the graph now in the store, and the data
 * set from `before` to the one loaded now, so that undo and redo move both together.
 */
export function rememberDataSwap(graphBefore: Graph, before: LoadedData): void {
  const after = useDataStore.getState().loaded;
  if (!after || after === before) return;
  swaps.push({ graphBefore, graphAfter: currentGraph(), before, after });
  if (swaps.length > MAX_SWAPS) swaps.shift();
  if (!subscribed) {
    subscribed = true;
    useGraphStore.subscribe((state, previous) => {
      if (state.graph !== previous.graph) followGraph(state.graph);
    });
  }
}
