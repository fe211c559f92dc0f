import { describe, expect, it } from 'vitest';
import { chain } from '../helpers/graph-builders';
import { compareWithTfjs } from '../helpers/tfjs-reference';
import { graphToKerasModel } from '../../src/compile/keras-export';
import type { Params, Shape } from '../../src/graph/types';
import { expectAgreement, errorsOf } from '../helpers/expect-agreement';

interface Case {
  name: string;
  input: Shape;
  kind: string;
  params: Params;
}

const cases: Case[] = [
  { name: 'BatchNormalization of features', input: [10], kind: 'BatchNormalization', params: {} },
  { name: 'BatchNormalization of image channels', input: [8, 8, 3], kind: 'BatchNormalization', params: { axis: -1 } },
  { name: 'BatchNormalization axis as a Keras list', input: [8, 8, 3], kind: 'BatchNormalization', params: { axis: [3] } },
  { name: 'BatchNormalization negative axis list', input: [8, 8, 3], kind: 'BatchNormalization', params: { axis: [-1] } },
  { name: 'BatchNormalization channels first', input: [4, 6, 6], kind: 'BatchNormalization', params: { axis: 1 } },
  { name: 'BatchNormalization of sequence steps', input: [5, 7], kind: 'BatchNormalization', params: { axis: -2 } },
  { name: 'BatchNormalization without center', input: [6], kind: 'BatchNormalization', params: { center: false } },
  { name: 'BatchNormalization without scale', input: [6], kind: 'BatchNormalization', params: { scale: false } },
  { name: 'BatchNormalization without either', input: [6], kind: 'BatchNormalization', params: { center: false, scale: false } },
  { name: 'BatchNormalization momentum and epsilon', input: [6], kind: 'BatchNormalization', params: { momentum: 0.9, epsilon: 0.00001 } },
  { name: 'BatchNormalization with unknown length', input: [null, 4], kind: 'BatchNormalization', params: {} },
  { name: 'LayerNormalization of features', input: [10], kind: 'LayerNormalization', params: {} },
  { name: 'LayerNormalization last axis', input: [4, 6], kind: 'LayerNormalization', params: { axis: -1 } },
  { name: 'LayerNormalization over two axes', input: [4, 6], kind: 'LayerNormalization', params: { axis: [1, 2] } },
  { name: 'LayerNormalization axis list of one', input: [4, 6], kind: 'LayerNormalization', params: { axis: [1] } },
  { name: 'LayerNormalization without center', input: [5], kind: 'LayerNormalization', params: { center: false } },
  { name: 'LayerNormalization without scale', input: [5], kind: 'LayerNormalization', params: { scale: false } },
];

describe('normalization layers against tfjs', () => {
  for (const testCase of cases) {
    it(testCase.name, async () => {
      await expectAgreement(chain(testCase.input, [{ kind: testCase.kind, params: testCase.params }]));
    });
  }

  it('BatchNormalization moving statistics are non-trainable', async () => {
    const graph = chain([8, 8, 16], [{ kind: 'BatchNormalization', params: {} }]);
    const result = await expectAgreement(graph);
    const batchNorm = result.inference.nodes.get('n1')!;
    expect(batchNorm.trainableParams).toBe(32);
    expect(batchNorm.nonTrainableParams).toBe(32);
    expect(batchNorm.weights.map((weight) => `${weight.name} ${weight.trainable}`)).toEqual([
      'gamma true',
      'beta true',
      'moving_mean false',
      'moving_variance false',
    ]);
  });

  it('BatchNormalization axis list exports as a number', () => {
    const graph = chain([8, 8, 3], [{ kind: 'BatchNormalization', params: { axis: [-1] } }]);
    const layers = graphToKerasModel(graph).config.layers as { config: { axis?: unknown } }[];
    expect(layers[1].config.axis).toBe(-1);
  });

  it('BatchNormalization on an unknown channel size', async () => {
    const result = await compareWithTfjs(chain([4, null], [{ kind: 'BatchNormalization', params: {} }]));
    expect(errorsOf(result)).toEqual([['n1', 'unknown-size']]);
    expect(result.built).toBe(false);
  });

  it('BatchNormalization axis outside the rank', async () => {
    const result = await compareWithTfjs(chain([4, 3], [{ kind: 'BatchNormalization', params: { axis: 5 } }]));
    expect(errorsOf(result)).toEqual([['n1', 'invalid-param']]);
    expect(result.inference.errors[0].message).toBe(
      'batchnormalization_1: BatchNormalization axis 5 does not exist in (None, 4, 3), which has axes 0 to 2 (or -1 to -3); set axis to -1 for the last axis',
    );
    expect(result.built).toBe(false);
  });

  it('BatchNormalization over several axes', async () => {
    const result = await compareWithTfjs(chain([4, 3], [{ kind: 'BatchNormalization', params: { axis: [1, 2] } }]));
    expect(errorsOf(result)).toEqual([['n1', 'unsupported']]);
    expect(result.inference.errors[0].fix).toMatchObject({ type: 'set-param', param: 'axis', value: 2 });
  });

  it('BatchNormalization axis that is not a number', async () => {
    const result = await compareWithTfjs(chain([4], [{ kind: 'BatchNormalization', params: { axis: 'last' } }]));
    expect(errorsOf(result)).toEqual([['n1', 'invalid-param']]);
  });

  it('LayerNormalization axis named twice', async () => {
    const result = await compareWithTfjs(chain([4, 3], [{ kind: 'LayerNormalization', params: { axis: [2, -1] } }]));
    expect(errorsOf(result)).toEqual([['n1', 'invalid-param']]);
    expect(result.built).toBe(false);
  });

  it('LayerNormalization over an unknown size', async () => {
    const result = await compareWithTfjs(chain([null, 3], [{ kind: 'LayerNormalization', params: { axis: [1, 2] } }]));
    expect(errorsOf(result)).toEqual([['n1', 'unknown-size']]);
    expect(result.built).toBe(false);
  });

  it('LayerNormalization epsilon of zero is invalid', async () => {
    const result = await compareWithTfjs(chain([4], [{ kind: 'LayerNormalization', params: { epsilon: 0 } }]));
    expect(errorsOf(result)).toEqual([['n1', 'invalid-param']]);
  });
});
