import { describe, expect, it } from 'vitest';
import { chain } from '../helpers/graph-builders';
import { compareWithTfjs } from '../helpers/tfjs-reference';
import { inferGraph } from '../../src/graph/infer';
import type { Params, Shape } from '../../src/graph/types';
import { expectAgreement, errorsOf } from '../helpers/expect-agreement';

interface Case {
  name: string;
  input: Shape;
  kind: string;
  params: Params;
}

/** Settings every recurrent kind takes, each case named after what it changes. */
const SETTINGS: { name: string; input: Shape; params: Params }[] = [
  { name: 'last step', input: [10, 6], params: { units: 5 } },
  { name: 'every step', input: [10, 6], params: { units: 5, returnSequences: true } },
  { name: 'backwards', input: [10, 6], params: { units: 3, goBackwards: true } },
  { name: 'backwards, every step', input: [10, 6], params: { units: 3, goBackwards: true, returnSequences: true } },
  { name: 'unknown time length', input: [null, 6], params: { units: 4 } },
  { name: 'unknown length, every step', input: [null, 6], params: { units: 4, returnSequences: true } },
  { name: 'without bias', input: [7, 2], params: { units: 4, useBias: false } },
  { name: 'with dropouts', input: [7, 2], params: { units: 4, dropout: 0.2, recurrentDropout: 0.3 } },
  {
    name: 'with regularizers',
    input: [7, 2],
    params: {
      units: 4,
      kernelRegularizer: { l1: 0, l2: 0.01 },
      recurrentRegularizer: { l1: 0.001, l2: 0 },
      biasRegularizer: { l1: 0, l2: 0.1 },
    },
  },
  { name: 'relu activation', input: [7, 2], params: { units: 4, activation: 'relu' } },
];

/** GRU compiles in tfjs 4.22 only without resetAfter. */
const KINDS: { kind: string; params: Params }[] = [
  { kind: 'SimpleRNN', params: {} },
  { kind: 'LSTM', params: {} },
  { kind: 'GRU', params: { resetAfter: false } },
];

const cases: Case[] = [
  ...KINDS.flatMap(({ kind, params }) =>
    SETTINGS.map((setting) => ({ name: `${kind} ${setting.name}`, input: setting.input, kind, params: { ...params, ...setting.params } })),
  ),
  { name: 'LSTM hard_sigmoid gates', input: [5, 3], kind: 'LSTM', params: { units: 2, recurrentActivation: 'hard_sigmoid' } },
  { name: 'LSTM without unit forget bias', input: [5, 3], kind: 'LSTM', params: { units: 2, unitForgetBias: false } },
  { name: 'GRU hard_sigmoid gates', input: [5, 3], kind: 'GRU', params: { units: 2, resetAfter: false, recurrentActivation: 'hard_sigmoid' } },
];

