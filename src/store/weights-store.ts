/**
 * The weights slice: weight values imported with a TensorFlow.js model (model.json with its .bin
 * files), kept beside the graph so that the model can be exported, evaluated or trained further
 * from them. They belong to the graph as it was imported. `importedWeightsFor` returns them only
 * while the layers that own weights keep their names, kinds and weight shapes, so moving a
 * node or changing an activation keeps them, and renaming a layer, changing its units or undoing
 * the import does not. Opening another file or a template drops them.
 */
import { create } from 'zustand';
import type { NamedWeights } from '../compile/import-weights';
import { inferGraph } from '../graph/infer';
import type { Graph } from '../graph/types';

export interface ImportedWeights {
  weights: NamedWeights;
  /** The model.json they came with, e.g. `solubility.json`, for messages. */
  sourceName: string;
  /** `weightSignature` of the graph they were imported with. */
  signature: string;
}

export interface WeightsState {
  imported: ImportedWeights | null;
}

export const useWeightsStore = create<WeightsState>()(() => ({ imported: null }));

/**
 * Describes what a graph's weights depend on: for each layer, its id, name, kind, the layer it
 * shares weights with, and the names and shapes of its weights as inference reports them.
 * TensorFlow.js names saved weights after the layer (`dense/kernel`), so names matter too.
 */
export function weightSignature(graph: Graph): string {
  const inference = inferGraph(graph);
  const layers = [...graph.nodes]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((node) => {
      const weights = inference.nodes.get(node.id)?.weights ?? [];
      return [node.id, node.name, node.kind, node.sharedWith ?? null, weights.map((weight) => [weight.name, weight.shape])];
    });
  return JSON.stringify(layers);
}

/** Keeps `weights` as the weights of `graph`, replacing any imported before. */
export function setImportedWeights(graph: Graph, weights: NamedWeights, sourceName: string): void {
  useWeightsStore.setState({ imported: { weights, sourceName, signature: weightSignature(graph) } });
}

export function clearImportedWeights(): void {
  useWeightsStore.setState({ imported: null });
}

/** Counts the values of a set of weights, e.g. to compare with a parameter count. */
export function countWeightValues(weights: NamedWeights): number {
  let total = 0;
  for (const weight of weights.values()) total += weight.values.length;
  return total;
}

/**
 * Returns the imported weights when they still belong to `graph` (see the module comment), or
 * `null` when there are none or the graph has changed in a way that affects them.
 */
export function importedWeightsFor(graph: Graph): ImportedWeights | null {
  const imported = useWeightsStore.getState().imported;
  if (!imported) return null;
  return weightSignature(graph) === imported.signature ? imported : null;
}
