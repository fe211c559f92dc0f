import { describe, expect, it } from 'vitest';
import { inferGraph } from '../../src/graph/infer';
import type { GraphErrorCode, Params, Shape } from '../../src/graph/types';
import { getLayerKind } from '../../src/layers';
import { tfjsUnsupportedSetting } from '../../src/layers/convolutional';
import { withDefaults } from '../../src/layers/params';
import { chain, type LayerStep } from '../helpers/graph-builders';
import { compareWithTfjs, type ReferenceResult } from '../helpers/tfjs-reference';

interface Case {
  name: string;
  input: Shape;
  steps: LayerStep[];
}

function layer(kind: string, params: Params = {}): LayerStep {
  return { kind, params };
}

/** Asserts that inference found no error and agrees with tfjs on every layer. */
function expectAgreement(result: ReferenceResult): void {
  expect(result.inference.errors).toEqual([]);
  expect(result.built).toBe(true);
  if (!result.built) return;
  for (const comparison of result.layers) {
    expect(comparison.ours.outputShape, comparison.name).toEqual(comparison.tfjs.outputShape);
    expect(comparison.ours.trainable, comparison.name).toBe(comparison.tfjs.trainable);
    expect(comparison.ours.nonTrainable, comparison.name).toBe(comparison.tfjs.nonTrainable);
  }
}

const L2 = { l1: 0, l2: 0.01 };

