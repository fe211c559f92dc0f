import { describe, expect, it } from 'vitest';
import { inferGraph } from '../../src/graph/infer';
import type { GraphErrorCode, ParamValue, Params, Shape } from '../../src/graph/types';
import { getLayerKind } from '../../src/layers';
import { withDefaults } from '../../src/layers/params';
import { TFJS_UNSUPPORTED } from '../../src/layers/reshaping';
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

const cases: Case[] = [
  { name: 'Flatten rank 3', input: [10, 16], steps: [layer('Flatten')] },
  { name: 'Flatten rank 4', input: [7, 7, 64], steps: [layer('Flatten')] },
  { name: 'Flatten rank 5', input: [2, 3, 4, 5], steps: [layer('Flatten')] },
  { name: 'Reshape vector to image', input: [784], steps: [layer('Reshape', { targetShape: [28, 28, 1] })] },
  { name: 'Reshape sequence to vector', input: [10, 16], steps: [layer('Reshape', { targetShape: [160] })] },
  { name: 'Reshape to higher rank', input: [6, 4], steps: [layer('Reshape', { targetShape: [2, 3, 4] })] },
  { name: 'Reshape unknown size keeps -1 unknown', input: [null, 4], steps: [layer('Reshape', { targetShape: [-1, 2] })] },
  { name: 'Permute swaps two axes', input: [3, 4], steps: [layer('Permute', { dims: [2, 1] })] },
  { name: 'Permute rotates three axes', input: [2, 3, 4], steps: [layer('Permute', { dims: [3, 1, 2] })] },
  { name: 'Permute unknown size', input: [null, 5], steps: [layer('Permute', { dims: [2, 1] })] },
  { name: 'RepeatVector repeats n times', input: [5], steps: [layer('RepeatVector', { n: 3 })] },
  { name: 'RepeatVector after Dense', input: [8], steps: [layer('Dense', { units: 4 }), layer('RepeatVector', { n: 7 })] },
  { name: 'ZeroPadding2D asymmetric', input: [4, 4, 1], steps: [layer('ZeroPadding2D', { padding: [[1, 2], [3, 4]] })] },
  { name: 'ZeroPadding2D one number', input: [5, 5, 3], steps: [layer('ZeroPadding2D', { padding: 2 })] },
  { name: 'ZeroPadding2D rows and columns', input: [5, 6, 3], steps: [layer('ZeroPadding2D', { padding: [1, 2] })] },
  { name: 'ZeroPadding2D unknown height', input: [null, 4, 2], steps: [layer('ZeroPadding2D')] },
  { name: 'Cropping2D asymmetric', input: [8, 8, 3], steps: [layer('Cropping2D', { cropping: [[1, 1], [2, 2]] })] },
  { name: 'Cropping2D one number', input: [28, 28, 1], steps: [layer('Cropping2D', { cropping: 2 })] },
  { name: 'Cropping2D one side only', input: [28, 28, 1], steps: [layer('Cropping2D', { cropping: [[0, 4], [4, 0]] })] },
  { name: 'UpSampling2D default doubles', input: [7, 7, 2], steps: [layer('UpSampling2D')] },
  { name: 'UpSampling2D bilinear uneven', input: [3, 3, 2], steps: [layer('UpSampling2D', { size: [2, 3], interpolation: 'bilinear' })] },
  { name: 'UpSampling2D unknown height', input: [null, 3, 2], steps: [layer('UpSampling2D')] },
  {
    name: 'padded valid convolution keeps the size',
    input: [28, 28, 1],
    steps: [layer('ZeroPadding2D'), layer('Conv2D', { filters: 4, kernelSize: [3, 3] }), layer('Cropping2D', { cropping: [[1, 1], [1, 1]] }), layer('Flatten')],
  },
];

describe('reshaping layers against tfjs', () => {
  for (const testCase of cases) {
    it(testCase.name, async () => {
      expectAgreement(await compareWithTfjs(chain(testCase.input, testCase.steps)));
    });
  }
});

interface KerasCase {
  name: string;
  input: Shape;
  kind: string;
  params: Params;
  /** Keras's output shape, worked by hand from the Keras 2 layer definitions. */
  shape: Shape;
}

