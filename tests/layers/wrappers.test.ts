import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { chain } from '../helpers/graph-builders';
import { compareWithTfjs } from '../helpers/tfjs-reference';
import { compileGraph } from '../../src/compile/compile';
import { graphToKerasModel } from '../../src/compile/keras-export';
import { inferGraph } from '../../src/graph/infer';
import type { Graph, GraphNode, LayerSpec, Params, Shape } from '../../src/graph/types';
import { expectAgreement } from '../helpers/expect-agreement';

function errorsOf(result: { errors: { nodeId: string; code: string }[] }): [string, string][] {
  return result.errors.map((error) => [error.nodeId, error.code]);
}

function input(id: string, shape: Shape): GraphNode {
  return { id, kind: 'InputLayer', name: id, params: { shape } };
}

/** Builds Inputs with `shapes`, all feeding one node `model` of `kind` that contains `inner`. */
function callModel(kind: 'Sequential' | 'Functional', inner: Graph, shapes: Shape[]): Graph {
  const nodes: GraphNode[] = shapes.map((shape, i) => input(`in${i}`, shape));
  nodes.push({ id: 'model', kind, name: 'nested', params: { graph: inner } });
  const edges = shapes.map((_, i) => ({ id: `e${i}`, source: `in${i}`, target: 'model', targetInput: i }));
  return { nodes, edges };
}

function wrap(kind: string, params: Params = {}): LayerSpec {
  return { kind, params };
}

describe('Bidirectional against tfjs', () => {
  const cases: { name: string; input: Shape; params: Params }[] = [
    ...['concat', 'sum', 'mul', 'ave'].map((mergeMode) => ({
      name: `Bidirectional LSTM ${mergeMode}`,
      input: [8, 3],
      params: { layer: wrap('LSTM', { units: 4 }), mergeMode },
    })),
    ...['concat', 'ave'].map((mergeMode) => ({
      name: `Bidirectional LSTM every step, ${mergeMode}`,
      input: [8, 3],
      params: { layer: wrap('LSTM', { units: 4, returnSequences: true }), mergeMode },
    })),
    { name: 'Bidirectional GRU', input: [6, 5], params: { layer: wrap('GRU', { units: 3, resetAfter: false }) } },
    { name: 'Bidirectional backwards SimpleRNN', input: [6, 5], params: { layer: wrap('SimpleRNN', { units: 2, goBackwards: true }), mergeMode: 'sum' } },
    { name: 'Bidirectional unknown length', input: [null, 5], params: { layer: wrap('LSTM', { units: 2, returnSequences: true }) } },
    { name: 'Bidirectional without bias', input: [4, 2], params: { layer: wrap('LSTM', { units: 3, useBias: false }), mergeMode: 'mul' } },
  ];

  for (const testCase of cases) {
    it(testCase.name, async () => {
      await expectAgreement(chain(testCase.input, [{ kind: 'Bidirectional', params: testCase.params }]));
    });
  }

  it('Bidirectional weights are two copies', async () => {
    const result = await expectAgreement(chain([8, 3], [{ kind: 'Bidirectional', params: { layer: wrap('SimpleRNN', { units: 2 }) } }]));
    expect(result.inference.nodes.get('n1')!.weights.map((weight) => weight.name)).toEqual([
      'forward_kernel',
      'forward_recurrent_kernel',
      'forward_bias',
      'backward_kernel',
      'backward_recurrent_kernel',
      'backward_bias',
    ]);
  });

  it('Bidirectional LSTM on an Embedding', () => {
    // Keras: 2 × 4 × (64·64 + 64·64 + 64) = 66,048. The same structure is built by tfjs above at
    // smaller sizes, because its orthogonal initializer takes seconds on 64 × 256 matrices.
    const graph = chain([50], [
      { kind: 'Embedding', params: { inputDim: 500, outputDim: 64 } },
      { kind: 'Bidirectional', params: { layer: wrap('LSTM', { units: 64 }), mergeMode: 'concat' } },
    ], 'int32');
    const inference = inferGraph(graph);
    expect(inference.errors).toEqual([]);
    expect(inference.nodes.get('n2')!.outputShapes).toEqual([[null, 128]]);
    expect(inference.nodes.get('n2')!.trainableParams).toBe(66_048);
  });

  it('Bidirectional on a vector keeps the Reshape fix', async () => {
    const result = await compareWithTfjs(chain([20], [{ kind: 'Bidirectional', params: { layer: wrap('LSTM') } }]));
    expect(errorsOf(result.inference)).toEqual([['n1', 'wrong-rank']]);
    expect(result.inference.errors[0].message).toBe(
      'bidirectional_1: wrapped LSTM needs rank 3 (batch, time, features) but got (None, 20); add Reshape to (20, 1) before it, or an Embedding if the values are token ids',
    );
    expect(result.inference.errors[0].fix).toMatchObject({ type: 'insert-before', nodeId: 'n1', kind: 'Reshape' });
    expect(result.built).toBe(false);
  });

  it('Bidirectional starts with an LSTM of 32 units', () => {
    const inference = inferGraph(chain([5, 2], [{ kind: 'Bidirectional', params: {} }]));
    expect(errorsOf(inference)).toEqual([]);
    // 2 directions × (2·128 + 32·128 + 128) = 2 × 4,480.
    expect(inference.totalParams).toBe(8960);
  });

  it('Bidirectional with an empty layer', () => {
    const inference = inferGraph(chain([5, 2], [{ kind: 'Bidirectional', params: { layer: null } }]));
    expect(errorsOf(inference)).toEqual([['n1', 'invalid-param']]);
    expect(inference.errors[0].fix).toMatchObject({ type: 'set-param', param: 'layer', value: { kind: 'LSTM', params: {} } });
  });

  it('Bidirectional of a Dense', () => {
    const inference = inferGraph(chain([5, 2], [{ kind: 'Bidirectional', params: { layer: wrap('Dense') } }]));
    expect(errorsOf(inference)).toEqual([['n1', 'unsupported']]);
  });

  it('Bidirectional with invalid units', () => {
    const inference = inferGraph(chain([5, 2], [{ kind: 'Bidirectional', params: { layer: wrap('GRU', { units: 0 }) } }]));
    expect(errorsOf(inference)).toEqual([['n1', 'invalid-param']]);
    expect(inference.errors[0].message).toContain('wrapped GRU units');
  });
});

