// @vitest-environment jsdom
import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { inferGraph } from '../../src/graph/infer';
import { moveLayers, setLayerParam } from '../../src/store/actions';
import { layersById, useGraphStore, useLayer } from '../../src/store/graph-store';
import { errorsByNodeOf, useEdgeShapeText, useGraphStructure, useNodeErrors, useNodeParams } from '../../src/store/inference';
import { chain } from '../helpers/graph-builders';
import { startWith } from './setup';

/** Input [8, 4] → Dense 3 (a rank error: Dense wants a flat input) → Dense 2. */
function denseOnRankTwo(units: number) {
  return chain([8, 4], [
    { kind: 'Dense', params: { units } },
    { kind: 'Dense', params: { units: 2 } },
  ]);
}

describe('inference store', () => {
  it('updates labels and counts at once', () => {
    startWith(chain([16], [{ kind: 'Dense', params: { units: 4 } }, { kind: 'Activation', params: { activation: 'relu' } }]));
    const label = renderHook(() => useEdgeShapeText('e2'));
    const count = renderHook(() => useNodeParams('n1'));
    expect(label.result.current).toBe('(None, 4)');
    expect(count.result.current.params).toBe(16 * 4 + 4);

    act(() => setLayerParam('n1', 'units', 9));

    expect(label.result.current).toBe('(None, 9)');
    expect(count.result.current.params).toBe(16 * 9 + 9);
  });

  it('gives no count where shapes are unknown', () => {
    startWith(denseOnRankTwo(3));
    const rejected = renderHook(() => useNodeParams('n1'));
    const downstream = renderHook(() => useNodeParams('n2'));
    expect(rejected.result.current.params).toBeNull();
    expect(downstream.result.current.params).toBeNull();

    act(() => setLayerParam('n0', 'shape', [8]));

    expect(rejected.result.current.params).toBe(8 * 3 + 3);
    expect(downstream.result.current.params).toBe(3 * 2 + 2);
  });

  it('keeps unchanged error arrays', () => {
    const first = inferGraph(denseOnRankTwo(3));
    const second = inferGraph({ ...denseOnRankTwo(3), nodes: denseOnRankTwo(3).nodes.map((node) => ({ ...node })) });
    const firstErrors = errorsByNodeOf(first).get('n1');
    expect(firstErrors?.length).toBeGreaterThan(0);
    expect(second).not.toBe(first);
    expect(errorsByNodeOf(second).get('n1')).toBe(firstErrors);
  });

  it('gives new errors a new array', () => {
    startWith(chain([16], [{ kind: 'Dense', params: { units: 4 } }]));
    const errors = renderHook(() => useNodeErrors('n1'));
    expect(errors.result.current).toEqual([]);

    act(() => setLayerParam('n0', 'shape', [8, 4]));

    expect(errors.result.current.length).toBeGreaterThan(0);
    expect(errors.result.current[0].message).toMatch(/Flatten/);
  });

  it('looks up layers by id', () => {
    startWith(chain([16], [{ kind: 'Dense', params: { units: 4 } }]));
    const nodes = useGraphStore.getState().graph.nodes;
    expect(layersById(nodes)).toBe(layersById(nodes));
    const layer = renderHook(() => useLayer('n1'));
    const before = layer.result.current;
    expect(before?.params.units).toBe(4);

    act(() => setLayerParam('n0', 'shape', [32]));
    // Another node's edit leaves this node's object, so its view need not redraw.
    expect(layer.result.current).toBe(before);

    act(() => setLayerParam('n1', 'units', 5));
    expect(layer.result.current?.params.units).toBe(5);
  });
});

describe('useGraphStructure', () => {
  it('ignores moves and follows edits', () => {
    startWith(chain([8], [{ kind: 'Dense', params: { units: 3 } }]));
    let renders = 0;
    const { result } = renderHook(() => {
      renders += 1;
      return useGraphStructure();
    });
    const first = result.current;

    act(() => moveLayers(new Map([['n1', { x: 40, y: 300 }]])));
    expect(result.current).toBe(first);
    expect(renders).toBe(1);

    act(() => setLayerParam('n1', 'units', 5));
    expect(result.current).not.toBe(first);
    expect(result.current.nodes[1].params.units).toBe(5);
  });
});
