import { describe, expect, it } from 'vitest';
import { compareWithTfjs } from '../helpers/tfjs-reference';
import type { Graph, GraphNode, Params, Shape } from '../../src/graph/types';
import { expectAgreement, errorsOf } from '../helpers/expect-agreement';

interface Case {
  name: string;
  kind: string;
  inputs: Shape[];
  params?: Params;
  expected: Shape;
}

/** Builds one Input per shape, all feeding one merge node `merge` in order. */
function mergeGraph(kind: string, inputs: Shape[], params: Params = {}): Graph {
  const nodes: GraphNode[] = inputs.map((shape, i) => ({ id: `in${i}`, kind: 'InputLayer', name: `input_${i}`, params: { shape } }));
  nodes.push({ id: 'merge', kind, name: `${kind.toLowerCase()}_1`, params });
  const edges = inputs.map((_, i) => ({ id: `e${i}`, source: `in${i}`, target: 'merge', targetInput: i }));
  return { nodes, edges };
}

const ELEMENTWISE = ['Add', 'Multiply', 'Average', 'Maximum', 'Minimum'];

const cases: Case[] = [
  ...ELEMENTWISE.map((kind) => ({ name: `${kind} of two vectors`, kind, inputs: [[8], [8]], expected: [null, 8] })),
  ...ELEMENTWISE.map((kind) => ({ name: `${kind} of three sequences`, kind, inputs: [[4, 3], [4, 3], [4, 3]], expected: [null, 4, 3] })),
  { name: 'Add stretches a size of 1', kind: 'Add', inputs: [[1, 3], [4, 3]], expected: [null, 4, 3] },
  { name: 'Multiply stretches the last axis', kind: 'Multiply', inputs: [[4, 3], [4, 1]], expected: [null, 4, 3] },
  { name: 'Add of a lower rank', kind: 'Add', inputs: [[3], [4, 3]], expected: [null, 4, 3] },
  { name: 'Average with an unknown size', kind: 'Average', inputs: [[null, 3], [4, 3]], expected: [null, null, 3] },
  { name: 'Maximum of images', kind: 'Maximum', inputs: [[6, 6, 2], [6, 6, 2]], expected: [null, 6, 6, 2] },
  { name: 'Concatenate last axis', kind: 'Concatenate', inputs: [[4, 3], [4, 5]], params: { axis: -1 }, expected: [null, 4, 8] },
  { name: 'Concatenate time axis', kind: 'Concatenate', inputs: [[2, 3], [4, 3]], params: { axis: 1 }, expected: [null, 6, 3] },
  { name: 'Concatenate three vectors', kind: 'Concatenate', inputs: [[2], [3], [4]], expected: [null, 9] },
  { name: 'Concatenate along an unknown size', kind: 'Concatenate', inputs: [[null, 3], [4, 3]], params: { axis: 1 }, expected: [null, null, 3] },
  { name: 'Concatenate axis counted from the end', kind: 'Concatenate', inputs: [[2, 3, 1], [2, 5, 1]], params: { axis: -2 }, expected: [null, 2, 8, 1] },
];

describe('merge layers against tfjs', () => {
  for (const testCase of cases) {
    it(testCase.name, async () => {
      const result = await expectAgreement(mergeGraph(testCase.kind, testCase.inputs, testCase.params));
      expect(result.inference.nodes.get('merge')!.outputShapes).toEqual([testCase.expected]);
    });
  }

  it('Add as a residual connection', async () => {
    const graph: Graph = {
      nodes: [
        { id: 'in', kind: 'InputLayer', name: 'input', params: { shape: [8] } },
        { id: 'dense', kind: 'Dense', name: 'dense', params: { units: 8, activation: 'relu' } },
        { id: 'add', kind: 'Add', name: 'add', params: {} },
      ],
      edges: [
        { id: 'e1', source: 'in', target: 'dense' },
        { id: 'e2', source: 'dense', target: 'add', targetInput: 0 },
        { id: 'e3', source: 'in', target: 'add', targetInput: 1 },
      ],
    };
    await expectAgreement(graph);
  });

  it('Add of different sizes names both shapes', async () => {
    const result = await compareWithTfjs(mergeGraph('Add', [[32], [64]]));
    expect(errorsOf(result)).toEqual([['merge', 'merge-mismatch']]);
    expect(result.inference.errors[0].message).toBe(
      'add_1: Add needs inputs of the same shape (a size of 1 may stretch) but got (None, 32) and (None, 64); make them agree with a Dense or Reshape before it, or join them with Concatenate instead',
    );
    expect(result.built).toBe(false);
  });

  it('Multiply mismatch on the third input', async () => {
    const result = await compareWithTfjs(mergeGraph('Multiply', [[4, 3], [4, 3], [5, 3]]));
    expect(errorsOf(result)).toEqual([['merge', 'merge-mismatch']]);
    expect(result.inference.errors[0].message).toContain('(None, 4, 3) and (None, 5, 3)');
    expect(result.built).toBe(false);
  });

  it('Add of different batch sizes', async () => {
    const graph = mergeGraph('Add', [[3], [3]]);
    graph.nodes[0].params.batchSize = 2;
    graph.nodes[1].params.batchSize = 4;
    const result = await compareWithTfjs(graph);
    expect(errorsOf(result)).toEqual([['merge', 'merge-mismatch']]);
    expect(result.built).toBe(false);
  });

  it('Add with a single input', async () => {
    const graph = mergeGraph('Add', [[3]]);
    const result = await compareWithTfjs(graph);
    expect(errorsOf(result)).toEqual([['merge', 'missing-input']]);
    expect(result.built).toBe(false);
  });

  it('Concatenate with other axes differing', async () => {
    const result = await compareWithTfjs(mergeGraph('Concatenate', [[4, 3], [5, 3]]));
    expect(errorsOf(result)).toEqual([['merge', 'merge-mismatch']]);
    expect(result.inference.errors[0].message).toBe(
      'concatenate_1: Concatenate joins along axis -1, so all other axes must match, but got (None, 4, 3) and (None, 5, 3); make them match with a Reshape or Dense before it, or choose another axis',
    );
    expect(result.built).toBe(false);
  });

  it('Concatenate unknown against known size', async () => {
    // Keras accepts this pair, but TensorFlow.js compares the other axes exactly.
    const result = await compareWithTfjs(mergeGraph('Concatenate', [[null, 3], [4, 3]]));
    expect(errorsOf(result)).toEqual([['merge', 'merge-mismatch']]);
    expect(result.built).toBe(false);
  });

  it('Concatenate of different ranks', async () => {
    const result = await compareWithTfjs(mergeGraph('Concatenate', [[4, 3], [3]]));
    expect(errorsOf(result)).toEqual([['merge', 'merge-mismatch']]);
    expect(result.built).toBe(false);
  });

  it('Concatenate axis outside the rank', async () => {
    const result = await compareWithTfjs(mergeGraph('Concatenate', [[4], [4]], { axis: 3 }));
    expect(errorsOf(result)).toEqual([['merge', 'invalid-param']]);
    expect(result.inference.errors[0].fix).toMatchObject({ type: 'set-param', param: 'axis', value: -1 });
  });
});