describe('TimeDistributed against tfjs', () => {
  const cases: { name: string; input: Shape; layer: LayerSpec }[] = [
    { name: 'TimeDistributed Dense', input: [5, 3], layer: wrap('Dense', { units: 4 }) },
    { name: 'TimeDistributed Dense without bias', input: [5, 3], layer: wrap('Dense', { units: 2, useBias: false }) },
    { name: 'TimeDistributed Dense, unknown length', input: [null, 3], layer: wrap('Dense', { units: 4, activation: 'softmax' }) },
    { name: 'TimeDistributed Dropout', input: [5, 3, 2], layer: wrap('Dropout', { rate: 0.2 }) },
    { name: 'TimeDistributed BatchNormalization', input: [5, 3], layer: wrap('BatchNormalization') },
    { name: 'TimeDistributed PReLU', input: [5, 3], layer: wrap('PReLU') },
  ];

  for (const testCase of cases) {
    it(testCase.name, async () => {
      await expectAgreement(chain(testCase.input, [{ kind: 'TimeDistributed', params: { layer: testCase.layer } }]));
    });
  }

  it('TimeDistributed Dense after an LSTM', async () => {
    const graph = chain([12, 4], [
      { kind: 'LSTM', params: { units: 6, returnSequences: true } },
      { kind: 'TimeDistributed', params: { layer: wrap('Dense', { units: 3 }) } },
    ]);
    const result = await expectAgreement(graph);
    expect(result.inference.nodes.get('n2')!.outputShapes).toEqual([[null, 12, 3]]);
  });

  it('TimeDistributed on a vector', async () => {
    const result = await compareWithTfjs(chain([8], [{ kind: 'TimeDistributed', params: { layer: wrap('Dense') } }]));
    expect(errorsOf(result.inference)).toEqual([['n1', 'wrong-rank']]);
    expect(result.inference.errors[0].message).toBe(
      'timedistributed_1: TimeDistributed needs rank 3 or more (batch, time, …) but got (None, 8); use Dense directly, without TimeDistributed',
    );
    expect(result.built).toBe(false);
  });

  it('TimeDistributed step rejected by the wrapped layer', () => {
    const inference = inferGraph(chain([5, 6, 3], [{ kind: 'TimeDistributed', params: { layer: wrap('Dense') } }]));
    expect(errorsOf(inference)).toEqual([['n1', 'wrong-rank']]);
    expect(inference.errors[0].message).toContain('TimeDistributed feeds each time step (None, 6, 3) to the wrapped Dense');
    expect(inference.errors[0].fix).toBeUndefined();
  });

  it('TimeDistributed starts with a Dense of 32 units', () => {
    const inference = inferGraph(chain([5, 2], [{ kind: 'TimeDistributed', params: {} }]));
    expect(errorsOf(inference)).toEqual([]);
    expect(inference.nodes.get('n1')!.outputShapes).toEqual([[null, 5, 32]]);
  });

  it('TimeDistributed with an empty layer', () => {
    const inference = inferGraph(chain([5, 2], [{ kind: 'TimeDistributed', params: { layer: null } }]));
    expect(errorsOf(inference)).toEqual([['n1', 'invalid-param']]);
  });
});

