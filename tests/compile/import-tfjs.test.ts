/**
 * Import of models that TensorFlow.js itself serialises. For each catalogue kind, a small tfjs
 * model goes through `model.toJSON()` (tfjs's Keras layout) and back through the importer.
 * Inference must then report the shapes and counts that tfjs reports for the same model.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { importModelJson } from '../../src/compile/keras-import';
import { inferGraph } from '../../src/graph/infer';
import type { Graph, Shape } from '../../src/graph/types';
import { LAYER_KINDS } from '../../src/layers';
import { selectCpuBackend } from '../helpers/tfjs-reference';

type Extra = { inputShape?: number[] };

interface SingleCase {
  kind: string;
  input: number[];
  dtype?: 'float32' | 'int32';
  /** A new tfjs layer on each call, since a tfjs layer belongs to the first model that calls it. */
  layer(extra: Extra): tf.layers.Layer;
}

const singleCases: SingleCase[] = [
  { kind: 'Dense', input: [5], layer: (extra) => tf.layers.dense({ units: 3, activation: 'relu', kernelRegularizer: tf.regularizers.l2({ l2: 0.01 }), ...extra }) },
  { kind: 'Activation', input: [4], layer: (extra) => tf.layers.activation({ activation: 'softmax', ...extra }) },
  { kind: 'Dropout', input: [4], layer: (extra) => tf.layers.dropout({ rate: 0.3, ...extra }) },
  { kind: 'ReLU', input: [4], layer: (extra) => tf.layers.reLU({ maxValue: 6, ...extra }) },
  { kind: 'LeakyReLU', input: [4], layer: (extra) => tf.layers.leakyReLU({ alpha: 0.2, ...extra }) },
  { kind: 'PReLU', input: [3, 4], layer: (extra) => tf.layers.prelu({ sharedAxes: [1], ...extra }) },
  // tfjs 4.22 builds ELU only with the default alpha of 1.
  { kind: 'ELU', input: [4], layer: (extra) => tf.layers.elu({ alpha: 1, ...extra }) },
  { kind: 'ThresholdedReLU', input: [4], layer: (extra) => tf.layers.thresholdedReLU({ theta: 0.5, ...extra }) },
  { kind: 'Softmax', input: [3, 4], layer: (extra) => tf.layers.softmax({ axis: -1, ...extra }) },
  { kind: 'Conv1D', input: [10, 3], layer: (extra) => tf.layers.conv1d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', ...extra }) },
  { kind: 'Conv2D', input: [9, 9, 2], layer: (extra) => tf.layers.conv2d({ filters: 4, kernelSize: [3, 2], dilationRate: 2, ...extra }) },
  { kind: 'Conv2DTranspose', input: [5, 5, 2], layer: (extra) => tf.layers.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', ...extra }) },
  { kind: 'DepthwiseConv2D', input: [6, 6, 3], layer: (extra) => tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, ...extra }) },
  // NOTE: tfjs 4.22 leaves depth_multiplier out of SeparableConv2D's toJSON, so a multiplier
  // other than 1 cannot survive this round trip. The Keras config case below covers it.
  { kind: 'SeparableConv2D', input: [6, 6, 3], layer: (extra) => tf.layers.separableConv2d({ filters: 4, kernelSize: 3, ...extra }) },
  { kind: 'MaxPooling1D', input: [10, 2], layer: (extra) => tf.layers.maxPooling1d({ poolSize: 3, ...extra }) },
  { kind: 'AveragePooling1D', input: [10, 2], layer: (extra) => tf.layers.averagePooling1d({ poolSize: 2, strides: 1, ...extra }) },
  { kind: 'MaxPooling2D', input: [8, 8, 2], layer: (extra) => tf.layers.maxPooling2d({ poolSize: [2, 2], ...extra }) },
  { kind: 'AveragePooling2D', input: [8, 8, 2], layer: (extra) => tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same', ...extra }) },
  { kind: 'GlobalMaxPooling1D', input: [7, 3], layer: (extra) => tf.layers.globalMaxPooling1d({ ...extra }) },
  { kind: 'GlobalAveragePooling1D', input: [7, 3], layer: (extra) => tf.layers.globalAveragePooling1d({ ...extra }) },
  { kind: 'GlobalMaxPooling2D', input: [5, 5, 3], layer: (extra) => tf.layers.globalMaxPooling2d({ ...extra }) },
  { kind: 'GlobalAveragePooling2D', input: [5, 5, 3], layer: (extra) => tf.layers.globalAveragePooling2d({ ...extra }) },
  { kind: 'Flatten', input: [3, 4], layer: (extra) => tf.layers.flatten({ ...extra }) },
  { kind: 'Reshape', input: [12], layer: (extra) => tf.layers.reshape({ targetShape: [6, 2], ...extra }) },
  { kind: 'Permute', input: [3, 4], layer: (extra) => tf.layers.permute({ dims: [2, 1], ...extra }) },
  { kind: 'RepeatVector', input: [5], layer: (extra) => tf.layers.repeatVector({ n: 4, ...extra }) },
  { kind: 'ZeroPadding2D', input: [4, 4, 2], layer: (extra) => tf.layers.zeroPadding2d({ padding: [[1, 2], [0, 1]], ...extra }) },
  { kind: 'Cropping2D', input: [5, 5, 2], layer: (extra) => tf.layers.cropping2D({ cropping: [[1, 0], [0, 1]], ...extra }) },
  { kind: 'UpSampling2D', input: [3, 3, 1], layer: (extra) => tf.layers.upSampling2d({ size: [2, 3], ...extra }) },
  { kind: 'BatchNormalization', input: [4, 3], layer: (extra) => tf.layers.batchNormalization({ axis: -1, ...extra }) },
  { kind: 'LayerNormalization', input: [5], layer: (extra) => tf.layers.layerNormalization({ ...extra }) },
  { kind: 'SpatialDropout1D', input: [6, 3], layer: (extra) => tf.layers.spatialDropout1d({ rate: 0.2, ...extra }) },
  { kind: 'GaussianNoise', input: [4], layer: (extra) => tf.layers.gaussianNoise({ stddev: 0.2, ...extra }) },
  { kind: 'GaussianDropout', input: [4], layer: (extra) => tf.layers.gaussianDropout({ rate: 0.2, ...extra }) },
  { kind: 'AlphaDropout', input: [4], layer: (extra) => tf.layers.alphaDropout({ rate: 0.2, ...extra }) },
  { kind: 'Masking', input: [5, 2], layer: (extra) => tf.layers.masking({ maskValue: 0, ...extra }) },
  { kind: 'Embedding', input: [7], dtype: 'int32', layer: (extra) => tf.layers.embedding({ inputDim: 30, outputDim: 4, maskZero: true, ...extra }) },
  { kind: 'SimpleRNN', input: [5, 2], layer: (extra) => tf.layers.simpleRNN({ units: 3, returnSequences: true, ...extra }) },
  { kind: 'LSTM', input: [5, 2], layer: (extra) => tf.layers.lstm({ units: 4, ...extra }) },
  { kind: 'GRU', input: [5, 2], layer: (extra) => tf.layers.gru({ units: 3, goBackwards: true, ...extra }) },
  {
    kind: 'Bidirectional',
    input: [5, 2],
    layer: (extra) => tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 3, returnSequences: true }) as tf.RNN, mergeMode: 'sum', ...extra }),
  },
  { kind: 'TimeDistributed', input: [4, 5], layer: (extra) => tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3 }), ...extra }) },
];

