import { describe, expect, it } from 'vitest';
import { getTemplate } from '../../src/graph/templates';
import { DEFAULT_NODE_SIZE, ERROR_NOTE_WIDTH, freeOffset, freeSpot, gridLayout, layoutGraph } from '../../src/project/layout';
import type { Graph } from '../../src/graph/types';

describe('layout', () => {
  it('elkjs places a chain top to bottom', async () => {
    const graph = getTemplate('solubility')!.build();
    const laidOut = await layoutGraph(graph);
    const ys = laidOut.nodes.map((node) => node.position!.y);
    for (let i = 1; i < ys.length; i += 1) expect(ys[i]).toBeGreaterThan(ys[i - 1]);
    expect(laidOut.edges).toBe(graph.edges);
  });

  it('elkjs places the branches of a residual block side by side', async () => {
    const laidOut = await layoutGraph(getTemplate('residual')!.build());
    const xs = new Set(laidOut.nodes.map((node) => node.position!.x));
    expect(xs.size).toBeGreaterThan(1);
  });

  it('elkjs keeps a chain in line', async () => {
    const laidOut = await layoutGraph(getTemplate('solubility')!.build(), new Map(), new Set(['n3', 'n7']));
    const xs = new Set(laidOut.nodes.map((node) => node.position!.x));
    expect(xs.size).toBe(1);
  });

  it('elkjs leaves room for error notes', async () => {
    const graph: Graph = {
      nodes: [
        { id: 'in', kind: 'InputLayer', name: 'input_1', params: { shape: [4] } },
        { id: 'left', kind: 'Dense', name: 'dense', params: {} },
        { id: 'right', kind: 'Dense', name: 'dense_1', params: {} },
      ],
      edges: [
        { id: 'e1', source: 'in', target: 'left' },
        { id: 'e2', source: 'in', target: 'right' },
      ],
    };
    const gapBetween = async (withNotes: Set<string>) => {
      const laidOut = await layoutGraph(graph, new Map(), withNotes);
      const [a, b] = ['left', 'right'].map((id) => laidOut.nodes.find((node) => node.id === id)!.position!.x).sort((p, q) => p - q);
      return b - (a + DEFAULT_NODE_SIZE.width);
    };
    expect(await gapBetween(new Set())).toBeLessThan(ERROR_NOTE_WIDTH);
    expect(await gapBetween(new Set(['left', 'right']))).toBeGreaterThanOrEqual(ERROR_NOTE_WIDTH);
  });

  it('grid layout puts each depth on its own row', () => {
    const laidOut = gridLayout(getTemplate('residual')!.build());
    const add = laidOut.nodes.find((node) => node.kind === 'Add')!;
    const stem = laidOut.nodes.find((node) => node.name === 'conv2d')!;
    expect(add.position!.y).toBeGreaterThan(stem.position!.y);
  });

  it('free spot for a new node and its error note', () => {
    const graph = gridLayout(getTemplate('mlp-2d')!.build());
    const [first, second] = graph.nodes;
    // Halfway between two nodes of the chain, where a new node would cover the edge between them.
    const between = { x: first.position!.x, y: (first.position!.y + second.position!.y) / 2 };
    const spot = freeSpot(graph, between);
    for (const node of graph.nodes) {
      const apart =
        spot.x + DEFAULT_NODE_SIZE.width + ERROR_NOTE_WIDTH <= node.position!.x ||
        node.position!.x + DEFAULT_NODE_SIZE.width <= spot.x ||
        spot.y + DEFAULT_NODE_SIZE.height <= node.position!.y ||
        node.position!.y + DEFAULT_NODE_SIZE.height <= spot.y;
      expect(apart).toBe(true);
    }
    // On an empty canvas the preferred spot is free.
    expect(freeSpot({ nodes: [], edges: [] }, between)).toEqual(between);
  });
});

describe('freeOffset', () => {
  const overlapsAny = (graph: Graph, moved: { x: number; y: number }[]) =>
    moved.some((copy) =>
      graph.nodes.some(
        (node) =>
          copy.x < node.position!.x + DEFAULT_NODE_SIZE.width + ERROR_NOTE_WIDTH &&
          node.position!.x < copy.x + DEFAULT_NODE_SIZE.width + ERROR_NOTE_WIDTH &&
          copy.y < node.position!.y + DEFAULT_NODE_SIZE.height &&
          node.position!.y < copy.y + DEFAULT_NODE_SIZE.height,
      ),
    );

  it('puts copies of a chain beside it', () => {
    const graph = gridLayout(getTemplate('solubility')!.build());
    const copied = graph.nodes.slice(2, 5);
    const offset = freeOffset(graph, copied);
    expect(offset.y).toBe(0);
    expect(offset.x).toBeGreaterThanOrEqual(DEFAULT_NODE_SIZE.width + ERROR_NOTE_WIDTH);
    expect(overlapsAny(graph, copied.map((node) => ({ x: node.position!.x + offset.x, y: node.position!.y + offset.y })))).toBe(false);
  });

  it('moves past copies already pasted', () => {
    const graph = gridLayout(getTemplate('solubility')!.build());
    const copied = graph.nodes.slice(2, 3);
    const first = freeOffset(graph, copied);
    const withCopy: Graph = {
      nodes: [...graph.nodes, { ...copied[0], id: 'copy', position: { x: copied[0].position!.x + first.x, y: copied[0].position!.y + first.y } }],
      edges: graph.edges,
    };
    const second = freeOffset(withCopy, copied);
    expect(second).not.toEqual(first);
    expect(overlapsAny(withCopy, [{ x: copied[0].position!.x + second.x, y: copied[0].position!.y + second.y }])).toBe(false);
  });
});
