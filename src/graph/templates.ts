/**
 * Built-in template graphs that a person can open as a starting point, and the helpers that
 * give new nodes unique ids and Keras-style unique names.
 */
import type { Graph, GraphEdge, GraphNode, Params } from './types';

export interface Template {
  id: string;
  name: string;
  description: string;
  /** A fresh copy of the graph on every call, so that edits never reach the template. */
  build(): Graph;
}

/** Vertical distance between consecutive nodes of a template, in canvas pixels. */
const ROW_HEIGHT = 110;

/**
 * Returns the snake_case base name Keras gives a layer of a class: `Conv1D` → `conv1d`,
 * `MaxPooling1D` → `max_pooling1d`, `SimpleRNN` → `simple_rnn` (Keras `to_snake_case`).
 * InputLayer is `input`, as `keras.Input` names it.
 */
export function layerBaseName(className: string): string {
  if (className === 'InputLayer') return 'input';
  const words = className.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  return words.startsWith('_') ? `private${words}` : words;
}

/**
 * Picks a layer name for a new node of `className` that no node of the graph has yet: the base
 * name, then `_1`, `_2` … as Keras numbers them (`dense`, `dense_1`). Inputs start at `input_1`,
 * as in tf.keras 2.
 */
export function uniqueLayerName(graph: Graph, className: string): string {
  const taken = new Set(graph.nodes.map((node) => node.name));
  const base = layerBaseName(className);
  const first = className === 'InputLayer' ? 1 : 0;
  for (let suffix = first; ; suffix += 1) {
    const name = suffix === 0 ? base : `${base}_${suffix}`;
    if (!taken.has(name)) return name;
  }
}

/** Returns an id `n<k>` one above the highest `n<k>` id in the graph, so it repeats none. */
export function nextNodeId(graph: Graph): string {
  return `n${highestNumber(graph.nodes.map((node) => node.id), 'n') + 1}`;
}

/** Returns an id `e<k>` one above the highest `e<k>` id in the graph. */
export function nextEdgeId(graph: Graph): string {
  return `e${highestNumber(graph.edges.map((edge) => edge.id), 'e') + 1}`;
}

