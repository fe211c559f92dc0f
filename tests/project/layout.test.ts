import { describe, expect, it } from 'vitest';
import { getTemplate } from '../../src/graph/templates';
import { gridLayout, layoutGraph } from '../../src/project/layout';

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

  it('grid layout puts each depth on its own row', () => {
    const laidOut = gridLayout(getTemplate('residual')!.build());
    const add = laidOut.nodes.find((node) => node.kind === 'Add')!;
    const stem = laidOut.nodes.find((node) => node.name === 'conv2d')!;
    expect(add.position!.y).toBeGreaterThan(stem.position!.y);
  });
});
