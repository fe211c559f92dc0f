import { describe, expect, it } from 'vitest';
import { inferGraph } from '../../src/graph/infer';
import { formatOutputShape, formatSummary, summarizeGraph } from '../../src/graph/summary';
import { getTemplate } from '../../src/graph/templates';
import type { Graph } from '../../src/graph/types';
import { chain } from '../helpers/graph-builders';

/** Two inputs through one shared Dense, added, then a Dense head. */
function sharedGraph(): Graph {
  return {
    nodes: [
      { id: 'a', kind: 'InputLayer', name: 'left', params: { shape: [5] } },
      { id: 'b', kind: 'InputLayer', name: 'right', params: { shape: [5] } },
      { id: 'd1', kind: 'Dense', name: 'shared', params: { units: 4 } },
      { id: 'd2', kind: 'Dense', name: 'shared_call2', params: { units: 4 }, sharedWith: 'd1' },
      { id: 'add', kind: 'Add', name: 'add', params: {} },
      { id: 'out', kind: 'Dense', name: 'score', params: { units: 1 } },
    ],
    edges: [
      { id: 'e1', source: 'a', target: 'd1' },
      { id: 'e2', source: 'b', target: 'd2' },
      { id: 'e3', source: 'd1', target: 'add', targetInput: 0 },
      { id: 'e4', source: 'd2', target: 'add', targetInput: 1 },
      { id: 'e5', source: 'add', target: 'out' },
    ],
  };
}

describe('summarizeGraph', () => {
  it('lists the InputLayer row with 0 params first', () => {
    const summary = summarizeGraph(chain([3], [{ kind: 'Dense', params: { units: 2 }, name: 'dense' }]));
    expect(summary.rows.map((row) => [row.name, row.type, row.params])).toEqual([
      ['input', 'InputLayer', 0],
      ['dense', 'Dense', 8],
    ]);
    expect(summary.rows[0].outputShape).toEqual([null, 3]);
  });

  it('gives rows in topological order', () => {
    const graph = chain([3], [{ kind: 'Dense', params: { units: 2 }, name: 'first' }, { kind: 'Dense', params: { units: 1 }, name: 'second' }]);
    graph.nodes.reverse();
    expect(summarizeGraph(graph).rows.map((row) => row.name)).toEqual(['input', 'first', 'second']);
  });

  it('uses the given inference', () => {
    const graph = chain([3], [{ kind: 'Dense', params: { units: 2 } }]);
    const inference = inferGraph(graph);
    expect(summarizeGraph(graph, inference).totalParams).toBe(inference.totalParams);
  });

  it('solubility totals and connections', () => {
    const summary = summarizeGraph(getTemplate('solubility')!.build());
    expect(summary.sequential).toBe(true);
    expect(summary.totalParams).toBe(60_929);
    expect(summary.rows).toHaveLength(12);
    expect(summary.rows[2]).toMatchObject({ name: 'conv1d', type: 'Conv1D', outputShape: [null, 196, 16], params: 1296, connectedTo: ['embedding[0][0]'] });
  });

  it('shared layer is one row with both calls', () => {
    const summary = summarizeGraph(sharedGraph());
    const shared = summary.rows.filter((row) => row.type === 'Dense' && row.name.startsWith('shared'));
    expect(shared).toHaveLength(1);
    expect(shared[0]).toMatchObject({ nodeId: 'd1', callNodeIds: ['d1', 'd2'], params: 24, connectedTo: ['left[0][0]', 'right[0][0]'] });
    expect(summary.rows.find((row) => row.name === 'add')!.connectedTo).toEqual(['shared[0][0]', 'shared[1][0]']);
    expect(summary.totalParams).toBe(29);
    expect(summary.sequential).toBe(false);
  });

  it('unknown output shape is null', () => {
    const graph = chain([4, 4], [{ kind: 'Dense', params: { units: 2 }, name: 'dense' }]);
    const summary = summarizeGraph(graph);
    expect(summary.rows[1].outputShape).toBeNull();
    expect(formatOutputShape(summary.rows[1])).toBe('?');
    expect(summary.errors.map((error) => error.code)).toEqual(['wrong-rank']);
  });
});