const cases: Case[] = [
  { name: 'Conv1D valid shortens the sequence', input: [200, 16], steps: [layer('Conv1D', { filters: 16, kernelSize: 5, activation: 'relu' })] },
  { name: 'Conv1D same keeps the length', input: [50, 3], steps: [layer('Conv1D', { filters: 8, kernelSize: 4, padding: 'same' })] },
  { name: 'Conv1D valid stride 2', input: [51, 3], steps: [layer('Conv1D', { filters: 4, kernelSize: 5, strides: 2 })] },
  { name: 'Conv1D valid stride 3 odd kernel', input: [100, 7], steps: [layer('Conv1D', { filters: 5, kernelSize: 7, strides: 3 })] },
  { name: 'Conv1D same stride 3', input: [50, 2], steps: [layer('Conv1D', { filters: 4, kernelSize: 3, strides: 3, padding: 'same' })] },
  { name: 'Conv1D valid dilation 2', input: [30, 2], steps: [layer('Conv1D', { filters: 4, kernelSize: 3, dilationRate: 2 })] },
  { name: 'Conv1D same dilation 2', input: [31, 2], steps: [layer('Conv1D', { filters: 4, kernelSize: 3, dilationRate: 2, padding: 'same' })] },
  { name: 'Conv1D kernel equal to input', input: [5, 3], steps: [layer('Conv1D', { filters: 2, kernelSize: 5 })] },
  { name: 'Conv1D unknown length', input: [null, 8], steps: [layer('Conv1D', { filters: 4, kernelSize: 3 })] },
  { name: 'Conv1D without bias', input: [10, 3], steps: [layer('Conv1D', { filters: 6, kernelSize: 2, useBias: false })] },
  {
    name: 'Conv1D with regularizers',
    input: [12, 3],
    steps: [layer('Conv1D', { filters: 2, kernelSize: 3, kernelRegularizer: { l1: 0.01, l2: 0 }, biasRegularizer: L2 })],
  },
  { name: 'Conv2D valid 3×3', input: [28, 28, 1], steps: [layer('Conv2D', { filters: 32, kernelSize: [3, 3], activation: 'relu' })] },
  { name: 'Conv2D same stride 2 odd size', input: [27, 27, 3], steps: [layer('Conv2D', { filters: 8, kernelSize: [3, 3], strides: [2, 2], padding: 'same' })] },
  { name: 'Conv2D mixed kernel and strides', input: [32, 17, 3], steps: [layer('Conv2D', { filters: 4, kernelSize: [5, 3], strides: [3, 1] })] },
  { name: 'Conv2D valid dilation 2', input: [20, 20, 3], steps: [layer('Conv2D', { filters: 4, kernelSize: [3, 3], dilationRate: [2, 2] })] },
  { name: 'Conv2D kernel equal to input', input: [3, 3, 2], steps: [layer('Conv2D', { filters: 2, kernelSize: [3, 3] })] },
  { name: 'Conv2D unknown height and width', input: [null, null, 3], steps: [layer('Conv2D', { filters: 4, kernelSize: [3, 3], strides: [2, 2] })] },
  { name: 'Conv2D without bias with L2', input: [9, 9, 2], steps: [layer('Conv2D', { filters: 3, kernelSize: [2, 2], useBias: false, kernelRegularizer: L2 })] },
  { name: 'Conv2DTranspose valid stride 2', input: [7, 7, 16], steps: [layer('Conv2DTranspose', { filters: 8, kernelSize: [3, 3], strides: [2, 2] })] },
  { name: 'Conv2DTranspose same stride 2', input: [7, 7, 16], steps: [layer('Conv2DTranspose', { filters: 8, kernelSize: [3, 3], strides: [2, 2], padding: 'same' })] },
  { name: 'Conv2DTranspose kernel below stride', input: [5, 5, 2], steps: [layer('Conv2DTranspose', { filters: 1, kernelSize: [2, 2], strides: [3, 3] })] },
  { name: 'Conv2DTranspose stride 1 unknown height', input: [null, 8, 4], steps: [layer('Conv2DTranspose', { filters: 2, kernelSize: [3, 5] })] },
  { name: 'Conv2DTranspose without bias', input: [4, 4, 3], steps: [layer('Conv2DTranspose', { filters: 2, kernelSize: [3, 3], useBias: false, kernelRegularizer: L2 })] },
  { name: 'DepthwiseConv2D multiplier 1', input: [28, 28, 3], steps: [layer('DepthwiseConv2D', { kernelSize: [3, 3] })] },
  { name: 'DepthwiseConv2D multiplier 2 same stride 2', input: [15, 15, 4], steps: [layer('DepthwiseConv2D', { kernelSize: [3, 3], depthMultiplier: 2, padding: 'same', strides: [2, 2] })] },
  { name: 'DepthwiseConv2D without bias', input: [6, 6, 5], steps: [layer('DepthwiseConv2D', { kernelSize: [2, 2], useBias: false, depthwiseRegularizer: L2 })] },
  { name: 'SeparableConv2D valid', input: [32, 32, 3], steps: [layer('SeparableConv2D', { filters: 16, kernelSize: [3, 3], activation: 'relu' })] },
  { name: 'SeparableConv2D multiplier 2 dilation 2', input: [16, 16, 3], steps: [layer('SeparableConv2D', { filters: 8, kernelSize: [3, 3], depthMultiplier: 2, dilationRate: [2, 2], padding: 'same' })] },
  {
    name: 'SeparableConv2D stride 2 without bias',
    input: [17, 17, 4],
    steps: [layer('SeparableConv2D', { filters: 6, kernelSize: [3, 3], strides: [2, 2], useBias: false, depthwiseRegularizer: L2, pointwiseRegularizer: L2 })],
  },
  {
    name: 'Conv2D chain to Dense',
    input: [28, 28, 1],
    steps: [
      layer('Conv2D', { filters: 8, kernelSize: [3, 3], activation: 'relu' }),
      layer('MaxPooling2D'),
      layer('Conv2D', { filters: 16, kernelSize: [3, 3], padding: 'same' }),
      layer('Flatten'),
      layer('Dense', { units: 10, activation: 'softmax' }),
    ],
  },
];

describe('convolutional layers against tfjs', () => {
  for (const testCase of cases) {
    it(testCase.name, async () => {
      expectAgreement(await compareWithTfjs(chain(testCase.input, testCase.steps)));
    });
  }

  it('solubility chain gives Keras figures', async () => {
    const graph = chain([200, 16], [
      layer('Conv1D', { filters: 16, kernelSize: 5, activation: 'relu' }),
      layer('MaxPooling1D', { poolSize: 4 }),
      layer('Conv1D', { filters: 16, kernelSize: 3, activation: 'relu' }),
      layer('MaxPooling1D', { poolSize: 2 }),
      layer('Conv1D', { filters: 16, kernelSize: 3, activation: 'relu' }),
      layer('MaxPooling1D', { poolSize: 2 }),
      layer('Flatten'),
      layer('Dense', { units: 256, activation: 'relu' }),
      layer('Dense', { units: 64, activation: 'relu' }),
      layer('Dense', { units: 1, activation: 'sigmoid' }),
    ]);
    const result = await compareWithTfjs(graph);
    expectAgreement(result);

    const expected: [Shape, number][] = [
      [[null, 196, 16], 1296],
      [[null, 49, 16], 0],
      [[null, 47, 16], 784],
      [[null, 23, 16], 0],
      [[null, 21, 16], 784],
      [[null, 10, 16], 0],
      [[null, 160], 0],
      [[null, 256], 41216],
      [[null, 64], 16448],
      [[null, 1], 65],
    ];
    expected.forEach(([shape, count], i) => {
      const node = graph.nodes[i + 1];
      const inferred = result.inference.nodes.get(node.id)!;
      expect(inferred.outputShapes, node.name).toEqual([shape]);
      expect(inferred.trainableParams, node.name).toBe(count);
    });
    expect(result.inference.totalParams).toBe(60593);
  });
});

