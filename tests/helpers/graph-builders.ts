/** Small builders for graphs in tests: a chain of layers from one Input. */
import type { Graph, GraphNode, Params, Shape } from '../../src/graph/types';

export interface LayerStep {
  kind: string;
  params?: Params;
  name?: string;
}

/** Input with `inputShape` (no batch axis) followed by `steps`, each fed by the one before. */
export function chain(inputShape: Shape, steps: LayerStep[], dtype: 'float32' | 'int32' = 'float32'): Graph {
  const nodes: GraphNode[] = [{ id: 'n0', kind: 'InputLayer', name: 'input', params: { shape: inputShape, dtype } }];
  steps.forEach((step, i) => {
    nodes.push({ id: `n${i + 1}`, kind: step.kind, name: step.name ?? `${step.kind.toLowerCase()}_${i + 1}`, params: step.params ?? {} });
  });
  const edges = steps.map((_, i) => ({ id: `e${i + 1}`, source: `n${i}`, target: `n${i + 1}` }));
  return { nodes, edges };
}