function highestNumber(ids: string[], prefix: string): number {
  let highest = 0;
  const pattern = new RegExp(`^${prefix}(\\d+)$`);
  for (const id of ids) {
    const match = pattern.exec(id);
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return highest;
}

interface Step {
  kind: string;
  params?: Params;
  /** Names of earlier steps feeding this one, in input order; the previous step by default. */
  from?: string[];
}

/**
 * Builds a graph from steps in order. Each node gets a Keras-style name, an id `n1`, `n2` … and a
 * position one row below the previous node.
 */
function buildGraph(steps: Step[]): Graph {
  const graph: Graph = { nodes: [], edges: [] };
  const idByName = new Map<string, string>();
  let previous: GraphNode | undefined;

  for (const step of steps) {
    const node: GraphNode = {
      id: nextNodeId(graph),
      kind: step.kind,
      name: uniqueLayerName(graph, step.kind),
      params: step.params ?? {},
      position: { x: 0, y: graph.nodes.length * ROW_HEIGHT },
    };
    let sources: string[] = previous ? [previous.id] : [];
    if (step.from) sources = step.from.map((name) => idByName.get(name)!);
    graph.nodes.push(node);
    sources.forEach((source, position) => {
      const edge: GraphEdge = { id: nextEdgeId(graph), source, target: node.id };
      if (sources.length > 1) edge.targetInput = position;
      graph.edges.push(edge);
    });
    idByName.set(node.name, node.id);
    previous = node;
  }
  return graph;
}

const relu = 'relu';

/** Lists the layers of the solubility classifier: 200 amino-acid ids (0 pads) → soluble or not. */
function solubilitySteps(options: { dropout?: number; l2?: number }): Step[] {
  const regularizer: Params = options.l2 === undefined ? {} : { kernelRegularizer: { l1: 0, l2: options.l2 } };
  const dropout = (): Step[] => (options.dropout === undefined ? [] : [{ kind: 'Dropout', params: { rate: options.dropout } }]);
  return [
    { kind: 'InputLayer', params: { shape: [200], dtype: 'int32' } },
    { kind: 'Embedding', params: { inputDim: 21, outputDim: 16, maskZero: true } },
    { kind: 'Conv1D', params: { filters: 16, kernelSize: 5, activation: relu } },
    { kind: 'MaxPooling1D', params: { poolSize: 4 } },
    { kind: 'Conv1D', params: { filters: 16, kernelSize: 3, activation: relu } },
    { kind: 'MaxPooling1D', params: { poolSize: 2 } },
    { kind: 'Conv1D', params: { filters: 16, kernelSize: 3, activation: relu } },
    { kind: 'MaxPooling1D', params: { poolSize: 2 } },
    { kind: 'Flatten' },
    ...dropout(),
    { kind: 'Dense', params: { units: 256, activation: relu, ...regularizer } },
    ...dropout(),
    { kind: 'Dense', params: { units: 64, activation: relu, ...regularizer } },
    ...dropout(),
    { kind: 'Dense', params: { units: 1, activation: 'sigmoid' } },
  ];
}

export const TEMPLATES: readonly Template[] = [
  {
    id: 'solubility',
    name: 'Protein solubility (Conv1D)',
    description: 'Embeds 200 amino-acid ids, finds motifs with three Conv1D and pooling stages, and predicts whether the protein is soluble.',
    build: () => buildGraph(solubilitySteps({})),
  },
  {
    id: 'solubility-dropout',
    name: 'Protein solubility with dropout',
    description: 'The solubility model with Dropout 0.3 after Flatten and after each hidden Dense layer, against overfitting.',
    build: () => buildGraph(solubilitySteps({ dropout: 0.3 })),
  },
  {
    id: 'solubility-l2',
    name: 'Protein solubility with L2',
    description: 'The solubility model with an L2 penalty of 0.01 on the kernels of the hidden Dense layers.',
    build: () => buildGraph(solubilitySteps({ l2: 0.01 })),
  },
  {
    id: 'mlp-2d',
    name: 'Two-layer perceptron on 2-D points',
    description: 'Classifies points of the plane with two hidden layers of 16 units; small enough to follow every number in the summary.',
    build: () =>
      buildGraph([
        { kind: 'InputLayer', params: { shape: [2], dtype: 'float32' } },
        { kind: 'Dense', params: { units: 16, activation: relu } },
        { kind: 'Dense', params: { units: 16, activation: relu } },
        { kind: 'Dense', params: { units: 1, activation: 'sigmoid' } },
      ]),
  },
  {
    id: 'digits-conv2d',
    name: 'Handwritten digits (Conv2D)',
    description: 'Two Conv2D and pooling stages on 28×28 grey images, then a dense layer with dropout and a softmax over the 10 digits.',
    build: () =>
      buildGraph([
        { kind: 'InputLayer', params: { shape: [28, 28, 1], dtype: 'float32' } },
        { kind: 'Conv2D', params: { filters: 16, kernelSize: [3, 3], activation: relu } },
        { kind: 'MaxPooling2D', params: { poolSize: [2, 2] } },
        { kind: 'Conv2D', params: { filters: 32, kernelSize: [3, 3], activation: relu } },
        { kind: 'MaxPooling2D', params: { poolSize: [2, 2] } },
        { kind: 'Flatten' },
        { kind: 'Dense', params: { units: 64, activation: relu } },
        { kind: 'Dropout', params: { rate: 0.25 } },
        { kind: 'Dense', params: { units: 10, activation: 'softmax' } },
      ]),
  },
  {
    id: 'residual',
    name: 'Residual block on handwritten digits',
    description: 'A Conv2D stem on 28×28 grey images, then one residual block (two Conv2D with batch normalization, added to the skip connection), global average pooling and a softmax over the 10 digits.',
    build: () =>
      buildGraph([
        { kind: 'InputLayer', params: { shape: [28, 28, 1], dtype: 'float32' } },
        { kind: 'Conv2D', params: { filters: 16, kernelSize: [3, 3], padding: 'same', activation: relu } },
        { kind: 'Conv2D', params: { filters: 16, kernelSize: [3, 3], padding: 'same' } },
        { kind: 'BatchNormalization' },
        { kind: 'Activation', params: { activation: relu } },
        { kind: 'Conv2D', params: { filters: 16, kernelSize: [3, 3], padding: 'same' } },
        { kind: 'BatchNormalization' },
        // The skip connection: the stem's output is added to the block's output.
        { kind: 'Add', from: ['conv2d', 'batch_normalization_1'] },
        { kind: 'Activation', params: { activation: relu } },
        { kind: 'GlobalAveragePooling2D' },
        { kind: 'Dense', params: { units: 10, activation: 'softmax' } },
      ]),
  },
];

/** Returns the template with this id, or `undefined`. */
export function getTemplate(id: string): Template | undefined {
  return TEMPLATES.find((template) => template.id === id);
}