interface MergeCase {
  kind: string;
  inputs: number[][];
  layer(): tf.layers.Layer;
}

const mergeCases: MergeCase[] = [
  { kind: 'Add', inputs: [[4], [4]], layer: () => tf.layers.add() },
  { kind: 'Multiply', inputs: [[4], [4]], layer: () => tf.layers.multiply() },
  { kind: 'Average', inputs: [[4], [4]], layer: () => tf.layers.average() },
  { kind: 'Maximum', inputs: [[4], [4]], layer: () => tf.layers.maximum() },
  { kind: 'Minimum', inputs: [[4], [4]], layer: () => tf.layers.minimum() },
  { kind: 'Concatenate', inputs: [[4], [3]], layer: () => tf.layers.concatenate({ axis: -1 }) },
];

/**
 * Hand-written Keras configs with the shapes and counts Keras gives: kinds that tfjs 4.22 has no
 * class for (inference flags the four of them as unable to train in the browser), and a setting
 * that tfjs drops from its own JSON.
 */
const kerasOnlyCases: { kind: string; input: number[]; config: object; outputShape: Shape; params: number; errors: string[] }[] = [
  { kind: 'ZeroPadding1D', input: [5, 2], config: { padding: [1, 2] }, outputShape: [null, 8, 2], params: 0, errors: ['unsupported'] },
  { kind: 'Cropping1D', input: [6, 2], config: { cropping: [2, 1] }, outputShape: [null, 3, 2], params: 0, errors: ['unsupported'] },
  { kind: 'UpSampling1D', input: [4, 3], config: { size: 3 }, outputShape: [null, 12, 3], params: 0, errors: ['unsupported'] },
  { kind: 'SpatialDropout2D', input: [4, 4, 3], config: { rate: 0.2, data_format: 'channels_last' }, outputShape: [null, 4, 4, 3], params: 0, errors: ['unsupported'] },
  {
    kind: 'SeparableConv2D',
    input: [6, 6, 3],
    config: { filters: 4, kernel_size: [3, 3], depth_multiplier: 2 },
    outputShape: [null, 4, 4, 4],
    // depthwise 3·3·3·2 + pointwise 6·4 + bias 4
    params: 82,
    errors: [],
  },
];