const denseChain: Graph = chain([8], [
  { kind: 'Dense', params: { units: 4, activation: 'relu' }, name: 'inner_dense_1' },
  { kind: 'Dense', params: { units: 2 }, name: 'inner_dense_2' },
]);

const twoInputModel: Graph = {
  nodes: [
    input('a', [3]),
    input('b', [3]),
    { id: 'join', kind: 'Concatenate', name: 'inner_join', params: {} },
    { id: 'out', kind: 'Dense', name: 'inner_out', params: { units: 2 } },
  ],
  edges: [
    { id: 'e1', source: 'a', target: 'join', targetInput: 0 },
    { id: 'e2', source: 'b', target: 'join', targetInput: 1 },
    { id: 'e3', source: 'join', target: 'out' },
  ],
};

describe('nested models against tfjs', () => {
  it('Sequential used as a layer', async () => {
    const graph = callModel('Sequential', denseChain, [[8]]);
    graph.nodes.push({ id: 'head', kind: 'Dense', name: 'head', params: { units: 1 } });
    graph.edges.push({ id: 'e-head', source: 'model', target: 'head' });
    const result = await expectAgreement(graph);
    expect(result.inference.nodes.get('model')!.trainableParams).toBe(8 * 4 + 4 + 4 * 2 + 2);
  });

  it('Functional with two inputs used as a layer', async () => {
    await expectAgreement(callModel('Functional', twoInputModel, [[3], [3]]));
  });

  it('Functional with BatchNormalization inside', async () => {
    const inner = chain([4], [{ kind: 'BatchNormalization', params: {}, name: 'inner_bn' }]);
    const result = await expectAgreement(callModel('Functional', inner, [[4]]));
    expect(result.inference.nodes.get('model')!.nonTrainableParams).toBe(8);
  });

  it('Functional takes known sizes from its caller', async () => {
    const inner = chain([null, 3], [{ kind: 'LSTM', params: { units: 4, returnSequences: true }, name: 'inner_lstm' }]);
    const graph = callModel('Functional', inner, [[5, 3]]);
    const inference = inferGraph(graph);
    expect(inference.errors).toEqual([]);
    expect(inference.nodes.get('model')!.outputShapes).toEqual([[null, 5, 4]]);

    // The nested model's own node keeps (None, None, 4), so tfjs has no single output shape for
    // the layer. The model's output tensor shows the shape of the call.
    const model = await compileGraph(graph);
    expect(model.outputs[0].shape).toEqual([null, 5, 4]);
    model.dispose();
  });

  it('nested model calls count from one in Keras JSON', () => {
    const config = graphToKerasModel(callModel('Sequential', denseChain, [[8]])).config;
    expect(config.output_layers).toEqual([['nested', 1, 0]]);
    const layers = config.layers as { class_name: string; config: { layers?: { class_name: string }[] } }[];
    expect(layers[1].class_name).toBe('Sequential');
    expect(layers[1].config.layers!.map((layer) => layer.class_name)).toEqual(['InputLayer', 'Dense', 'Dense']);
  });

  it('Sequential with a branch', () => {
    const inference = inferGraph(callModel('Sequential', twoInputModel, [[3]]));
    expect(errorsOf(inference)).toEqual([['model', 'unsupported']]);
    expect(inference.errors[0].message).toBe(
      'nested: Sequential needs one chain of layers from one Input to one output, but its model has 2 Input layers; make it a Functional model',
    );
  });

  it('nested model on a wrong input size', async () => {
    const graph = callModel('Sequential', denseChain, [[5]]);
    expect(errorsOf(inferGraph(graph))).toEqual([['model', 'merge-mismatch']]);

    // tfjs builds this model without checking the call, and rejects it once data flows through.
    const model = await compileGraph(graph);
    expect(() => tf.tidy(() => model.predict(tf.ones([1, 5])) as tf.Tensor)).toThrow(/expected axis -1 of input shape to have value 8/);
    model.dispose();
  });

  it('nested model with an error inside', () => {
    const inner = chain([8], [{ kind: 'LSTM', params: {}, name: 'inner_lstm' }]);
    const inference = inferGraph(callModel('Functional', inner, [[8]]));
    expect(errorsOf(inference)).toEqual([['model', 'wrong-rank']]);
    expect(inference.errors[0].message).toContain('inside the nested model, inner_lstm: LSTM needs rank 3');
  });

  it('nested model without a graph', () => {
    const inference = inferGraph(callModel('Functional', null as unknown as Graph, [[8]]));
    expect(errorsOf(inference)).toEqual([['model', 'invalid-param']]);
  });
});

