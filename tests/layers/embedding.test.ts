import { describe, expect, it } from 'vitest';
import { chain } from '../helpers/graph-builders';
import { compareWithTfjs } from '../helpers/tfjs-reference';
import type { Params, Shape } from '../../src/graph/types';
import { expectAgreement } from '../helpers/expect-agreement';

interface Case {
  name: string;
  input: Shape;
  dtype?: 'float32' | 'int32';
  params: Params;
}

const cases: Case[] = [
  { name: 'Embedding of token ids', input: [200], dtype: 'int32', params: { inputDim: 21, outputDim: 16, maskZero: true } },
  { name: 'Embedding without mask', input: [12], dtype: 'int32', params: { inputDim: 50, outputDim: 8 } },
  { name: 'Embedding on float ids', input: [7], params: { inputDim: 10, outputDim: 3 } },
  { name: 'Embedding with matching inputLength', input: [30], dtype: 'int32', params: { inputDim: 40, outputDim: 4, inputLength: 30 } },
  { name: 'Embedding inputLength fills unknown length', input: [null], dtype: 'int32', params: { inputDim: 40, outputDim: 4, inputLength: 25 } },
  { name: 'Embedding of unknown length', input: [null], dtype: 'int32', params: { inputDim: 9, outputDim: 5 } },
  { name: 'Embedding of a grid of ids', input: [5, 3], dtype: 'int32', params: { inputDim: 10, outputDim: 2 } },
  { name: 'Embedding with L2 regularizer', input: [6], dtype: 'int32', params: { inputDim: 11, outputDim: 3, embeddingsRegularizer: { l1: 0, l2: 0.001 } } },
];

describe('Embedding against tfjs', () => {
  for (const testCase of cases) {
    it(testCase.name, async () => {
      await expectAgreement(chain(testCase.input, [{ kind: 'Embedding', params: testCase.params }], testCase.dtype));
    });
  }

  it('Embedding of the solubility model', async () => {
    const graph = chain([200], [{ kind: 'Embedding', params: { inputDim: 21, outputDim: 16, maskZero: true } }], 'int32');
    const result = await expectAgreement(graph);
    const embedding = result.inference.nodes.get('n1')!;
    expect(embedding.outputShapes).toEqual([[null, 200, 16]]);
    expect(embedding.trainableParams).toBe(336);
  });

  it('Embedding inputLength disagreeing with the input', async () => {
    const graph = chain([30], [{ kind: 'Embedding', params: { inputDim: 40, outputDim: 4, inputLength: 20 } }], 'int32');
    const result = await compareWithTfjs(graph);
    expect(result.inference.errors.map((error) => [error.nodeId, error.code])).toEqual([['n1', 'invalid-param']]);
    expect(result.inference.errors[0].message).toBe(
      'embedding_1: Embedding inputLength is 20 but the input sequence has length 30 in (None, 30); set inputLength to 30 or clear it',
    );
    expect(result.inference.errors[0].fix).toMatchObject({ type: 'set-param', param: 'inputLength', value: 30 });
    expect(result.built).toBe(false);
  });

  it('Embedding inputLength on a rank-3 input', async () => {
    const graph = chain([5, 3], [{ kind: 'Embedding', params: { inputDim: 10, outputDim: 2, inputLength: 5 } }], 'int32');
    const result = await compareWithTfjs(graph);
    expect(result.inference.errors.map((error) => [error.nodeId, error.code])).toEqual([['n1', 'wrong-rank']]);
    expect(result.built).toBe(false);
  });

  it('Embedding with inputDim 0 is invalid', async () => {
    const graph = chain([5], [{ kind: 'Embedding', params: { inputDim: 0, outputDim: 2 } }], 'int32');
    const result = await compareWithTfjs(graph);
    expect(result.inference.errors.map((error) => [error.nodeId, error.code])).toEqual([['n1', 'invalid-param']]);
    expect(result.built).toBe(false);
  });
});
