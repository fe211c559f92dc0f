import { describe, expect, it } from 'vitest';
import { chain } from '../helpers/graph-builders';
import { compareWithTfjs } from '../helpers/tfjs-reference';
import type { Shape, Params } from '../../src/graph/types';

interface Case {
  name: string;
  input: Shape;
  kind: string;
  params: Params;
}

const cases: Case[] = [
  { name: 'Dense 10 → 3 with bias', input: [10], kind: 'Dense', params: { units: 3 } },
  { name: 'Dense without bias', input: [7], kind: 'Dense', params: { units: 5, useBias: false } },
  { name: 'Dense with L2 regularizer', input: [4], kind: 'Dense', params: { units: 2, kernelRegularizer: { l1: 0, l2: 0.01 } } },
  { name: 'Dense gelu', input: [4], kind: 'Dense', params: { units: 2, activation: 'gelu' } },
  { name: 'Activation softmax', input: [6], kind: 'Activation', params: { activation: 'softmax' } },
  { name: 'Activation on rank 4', input: [3, 5, 2], kind: 'Activation', params: { activation: 'mish' } },
  { name: 'Dropout keeps shape', input: [9, 2], kind: 'Dropout', params: { rate: 0.3 } },
  { name: 'Dropout with unknown size', input: [null, 2], kind: 'Dropout', params: { rate: 0 } },
];

describe('core layers against tfjs', () => {
  for (const testCase of cases) {
    it(testCase.name, async () => {
      const graph = chain(testCase.input, [{ kind: testCase.kind, params: testCase.params }]);
      const result = await compareWithTfjs(graph);
      expect(result.inference.errors).toEqual([]);
      expect(result.built).toBe(true);
      if (!result.built) return;
      for (const layer of result.layers) {
        expect(layer.ours.outputShape, layer.name).toEqual(layer.tfjs.outputShape);
        expect(layer.ours.trainable, layer.name).toBe(layer.tfjs.trainable);
        expect(layer.ours.nonTrainable, layer.name).toBe(layer.tfjs.nonTrainable);
      }
    });
  }

  it('Dense on rank 3 reports the Flatten fix', async () => {
    const graph = chain([49, 16], [{ kind: 'Dense', params: { units: 4 } }]);
    const result = await compareWithTfjs(graph);
    expect(result.inference.errors).toHaveLength(1);
    expect(result.inference.errors[0].message).toBe('dense_1: Dense needs rank 2 but got (None, 49, 16); add Flatten before it');
    expect(result.inference.errors[0].fix).toMatchObject({ type: 'insert-before', kind: 'Flatten', nodeId: 'n1' });
  });

  it('Dense of a billion units is counted and flagged', async () => {
    const graph = chain([160], [{ kind: 'Dense', params: { units: 1e9 } }]);
    const result = await import('../../src/graph/infer').then((m) => m.inferGraph(graph));
    expect(result.totalParams).toBe(161_000_000_000);
    expect(result.errors.map((error) => error.code)).toEqual(['too-large']);
  });
});

describe('Dense on the canvas', () => {
  it('writes its units with thousands separators', async () => {
    const { getLayerKind } = await import('../../src/layers');
    const { withDefaults } = await import('../../src/layers/params');
    const dense = getLayerKind('Dense')!;
    expect(dense.summarize!(withDefaults(dense, { units: 100_000_000, activation: 'relu' }))).toBe('100,000,000 units, relu');
    expect(dense.summarize!(withDefaults(dense, { units: 1, activation: 'sigmoid' }))).toBe('1 unit, sigmoid');
  });

  it('shows invalid units as written', async () => {
    const { getLayerKind } = await import('../../src/layers');
    const { withDefaults } = await import('../../src/layers/params');
    const dense = getLayerKind('Dense')!;
    expect(dense.summarize!(withDefaults(dense, { units: 'twenty' }))).toBe('units "twenty", linear');
    expect(dense.summarize!(withDefaults(dense, { units: null }))).toBe('units null, linear');
  });
});