describe('shared layers against tfjs', () => {
  /** Builds two Inputs, each through a call of the same layer, joined by a Concatenate. */
  function sharedGraph(kind: string, params: Params, secondParams: Params = params): Graph {
    return {
      nodes: [
        input('left', [3]),
        input('right', [3]),
        { id: 'first', kind, name: 'shared', params },
        { id: 'second', kind, name: 'shared_call_2', params: secondParams, sharedWith: 'first' },
        { id: 'join', kind: 'Concatenate', name: 'join', params: {} },
      ],
      edges: [
        { id: 'e1', source: 'left', target: 'first' },
        { id: 'e2', source: 'right', target: 'second' },
        { id: 'e3', source: 'first', target: 'join', targetInput: 0 },
        { id: 'e4', source: 'second', target: 'join', targetInput: 1 },
      ],
    };
  }

  it('shared Dense counts its weights once', async () => {
    const result = await expectAgreement(sharedGraph('Dense', { units: 2 }));
    expect(result.inference.totalParams).toBe(3 * 2 + 2);
    if (result.built) expect(result.model.countParams()).toBe(3 * 2 + 2);
    expect(result.inference.nodes.get('second')!.outputShapes).toEqual([[null, 2]]);
    expect(result.inference.nodes.get('join')!.outputShapes).toEqual([[null, 4]]);
  });

  it('shared Dense call takes the layer parameters', () => {
    const inference = inferGraph(sharedGraph('Dense', { units: 2 }, {}));
    expect(inference.errors).toEqual([]);
    expect(inference.nodes.get('second')!.outputShapes).toEqual([[null, 2]]);
  });

  it('shared Sequential counts its weights once', async () => {
    const inner = chain([3], [{ kind: 'Dense', params: { units: 5 }, name: 'inner_dense' }]);
    const result = await expectAgreement(sharedGraph('Sequential', { graph: inner }));
    expect(result.inference.totalParams).toBe(3 * 5 + 5);
    if (result.built) expect(result.model.countParams()).toBe(3 * 5 + 5);
    expect(result.inference.nodes.get('join')!.outputShapes).toEqual([[null, 10]]);
  });
});