describe('formatSummary', () => {
  it('solubility table matches Keras 2', () => {
    const text = formatSummary(summarizeGraph(getTemplate('solubility')!.build(), undefined, { name: 'sequential' }));
    expect(text.split('\n')).toEqual([
      'Model: "sequential"',
      '_'.repeat(65),
      ' Layer (type)                Output Shape              Param #',
      '='.repeat(65),
      ' input_1 (InputLayer)        [(None, 200)]             0',
      '',
      ' embedding (Embedding)       (None, 200, 16)           336',
      '',
      ' conv1d (Conv1D)             (None, 196, 16)           1296',
      '',
      ' max_pooling1d (MaxPooling1D  (None, 49, 16)           0',
      ' )',
      '',
      ' conv1d_1 (Conv1D)           (None, 47, 16)            784',
      '',
      ' max_pooling1d_1 (MaxPooling  (None, 23, 16)           0',
      ' 1D)',
      '',
      ' conv1d_2 (Conv1D)           (None, 21, 16)            784',
      '',
      ' max_pooling1d_2 (MaxPooling  (None, 10, 16)           0',
      ' 1D)',
      '',
      ' flatten (Flatten)           (None, 160)               0',
      '',
      ' dense (Dense)               (None, 256)               41216',
      '',
      ' dense_1 (Dense)             (None, 64)                16448',
      '',
      ' dense_2 (Dense)             (None, 1)                 65',
      '',
      '='.repeat(65),
      'Total params: 60,929',
      'Trainable params: 60,929',
      'Non-trainable params: 0',
      '_'.repeat(65),
      '',
    ]);
  });

  it('non-sequential table has Connected to', () => {
    const lines = formatSummary(summarizeGraph(sharedGraph())).split('\n');
    expect(lines[0]).toBe('Model: "model"');
    expect(lines[1]).toBe('_'.repeat(98));
    expect(lines[2]).toBe(' Layer (type)                   Output Shape         Param #     Connected to');
    expect(lines).toContain(' shared (Dense)                 (None, 4)            24          [\'left[0][0]\',');
    expect(lines).toContain(`${' '.repeat(66)}'right[0][0]']`);
    expect(lines).toContain(' left (InputLayer)              [(None, 5)]          0           []');
    expect(lines).toContain('Total params: 29');
  });

  it('long connection wraps before the bracket', () => {
    const lines = formatSummary(summarizeGraph(getTemplate('residual')!.build())).split('\n');
    const at = lines.indexOf(" dense (Dense)                  (None, 10)           170         ['global_average_pooling2d[0][0]'");
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toBe(`${' '.repeat(65)}]`);
  });

  it('lists errors after the table', () => {
    const graph = chain([4, 4], [{ kind: 'Dense', params: { units: 2 }, name: 'dense' }]);
    const lines = formatSummary(summarizeGraph(graph)).split('\n');
    expect(lines).toContain(' dense (Dense)               ?                         0');
    const at = lines.indexOf('Errors (1):');
    expect(at).toBeGreaterThan(lines.indexOf('Non-trainable params: 0'));
    expect(lines[at + 1]).toBe('  dense: Dense needs rank 2 but got (None, 4, 4); add Flatten before it');
  });

  it('counts a billion units exactly', () => {
    const graph = chain([160], [{ kind: 'Dense', params: { units: 1e9 }, name: 'huge' }]);
    const text = formatSummary(summarizeGraph(graph));
    expect(text).toContain('Total params: 161,000,000,000');
    // The last column is 10 characters wide, so Keras wraps the count too.
    expect(text).toContain(' huge (Dense)                (None, 1000000000)        1610000000\n' + `${' '.repeat(55)}00\n`);
  });

  it('lines carry no trailing spaces', () => {
    const text = formatSummary(summarizeGraph(sharedGraph()));
    expect(text.split('\n').filter((line) => line !== line.trimEnd())).toEqual([]);
  });
});