// tfjs 4.22 lacks the 1-D kinds and differs from Keras on these settings, so the expected
// shapes are Keras's, worked by hand.
const kerasCases: KerasCase[] = [
  { name: 'ZeroPadding1D pads both ends', input: [10, 3], kind: 'ZeroPadding1D', params: { padding: [1, 2] }, shape: [null, 13, 3] },
  { name: 'ZeroPadding1D one number', input: [10, 3], kind: 'ZeroPadding1D', params: { padding: 2 }, shape: [null, 14, 3] },
  { name: 'ZeroPadding1D unknown length', input: [null, 3], kind: 'ZeroPadding1D', params: {}, shape: [null, null, 3] },
  { name: 'Cropping1D crops both ends', input: [10, 3], kind: 'Cropping1D', params: { cropping: [2, 3] }, shape: [null, 5, 3] },
  { name: 'Cropping1D unknown length', input: [null, 3], kind: 'Cropping1D', params: {}, shape: [null, null, 3] },
  { name: 'UpSampling1D repeats steps', input: [10, 3], kind: 'UpSampling1D', params: { size: 3 }, shape: [null, 30, 3] },
  { name: 'UpSampling1D unknown length', input: [null, 3], kind: 'UpSampling1D', params: {}, shape: [null, null, 3] },
  { name: 'Reshape infers -1', input: [10], kind: 'Reshape', params: { targetShape: [5, -1] }, shape: [null, 5, 2] },
  { name: 'Reshape infers leading -1', input: [7, 7, 64], kind: 'Reshape', params: { targetShape: [-1, 64] }, shape: [null, 49, 64] },
  { name: 'Cropping2D unknown height', input: [null, 8, 3], kind: 'Cropping2D', params: { cropping: [[1, 1], [2, 2]] }, shape: [null, null, 4, 3] },
];

describe('reshaping layers against Keras', () => {
  for (const testCase of kerasCases) {
    it(testCase.name, () => {
      const inference = inferGraph(chain(testCase.input, [layer(testCase.kind, testCase.params)]));
      // tfjs lacks the 1-D kinds and cannot crop an unknown size, so those report 'unsupported'.
      const tfjsCannot = TFJS_UNSUPPORTED.has(testCase.kind) || testCase.name === 'Cropping2D unknown height';
      const expectedCodes = tfjsCannot ? ['unsupported'] : [];
      expect(inference.errors.map((error) => error.code)).toEqual(expectedCodes);
      expect(inference.nodes.get('n1')!.outputShapes).toEqual([testCase.shape]);
      expect(inference.nodes.get('n1')!.trainableParams).toBe(0);
    });
  }

  it('1-D kinds that tfjs lacks do not compile', async () => {
    expect([...TFJS_UNSUPPORTED].sort()).toEqual(['Cropping1D', 'UpSampling1D', 'ZeroPadding1D']);
    for (const kind of TFJS_UNSUPPORTED) {
      const result = await compareWithTfjs(chain([10, 3], [layer(kind)]));
      expect(result.inference.errors.map((error) => error.code), kind).toEqual(['unsupported']);
      expect(result.inference.errors[0].message, kind).toContain('does not exist in TensorFlow.js 4.22');
      expect(result.built, kind).toBe(false);
    }
  });
});

interface ErrorCase {
  name: string;
  input: Shape;
  kind: string;
  params: Params;
  code: GraphErrorCode;
  message?: string;
  /** Whether tfjs also rejects the graph when it builds the model. */
  tfjsRejects: boolean;
}

