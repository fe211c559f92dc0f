import { describe, expect, it } from 'vitest';
import {
  addNode,
  applyFix,
  connect,
  copyFragment,
  deleteElements,
  insertAfter,
  insertBefore,
  moveNodes,
  pasteFragment,
  ROW_GAP,
  setParam,
  uniqueName,
  validateLayerName,
} from '../../src/graph/edit';
import { inferGraph } from '../../src/graph/infer';
import { defaultParams, getLayerKind } from '../../src/layers';
import { getTemplate } from '../../src/graph/templates';
import type { Graph } from '../../src/graph/types';
import { chain } from '../helpers/graph-builders';

function solubility(): Graph {
  return getTemplate('solubility')!.build();
}

/** Two Inputs (4) a and b feeding Concatenate m, at input positions 0 and 1. */
function twoInputsMerged(): Graph {
  return {
    nodes: [
      { id: 'a', kind: 'InputLayer', name: 'input_1', params: { shape: [4] } },
      { id: 'b', kind: 'InputLayer', name: 'input_2', params: { shape: [4] } },
      { id: 'm', kind: 'Concatenate', name: 'concatenate', params: {} },
    ],
    edges: [
      { id: 'e1', source: 'a', target: 'm', targetInput: 0 },
      { id: 'e2', source: 'b', target: 'm', targetInput: 1 },
    ],
  };
}

/** Input (8) → Dense → Dense, ids n0, n1, n2 and edges e1, e2. */
function smallChain(): Graph {
  return chain([8], [{ kind: 'Dense', params: { units: 4 } }, { kind: 'Dense', params: { units: 2 } }]);
}

describe('addNode', () => {
  it('gives a fresh id and a Keras-style name', () => {
    const graph = solubility();
    const { graph: next, nodeId } = addNode(graph, 'Dense', { x: 10, y: 20 });
    const added = next.nodes.find((node) => node.id === nodeId)!;
    expect(graph.nodes.some((node) => node.id === nodeId)).toBe(false);
    expect(added.name).toBe('dense_3');
    expect(added.position).toEqual({ x: 10, y: 20 });
    expect(added.params.units).toBe(32);
  });

  it('leaves the input graph untouched', () => {
    const graph = solubility();
    const before = JSON.stringify(graph);
    addNode(graph, 'Conv1D', { x: 0, y: 0 });
    expect(JSON.stringify(graph)).toBe(before);
  });

  it('names the first layer of a kind without a suffix', () => {
    const { graph } = addNode({ nodes: [], edges: [] }, 'MaxPooling1D', { x: 0, y: 0 });
    expect(graph.nodes[0].name).toBe('max_pooling1d');
  });
});