describe('recurrent layers against tfjs', () => {
  for (const testCase of cases) {
    it(testCase.name, async () => {
      await expectAgreement(chain(testCase.input, [{ kind: testCase.kind, params: testCase.params }]));
    });
  }

  it('LSTM stacked on LSTM sequences', async () => {
    const graph = chain([20, 8], [
      { kind: 'LSTM', params: { units: 16, returnSequences: true } },
      { kind: 'LSTM', params: { units: 8 } },
    ]);
    await expectAgreement(graph);
  });

  it('LSTM counts kernel, recurrent kernel and bias', () => {
    // Keras: 4 × (64·64 + 64·64 + 64) = 33,024. Built by tfjs in the table above at smaller sizes,
    // because its orthogonal initializer takes seconds on a 64 × 256 matrix.
    const lstm = inferGraph(chain([50, 64], [{ kind: 'LSTM', params: { units: 64 } }])).nodes.get('n1')!;
    expect(lstm.weights.map((weight) => `${weight.name} ${weight.shape.join('×')}`)).toEqual([
      'kernel 64×256',
      'recurrent_kernel 64×256',
      'bias 256',
    ]);
    expect(lstm.trainableParams).toBe(33_024);
  });

  it('Embedding and backwards GRU of the tfjs example', async () => {
    const graph = chain([null], [
      { kind: 'Embedding', params: { inputDim: 100, outputDim: 20 } },
      { kind: 'GRU', params: { units: 4, goBackwards: true, resetAfter: false } },
    ], 'int32');
    const result = await expectAgreement(graph);
    expect(result.inference.totalParams).toBe(2_300);
  });

  it('LSTM on a vector suggests a Reshape', async () => {
    const result = await compareWithTfjs(chain([160], [{ kind: 'LSTM', params: {} }]));
    expect(errorsOf(result)).toEqual([['n1', 'wrong-rank']]);
    expect(result.inference.errors[0].message).toBe(
      'lstm_1: LSTM needs rank 3 (batch, time, features) but got (None, 160); add Reshape to (160, 1) before it, or an Embedding if the values are token ids',
    );
    expect(result.inference.errors[0].fix).toEqual({
      type: 'insert-before',
      label: 'Add Reshape to (160, 1) before it',
      nodeId: 'n1',
      kind: 'Reshape',
      params: { targetShape: [160, 1] },
    });
    expect(result.built).toBe(false);
  });

  it('GRU on an image suggests rows as steps', async () => {
    const result = await compareWithTfjs(chain([28, 28, 1], [{ kind: 'GRU', params: { resetAfter: false } }]));
    expect(errorsOf(result)).toEqual([['n1', 'wrong-rank']]);
    expect(result.inference.errors[0].fix).toMatchObject({ kind: 'Reshape', params: { targetShape: [28, 28] } });
    expect(result.built).toBe(false);
  });

  it('SimpleRNN with unknown features', async () => {
    const result = await compareWithTfjs(chain([5, null], [{ kind: 'SimpleRNN', params: {} }]));
    expect(errorsOf(result)).toEqual([['n1', 'unknown-size']]);
    expect(result.built).toBe(false);
  });

  it('LSTM with zero units is invalid', async () => {
    const result = await compareWithTfjs(chain([5, 2], [{ kind: 'LSTM', params: { units: 0 } }]));
    expect(errorsOf(result)).toEqual([['n1', 'invalid-param']]);
    expect(result.built).toBe(false);
  });
});

describe('GRU with resetAfter, which tfjs 4.22 cannot build', () => {
  it('defaults to resetAfter false, which tfjs builds', () => {
    const inference = inferGraph(chain([10, 20], [{ kind: 'GRU', params: { units: 4 } }]));
    expect(inference.errors).toEqual([]);
    expect(inference.nodes.get('n1')!.weights.map((weight) => weight.shape)).toEqual([[20, 12], [4, 12], [12]]);
  });

  it('reports resetAfter true as unsupported, with a fix', () => {
    const inference = inferGraph(chain([10, 20], [{ kind: 'GRU', params: { units: 4, resetAfter: true } }]));
    expect(inference.errors.map((error) => error.code)).toEqual(['unsupported']);
    expect(inference.errors[0].fix).toMatchObject({ type: 'set-param', nodeId: 'n1', param: 'resetAfter', value: false });
    expect(inference.nodes.get('n1')!.weights.map((weight) => weight.shape)).toEqual([[20, 12], [4, 12], [2, 12]]);
  });

  it('counts two biases as Keras does', () => {
    // Keras: 3 × (20·4 + 4·4) + 2 × 3·4 = 312.
    const inference = inferGraph(chain([10, 20], [{ kind: 'GRU', params: { units: 4, resetAfter: true } }]));
    expect(inference.nodes.get('n1')!.trainableParams).toBe(312);
  });

  it('counts one bias without resetAfter', () => {
    // Keras: 3 × (20·4 + 4·4 + 4) = 300.
    const inference = inferGraph(chain([10, 20], [{ kind: 'GRU', params: { units: 4, resetAfter: false } }]));
    expect(inference.nodes.get('n1')!.trainableParams).toBe(300);
  });

  it('returns every step with resetAfter', () => {
    const inference = inferGraph(chain([null, 8], [{ kind: 'GRU', params: { units: 6, returnSequences: true } }]));
    expect(inference.nodes.get('n1')!.outputShapes).toEqual([[null, null, 6]]);
  });

  it('has no bias at all without useBias', () => {
    // Keras: 3 × (8·6 + 6·6) = 252.
    const inference = inferGraph(chain([5, 8], [{ kind: 'GRU', params: { units: 6, useBias: false } }]));
    expect(inference.nodes.get('n1')!.trainableParams).toBe(252);
  });

  it('is rejected by tfjs', async () => {
    const result = await compareWithTfjs(chain([10, 20], [{ kind: 'GRU', params: { units: 4, resetAfter: true } }]));
    expect(result.built).toBe(false);
    if (!result.built) expect(result.error).toMatch(/reset_after/);
  });
});