const NESTED_KINDS = ['Sequential', 'Functional'];

function weightCount(weights: tf.LayerVariable[]): number {
  return weights.reduce((sum, weight) => sum + weight.shape.reduce<number>((product, dim) => product * (dim ?? 0), 1), 0);
}

function shapesOf(layer: tf.layers.Layer): Shape[] {
  const shape = layer.outputShape as Shape | Shape[];
  return Array.isArray(shape[0]) ? (shape as Shape[]) : [shape as Shape];
}

/** Imports tfjs's JSON of the model and checks every tfjs layer against the imported node. */
function expectImportMatches(model: tf.LayersModel): Graph {
  const result = importModelJson(model.toJSON(null, true) as string);
  if (!result.ok) throw new Error(result.errors.join(' | '));
  const { graph } = result;
  const inference = inferGraph(graph);
  expect(inference.errors).toEqual([]);
  expect(inference.totalParams).toBe(model.countParams());

  for (const layer of model.layers) {
    const node = graph.nodes.find((candidate) => candidate.name === layer.name);
    expect(node, `node for ${layer.name}`).toBeDefined();
    const ours = inference.nodes.get(node!.id)!;
    expect(ours.outputShapes, layer.name).toEqual(shapesOf(layer));
    expect(ours.trainableParams, layer.name).toBe(weightCount(layer.trainableWeights));
    expect(ours.nonTrainableParams, layer.name).toBe(weightCount(layer.nonTrainableWeights));
  }
  return graph;
}

beforeAll(async () => {
  await selectCpuBackend();
});