describe('connect', () => {
  it('adds an edge that inference follows', () => {
    let graph: Graph = { nodes: [], edges: [] };
    const input = addNode(graph, 'InputLayer', { x: 0, y: 0 }, { shape: [12], dtype: 'float32' });
    graph = input.graph;
    const dense = addNode(graph, 'Dense', { x: 0, y: 100 }, { units: 3 });
    graph = dense.graph;
    const result = connect(graph, input.nodeId, dense.nodeId);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const inference = inferGraph(result.graph);
    expect(inference.edgeShapes.get(result.edge.id)).toEqual([null, 12]);
    expect(inference.totalParams).toBe(39);
  });

  it('rejects a self-loop', () => {
    const result = connect(smallChain(), 'n1', 'n1');
    expect(result).toMatchObject({ ok: false, code: 'self-loop' });
  });

  it('rejects a duplicate connection', () => {
    expect(connect(smallChain(), 'n0', 'n1')).toMatchObject({ ok: false, code: 'duplicate' });

    const merge: Graph = {
      nodes: [
        { id: 'a', kind: 'InputLayer', name: 'input_1', params: { shape: [4] } },
        { id: 'm', kind: 'Concatenate', name: 'concatenate', params: {} },
      ],
      edges: [{ id: 'e1', source: 'a', target: 'm' }],
    };
    expect(connect(merge, 'a', 'm')).toMatchObject({ ok: false, code: 'duplicate' });
  });

  it('rejects a second input into Dense with a reason', () => {
    const graph = addNode(smallChain(), 'InputLayer', { x: 0, y: 0 }, { shape: [8] });
    const result = connect(graph.graph, graph.nodeId, 'n1');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe('too-many-inputs');
    expect(result.reason).toContain('takes one input and already has 1');
    expect(result.reason).toContain('Concatenate or Add');
  });

  it('rejects any input into an InputLayer', () => {
    const result = connect(smallChain(), 'n2', 'n0');
    expect(result).toMatchObject({ ok: false, code: 'too-many-inputs' });
  });

  it('rejects a connection that closes a cycle', () => {
    const graph: Graph = {
      nodes: [
        { id: 'a', kind: 'InputLayer', name: 'input_1', params: { shape: [4] } },
        { id: 'b', kind: 'Add', name: 'add', params: {} },
        { id: 'c', kind: 'Dense', name: 'dense', params: { units: 4 } },
      ],
      edges: [
        { id: 'e1', source: 'a', target: 'b' },
        { id: 'e2', source: 'b', target: 'c' },
      ],
    };
    const result = connect(graph, 'c', 'b');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe('cycle');
    expect(result.reason).toBe('Connecting dense to add would make a cycle, because add already feeds dense');
  });

  it('numbers the inputs of a merge in connection order', () => {
    let graph: Graph = {
      nodes: [
        { id: 'a', kind: 'InputLayer', name: 'input_1', params: { shape: [4] } },
        { id: 'b', kind: 'InputLayer', name: 'input_2', params: { shape: [6] } },
        { id: 'm', kind: 'Concatenate', name: 'concatenate', params: {} },
      ],
      edges: [],
    };
    for (const source of ['a', 'b']) {
      const result = connect(graph, source, 'm');
      if (!result.ok) throw new Error(result.reason);
      graph = result.graph;
    }
    expect(graph.edges.map((edge) => edge.targetInput)).toEqual([undefined, 1]);
    expect(inferGraph(graph).nodes.get('m')!.outputShapes).toEqual([[null, 10]]);
  });
});

describe('deleteElements', () => {
  it('removes a node with its edges', () => {
    const graph = deleteElements(smallChain(), ['n1']);
    expect(graph.nodes.map((node) => node.id)).toEqual(['n0', 'n2']);
    expect(graph.edges).toEqual([]);
  });

  it('renumbers the remaining inputs of a merge', () => {
    const graph: Graph = {
      nodes: [
        { id: 'a', kind: 'InputLayer', name: 'input_1', params: { shape: [4] } },
        { id: 'b', kind: 'InputLayer', name: 'input_2', params: { shape: [4] } },
        { id: 'c', kind: 'InputLayer', name: 'input_3', params: { shape: [4] } },
        { id: 'm', kind: 'Add', name: 'add', params: {} },
      ],
      edges: [
        { id: 'e1', source: 'a', target: 'm', targetInput: 0 },
        { id: 'e2', source: 'b', target: 'm', targetInput: 1 },
        { id: 'e3', source: 'c', target: 'm', targetInput: 2 },
      ],
    };
    const next = deleteElements(graph, [], ['e2']);
    expect(next.edges.map((edge) => [edge.id, edge.targetInput])).toEqual([
      ['e1', 0],
      ['e3', 1],
    ]);
  });

  it('returns the same graph when nothing matches', () => {
    const graph = smallChain();
    expect(deleteElements(graph, ['missing'])).toBe(graph);
  });
});

