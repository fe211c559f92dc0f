import { describe, expect, it } from 'vitest';
import { inferGraph } from '../../src/graph/infer';
import { getTemplate, layerBaseName, nextEdgeId, nextNodeId, TEMPLATES, uniqueLayerName } from '../../src/graph/templates';
import type { Graph } from '../../src/graph/types';
import { compareWithTfjs } from '../helpers/tfjs-reference';

function shapesAndCounts(graph: Graph) {
  const inference = inferGraph(graph);
  const layers = inference.order
    .map((id) => graph.nodes.find((node) => node.id === id)!)
    .filter((node) => node.kind !== 'InputLayer')
    .map((node) => ({ name: node.name, shape: inference.nodes.get(node.id)!.outputShapes?.[0] ?? null, params: inference.nodes.get(node.id)!.trainableParams }));
  return { inference, layers };
}

describe('solubility template', () => {
  const graph = getTemplate('solubility')!.build();
  const { inference, layers } = shapesAndCounts(graph);

  it('infers without errors', () => {
    expect(inference.errors).toEqual([]);
  });

  it('has the Keras layer names', () => {
    expect(layers.map((layer) => layer.name)).toEqual([
      'embedding',
      'conv1d',
      'max_pooling1d',
      'conv1d_1',
      'max_pooling1d_1',
      'conv1d_2',
      'max_pooling1d_2',
      'flatten',
      'dense',
      'dense_1',
      'dense_2',
    ]);
  });

  it('gives the eleven output shapes', () => {
    expect(layers.map((layer) => layer.shape)).toEqual([
      [null, 200, 16],
      [null, 196, 16],
      [null, 49, 16],
      [null, 47, 16],
      [null, 23, 16],
      [null, 21, 16],
      [null, 10, 16],
      [null, 160],
      [null, 256],
      [null, 64],
      [null, 1],
    ]);
  });

  it('counts 60,929 parameters layer by layer', () => {
    expect(layers.map((layer) => layer.params)).toEqual([336, 1296, 0, 784, 0, 784, 0, 0, 41216, 16448, 65]);
    expect(inference.totalParams).toBe(60_929);
    expect(inference.nonTrainableParams).toBe(0);
  });

  it('feeds int32 token ids into the Embedding', () => {
    expect(graph.nodes[0]).toMatchObject({ kind: 'InputLayer', name: 'input_1', params: { shape: [200], dtype: 'int32' } });
  });
});

describe('solubility variants', () => {
  it('dropout variant adds three Dropout layers and no parameters', () => {
    const graph = getTemplate('solubility-dropout')!.build();
    const { inference, layers } = shapesAndCounts(graph);
    expect(inference.errors).toEqual([]);
    expect(inference.totalParams).toBe(60_929);
    const dropouts = layers.filter((layer) => layer.name.startsWith('dropout'));
    expect(dropouts.map((layer) => layer.name)).toEqual(['dropout', 'dropout_1', 'dropout_2']);
    const order = layers.map((layer) => layer.name);
    expect(order.slice(7)).toEqual(['flatten', 'dropout', 'dense', 'dropout_1', 'dense_1', 'dropout_2', 'dense_2']);
  });

  it('L2 variant regularizes the hidden Dense kernels only', () => {
    const graph = getTemplate('solubility-l2')!.build();
    expect(inferGraph(graph).errors).toEqual([]);
    const regularizers = Object.fromEntries(graph.nodes.filter((node) => node.kind === 'Dense').map((node) => [node.name, node.params.kernelRegularizer ?? null]));
    expect(regularizers).toEqual({ dense: { l1: 0, l2: 0.01 }, dense_1: { l1: 0, l2: 0.01 }, dense_2: null });
  });
});