describe('Conv1D causal padding follows Keras', () => {
  // tfjs 4.22 computes causal shapes as valid ones, so these are Keras's values, worked by hand:
  // causal pads k − 1 zeros on the left, so the length is ⌈n / stride⌉.
  const causalCases: { name: string; input: Shape; params: Params; shape: Shape; trainableParams: number }[] = [
    { name: 'stride 1 keeps the length', input: [20, 3], params: { filters: 4, kernelSize: 3, padding: 'causal' }, shape: [null, 20, 4], trainableParams: 40 },
    { name: 'stride 2 halves the length', input: [21, 3], params: { filters: 4, kernelSize: 3, padding: 'causal', strides: 2 }, shape: [null, 11, 4], trainableParams: 40 },
    { name: 'dilation 4 keeps the length', input: [16, 1], params: { filters: 2, kernelSize: 2, padding: 'causal', dilationRate: 4 }, shape: [null, 16, 2], trainableParams: 6 },
    { name: 'kernel longer than input', input: [3, 1], params: { filters: 1, kernelSize: 5, padding: 'causal' }, shape: [null, 3, 1], trainableParams: 6 },
  ];
  it('is marked as unsupported by tfjs', () => {
    expect(tfjsUnsupportedSetting('Conv1D', { padding: 'causal' })).toContain('causal');
    expect(tfjsUnsupportedSetting('Conv1D', { padding: 'same' })).toBeNull();
    expect(tfjsUnsupportedSetting('Conv2D', { padding: 'same' })).toBeNull();
  });

  for (const testCase of causalCases) {
    it(testCase.name, () => {
      const inference = inferGraph(chain(testCase.input, [layer('Conv1D', testCase.params)]));
      expect(inference.errors.map((error) => error.code)).toEqual(['unsupported']);
      expect(inference.nodes.get('n1')!.outputShapes).toEqual([testCase.shape]);
      expect(inference.nodes.get('n1')!.trainableParams).toBe(testCase.trainableParams);
    });
  }
});

interface ErrorCase {
  name: string;
  input: Shape;
  steps: LayerStep[];
  nodeId: string;
  code: GraphErrorCode;
  message?: string;
  /** Whether tfjs also rejects the graph when it builds the model. */
  tfjsRejects: boolean;
}

