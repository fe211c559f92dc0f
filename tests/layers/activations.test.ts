import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { chain } from '../helpers/graph-builders';
import { compareWithTfjs } from '../helpers/tfjs-reference';
import { compileGraph } from '../../src/compile/compile';
import type { Params, Shape } from '../../src/graph/types';
import { expectAgreement, errorsOf } from '../helpers/expect-agreement';

interface Case {
  name: string;
  input: Shape;
  kind: string;
  params: Params;
}

const cases: Case[] = [
  { name: 'ReLU without cap', input: [6], kind: 'ReLU', params: {} },
  { name: 'ReLU capped at 6', input: [4, 3], kind: 'ReLU', params: { maxValue: 6 } },
  { name: 'LeakyReLU default slope', input: [5], kind: 'LeakyReLU', params: {} },
  { name: 'LeakyReLU on images', input: [4, 4, 2], kind: 'LeakyReLU', params: { alpha: 0.1 } },
  { name: 'PReLU slope per value', input: [4, 3], kind: 'PReLU', params: {} },
  { name: 'PReLU shared over time', input: [4, 3], kind: 'PReLU', params: { sharedAxes: [1] } },
  { name: 'PReLU shared over image axes', input: [5, 5, 3], kind: 'PReLU', params: { sharedAxes: [1, 2] } },
  { name: 'PReLU shared axis as a number', input: [5, 5, 3], kind: 'PReLU', params: { sharedAxes: 2 } },
  { name: 'PReLU shared over unknown length', input: [null, 3], kind: 'PReLU', params: { sharedAxes: [1] } },
  { name: 'ELU with alpha 1', input: [7], kind: 'ELU', params: { alpha: 1 } },
  { name: 'ThresholdedReLU', input: [3, 3], kind: 'ThresholdedReLU', params: { theta: 0.5 } },
  { name: 'Softmax of a vector', input: [10], kind: 'Softmax', params: {} },
  { name: 'Softmax last axis of a sequence', input: [4, 5], kind: 'Softmax', params: { axis: -1 } },
  { name: 'Softmax last axis by index', input: [4, 5], kind: 'Softmax', params: { axis: 2 } },
];

describe('activation layers against tfjs', () => {
  for (const testCase of cases) {
    it(testCase.name, async () => {
      await expectAgreement(chain(testCase.input, [{ kind: testCase.kind, params: testCase.params }]));
    });
  }

  it('PReLU learns one slope per value', async () => {
    const result = await expectAgreement(chain([5, 5, 3], [{ kind: 'PReLU', params: {} }]));
    expect(result.inference.nodes.get('n1')!.weights).toEqual([{ name: 'alpha', shape: [5, 5, 3], trainable: true }]);
  });

  it('PReLU on an unknown length', async () => {
    const result = await compareWithTfjs(chain([null, 3], [{ kind: 'PReLU', params: {} }]));
    expect(errorsOf(result)).toEqual([['n1', 'unknown-size']]);
    expect(result.inference.errors[0].fix).toMatchObject({ type: 'set-param', param: 'sharedAxes', value: [1] });
    expect(result.built).toBe(false);
  });

  it('PReLU shared axis outside the rank', async () => {
    const result = await compareWithTfjs(chain([4, 3], [{ kind: 'PReLU', params: { sharedAxes: [3] } }]));
    expect(errorsOf(result)).toEqual([['n1', 'invalid-param']]);
  });

  it('ELU with another alpha', async () => {
    const result = await compareWithTfjs(chain([4], [{ kind: 'ELU', params: { alpha: 0.5 } }]));
    expect(errorsOf(result)).toEqual([['n1', 'unsupported']]);
    expect(result.inference.errors[0].fix).toMatchObject({ type: 'set-param', param: 'alpha', value: 1 });
    expect(result.built).toBe(false);
  });

  it('Softmax along a middle axis', async () => {
    const graph = chain([4, 5], [{ kind: 'Softmax', params: { axis: 1 } }]);
    const result = await compareWithTfjs(graph);
    expect(errorsOf(result)).toEqual([['n1', 'unsupported']]);
    expect(result.inference.errors[0].message).toBe(
      'softmax_1: Softmax along axis 1 of (None, 4, 5) cannot run in TensorFlow.js, which normalizes only the last axis; set axis to -1, or move that axis last with a Permute before it',
    );

    // tfjs builds the layer, and rejects it as soon as data flows through.
    const model = await compileGraph(graph);
    expect(() => tf.tidy(() => model.predict(tf.ones([1, 4, 5])) as tf.Tensor)).toThrow(/non-last dimension/);
    model.dispose();
  });

  it('Softmax over the batch axis', async () => {
    const result = await compareWithTfjs(chain([4], [{ kind: 'Softmax', params: { axis: 0 } }]));
    expect(errorsOf(result)).toEqual([['n1', 'invalid-param']]);
  });

  it('ReLU with a negative cap is invalid', async () => {
    const result = await compareWithTfjs(chain([4], [{ kind: 'ReLU', params: { maxValue: -1 } }]));
    expect(errorsOf(result)).toEqual([['n1', 'invalid-param']]);
  });
});
