import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_TEXT_LENGTH } from '../../src/compile/import-json';
import { graphToKerasModel } from '../../src/compile/keras-export';
import { importModelJson, type ImportResult } from '../../src/compile/keras-import';
import { inferGraph } from '../../src/graph/infer';
import { getTemplate } from '../../src/graph/templates';
import type { Graph, GraphNode, LayerSpec } from '../../src/graph/types';
import { compareWithTfjs } from '../helpers/tfjs-reference';

const fixtures = path.resolve(__dirname, '../fixtures/keras3');

function fixture(name: string): string {
  return readFileSync(path.join(fixtures, name), 'utf8');
}

type Imported = Extract<ImportResult, { ok: true }>;

function importOk(input: string | object): Imported {
  const result = importModelJson(typeof input === 'string' ? input : JSON.stringify(input));
  if (!result.ok) throw new Error(`import failed: ${result.errors.join(' | ')}`);
  return result;
}

function importErrors(input: string | object): string[] {
  const result = importModelJson(typeof input === 'string' ? input : JSON.stringify(input));
  if (result.ok) throw new Error('import succeeded but was expected to fail');
  return result.errors;
}

function node(graph: Graph, name: string): GraphNode {
  const found = graph.nodes.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no node named ${name}; nodes are ${graph.nodes.map((n) => n.name).join(', ')}`);
  return found;
}

function sourcesOf(graph: Graph, name: string): string[] {
  const target = node(graph, name).id;
  return graph.edges
    .filter((edge) => edge.target === target)
    .sort((a, b) => (a.targetInput ?? 0) - (b.targetInput ?? 0))
    .map((edge) => graph.nodes.find((candidate) => candidate.id === edge.source)!.name);
}

/** Builds a tf.keras 2 Sequential model config from layer configs. */
function sequential(layers: object[], extra: object = {}): object {
  return { class_name: 'Sequential', config: { name: 'sequential', layers, ...extra }, keras_version: '2.15.0', backend: 'tensorflow' };
}

function layer(className: string, config: object): object {
  return { class_name: className, config };
}

/** Checks that tfjs, building the imported graph, reports the same shapes and counts. */
async function expectTfjsAgrees(graph: Graph): Promise<void> {
  const result = await compareWithTfjs(graph);
  expect(result.built, result.built ? '' : result.error).toBe(true);
  if (!result.built) return;
  for (const compared of result.layers) {
    expect(compared.ours.outputShape, compared.name).toEqual(compared.tfjs.outputShape);
    expect(compared.ours.trainable, compared.name).toBe(compared.tfjs.trainable);
    expect(compared.ours.nonTrainable, compared.name).toBe(compared.tfjs.nonTrainable);
  }
}

describe('Keras 3 fixtures', () => {
  it('Sequential with InputLayer batch_shape', async () => {
    const { graph, warnings, modelName } = importOk(fixture('sequential-batch-shape.json'));
    expect(modelName).toBe('digits');
    expect(warnings).toEqual([]);
    expect(graph.nodes.map((n) => `${n.id} ${n.kind} ${n.name}`)).toEqual([
      'n1 InputLayer input_layer',
      'n2 Conv2D conv2d',
      'n3 MaxPooling2D max_pooling2d',
      'n4 Flatten flatten',
      'n5 Dense dense',
      'n6 Dropout dropout',
      'n7 Dense dense_1',
    ]);
    expect(graph.edges.map((edge) => `${edge.source}->${edge.target}`)).toEqual(['n1->n2', 'n2->n3', 'n3->n4', 'n4->n5', 'n5->n6', 'n6->n7']);
    expect(node(graph, 'input_layer').params).toEqual({ shape: [28, 28, 1], dtype: 'float32' });
    expect(node(graph, 'dense').params.kernelRegularizer).toEqual({ l1: 0, l2: 0.01 });
    expect(node(graph, 'conv2d').params).toMatchObject({ filters: 8, kernelSize: [3, 3], activation: 'relu' });
    expect(graph.nodes.every((n) => n.position === undefined)).toBe(true);

    const inference = inferGraph(graph);
    expect(inference.errors).toEqual([]);
    expect(inference.totalParams).toBe(21_898);
    await expectTfjsAgrees(graph);
  });

  it('functional with keras_history args', async () => {
    const { graph, modelName } = importOk(fixture('functional-two-inputs.json'));
    expect(modelName).toBe('two_towers');
    expect(sourcesOf(graph, 'concatenate')).toEqual(['dense_a', 'dense_b']);
    expect(sourcesOf(graph, 'output')).toEqual(['concatenate']);
    const inference = inferGraph(graph);
    expect(inference.errors).toEqual([]);
    expect(inference.inputs.map((id) => graph.nodes.find((n) => n.id === id)!.name)).toEqual(['input_a', 'input_b']);
    expect(inference.totalParams).toBe(257);
    await expectTfjsAgrees(graph);
  });

  it('nested Sequential and Functional inside a Functional', () => {
    const { graph } = importOk(fixture('nested-models.json'));
    expect(graph.nodes.map((n) => `${n.kind} ${n.name}`)).toEqual(['InputLayer features', 'Sequential encoder', 'Functional head']);
    expect(sourcesOf(graph, 'encoder')).toEqual(['features']);
    expect(sourcesOf(graph, 'head')).toEqual(['encoder']);

    const encoder = node(graph, 'encoder').params.graph as Graph;
    expect(encoder.nodes.map((n) => n.name)).toEqual(['encoder_input', 'encoder_dense', 'encoder_code']);
    const head = node(graph, 'head').params.graph as Graph;
    expect(head.nodes.map((n) => n.name)).toEqual(['head_input', 'head_dense']);

    const inference = inferGraph(graph);
    expect(inference.errors).toEqual([]);
    // encoder 10·6+6 + 6·3+3 = 87, head 3·2+2 = 8
    expect(inference.totalParams).toBe(95);
    expect(inference.nodes.get(node(graph, 'head').id)!.outputShapes).toEqual([[null, 2]]);
  });

  it('shared layer called twice', async () => {
    const { graph } = importOk(fixture('shared-layer.json'));
    const first = node(graph, 'shared_dense');
    const second = node(graph, 'shared_dense_call2');
    expect(first.sharedWith).toBeUndefined();
    expect(second.sharedWith).toBe(first.id);
    expect(second.params).toEqual(first.params);
    expect(second.params).not.toBe(first.params);
    expect(sourcesOf(graph, 'shared_dense')).toEqual(['left']);
    expect(sourcesOf(graph, 'shared_dense_call2')).toEqual(['right']);
    expect(sourcesOf(graph, 'add')).toEqual(['shared_dense', 'shared_dense_call2']);

    const inference = inferGraph(graph);
    expect(inference.errors).toEqual([]);
    expect(inference.totalParams).toBe(29);
    await expectTfjsAgrees(graph);
  });
});

describe('tf.keras 2 layouts', () => {
  it('exported solubility model imports unchanged', async () => {
    const original = getTemplate('solubility')!.build();
    const { graph } = importOk(graphToKerasModel(original, 'solubility'));
    expect(graph.nodes.map((n) => [n.kind, n.name])).toEqual(original.nodes.map((n) => [n.kind, n.name]));
    const before = inferGraph(original);
    const after = inferGraph(graph);
    expect(after.errors).toEqual([]);
    expect(after.totalParams).toBe(before.totalParams);
    expect(graph.nodes.map((n) => after.nodes.get(n.id)!.outputShapes)).toEqual(original.nodes.map((n) => before.nodes.get(n.id)!.outputShapes));
    expect(node(graph, 'embedding').params).toMatchObject({ inputDim: 21, outputDim: 16, maskZero: true });
  });

  it('exported residual model keeps the skip connection', () => {
    const original = getTemplate('residual')!.build();
    const { graph } = importOk(graphToKerasModel(original));
    expect(sourcesOf(graph, 'add')).toEqual(['conv2d', 'batch_normalization_1']);
    const inference = inferGraph(graph);
    expect(inference.errors).toEqual([]);
    expect(inference.totalParams).toBe(inferGraph(original).totalParams);
  });

  it('exported shared layer imports as a shared node', () => {
    const { graph } = importOk(fixture('shared-layer.json'));
    const again = importOk(graphToKerasModel(graph)).graph;
    expect(again.nodes.filter((n) => n.sharedWith).map((n) => n.name)).toEqual(['shared_dense_call2']);
    expect(inferGraph(again).totalParams).toBe(29);
  });

  it('Sequential config as a bare list', () => {
    const model = {
      class_name: 'Sequential',
      config: [
        layer('Dense', { name: 'dense_1', batch_input_shape: [null, 3], units: 4 }),
        layer('Dense', { name: 'dense_2', units: 1 }),
      ],
    };
    const { graph, modelName } = importOk(model);
    expect(modelName).toBe('sequential');
    expect(graph.nodes.map((n) => n.name)).toEqual(['dense_1_input', 'dense_1', 'dense_2']);
    expect(inferGraph(graph).totalParams).toBe(16 + 5);
  });

  it('first layer batch_input_shape becomes an InputLayer', () => {
    const { graph } = importOk(sequential([layer('Dense', { name: 'dense', batch_input_shape: [null, 784], dtype: 'float32', units: 2 })]));
    expect(graph.nodes[0]).toEqual({ id: 'n1', kind: 'InputLayer', name: 'dense_input', params: { shape: [784], dtype: 'float32' } });
    expect(graph.edges).toEqual([{ id: 'e1', source: 'n1', target: 'n2' }]);
  });

  it('fixed batch size is kept', () => {
    const { graph } = importOk(sequential([layer('InputLayer', { batch_input_shape: [32, 10], name: 'input_1' }), layer('Dense', { name: 'dense', units: 2 })]));
    expect(graph.nodes[0].params).toEqual({ shape: [10], batchSize: 32, dtype: 'float32' });
    const inference = inferGraph(graph);
    expect(inference.nodes.get('n2')!.outputShapes).toEqual([[32, 2]]);
  });

  it('camelCase batchInputShape on InputLayer', () => {
    const { graph } = importOk(sequential([layer('InputLayer', { batchInputShape: [null, 64, 64, 3], name: 'input_layer' }), layer('Flatten', { name: 'flatten' })]));
    expect(graph.nodes[0].params.shape).toEqual([64, 64, 3]);
    expect(inferGraph(graph).nodes.get('n2')!.outputShapes).toEqual([[null, 12288]]);
  });

  it('build_config input_shape on the first layer', () => {
    const first = { class_name: 'Dense', config: { name: 'dense', units: 3 }, build_config: { input_shape: [null, 7] } };
    const { graph } = importOk(sequential([first]));
    expect(graph.nodes.map((n) => n.name)).toEqual(['dense_input', 'dense']);
    expect(inferGraph(graph).totalParams).toBe(24);
  });

  it('model build_input_shape when layers declare none', () => {
    const { graph } = importOk(sequential([layer('Dense', { name: 'dense', units: 3 })], { build_input_shape: [null, 5] }));
    expect(graph.nodes[0].params.shape).toEqual([5]);
    expect(inferGraph(graph).totalParams).toBe(18);
  });

  it('Keras 3 model build_config when layers declare none', () => {
    const model = { ...sequential([layer('Dense', { name: 'dense', units: 3 })]), build_config: { input_shape: [null, 2] } };
    expect(importOk(model).graph.nodes[0].params.shape).toEqual([2]);
  });

  it('stale batch_input_shape on inner layers is ignored', () => {
    const { graph } = importOk(
      sequential([
        layer('InputLayer', { batch_input_shape: [null, 4], name: 'input_1' }),
        layer('Dense', { name: 'dense', batch_input_shape: [null, 4], units: 3 }),
        layer('Dense', { name: 'dense_1', batch_input_shape: [null, 99], units: 2 }),
      ]),
    );
    expect(graph.nodes.map((n) => n.kind)).toEqual(['InputLayer', 'Dense', 'Dense']);
    expect(inferGraph(graph).totalParams).toBe(15 + 8);
  });

  it('no input shape anywhere gives a warning', () => {
    const { graph, warnings } = importOk(sequential([layer('Dense', { name: 'dense', units: 3 })]));
    expect(graph.nodes.map((n) => n.kind)).toEqual(['Dense']);
    expect(warnings).toEqual(["The model declares no input shape; add an Input layer before 'dense' to see shapes"]);
  });

  it('tfjs model.json with model_config', () => {
    const file = {
      format: 'layers-model',
      generatedBy: 'keras v2.4.0',
      convertedBy: 'TensorFlow.js Converter v3.0.0',
      modelTopology: { keras_version: '2.4.0', backend: 'tensorflow', model_config: sequential([layer('Dense', { name: 'dense', batch_input_shape: [null, 2], units: 1 })]) },
      weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: [] }],
    };
    expect(inferGraph(importOk(file).graph).totalParams).toBe(3);
  });

  it('HDF5 model_config stored as a string', () => {
    const file = { model_config: JSON.stringify(sequential([layer('Dense', { name: 'dense', batch_input_shape: [null, 2], units: 1 })])) };
    expect(inferGraph(importOk(file).graph).totalParams).toBe(3);
  });

  it('whole model encoded as a JSON string', () => {
    const text = JSON.stringify(JSON.stringify(sequential([layer('Dense', { name: 'dense', batch_input_shape: [null, 2], units: 1 })])));
    expect(inferGraph(importOk(text).graph).totalParams).toBe(3);
  });

  it('class name Model reads as Functional', () => {
    const model = graphToKerasModel(getTemplate('mlp-2d')!.build());
    const { graph } = importOk({ ...model, class_name: 'Model' });
    expect(inferGraph(graph).totalParams).toBe(337);
  });
});

describe('parameter conversion', () => {
  const input = (shape: number[], dtype = 'float32') => layer('InputLayer', { batch_input_shape: [null, ...shape], dtype, name: 'input_1' });

  it('one-element lists of 1-D kinds become ints', () => {
    const { graph } = importOk(
      sequential([
        input([20, 3]),
        layer('Conv1D', { name: 'conv1d', filters: 4, kernel_size: [5], strides: [1], dilation_rate: [1], padding: 'valid' }),
        layer('MaxPooling1D', { name: 'max_pooling1d', pool_size: [4], strides: [4], padding: 'valid' }),
      ]),
    );
    expect(node(graph, 'conv1d').params).toMatchObject({ kernelSize: 5, strides: 1, dilationRate: 1 });
    expect(node(graph, 'max_pooling1d').params).toMatchObject({ poolSize: 4, strides: 4 });
    const inference = inferGraph(graph);
    expect(inference.errors).toEqual([]);
    expect(inference.nodes.get(node(graph, 'max_pooling1d').id)!.outputShapes).toEqual([[null, 4, 4]]);
  });

  it.each([
    ['L1L2', { class_name: 'L1L2', config: { l1: 0, l2: 0.01 } }, { l1: 0, l2: 0.01 }],
    ['Keras 2 L2', { class_name: 'L2', config: { l2: 0.02 } }, { l1: 0, l2: 0.02 }],
    ['Keras 2 L1', { class_name: 'L1', config: { l1: 0.03 } }, { l1: 0.03, l2: 0 }],
    ['Keras 3 L2', { module: 'keras.regularizers', class_name: 'L2', config: { l2: 0.01 }, registered_name: null }, { l1: 0, l2: 0.01 }],
    ['string l2', 'l2', { l1: 0, l2: 0.01 }],
  ])('regularizer %s', (_name, raw, expected) => {
    const { graph, warnings } = importOk(sequential([input([3]), layer('Dense', { name: 'dense', units: 2, kernel_regularizer: raw })]));
    expect(node(graph, 'dense').params.kernelRegularizer).toEqual(expected);
    expect(warnings).toEqual([]);
  });

  it('unsupported regularizer is dropped with a warning', () => {
    const raw = { class_name: 'OrthogonalRegularizer', config: { factor: 0.01 } };
    const { graph, warnings } = importOk(sequential([input([3]), layer('Dense', { name: 'dense', units: 2, kernel_regularizer: raw })]));
    expect(node(graph, 'dense').params.kernelRegularizer).toBeNull();
    expect(warnings).toEqual(['dense.kernel_regularizer is a OrthogonalRegularizer regularizer, which Layerlab does not support; it was dropped, so training may differ']);
  });

  it('Keras 3 dtype policy on an InputLayer', () => {
    const inputLayer = layer('InputLayer', { batch_shape: [null, 10], dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'int32' } }, name: 'tokens' });
    const { graph, warnings } = importOk(sequential([inputLayer, layer('Embedding', { name: 'embedding', input_dim: 50, output_dim: 4 })]));
    expect(graph.nodes[0].params.dtype).toBe('int32');
    expect(warnings).toEqual([]);
    expect(inferGraph(graph).totalParams).toBe(200);
  });

  it('int64 input reads as int32 with a warning', () => {
    const { graph, warnings } = importOk(sequential([input([4], 'int64'), layer('Embedding', { name: 'embedding', input_dim: 5, output_dim: 2 })]));
    expect(graph.nodes[0].params.dtype).toBe('int32');
    expect(warnings).toEqual(["Input 'input_1' has dtype int64; Layerlab reads it as int32"]);
  });

  it('GRU without reset_after computes without it', () => {
    const { graph } = importOk(sequential([input([10, 20]), layer('GRU', { name: 'gru', units: 4 })]));
    expect(node(graph, 'gru').params.resetAfter).toBe(false);
    // 3 gates × (20·4 + 4·4 + 4)
    expect(inferGraph(graph).totalParams).toBe(300);
  });

  it('GRU with reset_after true keeps it', () => {
    const { graph, warnings } = importOk(sequential([input([10, 20]), layer('GRU', { name: 'gru', units: 4, reset_after: true })]));
    expect(node(graph, 'gru').params.resetAfter).toBe(true);
    // 3 gates × (20·4 + 4·4 + 2·4)
    expect(inferGraph(graph).totalParams).toBe(312);
    expect(warnings).toEqual([]);
  });

  it('Bidirectional holds its layer as a LayerSpec', () => {
    const wrapped = { class_name: 'LSTM', config: { name: 'lstm', units: 8, return_sequences: true, recurrent_activation: 'hard_sigmoid' } };
    const { graph } = importOk(sequential([input([12, 6]), layer('Bidirectional', { name: 'bidirectional', layer: wrapped, merge_mode: 'sum' })]));
    const params = node(graph, 'bidirectional').params;
    expect(params.mergeMode).toBe('sum');
    const spec = params.layer as LayerSpec;
    expect(spec.kind).toBe('LSTM');
    expect(spec.params).toMatchObject({ units: 8, returnSequences: true, recurrentActivation: 'hard_sigmoid' });
    const inference = inferGraph(graph);
    expect(inference.nodes.get(node(graph, 'bidirectional').id)!.outputShapes).toEqual([[null, 12, 8]]);
    // 2 directions × 4 gates × (6·8 + 8·8 + 8)
    expect(inference.totalParams).toBe(960);
  });

  it('TimeDistributed Dense', () => {
    const wrapped = { class_name: 'Dense', config: { name: 'dense', units: 3 } };
    const { graph } = importOk(sequential([input([5, 4]), layer('TimeDistributed', { name: 'time_distributed', layer: wrapped })]));
    const inference = inferGraph(graph);
    expect(inference.nodes.get('n2')!.outputShapes).toEqual([[null, 5, 3]]);
    expect(inference.totalParams).toBe(15);
  });

  it('null where a default exists keeps the default', () => {
    const { graph } = importOk(sequential([input([7]), layer('Embedding', { name: 'embedding', input_dim: 10, output_dim: 3, mask_zero: null, input_length: null })]));
    expect(node(graph, 'embedding').params.maskZero).toBeUndefined();
    expect(node(graph, 'embedding').params.inputLength).toBeNull();
    expect(inferGraph(graph).errors).toEqual([]);
  });

  it('Keras 3 names: silu and negative_slope', () => {
    const { graph } = importOk(
      sequential([input([4]), layer('Dense', { name: 'dense', units: 2, activation: 'silu' }), layer('LeakyReLU', { name: 'leaky_re_lu', negative_slope: 0.2 })]),
    );
    expect(node(graph, 'dense').params.activation).toBe('swish');
    expect(node(graph, 'leaky_re_lu').params.alpha).toBe(0.2);
  });

  it('Keras 1 output_dim on Dense', () => {
    const { graph } = importOk(sequential([input([4]), layer('Dense', { name: 'dense', output_dim: 6 })]));
    expect(node(graph, 'dense').params.units).toBe(6);
  });

  it('only catalogue parameters are kept', () => {
    const { graph } = importOk(
      sequential([
        input([4]),
        layer('Dense', {
          name: 'dense',
          units: 2,
          trainable: true,
          dtype: 'float32',
          kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
          bias_constraint: null,
          lora_rank: null,
        }),
      ]),
    );
    expect(Object.keys(node(graph, 'dense').params)).toEqual(['units']);
  });

  it('settings that change results give warnings', () => {
    const constraint = { class_name: 'MaxNorm', config: { max_value: 3, axis: 0 } };
    const { warnings } = importOk(
      sequential([
        input([4, 4, 2]),
        layer('Flatten', { name: 'flatten', data_format: 'channels_first' }),
        layer('Dense', { name: 'dense', units: 2, trainable: false, kernel_constraint: constraint }),
      ]),
    );
    expect(warnings).toEqual([
      "Layer 'flatten' sets data_format: \"channels_first\", which Layerlab's Flatten does not have; shapes and counts ignore it",
      "Layer 'dense' is frozen (trainable: false) in the file, but Layerlab imports every layer as trainable, so its weights count as trainable",
      "Layer 'dense' has kernel_constraint (MaxNorm), which Layerlab drops, so training may differ",
    ]);
  });

  it('node ids are n1, n2 … and edge ids e1, e2 …', () => {
    const { graph } = importOk(fixture('functional-two-inputs.json'));
    expect(graph.nodes.map((n) => n.id)).toEqual(['n1', 'n2', 'n3', 'n4', 'n5', 'n6']);
    expect(graph.edges.map((e) => e.id)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
  });

  it('layer names that are Object.prototype keys work', () => {
    const model = {
      class_name: 'Functional',
      config: {
        name: 'model',
        layers: [
          { class_name: 'InputLayer', name: 'hasOwnProperty', config: { batch_input_shape: [null, 3], name: 'hasOwnProperty' }, inbound_nodes: [] },
          { class_name: 'Dense', name: 'toString', config: { name: 'toString', units: 2 }, inbound_nodes: [[['hasOwnProperty', 0, 0, {}]]] },
        ],
        input_layers: [['hasOwnProperty', 0, 0]],
        output_layers: [['toString', 0, 0]],
      },
    };
    const { graph } = importOk(model);
    expect(sourcesOf(graph, 'toString')).toEqual(['hasOwnProperty']);
    expect(inferGraph(graph).totalParams).toBe(8);
  });
});

describe('rejected and damaged files', () => {
  it('malformed JSON', () => {
    const [error] = importErrors('{"class_name": "Sequential", ');
    expect(error).toMatch(/^The file is not valid JSON \(/);
  });

  it('NaN from Python gets a hint', () => {
    const [error] = importErrors('{"class_name": "Sequential", "config": {"layers": [{"class_name": "Dropout", "config": {"rate": NaN}}]}}');
    expect(error).toContain('it contains NaN or Infinity, which JSON does not allow');
  });

  it('empty text', () => {
    expect(importErrors('')[0]).toMatch(/^The file is not valid JSON/);
  });

  it.each([
    ['a list', '[1, 2]', 'The file holds a list, not a model'],
    ['an object without class_name', '{"name": "x"}', 'The file has no "class_name"'],
    ['a single layer', '{"class_name": "Dense", "config": {"units": 2}}', 'The top-level class is Dense, a single layer, not a model'],
    ['a graph model', '{"format": "graph-model", "modelTopology": {"node": []}}', 'The file is a TensorFlow.js graph model'],
    ['a project file', '{"format": "layerlab-project", "version": 1, "graph": {"nodes": [], "edges": []}}', 'The file is a Layerlab project'],
    ['an empty topology', '{"modelTopology": null, "weightsManifest": []}', 'The file has no model topology'],
  ])('not a model: %s', (_name, text, start) => {
    const [error] = importErrors(text);
    expect(error.startsWith(start)).toBe(true);
    expect(error).toContain('Layerlab imports a Keras model config');
  });

  it('Lambda is rejected by name', () => {
    const errors = importErrors(sequential([layer('InputLayer', { batch_input_shape: [null, 3], name: 'input_1' }), layer('Lambda', { name: 'lambda', function: ['4wEA', null, null] })]));
    expect(errors).toEqual(["Layer 'lambda' is a Lambda (Python code), which Layerlab cannot run; remove it or replace it with built-in layers"]);
  });

  it('every unsupported layer in one error', () => {
    const inner = { class_name: 'Sequential', config: { name: 'inner', layers: [{ class_name: 'Thing', registered_name: 'Custom>Thing', config: { name: 'thing' } }] } };
    const wrapped = { class_name: 'Bidirectional', config: { name: 'bidirectional', layer: { class_name: 'MyCell', config: { name: 'my_cell' } } } };
    const errors = importErrors(
      sequential([
        layer('InputLayer', { batch_input_shape: [null, 3], dtype: 'string', name: 'text' }),
        layer('TextVectorization', { name: 'text_vectorization' }),
        layer('Lambda', { name: 'lambda' }),
        layer('Lambda', { name: 'lambda_1' }),
        inner,
        wrapped,
        layer('FooBar', { name: 'foo' }),
      ]),
    );
    expect(errors).toEqual([
      "Layer 'text_vectorization' is a TextVectorization (a preprocessing layer); " +
        "layers 'lambda' and 'lambda_1' are Lambda layers (Python code); " +
        "layer 'inner/thing' is a Thing (a custom class); " +
        "layer 'bidirectional/my_cell' is a MyCell; " +
        "layer 'foo' is a FooBar, which Layerlab cannot run; remove them or replace them with built-in layers",
    ]);
  });

  it('Keras 1 class is rejected', () => {
    const errors = importErrors(sequential([layer('Convolution2D', { name: 'conv', nb_filter: 8, nb_row: 3, nb_col: 3, batch_input_shape: [null, 8, 8, 1] })]));
    expect(errors).toEqual([
      "Layer 'conv' is a Convolution2D (a Keras 1 layer), which Layerlab cannot run; remove it or replace it with built-in layers",
    ]);
  });

  it('unknown class name is rejected', () => {
    const errors = importErrors(sequential([layer('InputLayer', { batch_input_shape: [null, 3], name: 'input_1' }), layer('Densse', { name: 'densse', units: 2 })]));
    expect(errors).toEqual(["Layer 'densse' is a Densse, which Layerlab cannot run; remove it or replace it with built-in layers"]);
  });

  it('layer without class_name', () => {
    const errors = importErrors({ class_name: 'Sequential', config: { layers: [{ config: { units: 2 } }] } });
    expect(errors).toEqual(['Layer 1 has no "class_name"; each layer needs {"class_name": ..., "config": {...}}']);
  });

  it('Sequential without layers', () => {
    const [error] = importErrors({ class_name: 'Sequential', config: { name: 'sequential' } });
    expect(error).toBe('The model has no list of layers (expected "config": {"layers": [...]}); check that the file is a Keras model config');
  });

  it('missing inbound layer', () => {
    const model = graphToKerasModel(getTemplate('mlp-2d')!.build()) as unknown as { config: { layers: { name: string }[] } };
    model.config.layers = model.config.layers.filter((entry) => entry.name !== 'dense_1');
    const errors = importErrors(model);
    expect(errors).toEqual(["Layer 'dense_2' takes its input from layer 'dense_1', which is not in the model; the file is incomplete"]);
  });

  it('missing output layer', () => {
    const model = graphToKerasModel(getTemplate('mlp-2d')!.build()) as unknown as { config: { output_layers: unknown[] } };
    model.config.output_layers = [['nowhere', 0, 0]];
    expect(importErrors(model)).toEqual(["The model's output layer 'nowhere' is not in the model; the file is incomplete"]);
  });

  it('reference to a call that does not exist', () => {
    const model = graphToKerasModel(getTemplate('mlp-2d')!.build()) as unknown as { config: { layers: { name: string; inbound_nodes: unknown[] }[] } };
    model.config.layers.find((entry) => entry.name === 'dense_2')!.inbound_nodes = [[['dense_1', 3, 0, {}]]];
    expect(importErrors(model)).toEqual(["Layer 'dense_2' takes its input from call 3 of layer 'dense_1', which is not in the model; the file is incomplete"]);
  });

  it('duplicate layer names', () => {
    const model = graphToKerasModel(getTemplate('mlp-2d')!.build()) as unknown as { config: { layers: { name: string; config: { name: string } }[] } };
    model.config.layers[2].name = 'dense';
    model.config.layers[2].config.name = 'dense';
    expect(importErrors(model)).toContain("Two layers are named 'dense'; Keras needs unique layer names, so the file is damaged");
  });

  it('unreadable inbound node', () => {
    const model = graphToKerasModel(getTemplate('mlp-2d')!.build()) as unknown as { config: { layers: { name: string; inbound_nodes: unknown[] }[] } };
    model.config.layers[1].inbound_nodes = [[[7, 'x']]];
    expect(importErrors(model)[0]).toMatch(/^Layer 'dense' has an inbound node that names no input layer/);
  });

  it('tensor passed by keyword is rejected', () => {
    const model = JSON.parse(fixture('functional-two-inputs.json'));
    const output = model.config.layers.find((entry: { name: string }) => entry.name === 'output');
    output.inbound_nodes[0].kwargs = { initial_state: { class_name: '__keras_tensor__', config: { keras_history: ['dense_a', 0, 0] } } };
    expect(importErrors(model)).toEqual([
      "Layer 'output' receives a tensor through the keyword argument 'initial_state', which Layerlab cannot represent; pass every tensor as a regular input",
    ]);
  });

  it('__proto__ key is rejected and pollutes nothing', () => {
    const text = '{"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense", "config": {"units": 2, "__proto__": {"polluted": "yes"}}}]}}';
    expect(importErrors(text)).toEqual(['The file contains the key "__proto__" at config.layers[0].config, which no Keras or TensorFlow.js model has; remove it']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('constructor key is rejected and pollutes nothing', () => {
    const text = '{"class_name": "Sequential", "constructor": {"prototype": {"polluted": "yes"}}, "config": {"layers": []}}';
    expect(importErrors(text)).toEqual(['The file contains the key "constructor" at the top level, which no Keras or TensorFlow.js model has; remove it']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('text over the size limit is rejected unparsed', () => {
    const [error] = importErrors(' '.repeat(MAX_TEXT_LENGTH + 1));
    expect(error).toBe('The file has 67,108,865 characters, more than the 64 Mi characters a model or project file may have; check that it is a model topology, not weights');
  });

  it('absurd nesting depth is rejected', () => {
    const text = `{"class_name": "Sequential", "config": {"layers": ${'['.repeat(5000)}${']'.repeat(5000)}}}`;
    expect(importErrors(text)[0]).toMatch(/^The file nests objects and lists more than 256 levels deep/);
  });

  it('models nested too deep are rejected', () => {
    let model: object = sequential([layer('InputLayer', { batch_input_shape: [null, 2], name: 'input_1' }), layer('Dense', { name: 'dense', units: 1 })]);
    for (let depth = 0; depth < 20; depth += 1) model = { class_name: 'Sequential', config: { name: `level_${depth}`, layers: [model] } };
    expect(importErrors(model)[0]).toMatch(/is nested more than 16 levels deep; flatten the model$/);
  });

  it('too many layers are rejected', () => {
    const layers = Array.from({ length: 10_001 }, (_, i) => layer('Dropout', { name: `dropout_${i}`, rate: 0.1 }));
    expect(importErrors(sequential(layers))).toEqual(['The model has 10001 layers, more than the 10000 Layerlab can show']);
  });

  it('a billion units import and are flagged too-large', () => {
    const { graph } = importOk(sequential([layer('InputLayer', { batch_input_shape: [null, 160], name: 'input_1' }), layer('Dense', { name: 'dense', units: 1e9 })]));
    const inference = inferGraph(graph);
    expect(inference.totalParams).toBe(161_000_000_000);
    expect(inference.errors.map((error) => error.code)).toEqual(['too-large']);
  });

  it('a cycle imports and inference reports it', () => {
    const model = {
      class_name: 'Functional',
      config: {
        name: 'loop',
        layers: [
          { class_name: 'InputLayer', name: 'input_1', config: { batch_input_shape: [null, 3], name: 'input_1' }, inbound_nodes: [] },
          { class_name: 'Add', name: 'add', config: { name: 'add' }, inbound_nodes: [[['input_1', 0, 0, {}], ['dense_1', 0, 0, {}]]] },
          { class_name: 'Dense', name: 'dense', config: { name: 'dense', units: 3 }, inbound_nodes: [[['add', 0, 0, {}]]] },
          { class_name: 'Dense', name: 'dense_1', config: { name: 'dense_1', units: 3 }, inbound_nodes: [[['dense', 0, 0, {}]]] },
        ],
        input_layers: [['input_1', 0, 0]],
        output_layers: [['dense_1', 0, 0]],
      },
    };
    const { graph, warnings } = importOk(model);
    expect(graph.nodes).toHaveLength(4);
    expect(warnings).toEqual(["Layer 'dense_1' is a model output but also feeds other layers; Layerlab treats only layers without consumers as outputs"]);
    const codes = inferGraph(graph).errors.map((error) => error.code);
    expect(codes).toContain('cycle');
  });
});