const errorCases: ErrorCase[] = [
  {
    name: 'Conv1D kernel larger than input',
    input: [3, 4],
    steps: [layer('Conv1D', { filters: 2, kernelSize: 5 })],
    nodeId: 'n1',
    code: 'too-small',
    message: 'conv1d_1: Conv1D kernel 5 is larger than the input length 3; use padding same or a smaller kernel',
    tfjsRejects: false,
  },
  {
    name: 'Conv1D dilated kernel larger than input',
    input: [8, 2],
    steps: [layer('Conv1D', { filters: 2, kernelSize: 5, dilationRate: 2 })],
    nodeId: 'n1',
    code: 'too-small',
    message: 'conv1d_1: Conv1D dilated kernel 9 (5 with dilation 2) is larger than the input length 8; use padding same or a smaller kernel or dilation',
    tfjsRejects: false,
  },
  {
    name: 'Conv2D kernel wider than input',
    input: [10, 2, 1],
    steps: [layer('Conv2D', { filters: 2, kernelSize: [3, 3] })],
    nodeId: 'n1',
    code: 'too-small',
    message: 'conv2d_1: Conv2D kernel 3 is larger than the input width 2; use padding same or a smaller kernel',
    tfjsRejects: false,
  },
  {
    name: 'Conv2D on rank 3',
    input: [28, 28],
    steps: [layer('Conv2D', { filters: 2, kernelSize: [3, 3] })],
    nodeId: 'n1',
    code: 'wrong-rank',
    message: 'conv2d_1: Conv2D needs rank 4 (batch, height, width, channels) but got (None, 28, 28); add Reshape to (28, 28, 1) before it',
    tfjsRejects: true,
  },
  {
    name: 'Conv1D on rank 2',
    input: [200],
    steps: [layer('Conv1D', { filters: 2, kernelSize: 3 })],
    nodeId: 'n1',
    code: 'wrong-rank',
    message: 'conv1d_1: Conv1D needs rank 3 (batch, steps, channels) but got (None, 200); add Reshape to (200, 1) before it',
    tfjsRejects: true,
  },
  {
    name: 'Conv1D on rank 4',
    input: [8, 8, 3],
    steps: [layer('Conv1D', { filters: 2, kernelSize: 3 })],
    nodeId: 'n1',
    code: 'wrong-rank',
    message: 'conv1d_1: Conv1D needs rank 3 (batch, steps, channels) but got (None, 8, 8, 3); Conv1D slides along one axis; for images use Conv2D',
    tfjsRejects: true,
  },
  {
    name: 'Conv1D with unknown channels',
    input: [10, null],
    steps: [layer('Conv1D', { filters: 2, kernelSize: 3 })],
    nodeId: 'n1',
    code: 'unknown-size',
    tfjsRejects: true,
  },
  {
    name: 'Conv1D strides with dilation',
    input: [20, 3],
    steps: [layer('Conv1D', { filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 })],
    nodeId: 'n1',
    code: 'invalid-param',
    tfjsRejects: false,
  },
  {
    name: 'DepthwiseConv2D on rank 3',
    input: [5, 5],
    steps: [layer('DepthwiseConv2D', { kernelSize: [3, 3] })],
    nodeId: 'n1',
    code: 'wrong-rank',
    tfjsRejects: true,
  },
  {
    name: 'SeparableConv2D unknown channels',
    input: [5, 5, null],
    steps: [layer('SeparableConv2D', { filters: 2, kernelSize: [3, 3] })],
    nodeId: 'n1',
    code: 'unknown-size',
    tfjsRejects: true,
  },
  {
    name: 'Conv2DTranspose on rank 5',
    input: [4, 4, 4, 2],
    steps: [layer('Conv2DTranspose', { filters: 2, kernelSize: [3, 3] })],
    nodeId: 'n1',
    code: 'wrong-rank',
    tfjsRejects: true,
  },
  {
    name: 'Conv1D filters of zero',
    input: [10, 2],
    steps: [layer('Conv1D', { filters: 0, kernelSize: 3 })],
    nodeId: 'n1',
    code: 'invalid-param',
    tfjsRejects: true,
  },
];

describe('convolutional errors', () => {
  for (const testCase of errorCases) {
    it(testCase.name, async () => {
      const result = await compareWithTfjs(chain(testCase.input, testCase.steps));
      expect(result.inference.errors.map((error) => error.code)).toEqual([testCase.code]);
      expect(result.inference.errors[0].nodeId).toBe(testCase.nodeId);
      if (testCase.message) expect(result.inference.errors[0].message).toBe(testCase.message);
      if (testCase.tfjsRejects) expect(result.built).toBe(false);
    });
  }

  it('too-small fix sets padding to same', async () => {
    const graph = chain([3, 4], [layer('Conv1D', { filters: 2, kernelSize: 5 })]);
    const [error] = inferGraph(graph).errors;
    expect(error.fix).toEqual({ type: 'set-param', label: 'Set padding to same', nodeId: 'n1', param: 'padding', value: 'same' });

    graph.nodes[1].params.padding = 'same';
    expectAgreement(await compareWithTfjs(graph));
  });

  it('wrong-rank fix inserts the Reshape that tfjs accepts', async () => {
    const [error] = inferGraph(chain([28, 28], [layer('Conv2D', { filters: 2, kernelSize: [3, 3] })])).errors;
    expect(error.fix).toMatchObject({ type: 'insert-before', kind: 'Reshape', nodeId: 'n1', params: { targetShape: [28, 28, 1] } });
    if (error.fix?.type !== 'insert-before') return;

    const fixed = chain([28, 28], [layer('Reshape', error.fix.params), layer('Conv2D', { filters: 2, kernelSize: [3, 3] })]);
    expectAgreement(await compareWithTfjs(fixed));
  });

  it('flat square vector gets an image Reshape', () => {
    const [error] = inferGraph(chain([784], [layer('Conv2D', { filters: 2, kernelSize: [3, 3] })])).errors;
    expect(error.fix).toMatchObject({ type: 'insert-before', kind: 'Reshape', params: { targetShape: [28, 28, 1] } });
  });

  it('unknown length becomes -1 in the Reshape fix', () => {
    const [error] = inferGraph(chain([null], [layer('Conv1D', { filters: 2, kernelSize: 3 })])).errors;
    expect(error.fix).toMatchObject({ type: 'insert-before', kind: 'Reshape', params: { targetShape: [-1, 1] } });
  });

  it('strides with dilation offers dilation 1', () => {
    const [error] = inferGraph(chain([20, 20, 3], [layer('Conv2D', { kernelSize: [3, 3], strides: [2, 2], dilationRate: [2, 1] })])).errors;
    expect(error.message).toBe(
      'conv2d_1: Conv2D cannot combine strides 2×2 with dilationRate 2×1, because TensorFlow allows only one of them above 1; set dilationRate to 1 or strides to 1',
    );
    expect(error.fix).toMatchObject({ type: 'set-param', param: 'dilationRate', value: [1, 1] });
  });
});

