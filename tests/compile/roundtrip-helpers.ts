/**
 * Helpers shared by the round-trip and export tests: graph comparison (two graphs agree when
 * inference gives every layer, matched by name, the same output shapes, counts and parameters
 * after defaults), reproducible random graphs, and loading and running exported tfjs models.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { getLayerKind, withDefaults } from '../../src/layers';
import { inferGraph } from '../../src/graph/infer';
import type { Graph, GraphNode, LayerSpec, Params } from '../../src/graph/types';
import { chain } from '../helpers/graph-builders';
import { randomGraph } from '../property/random-graphs';

function paramsAfterDefaults(node: GraphNode): Params {
  const kind = getLayerKind(node.kind);
  return kind ? withDefaults(kind, node.params) : node.params;
}

/**
 * Parameters after defaults, also inside wrapped layers; a nested graph becomes a placeholder
 * because its ids may differ, and is compared on its own.
 */
function comparableParams(kindName: string, params: Params): Params {
  const kind = getLayerKind(kindName);
  if (!kind) return params;
  const filled = withDefaults(kind, params);
  for (const spec of kind.params) {
    const value = filled[spec.name];
    if (spec.type === 'layer' && value && typeof value === 'object' && 'kind' in value) {
      const inner = value as LayerSpec;
      filled[spec.name] = { kind: inner.kind, params: comparableParams(inner.kind, inner.params) };
    }
    if (spec.type === 'graph') filled[spec.name] = 'nested graph';
  }
  return filled;
}

/**
 * Pairs each node of `original` with its node in `copy`: by name, except that the later calls
 * of a shared layer, whose names Keras does not keep, pair by owner and call order.
 */
function pairNodes(original: Graph, copy: Graph): Map<string, GraphNode | undefined> {
  const byName = new Map(copy.nodes.map((node) => [node.name, node]));
  const copyNames = new Map(copy.nodes.map((node) => [node.id, node.name]));
  const originalNames = new Map(original.nodes.map((node) => [node.id, node.name]));
  const sharedCalls = (graph: Graph, names: Map<string, string>, owner: string) =>
    graph.nodes.filter((node) => node.sharedWith !== undefined && names.get(node.sharedWith) === owner);

  const pairs = new Map<string, GraphNode | undefined>();
  for (const node of original.nodes) {
    if (!node.sharedWith) {
      pairs.set(node.id, byName.get(node.name));
      continue;
    }
    const owner = originalNames.get(node.sharedWith)!;
    const position = sharedCalls(original, originalNames, owner).indexOf(node);
    pairs.set(node.id, sharedCalls(copy, copyNames, owner)[position]);
  }
  return pairs;
}

/** Differences between two graphs, one line each; empty when they agree. */
export function graphDifferences(original: Graph, copy: Graph): string[] {
  const before = inferGraph(original);
  const after = inferGraph(copy);
  const problems: string[] = [];
  if (after.errors.length > 0) problems.push(`the copy has errors: ${after.errors.map((error) => error.message).join('; ')}`);
  if (before.totalParams !== after.totalParams) problems.push(`total params ${before.totalParams} became ${after.totalParams}`);
  if (before.nonTrainableParams !== after.nonTrainableParams) problems.push(`non-trainable params ${before.nonTrainableParams} became ${after.nonTrainableParams}`);
  if (copy.nodes.length !== original.nodes.length) problems.push(`${original.nodes.length} layers became ${copy.nodes.length}`);

  const pairs = pairNodes(original, copy);
  for (const node of original.nodes) {
    const twin = pairs.get(node.id);
    if (!twin) {
      problems.push(`${node.name} is missing from the copy`);
      continue;
    }
    if (twin.kind !== node.kind) problems.push(`${node.name}: kind ${node.kind} became ${twin.kind}`);
    const ours = before.nodes.get(node.id)!;
    const theirs = after.nodes.get(twin.id)!;
    if (JSON.stringify(ours.outputShapes) !== JSON.stringify(theirs.outputShapes)) {
      problems.push(`${node.name}: output ${JSON.stringify(ours.outputShapes)} became ${JSON.stringify(theirs.outputShapes)}`);
    }
    if (ours.trainableParams !== theirs.trainableParams) problems.push(`${node.name}: ${ours.trainableParams} trainable became ${theirs.trainableParams}`);
    if (ours.nonTrainableParams !== theirs.nonTrainableParams) problems.push(`${node.name}: ${ours.nonTrainableParams} non-trainable became ${theirs.nonTrainableParams}`);

    // A later call of a shared layer computes with its owner's parameters, whatever its own say.
    if (node.sharedWith) continue;
    const a = JSON.stringify(comparableParams(node.kind, node.params));
    const b = JSON.stringify(comparableParams(twin.kind, twin.params));
    if (a !== b) problems.push(`${node.name}: params ${a} became ${b}`);
    const nested = paramsAfterDefaults(node).graph;
    if (nested && typeof nested === 'object' && 'nodes' in nested) {
      const nestedProblems = graphDifferences(nested as Graph, paramsAfterDefaults(twin).graph as Graph);
      problems.push(...nestedProblems.map((problem) => `${node.name} › ${problem}`));
    }
  }
  return problems;
}

