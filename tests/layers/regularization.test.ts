import { describe, expect, it } from 'vitest';
import { chain } from '../helpers/graph-builders';
import { compareWithTfjs } from '../helpers/tfjs-reference';
import { inferGraph } from '../../src/graph/infer';
import { CLASSES_MISSING_FROM_TFJS } from '../../src/layers/regularization';
import type { Params, Shape } from '../../src/graph/types';
import { expectAgreement, errorsOf } from '../helpers/expect-agreement';

interface Case {
  name: string;
  input: Shape;
  kind: string;
  params: Params;
}

const cases: Case[] = [
  { name: 'SpatialDropout1D on a sequence', input: [10, 4], kind: 'SpatialDropout1D', params: { rate: 0.2 } },
  { name: 'SpatialDropout1D with unknown length', input: [null, 4], kind: 'SpatialDropout1D', params: {} },
  { name: 'GaussianNoise on features', input: [5], kind: 'GaussianNoise', params: { stddev: 0.2 } },
  { name: 'GaussianNoise on images', input: [4, 4, 1], kind: 'GaussianNoise', params: {} },
  { name: 'GaussianDropout', input: [3, 4], kind: 'GaussianDropout', params: { rate: 0.3 } },
  { name: 'AlphaDropout', input: [6], kind: 'AlphaDropout', params: { rate: 0.1 } },
  { name: 'Masking of padded steps', input: [10, 4], kind: 'Masking', params: { maskValue: -1 } },
];

describe('regularization layers against tfjs', () => {
  for (const testCase of cases) {
    it(testCase.name, async () => {
      await expectAgreement(chain(testCase.input, [{ kind: testCase.kind, params: testCase.params }]));
    });
  }

  it('Masking before an LSTM', async () => {
    const graph = chain([12, 3], [
      { kind: 'Masking', params: { maskValue: 0 } },
      { kind: 'LSTM', params: { units: 4 } },
    ]);
    await expectAgreement(graph);
  });

  it('SpatialDropout1D on a vector', async () => {
    const result = await compareWithTfjs(chain([10], [{ kind: 'SpatialDropout1D', params: {} }]));
    expect(errorsOf(result)).toEqual([['n1', 'wrong-rank']]);
    expect(result.inference.errors[0].message).toBe(
      'spatialdropout1d_1: SpatialDropout1D needs rank 3 (batch, steps, channels) but got (None, 10); use Dropout for a batch of vectors',
    );
    expect(result.built).toBe(false);
  });

  it('GaussianNoise with negative stddev is invalid', async () => {
    const result = await compareWithTfjs(chain([4], [{ kind: 'GaussianNoise', params: { stddev: -0.1 } }]));
    expect(errorsOf(result)).toEqual([['n1', 'invalid-param']]);
  });

  it('AlphaDropout rate of 1 is invalid', async () => {
    const result = await compareWithTfjs(chain([4], [{ kind: 'AlphaDropout', params: { rate: 1 } }]));
    expect(errorsOf(result)).toEqual([['n1', 'invalid-param']]);
  });
});

describe('SpatialDropout2D, which tfjs lacks', () => {
  it('keeps the shape of an image', () => {
    const inference = inferGraph(chain([8, 8, 3], [{ kind: 'SpatialDropout2D', params: { rate: 0.25 } }]));
    expect(inference.errors.map((error) => error.code)).toEqual(['unsupported']);
    expect(inference.nodes.get('n1')!.outputShapes).toEqual([[null, 8, 8, 3]]);
    expect(inference.totalParams).toBe(0);
  });

  it('keeps a channels-first shape', () => {
    const inference = inferGraph(chain([3, 8, 8], [{ kind: 'SpatialDropout2D', params: { dataFormat: 'channels_first' } }]));
    expect(inference.errors.map((error) => error.code)).toEqual(['unsupported']);
    expect(inference.nodes.get('n1')!.outputShapes).toEqual([[null, 3, 8, 8]]);
  });

  it('rejects a sequence', () => {
    const inference = inferGraph(chain([10, 4], [{ kind: 'SpatialDropout2D', params: {} }]));
    expect(inference.errors.map((error) => [error.nodeId, error.code])).toEqual([['n1', 'wrong-rank']]);
    expect(inference.errors[0].message).toContain('use SpatialDropout1D for sequences');
  });

  it('is listed as missing and tfjs cannot build it', async () => {
    expect(CLASSES_MISSING_FROM_TFJS.has('SpatialDropout2D')).toBe(true);
    const result = await compareWithTfjs(chain([8, 8, 3], [{ kind: 'SpatialDropout2D', params: {} }]));
    expect(result.built).toBe(false);
    if (!result.built) expect(result.error).toMatch(/SpatialDropout2D/);
  });
});