describe('copy and paste', () => {
  it('gives pasted nodes ids no node had', () => {
    const graph = solubility();
    const fragment = copyFragment(graph, ['n2', 'n3', 'n4']);
    const { graph: pasted, nodeIds } = pasteFragment(graph, fragment);
    const ids = pasted.nodes.map((node) => node.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of nodeIds) expect(graph.nodes.some((node) => node.id === id)).toBe(false);
  });

  it('gives pasted nodes unique Keras-style names', () => {
    const graph = solubility();
    const { graph: pasted, nodeIds } = pasteFragment(graph, copyFragment(graph, ['n2', 'n3']));
    const names = pasted.nodes.map((node) => node.name);
    expect(new Set(names).size).toBe(names.length);
    expect(nodeIds.map((id) => pasted.nodes.find((node) => node.id === id)!.name)).toEqual(['embedding_1', 'conv1d_3']);
  });

  it('keeps edges among the pasted nodes only', () => {
    const graph = solubility();
    const { graph: pasted, nodeIds } = pasteFragment(graph, copyFragment(graph, ['n2', 'n3', 'n4']));
    const newEdges = pasted.edges.slice(graph.edges.length);
    expect(newEdges.map((edge) => [edge.source, edge.target])).toEqual([
      [nodeIds[0], nodeIds[1]],
      [nodeIds[1], nodeIds[2]],
    ]);
    const edgeIds = pasted.edges.map((edge) => edge.id);
    expect(new Set(edgeIds).size).toBe(edgeIds.length);
  });

  it('offsets pasted nodes from the originals', () => {
    const graph = solubility();
    const { graph: pasted, nodeIds } = pasteFragment(graph, copyFragment(graph, ['n2']), { x: 40, y: 40 });
    const original = graph.nodes.find((node) => node.id === 'n2')!.position!;
    expect(pasted.nodes.find((node) => node.id === nodeIds[0])!.position).toEqual({ x: original.x + 40, y: original.y + 40 });
  });

  it('stays unique over repeated pastes', () => {
    let graph = solubility();
    const fragment = copyFragment(graph, graph.nodes.map((node) => node.id));
    for (let i = 0; i < 3; i += 1) graph = pasteFragment(graph, fragment).graph;
    const ids = graph.nodes.map((node) => node.id);
    const names = graph.nodes.map((node) => node.name);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(names).size).toBe(names.length);
    expect(inferGraph(graph).errors).toEqual([]);
  });
});

describe('uniqueName', () => {
  it('strips a numeric suffix before counting', () => {
    expect(uniqueName(new Set(['dense', 'dense_1']), 'dense_1')).toBe('dense_2');
  });

  it('keeps a free custom name', () => {
    expect(uniqueName(new Set(['dense']), 'encoder')).toBe('encoder');
  });
});

describe('validateLayerName', () => {
  const graph = smallChain();

  it('accepts the node’s own name', () => {
    expect(validateLayerName(graph, 'n1', graph.nodes[1].name)).toBeNull();
  });

  it('rejects a name another layer has', () => {
    expect(validateLayerName(graph, 'n1', graph.nodes[2].name)).toContain('already named');
  });

  it('rejects an empty name', () => {
    expect(validateLayerName(graph, 'n1', '')).toContain('empty');
  });

  it('rejects a slash', () => {
    expect(validateLayerName(graph, 'n1', 'a/b')).toContain('"/"');
  });
});

