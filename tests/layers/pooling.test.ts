import { describe, expect, it } from 'vitest';
import { inferGraph } from '../../src/graph/infer';
import type { GraphErrorCode, Params, Shape } from '../../src/graph/types';
import { getLayerKind } from '../../src/layers';
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

const cases: Case[] = [
  { name: 'MaxPooling1D pool 4 divides the length', input: [196, 16], steps: [layer('MaxPooling1D', { poolSize: 4 })] },
  { name: 'MaxPooling1D odd length drops the rest', input: [23, 16], steps: [layer('MaxPooling1D', { poolSize: 2 })] },
  { name: 'MaxPooling1D stride 1 overlaps', input: [10, 3], steps: [layer('MaxPooling1D', { poolSize: 3, strides: 1 })] },
  { name: 'MaxPooling1D stride 3 skips steps', input: [10, 3], steps: [layer('MaxPooling1D', { poolSize: 2, strides: 3 })] },
  { name: 'MaxPooling1D same stride 3', input: [7, 3], steps: [layer('MaxPooling1D', { poolSize: 2, strides: 3, padding: 'same' })] },
  { name: 'MaxPooling1D pool equal to input', input: [5, 2], steps: [layer('MaxPooling1D', { poolSize: 5 })] },
  { name: 'MaxPooling1D unknown length', input: [null, 4], steps: [layer('MaxPooling1D', { poolSize: 2 })] },
  { name: 'AveragePooling1D same pool 2', input: [9, 2], steps: [layer('AveragePooling1D', { poolSize: 2, padding: 'same' })] },
  { name: 'AveragePooling1D pool 3 stride 2', input: [11, 2], steps: [layer('AveragePooling1D', { poolSize: 3, strides: 2 })] },
  { name: 'MaxPooling2D default halves', input: [28, 28, 8], steps: [layer('MaxPooling2D')] },
  { name: 'MaxPooling2D odd sizes', input: [27, 13, 3], steps: [layer('MaxPooling2D', { poolSize: [2, 2] })] },
  { name: 'MaxPooling2D pool 3 stride 1', input: [10, 10, 2], steps: [layer('MaxPooling2D', { poolSize: [3, 3], strides: [1, 1] })] },
  { name: 'MaxPooling2D same stride 3', input: [10, 11, 1], steps: [layer('MaxPooling2D', { poolSize: [2, 2], strides: [3, 3], padding: 'same' })] },
  { name: 'MaxPooling2D unknown sizes', input: [null, null, 3], steps: [layer('MaxPooling2D')] },
  { name: 'AveragePooling2D uneven pool', input: [5, 7, 2], steps: [layer('AveragePooling2D', { poolSize: [2, 3] })] },
  { name: 'AveragePooling2D pool equal to input', input: [4, 4, 2], steps: [layer('AveragePooling2D', { poolSize: [4, 4], strides: [2, 2] })] },
  { name: 'GlobalMaxPooling1D keeps channels', input: [49, 16], steps: [layer('GlobalMaxPooling1D')] },
  { name: 'GlobalAveragePooling1D unknown length', input: [null, 8], steps: [layer('GlobalAveragePooling1D')] },
  { name: 'GlobalMaxPooling2D keeps channels', input: [7, 7, 64], steps: [layer('GlobalMaxPooling2D')] },
  { name: 'GlobalAveragePooling2D unknown sizes', input: [null, null, 3], steps: [layer('GlobalAveragePooling2D')] },
  {
    name: 'unknown length pooled globally to Dense',
    input: [null, 4],
    steps: [layer('Conv1D', { filters: 8, kernelSize: 3, padding: 'same' }), layer('MaxPooling1D'), layer('GlobalAveragePooling1D'), layer('Dense', { units: 2 })],
  },
];

describe('pooling layers against tfjs', () => {
  for (const testCase of cases) {
    it(testCase.name, async () => {
      expectAgreement(await compareWithTfjs(chain(testCase.input, testCase.steps)));
    });
  }
});

interface ErrorCase {
  name: string;
  input: Shape;
  steps: LayerStep[];
  code: GraphErrorCode;
  message?: string;
  /** Whether tfjs also rejects the graph when it builds the model. */
  tfjsRejects: boolean;
}