describe('other templates', () => {
  it('every template infers without errors', () => {
    for (const template of TEMPLATES) {
      const inference = inferGraph(template.build());
      expect(inference.errors, template.id).toEqual([]);
    }
  });

  it('mlp-2d counts 337 parameters', () => {
    const inference = inferGraph(getTemplate('mlp-2d')!.build());
    // 2·16+16 + 16·16+16 + 16·1+1
    expect(inference.totalParams).toBe(48 + 272 + 17);
  });

  it('digits-conv2d ends in ten classes', () => {
    const graph = getTemplate('digits-conv2d')!.build();
    const inference = inferGraph(graph);
    const last = inference.outputs[0];
    expect(inference.nodes.get(last)!.outputShapes).toEqual([[null, 10]]);
    // conv 160 + conv 4,640 + dense 800·64+64 + dense 650
    expect(inference.totalParams).toBe(160 + 4640 + 51_264 + 650);
  });

  it('residual adds the stem to the block output', () => {
    const graph = getTemplate('residual')!.build();
    const inference = inferGraph(graph);
    const add = graph.nodes.find((node) => node.kind === 'Add')!;
    const inputs = graph.edges.filter((edge) => edge.target === add.id).map((edge) => graph.nodes.find((node) => node.id === edge.source)!.name);
    expect(inputs).toEqual(['conv2d', 'batch_normalization_1']);
    expect(inference.nodes.get(add.id)!.outputShapes).toEqual([[null, 28, 28, 16]]);
    expect(inference.sequential).toBe(false);
    expect(inference.nonTrainableParams).toBe(64);
    // stem 3·3·1·16+16 + two convs 3·3·16·16+16 + two batch norms 4·16 + dense 16·10+10
    expect(inference.totalParams).toBe(160 + 2 * 2320 + 2 * 64 + 170);
  });

  it('templates lay nodes out top to bottom', () => {
    for (const template of TEMPLATES) {
      const ys = template.build().nodes.map((node) => node.position!.y);
      expect(ys, template.id).toEqual(ys.map((_, i) => i * 110));
    }
  });

  it('build returns a fresh graph each call', () => {
    const template = getTemplate('mlp-2d')!;
    const first = template.build();
    first.nodes[1].params.units = 99;
    expect(template.build().nodes[1].params.units).toBe(16);
  });

  it('template ids are unique', () => {
    const ids = TEMPLATES.map((template) => template.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('templates against tfjs', () => {
  for (const template of TEMPLATES) {
    it(`${template.id} builds with the same shapes and counts`, async () => {
      const result = await compareWithTfjs(template.build());
      expect(result.built, result.built ? '' : result.error).toBe(true);
      if (!result.built) return;
      for (const layer of result.layers) {
        expect(layer.ours.outputShape, layer.name).toEqual(layer.tfjs.outputShape);
        expect(layer.ours.trainable, layer.name).toBe(layer.tfjs.trainable);
        expect(layer.ours.nonTrainable, layer.name).toBe(layer.tfjs.nonTrainable);
      }
      expect(result.model.countParams()).toBe(result.inference.totalParams);
    });
  }
});

describe('names and ids', () => {
  it.each([
    ['Conv1D', 'conv1d'],
    ['MaxPooling1D', 'max_pooling1d'],
    ['GlobalAveragePooling2D', 'global_average_pooling2d'],
    ['BatchNormalization', 'batch_normalization'],
    ['SimpleRNN', 'simple_rnn'],
    ['LSTM', 'lstm'],
    ['Conv2DTranspose', 'conv2d_transpose'],
    ['InputLayer', 'input'],
  ])('layerBaseName(%s) is %s', (className, expected) => {
    expect(layerBaseName(className)).toBe(expected);
  });

  it('uniqueLayerName numbers like Keras', () => {
    const graph: Graph = { nodes: [], edges: [] };
    const names: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const name = uniqueLayerName(graph, 'Dense');
      names.push(name);
      graph.nodes.push({ id: `n${i}`, kind: 'Dense', name, params: {} });
    }
    expect(names).toEqual(['dense', 'dense_1', 'dense_2']);
  });

  it('uniqueLayerName starts inputs at input_1', () => {
    const graph: Graph = { nodes: [{ id: 'n1', kind: 'InputLayer', name: 'input_1', params: {} }], edges: [] };
    expect(uniqueLayerName(graph, 'InputLayer')).toBe('input_2');
  });

  it('uniqueLayerName fills the first free name', () => {
    const graph: Graph = { nodes: [{ id: 'n1', kind: 'Dense', name: 'dense_1', params: {} }], edges: [] };
    expect(uniqueLayerName(graph, 'Dense')).toBe('dense');
  });

  it('nextNodeId goes above the highest id', () => {
    const graph: Graph = { nodes: [{ id: 'n7', kind: 'Dense', name: 'a', params: {} }, { id: 'custom', kind: 'Dense', name: 'b', params: {} }, { id: 'n2', kind: 'Dense', name: 'c', params: {} }], edges: [] };
    expect(nextNodeId(graph)).toBe('n8');
    expect(nextNodeId({ nodes: [], edges: [] })).toBe('n1');
  });

  it('nextEdgeId goes above the highest id', () => {
    expect(nextEdgeId({ nodes: [], edges: [{ id: 'e3', source: 'a', target: 'b' }] })).toBe('e4');
  });
});