const errorCases: ErrorCase[] = [
  {
    name: 'Flatten with unknown size',
    input: [null, 16],
    kind: 'Flatten',
    params: {},
    code: 'unknown-size',
    message:
      'flatten_1: Flatten needs every size after the batch axis to be known but got (None, None, 16); use GlobalAveragePooling1D instead, which works for any size, or set the sizes on the Input layer',
    tfjsRejects: true,
  },
  {
    name: 'Flatten of a flat input',
    input: [10],
    kind: 'Flatten',
    params: {},
    code: 'wrong-rank',
    message: 'flatten_1: Flatten needs rank 3 or more but got (None, 10), which is already flat; remove the Flatten',
    tfjsRejects: true,
  },
  {
    name: 'Reshape with a different count',
    input: [10],
    kind: 'Reshape',
    params: { targetShape: [2, 4] },
    code: 'reshape-size',
    message: 'reshape_1: Reshape to (2, 4) needs 2 × 4 = 8 values per example but (None, 10) has 10; choose sizes whose product is 10',
    tfjsRejects: false,
  },
  {
    name: 'Reshape with an indivisible -1',
    input: [10],
    kind: 'Reshape',
    params: { targetShape: [3, -1] },
    code: 'reshape-size',
    message:
      'reshape_1: Reshape to (3, -1) cannot infer its -1, because (None, 10) has 10 values per example and 3 does not divide 10; choose sizes whose product divides 10',
    tfjsRejects: false,
  },
  {
    name: 'Reshape with two -1',
    input: [10],
    kind: 'Reshape',
    params: { targetShape: [-1, -1] },
    code: 'invalid-param',
    tfjsRejects: false,
  },
  {
    name: 'Permute dims not a permutation',
    input: [3, 4],
    kind: 'Permute',
    params: { dims: [1, 1] },
    code: 'invalid-param',
    message: 'permute_1: Permute dims must list each axis from 1 to 2 once but got [1, 1]; give every axis after the batch axis exactly once',
    tfjsRejects: true,
  },
  {
    name: 'Permute dims longer than the rank',
    input: [3, 4],
    kind: 'Permute',
    params: { dims: [1, 2, 3] },
    code: 'wrong-rank',
    message: 'permute_1: Permute dims [1, 2, 3] order 3 axes but (None, 3, 4) has 2 after the batch axis; list all 2 of them',
    tfjsRejects: true,
  },
  {
    name: 'RepeatVector on a sequence',
    input: [5, 2],
    kind: 'RepeatVector',
    params: { n: 3 },
    code: 'wrong-rank',
    message: 'repeatvector_1: RepeatVector needs rank 2 (batch, features) but got (None, 5, 2); add Flatten before it',
    tfjsRejects: true,
  },
  {
    name: 'Cropping1D removes everything',
    input: [4, 2],
    kind: 'Cropping1D',
    params: { cropping: [2, 2] },
    code: 'too-small',
    message: 'cropping1d_1: Cropping1D removes 2 + 2 = 4 from the input length 4, which leaves nothing; crop less than 4 in total',
    tfjsRejects: true,
  },
  {
    name: 'Cropping2D removes every row',
    input: [4, 8, 3],
    kind: 'Cropping2D',
    params: { cropping: [[2, 3], [0, 0]] },
    code: 'too-small',
    message: 'cropping2d_1: Cropping2D removes 2 + 3 = 5 from the input height 4, which leaves nothing; crop less than 4 in total',
    tfjsRejects: false,
  },
  {
    name: 'ZeroPadding2D padding not pairs',
    input: [4, 4, 1],
    kind: 'ZeroPadding2D',
    params: { padding: [[1, 2, 3], [1, 1]] as ParamValue },
    code: 'invalid-param',
    tfjsRejects: true,
  },
  {
    name: 'ZeroPadding1D on rank 4',
    input: [4, 4, 1],
    kind: 'ZeroPadding1D',
    params: {},
    code: 'wrong-rank',
    tfjsRejects: true,
  },
  {
    name: 'UpSampling2D on rank 3',
    input: [7, 7],
    kind: 'UpSampling2D',
    params: {},
    code: 'wrong-rank',
    message: 'upsampling2d_1: UpSampling2D needs rank 4 (batch, height, width, channels) but got (None, 7, 7); add Reshape to (7, 7, 1) before it',
    tfjsRejects: true,
  },
];