const errorCases: ErrorCase[] = [
  {
    name: 'MaxPooling1D pool larger than input',
    input: [3, 4],
    steps: [layer('MaxPooling1D', { poolSize: 4 })],
    code: 'too-small',
    message: 'maxpooling1d_1: MaxPooling1D pool 4 is larger than the input length 3; use padding same or a smaller pool',
    tfjsRejects: false,
  },
  {
    name: 'MaxPooling2D pool taller than input',
    input: [1, 8, 2],
    steps: [layer('MaxPooling2D')],
    code: 'too-small',
    message: 'maxpooling2d_1: MaxPooling2D pool 2 is larger than the input height 1; use padding same or a smaller pool',
    tfjsRejects: false,
  },
  {
    name: 'MaxPooling2D on rank 3',
    input: [28, 28],
    steps: [layer('MaxPooling2D')],
    code: 'wrong-rank',
    message: 'maxpooling2d_1: MaxPooling2D needs rank 4 (batch, height, width, channels) but got (None, 28, 28); add Reshape to (28, 28, 1) before it',
    tfjsRejects: true,
  },
  {
    name: 'AveragePooling1D on rank 2',
    input: [10],
    steps: [layer('AveragePooling1D')],
    code: 'wrong-rank',
    tfjsRejects: true,
  },
  {
    name: 'GlobalAveragePooling1D on rank 4',
    input: [7, 7, 3],
    steps: [layer('GlobalAveragePooling1D')],
    code: 'wrong-rank',
    message:
      'globalaveragepooling1d_1: GlobalAveragePooling1D needs rank 3 (batch, steps, channels) but got (None, 7, 7, 3); GlobalAveragePooling1D slides along one axis; for images use GlobalAveragePooling2D',
    tfjsRejects: true,
  },
  {
    name: 'GlobalMaxPooling2D on rank 2',
    input: [10],
    steps: [layer('GlobalMaxPooling2D')],
    code: 'wrong-rank',
    tfjsRejects: true,
  },
  {
    name: 'MaxPooling1D pool size 0',
    input: [10, 2],
    steps: [layer('MaxPooling1D', { poolSize: 0 })],
    code: 'invalid-param',
    tfjsRejects: true,
  },
];

describe('pooling errors', () => {
  for (const testCase of errorCases) {
    it(testCase.name, async () => {
      const result = await compareWithTfjs(chain(testCase.input, testCase.steps));
      expect(result.inference.errors.map((error) => error.code)).toEqual([testCase.code]);
      expect(result.inference.errors[0].nodeId).toBe('n1');
      if (testCase.message) expect(result.inference.errors[0].message).toBe(testCase.message);
      if (testCase.tfjsRejects) expect(result.built).toBe(false);
    });
  }

  it('too-small fix sets padding to same', async () => {
    const graph = chain([3, 4], [layer('MaxPooling1D', { poolSize: 4 })]);
    const [error] = inferGraph(graph).errors;
    expect(error.fix).toMatchObject({ type: 'set-param', param: 'padding', value: 'same' });

    graph.nodes[1].params.padding = 'same';
    expectAgreement(await compareWithTfjs(graph));
  });
});

describe('pooling explanations', () => {
  function explain(kind: string, input: Shape, params: Params = {}): string[] {
    const layerKind = getLayerKind(kind)!;
    return layerKind.explainShape!([input], withDefaults(layerKind, params));
  }

  function summarize(kind: string, params: Params = {}): string {
    const layerKind = getLayerKind(kind)!;
    return layerKind.summarize!(withDefaults(layerKind, params));
  }

  it('pool dividing the length', () => {
    expect(explain('MaxPooling1D', [null, 196, 16], { poolSize: 4 })).toEqual(['196 / 4 = 49']);
  });

  it('pool not dividing the length', () => {
    expect(explain('MaxPooling1D', [null, 23, 16], { poolSize: 2 })).toEqual(['⌊23 / 2⌋ = 11']);
  });

  it('overlapping pool', () => {
    expect(explain('AveragePooling1D', [null, 11, 2], { poolSize: 3, strides: 2 })).toEqual(['⌊(11 − 3) / 2⌋ + 1 = 5']);
  });

  it('same padding rounds up', () => {
    expect(explain('MaxPooling1D', [null, 7, 3], { poolSize: 2, strides: 3, padding: 'same' })).toEqual(['⌈7 / 3⌉ = 3']);
  });

  it('2-D pooling explains each axis', () => {
    expect(explain('MaxPooling2D', [null, 28, 27, 8])).toEqual(['height: 28 / 2 = 14', 'width: ⌊27 / 2⌋ = 13']);
  });

  it('global pooling names the positions', () => {
    expect(explain('GlobalMaxPooling1D', [null, 49, 16])).toEqual(['max over 49 steps keeps 16 channels']);
    expect(explain('GlobalAveragePooling2D', [null, 7, 7, 64])).toEqual(['average over 7 × 7 positions keeps 64 channels']);
  });

  it('summaries name pool, stride and padding', () => {
    expect(summarize('MaxPooling1D', { poolSize: 4 })).toBe('pool 4');
    expect(summarize('MaxPooling1D', { poolSize: 4, strides: 4 })).toBe('pool 4');
    expect(summarize('AveragePooling2D', { poolSize: [3, 3], strides: [1, 1], padding: 'same' })).toBe('pool 3×3, stride 1×1, same');
  });
});