describe('applyFix', () => {
  it('insert-before rewires the incoming edge through Flatten', () => {
    const graph = chain([49, 16], [{ kind: 'Dense', params: { units: 4 } }]);
    const error = inferGraph(graph).errors[0];
    expect(error.fix?.type).toBe('insert-before');
    const fixed = applyFix(graph, error.fix!);
    const flatten = fixed.nodes.find((node) => node.kind === 'Flatten')!;
    expect(fixed.edges.map((edge) => [edge.source, edge.target])).toEqual([
      ['n0', flatten.id],
      [flatten.id, 'n1'],
    ]);
    const inference = inferGraph(fixed);
    expect(inference.errors).toEqual([]);
    expect(inference.totalParams).toBe(49 * 16 * 4 + 4);
  });

  it('insert-before moves the node and everything below it down one row', () => {
    const graph = moveNodes(chain([49, 16], [{ kind: 'Dense' }, { kind: 'Dense' }]), new Map([
      ['n0', { x: 0, y: 0 }],
      ['n1', { x: 0, y: 100 }],
      ['n2', { x: 0, y: 200 }],
    ]));
    const { graph: fixed, nodeId } = insertBefore(graph, 'n1', 'Flatten');
    const position = (id: string) => fixed.nodes.find((node) => node.id === id)!.position;
    expect(position(nodeId)).toEqual({ x: 0, y: 100 });
    expect(position('n1')).toEqual({ x: 0, y: 100 + ROW_GAP });
    expect(position('n2')).toEqual({ x: 0, y: 200 + ROW_GAP });
    expect(position('n0')).toEqual({ x: 0, y: 0 });
  });

  it('insert-before keeps the input position of a merge', () => {
    const graph = twoInputsMerged();
    const { graph: fixed, nodeId } = insertBefore(graph, 'm', 'Dense', { units: 3 });
    const into = fixed.edges.filter((edge) => edge.target === 'm');
    expect(into.map((edge) => [edge.source, edge.targetInput])).toEqual([
      ['b', 1],
      [nodeId, 0],
    ]);
    expect(inferGraph(fixed).nodes.get('m')!.outputShapes).toEqual([[null, 7]]);
  });

  it('insert-after appends to the last layer', () => {
    const graph = smallChain();
    graph.nodes.forEach((node, index) => (node.position = { x: 10, y: index * 100 }));
    const fixed = applyFix(graph, { type: 'insert-after', label: 'Add Dense', nodeId: 'n2', kind: 'Dense', params: { units: 3, activation: 'softmax' } });
    const added = fixed.nodes[3];
    expect(added).toMatchObject({ kind: 'Dense', name: 'dense', params: { units: 3, activation: 'softmax', useBias: true } });
    expect(added.position).toEqual({ x: 10, y: 200 + ROW_GAP });
    expect(fixed.edges.map((edge) => [edge.source, edge.target])).toEqual([
      ['n0', 'n1'],
      ['n1', 'n2'],
      ['n2', added.id],
    ]);
    const inference = inferGraph(fixed);
    expect(inference.errors).toEqual([]);
    expect(inference.outputs).toEqual([added.id]);
    expect(graph.nodes).toHaveLength(3);
  });

  it('insertAfter fills missing parameters', () => {
    const { graph: grown, nodeId } = insertAfter(smallChain(), 'n2', 'Dense', { units: 3 });
    const added = grown.nodes.find((node) => node.id === nodeId)!;
    expect(added.params).toEqual({ ...defaultParams(getLayerKind('Dense')!), units: 3 });
  });

  it('add fix projects the second input', () => {
    for (const [shape, branch, projection] of [
      [[8], { kind: 'Dense', params: { units: 16 } }, 'Add Dense with 16 units on input 2'],
      [[28, 28, 8], { kind: 'Conv2D', params: { filters: 16, kernelSize: [3, 3], padding: 'same' } }, 'Add Conv2D with 16 filters of 1×1 on input 2'],
      [[50, 8], { kind: 'Conv1D', params: { filters: 16, kernelSize: 3, padding: 'same' } }, 'Add Conv1D with 16 filters of size 1 on input 2'],
    ] as const) {
      const graph: Graph = {
        nodes: [
          { id: 'in', kind: 'InputLayer', name: 'input_1', params: { shape: [...shape] } },
          { id: 'branch', kind: branch.kind, name: 'branch', params: { ...branch.params } as Graph['nodes'][number]['params'] },
          { id: 'add', kind: 'Add', name: 'add', params: {} },
        ],
        edges: [
          { id: 'e1', source: 'in', target: 'branch' },
          { id: 'e2', source: 'branch', target: 'add', targetInput: 0 },
          { id: 'e3', source: 'in', target: 'add', targetInput: 1 },
        ],
      };
      const error = inferGraph(graph).errors[0];
      expect(error.fix?.label, projection).toBe(projection);
      const fixed = inferGraph(applyFix(graph, error.fix!));
      expect(fixed.errors, projection).toEqual([]);
      // The projection's weights: 8 × 16 + 16, whatever its kind.
      expect(fixed.totalParams - inferGraph(graph).nodes.get('branch')!.trainableParams, projection).toBe(8 * 16 + 16);
    }
  });

  it('add of different lengths gets no fix', () => {
    const graph = chain([10, 4], [{ kind: 'Conv1D', params: { filters: 4, kernelSize: 3 } }]);
    graph.nodes.push({ id: 'add', kind: 'Add', name: 'add', params: {} });
    graph.edges.push({ id: 'x1', source: 'n1', target: 'add', targetInput: 0 }, { id: 'x2', source: 'n0', target: 'add', targetInput: 1 });
    const error = inferGraph(graph).errors.find((item) => item.nodeId === 'add')!;
    expect(error.code).toBe('merge-mismatch');
    expect(error.fix).toBeUndefined();
  });

  it('reshape fix puts all values on one axis', () => {
    const graph = chain([4, 6], [{ kind: 'Reshape', params: { targetShape: [5, 5] } }]);
    const error = inferGraph(graph).errors[0];
    expect(error.fix?.label).toBe('Set the target to (24,), all values on one axis');
    const fixed = inferGraph(applyFix(graph, error.fix!));
    expect(fixed.errors).toEqual([]);
    expect(fixed.nodes.get('n1')!.outputShapes).toEqual([[null, 24]]);
  });

  it('set-param sets the value', () => {
    const graph = chain([10], [{ kind: 'Dense', params: { units: 0 } }]);
    const error = inferGraph(graph).errors[0];
    expect(error.fix?.type).toBe('set-param');
    const fixed = applyFix(graph, error.fix!);
    expect(fixed.nodes[1].params.units).toBe(32);
    expect(inferGraph(fixed).errors).toEqual([]);
  });

  it('remove-node deletes the last node and its edge', () => {
    const fixed = applyFix(smallChain(), { type: 'remove-node', label: 'Delete the layer', nodeId: 'n2' });
    expect(fixed.nodes.map((node) => node.id)).toEqual(['n0', 'n1']);
    expect(fixed.edges.map((edge) => edge.id)).toEqual(['e1']);
  });

  it('remove-node in a chain connects the layer before to the layer after', () => {
    // Input (8) → Dense 4 → Flatten → Dense 2: Flatten of a flat tensor, with its fix.
    const graph = chain([8], [{ kind: 'Dense', params: { units: 4 } }, { kind: 'Flatten' }, { kind: 'Dense', params: { units: 2 } }]);
    const error = inferGraph(graph).errors.find((item) => item.nodeId === 'n2')!;
    expect(error.fix).toMatchObject({ type: 'remove-node', nodeId: 'n2' });
    const fixed = applyFix(graph, error.fix!);
    expect(fixed.nodes.map((node) => node.id)).toEqual(['n0', 'n1', 'n3']);
    expect(fixed.edges.map((edge) => [edge.source, edge.target])).toEqual([
      ['n0', 'n1'],
      ['n1', 'n3'],
    ]);
    const inference = inferGraph(fixed);
    expect(inference.errors).toEqual([]);
    expect(inference.totalParams).toBe(8 * 4 + 4 + 4 * 2 + 2);
  });

  it('remove-node moves the rest up', () => {
    const graph = chain([8], [{ kind: 'Dense', params: { units: 4 } }, { kind: 'Dense', params: { units: 2 } }, { kind: 'Dense', params: { units: 1 } }]);
    // Rows 70 apart, as a layout might place them.
    graph.nodes.forEach((node, index) => (node.position = { x: 10, y: index * 70 }));
    const fixed = applyFix(graph, { type: 'remove-node', label: 'Remove', nodeId: 'n1' });
    expect(fixed.nodes.map((node) => node.position!.y)).toEqual([0, 70, 140]);
  });

  it('remove-node keeps the input position on a merge layer', () => {
    const graph = getTemplate('residual')!.build();
    const add = graph.nodes.find((node) => node.kind === 'Add')!;
    const second = graph.edges.find((edge) => edge.target === add.id && edge.targetInput === 1)!;
    const removed = graph.nodes.find((node) => node.id === second.source)!;
    const feed = graph.edges.find((edge) => edge.target === removed.id)!;
    const fixed = applyFix(graph, { type: 'remove-node', label: 'Remove', nodeId: removed.id });
    const rewired = fixed.edges.find((edge) => edge.id === second.id)!;
    expect(rewired).toMatchObject({ source: feed.source, target: add.id, targetInput: 1 });
  });

  it('combined applies every fix as one edit', () => {
    const graph = smallChain();
    const fixed = applyFix(graph, {
      type: 'combined',
      label: 'Set units to 3 and activation to softmax',
      fixes: [
        { type: 'set-param', label: 'Set units to 3', nodeId: 'n2', param: 'units', value: 3 },
        { type: 'set-param', label: 'Set activation to softmax', nodeId: 'n2', param: 'activation', value: 'softmax' },
      ],
    });
    expect(fixed.nodes[2].params).toMatchObject({ units: 3, activation: 'softmax' });
    expect(graph.nodes[2].params.units).toBe(2);
  });

  it('remove-edge deletes a dangling connection', () => {
    const graph: Graph = { ...smallChain(), edges: [...smallChain().edges, { id: 'e9', source: 'n2', target: 'gone' }] };
    const error = inferGraph(graph).errors.find((item) => item.code === 'bad-edge')!;
    const fixed = applyFix(graph, error.fix!);
    expect(fixed.edges.map((edge) => edge.id)).toEqual(['e1', 'e2']);
    expect(inferGraph(fixed).errors).toEqual([]);
  });
});