describe('convolutional explanations', () => {
  function explain(kind: string, input: Shape, params: Params): string[] {
    const layerKind = getLayerKind(kind)!;
    return layerKind.explainShape!([input], withDefaults(layerKind, params));
  }

  function summarize(kind: string, params: Params): string {
    const layerKind = getLayerKind(kind)!;
    return layerKind.summarize!(withDefaults(layerKind, params));
  }

  it('Conv1D valid subtracts the kernel', () => {
    expect(explain('Conv1D', [null, 200, 16], { filters: 16, kernelSize: 5 })).toEqual(['200 − 5 + 1 = 196', 'channels: 16 → 16 filters']);
  });

  it('Conv1D strided same rounds up', () => {
    expect(explain('Conv1D', [null, 200, 16], { filters: 8, kernelSize: 5, strides: 2, padding: 'same' })[0]).toBe('⌈200 / 2⌉ = 100');
  });

  it('Conv1D strided valid rounds down', () => {
    expect(explain('Conv1D', [null, 51, 3], { kernelSize: 5, strides: 2 })[0]).toBe('⌊(51 − 5) / 2⌋ + 1 = 24');
  });

  it('Conv1D dilation widens the kernel', () => {
    expect(explain('Conv1D', [null, 30, 2], { kernelSize: 3, dilationRate: 2 }).slice(0, 2)).toEqual([
      'dilated window 3 + (3 − 1) × (2 − 1) = 5',
      '30 − 5 + 1 = 26',
    ]);
  });

  it('Conv1D unknown length stays unknown', () => {
    expect(explain('Conv1D', [null, null, 2], { kernelSize: 3 })[0]).toBe('unknown size None stays None');
  });

  it('Conv2D explains each axis', () => {
    expect(explain('Conv2D', [null, 28, 28, 1], { filters: 32, kernelSize: [3, 3] })).toEqual([
      'height: 28 − 3 + 1 = 26',
      'width: 28 − 3 + 1 = 26',
      'channels: 1 → 32 filters',
    ]);
  });

  it('Conv2DTranspose multiplies by the stride', () => {
    expect(explain('Conv2DTranspose', [null, 7, 7, 16], { filters: 8, kernelSize: [3, 3], strides: [2, 2] })[0]).toBe(
      'height: 7 × 2 + max(3 − 2, 0) = 15',
    );
  });

  it('DepthwiseConv2D multiplies the channels', () => {
    expect(explain('DepthwiseConv2D', [null, 15, 15, 4], { kernelSize: [3, 3], depthMultiplier: 2 })[2]).toBe('channels: 4 × 2 = 8');
  });

  it('summaries name filters, kernel and activation', () => {
    expect(summarize('Conv1D', { filters: 16, kernelSize: 5, activation: 'relu' })).toBe('16 filters, 5, relu');
    expect(summarize('Conv2D', { filters: 32, kernelSize: [3, 3], strides: [2, 2], padding: 'same', activation: 'relu' })).toBe(
      '32 filters, 3×3, stride 2×2, same, relu',
    );
    expect(summarize('DepthwiseConv2D', { kernelSize: [3, 3], depthMultiplier: 2 })).toBe('3×3, multiplier 2, linear');
  });
});