/** `count` random graphs that inference finds valid, the same ones on every run. */
export function validRandomGraphs(count: number, seed: number): Graph[] {
  const graphs: Graph[] = [];
  // Roughly half of the generated graphs are valid; the cap only stops a broken generator.
  for (let attempt = 0; graphs.length < count && attempt < 40; attempt++) {
    const batch = fc.sample(fc.gen().map((g) => randomGraph(g)), { numRuns: count, seed: seed + attempt });
    for (const graph of batch) {
      if (graphs.length < count && inferGraph(graph).errors.length === 0) graphs.push(graph);
    }
  }
  return graphs;
}

/**
 * Makes an IOHandler that reads a tfjs model folder from disk the way tfjs's own file loaders do:
 * model.json first, then every file its weights manifest lists, concatenated in order.
 */
export function folderHandler(folder: string): tf.io.IOHandler {
  return {
    async load() {
      const modelJson = JSON.parse(await readFile(join(folder, 'model.json'), 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const buffers = await Promise.all(manifest.flatMap((group) => group.paths).map((path) => readFile(join(folder, path))));
        const bytes = Buffer.concat(buffers);
        return [specs, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)];
      });
    },
  };
}

/**
 * Fixed inputs for a graph with fully known input shapes, two examples each: smooth float
 * values, or for int32 inputs token ids below the smallest Embedding `inputDim` of the graph.
 */
export function fixedInputs(graph: Graph): tf.Tensor[] {
  const vocabulary = Math.min(
    ...graph.nodes.filter((node) => node.kind === 'Embedding').map((node) => paramsAfterDefaults(node).inputDim as number),
    5,
  );
  return graph.nodes
    .filter((node) => node.kind === 'InputLayer')
    .map((input, k) => {
      const shape = [2, ...(input.params.shape as number[])];
      const size = shape.reduce((product, dim) => product * dim, 1);
      if (input.params.dtype === 'int32') {
        return tf.tensor(Array.from({ length: size }, (_, i) => (i * 7 + k) % vocabulary), shape, 'int32');
      }
      return tf.tensor(Array.from({ length: size }, (_, i) => Math.sin(i * 1.3 + k)), shape, 'float32');
    });
}

/** Checks whether every input shape of the graph is fully known, so that fixed inputs can be built. */
export function hasKnownInputShapes(graph: Graph): boolean {
  return graph.nodes.filter((node) => node.kind === 'InputLayer').every((node) => Array.isArray(node.params.shape) && !(node.params.shape as unknown[]).includes(null));
}

/** Measures the largest absolute difference between the outputs of two models on the same inputs; NaN counts as infinite. */
export function largestDifference(a: tf.LayersModel, b: tf.LayersModel, inputs: tf.Tensor[]): number {
  return tf.tidy(() => {
    const outputsA = [a.predict(inputs)].flat() as tf.Tensor[];
    const outputsB = [b.predict(inputs)].flat() as tf.Tensor[];
    let largest = 0;
    outputsA.forEach((output, i) => {
      const difference = tf.abs(tf.sub(output, outputsB[i])).max().dataSync()[0];
      largest = Number.isNaN(difference) ? Infinity : Math.max(largest, difference);
    });
    return largest;
  });
}

/** Graphs with wrappers, nested models, shared layers and several inputs and outputs, which the random generator does not make. */
export function specialGraphs(): [string, Graph][] {
  const shared = chain([6], [{ kind: 'Dense', name: 'dense', params: { units: 6, activation: 'tanh' } }]);
  shared.nodes.push({ id: 'n2', kind: 'Dense', name: 'dense_again', params: {}, sharedWith: 'n1' });
  shared.edges.push({ id: 'e2', source: 'n1', target: 'n2' });

  const twoHeads: Graph = {
    nodes: [
      { id: 'a', kind: 'InputLayer', name: 'left', params: { shape: [5], dtype: 'float32' } },
      { id: 'b', kind: 'InputLayer', name: 'right', params: { shape: [3], dtype: 'float32' } },
      { id: 'c', kind: 'Concatenate', name: 'joined', params: {} },
      { id: 'd', kind: 'Dense', name: 'score', params: { units: 1, activation: 'sigmoid' } },
      { id: 'e', kind: 'Dense', name: 'value', params: { units: 2 } },
    ],
    edges: [
      { id: 'e1', source: 'a', target: 'c', targetInput: 0 },
      { id: 'e2', source: 'b', target: 'c', targetInput: 1 },
      { id: 'e3', source: 'c', target: 'd' },
      { id: 'e4', source: 'c', target: 'e' },
    ],
  };

  return [
    ['Bidirectional LSTM', chain([7, 3], [{ kind: 'Bidirectional', name: 'bidirectional', params: { layer: { kind: 'LSTM', params: { units: 4, returnSequences: true } } } }, { kind: 'GlobalMaxPooling1D', name: 'pool' }])],
    ['TimeDistributed Dense', chain([4, 3], [{ kind: 'TimeDistributed', name: 'time_distributed', params: { layer: { kind: 'Dense', params: { units: 2 } } } }])],
    ['GRU over embeddings', chain([6], [{ kind: 'Embedding', name: 'embedding', params: { inputDim: 9, outputDim: 4 } }, { kind: 'GRU', name: 'gru', params: { units: 3 } }], 'int32')],
    ['nested Sequential', chain([4], [{ kind: 'Sequential', name: 'block', params: { graph: chain([4], [{ kind: 'Dense', name: 'inner', params: { units: 3, activation: 'relu' } }]) } }, { kind: 'Dense', name: 'head', params: { units: 1 } }])],
    ['shared Dense', shared],
    ['two inputs and two outputs', twoHeads],
  ];
}