describe('tfjs toJSON imports for each kind', () => {
  for (const testCase of singleCases) {
    it(`${testCase.kind} in a functional model`, () => {
      const input = tf.input({ shape: testCase.input, dtype: testCase.dtype ?? 'float32' });
      const output = testCase.layer({}).apply(input) as tf.SymbolicTensor;
      const graph = expectImportMatches(tf.model({ inputs: input, outputs: output }));
      expect(graph.nodes.map((node) => node.kind)).toEqual(['InputLayer', testCase.kind]);
    });

    it(`${testCase.kind} first in a Sequential model`, () => {
      const model = tf.sequential({ layers: [testCase.layer({ inputShape: testCase.input })] });
      const graph = expectImportMatches(model);
      expect(graph.nodes.map((node) => node.kind)).toEqual(['InputLayer', testCase.kind]);
    });
  }

  for (const testCase of mergeCases) {
    it(`${testCase.kind} of two inputs`, () => {
      const inputs = testCase.inputs.map((shape) => tf.input({ shape }));
      const output = testCase.layer().apply(inputs) as tf.SymbolicTensor;
      const graph = expectImportMatches(tf.model({ inputs, outputs: output }));
      const merge = graph.nodes.find((node) => node.kind === testCase.kind)!;
      const incoming = graph.edges.filter((edge) => edge.target === merge.id);
      expect(incoming.map((edge) => edge.targetInput)).toEqual([0, 1]);
    });
  }

  it('Sequential inside a functional model', () => {
    const inner = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4] }), tf.layers.dense({ units: 2 })] });
    const input = tf.input({ shape: [4] });
    const output = tf.layers.dense({ units: 1 }).apply(inner.apply(input) as tf.SymbolicTensor) as tf.SymbolicTensor;
    const graph = expectImportMatches(tf.model({ inputs: input, outputs: output }));
    expect(graph.nodes.map((node) => node.kind)).toEqual(['InputLayer', 'Sequential', 'Dense']);
  });

  it('Functional inside a Sequential model', () => {
    const innerInput = tf.input({ shape: [6] });
    const inner = tf.model({ inputs: innerInput, outputs: tf.layers.dense({ units: 2 }).apply(innerInput) as tf.SymbolicTensor });
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 6, inputShape: [3] }), inner] });
    const graph = expectImportMatches(model);
    expect(graph.nodes.map((node) => node.kind)).toEqual(['InputLayer', 'Dense', 'Functional']);
  });

  it('shared Dense called three times', () => {
    const input = tf.input({ shape: [5] });
    const shared = tf.layers.dense({ units: 5 });
    const once = shared.apply(input) as tf.SymbolicTensor;
    const twice = shared.apply(shared.apply(input) as tf.SymbolicTensor) as tf.SymbolicTensor;
    const output = tf.layers.add().apply([once, twice]) as tf.SymbolicTensor;
    const graph = expectImportMatches(tf.model({ inputs: input, outputs: output }));
    const calls = graph.nodes.filter((node) => node.kind === 'Dense');
    expect(calls.map((node) => node.sharedWith)).toEqual([undefined, calls[0].id, calls[0].id]);
  });

  it('saved model.json with a weights manifest', async () => {
    const model = tf.sequential({ layers: [tf.layers.conv1d({ filters: 2, kernelSize: 3, inputShape: [8, 1] }), tf.layers.flatten(), tf.layers.dense({ units: 1 })] });
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const file = {
      modelTopology: saved!.modelTopology,
      format: saved!.format,
      generatedBy: saved!.generatedBy,
      convertedBy: saved!.convertedBy,
      weightsManifest: [{ paths: ['weights.bin'], weights: saved!.weightSpecs }],
    };
    const result = importModelJson(JSON.stringify(file));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const manifestTotal = saved!.weightSpecs!.reduce((sum, spec) => sum + spec.shape.reduce((a, b) => a * b, 1), 0);
    expect(inferGraph(result.graph).totalParams).toBe(manifestTotal);
  });

  for (const testCase of kerasOnlyCases) {
    it(`${testCase.kind} from a Keras config`, () => {
      const model = {
        class_name: 'Sequential',
        config: { name: 'sequential', layers: [{ class_name: testCase.kind, config: { name: 'layer', batch_input_shape: [null, ...testCase.input], ...testCase.config } }] },
      };
      const result = importModelJson(JSON.stringify(model));
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      const inference = inferGraph(result.graph);
      expect(inference.errors.map((error) => error.code)).toEqual(testCase.errors);
      expect(inference.nodes.get('n2')!.outputShapes).toEqual([testCase.outputShape]);
      expect(inference.totalParams).toBe(testCase.params);
      expect(result.warnings).toEqual([]);
    });
  }

  it('every catalogue kind has a case here', () => {
    const covered = new Set(['InputLayer', ...NESTED_KINDS, ...singleCases.map((c) => c.kind), ...mergeCases.map((c) => c.kind), ...kerasOnlyCases.map((c) => c.kind)]);
    expect(LAYER_KINDS.map((kind) => kind.className).filter((name) => !covered.has(name))).toEqual([]);
  });
});