describe('setParam', () => {
  it('changes one node and keeps the others by reference', () => {
    const graph = smallChain();
    const next = setParam(graph, 'n1', 'units', 7);
    expect(next.nodes[1].params.units).toBe(7);
    expect(next.nodes[0]).toBe(graph.nodes[0]);
    expect(next.edges).toBe(graph.edges);
  });
});

describe('insertAfter', () => {
  const at = (graph: Graph, id: string) => graph.nodes.find((node) => node.id === id)!.position;

  it('connects a layer after a chain end', () => {
    const graph = moveNodes(smallChain(), new Map([['n2', { x: 10, y: 200 }]]));
    const { graph: grown, nodeId } = insertAfter(graph, 'n2', 'Dropout');
    expect(grown.edges.filter((edge) => edge.target === nodeId).map((edge) => edge.source)).toEqual(['n2']);
    expect(at(grown, nodeId)).toEqual({ x: 10, y: 200 + ROW_GAP });
    expect(inferGraph(grown).errors).toEqual([]);
  });

  it('goes between a layer and the next', () => {
    const graph = moveNodes(smallChain(), new Map([
      ['n0', { x: 0, y: 0 }],
      ['n1', { x: 0, y: 100 }],
      ['n2', { x: 0, y: 200 }],
    ]));
    const { graph: grown, nodeId } = insertAfter(graph, 'n1', 'Dropout');
    expect(grown.edges.map((edge) => [edge.source, edge.target])).toEqual([
      ['n0', 'n1'],
      [nodeId, 'n2'],
      ['n1', nodeId],
    ]);
    expect(at(grown, nodeId)).toEqual({ x: 0, y: 100 + ROW_GAP });
    expect(at(grown, 'n2')).toEqual({ x: 0, y: 200 + ROW_GAP });
    expect(at(grown, 'n1')).toEqual({ x: 0, y: 100 });
    expect(inferGraph(grown).totalParams).toBe(inferGraph(graph).totalParams);
  });

  it('keeps the input position of a merge it feeds', () => {
    const graph = twoInputsMerged();
    const { graph: grown, nodeId } = insertAfter(graph, 'b', 'Dense');
    const into = grown.edges.filter((edge) => edge.target === 'm');
    expect(into.map((edge) => [edge.source, edge.targetInput])).toEqual([
      ['a', 0],
      [nodeId, 1],
    ]);
  });

  it('rejects a kind without inputs', () => {
    const graph = smallChain();
    const result = insertAfter(graph, 'n2', 'InputLayer');
    expect(result.nodeId).toBe('');
    expect(result.graph).toBe(graph);
  });
});