describe('reshaping errors', () => {
  for (const testCase of errorCases) {
    it(testCase.name, async () => {
      const result = await compareWithTfjs(chain(testCase.input, [layer(testCase.kind, testCase.params)]));
      expect(result.inference.errors.map((error) => error.code)).toEqual([testCase.code]);
      expect(result.inference.errors[0].nodeId).toBe('n1');
      if (testCase.message) expect(result.inference.errors[0].message).toBe(testCase.message);
      if (testCase.tfjsRejects) expect(result.built).toBe(false);
    });
  }

  it('Flatten of a flat input offers to remove it', () => {
    const [error] = inferGraph(chain([10], [layer('Flatten')])).errors;
    expect(error.fix).toEqual({ type: 'remove-node', label: 'Remove the Flatten', nodeId: 'n1' });
  });

  it('Reshape count fix infers the last size', async () => {
    const graph = chain([10], [layer('Reshape', { targetShape: [2, 4] })]);
    const [error] = inferGraph(graph).errors;
    expect(error.fix).toMatchObject({ type: 'set-param', label: 'Set the last size to -1, giving (2, 5)', param: 'targetShape', value: [2, -1] });
    if (error.fix?.type !== 'set-param') return;

    graph.nodes[1].params.targetShape = error.fix.value;
    const fixed = inferGraph(graph);
    expect(fixed.errors).toEqual([]);
    expect(fixed.nodes.get('n1')!.outputShapes).toEqual([[null, 2, 5]]);
  });

  it('Permute fix reverses the axes', () => {
    const [error] = inferGraph(chain([3, 4, 5], [layer('Permute', { dims: [1, 1, 3] })])).errors;
    expect(error.fix).toMatchObject({ type: 'set-param', param: 'dims', value: [3, 2, 1] });
  });

  it('RepeatVector fix inserts Flatten', () => {
    const [error] = inferGraph(chain([5, 2], [layer('RepeatVector')])).errors;
    expect(error.fix).toMatchObject({ type: 'insert-before', kind: 'Flatten', nodeId: 'n1' });
  });
});

describe('reshaping explanations', () => {
  function explain(kind: string, input: Shape, params: Params = {}): string[] {
    const layerKind = getLayerKind(kind)!;
    return layerKind.explainShape!([input], withDefaults(layerKind, params));
  }

  function summarize(kind: string, params: Params = {}): string {
    const layerKind = getLayerKind(kind)!;
    return layerKind.summarize!(withDefaults(layerKind, params));
  }

  it('Flatten multiplies the sizes', () => {
    expect(explain('Flatten', [null, 10, 16])).toEqual(['10 × 16 = 160']);
  });

  it('Reshape divides for -1', () => {
    expect(explain('Reshape', [null, 10], { targetShape: [5, -1] })).toEqual(['−1 = 10 / 5 = 2']);
    expect(explain('Reshape', [null, 784], { targetShape: [28, -1, 1] })).toEqual(['−1 = 784 / (28 × 1) = 28']);
    expect(explain('Reshape', [null, 784], { targetShape: [28, 28, 1] })).toEqual(['28 × 28 × 1 = 784 values per example']);
  });

  it('Permute names the source axes', () => {
    expect(explain('Permute', [null, 3, 4], { dims: [2, 1] })).toEqual(['axis 1 ← input axis 2 (4)', 'axis 2 ← input axis 1 (3)']);
  });

  it('padding, cropping and upsampling show the sums', () => {
    expect(explain('ZeroPadding2D', [null, 4, 4, 1], { padding: [[1, 2], [3, 4]] })).toEqual(['height: 4 + 1 + 2 = 7', 'width: 4 + 3 + 4 = 11']);
    expect(explain('Cropping1D', [null, 10, 3], { cropping: [2, 3] })).toEqual(['10 − 2 − 3 = 5']);
    expect(explain('UpSampling2D', [null, 3, 3, 2], { size: [2, 3] })).toEqual(['height: 3 × 2 = 6', 'width: 3 × 3 = 9']);
  });

  it('summaries name the main setting', () => {
    expect(summarize('Reshape', { targetShape: [28, 28, 1] })).toBe('to (28, 28, 1)');
    expect(summarize('RepeatVector', { n: 4 })).toBe('× 4');
    expect(summarize('ZeroPadding2D', { padding: 1 })).toBe('pad (1, 1), (1, 1)');
    expect(summarize('UpSampling2D')).toBe('× 2×2, nearest');
  });
});

describe('Reshape with -1 compiles', () => {
  it('Reshape -1 followed by Dense builds in tfjs', async () => {
    const result = await compareWithTfjs(
      chain([4, 5], [layer('Reshape', { targetShape: [-1, 2] }), layer('Flatten'), layer('Dense', { units: 3 })]),
    );
    expect(result.inference.errors).toEqual([]);
    expect(result.built).toBe(true);
    if (!result.built) return;
    for (const compared of result.layers) expect(compared.ours.outputShape, compared.name).toEqual(compared.tfjs.outputShape);
  });
});
