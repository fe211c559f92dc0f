// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getTemplate } from '../../src/graph/templates';
import { copySelection, moveLayers, pasteClipboard, selectAll, setLayerParam } from '../../src/store/actions';
import { currentGraph, redo, undo, useGraphStore } from '../../src/store/graph-store';
import { AUTOSAVE_DELAY_MS, AUTOSAVE_KEY, loadAutosave, startAutosave } from '../../src/store/persistence';
import { useUiStore } from '../../src/store/ui-store';
import { handleShortcut } from '../../src/ui/shortcuts';
import { loadInitialGraph } from '../../src/ui/startup';
import { startWith } from './setup';

afterEach(() => {
  vi.useRealTimers();
  localStorage.clear();
});

function pastSteps(): number {
  return useGraphStore.temporal.getState().pastStates.length;
}

describe('graph history', () => {
  it('a drag gesture is one undo step', () => {
    const original = getTemplate('solubility')!.build();
    startWith(original);
    useGraphStore.getState().beginGesture();
    for (let step = 1; step <= 5; step += 1) moveLayers(new Map([['n1', { x: step * 10, y: 0 }]]));
    useGraphStore.getState().endGesture();

    expect(pastSteps()).toBe(1);
    expect(currentGraph().nodes[0].position).toEqual({ x: 50, y: 0 });
    undo();
    expect(currentGraph()).toBe(original);
    redo();
    expect(currentGraph().nodes[0].position).toEqual({ x: 50, y: 0 });
  });

  it('a gesture without change records nothing', () => {
    startWith(getTemplate('solubility')!.build());
    useGraphStore.getState().beginGesture();
    useGraphStore.getState().endGesture();
    expect(pastSteps()).toBe(0);
  });

  it('edits of different fields are separate steps', () => {
    startWith(getTemplate('solubility')!.build());
    setLayerParam('n3', 'filters', 8);
    setLayerParam('n3', 'kernelSize', 3);
    expect(pastSteps()).toBe(2);
  });

  it('edits of one field merge into one step', () => {
    startWith(getTemplate('solubility')!.build());
    setLayerParam('n3', 'filters', 3);
    setLayerParam('n3', 'filters', 32);
    expect(pastSteps()).toBe(1);
  });

  it('edits of one field far apart are separate steps', () => {
    vi.useFakeTimers();
    startWith(getTemplate('solubility')!.build());
    setLayerParam('n3', 'filters', 3);
    vi.advanceTimersByTime(5000);
    setLayerParam('n3', 'filters', 32);
    expect(pastSteps()).toBe(2);
  });
});

describe('clipboard', () => {
  it('paste selects copies with fresh ids', () => {
    startWith(getTemplate('solubility')!.build(), ['n2', 'n3']);
    expect(copySelection()).toBe(2);
    const first = pasteClipboard();
    const second = pasteClipboard();
    const ids = currentGraph().nodes.map((node) => node.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(16);
    expect(useUiStore.getState().selectedNodeIds).toEqual(second);
    expect(first).not.toEqual(second);
  });

  it('select all selects every node and edge', () => {
    const graph = getTemplate('residual')!.build();
    startWith(graph);
    selectAll();
    expect(useUiStore.getState().selectedNodeIds).toHaveLength(graph.nodes.length);
    expect(useUiStore.getState().selectedEdgeIds).toHaveLength(graph.edges.length);
  });
});

describe('autosave', () => {
  it('writes the graph after an edit', () => {
    vi.useFakeTimers();
    startWith(getTemplate('solubility')!.build());
    const stop = startAutosave();
    setLayerParam('n3', 'filters', 24);
    expect(localStorage.getItem(AUTOSAVE_KEY)).toBeNull();
    vi.advanceTimersByTime(AUTOSAVE_DELAY_MS + 1);
    stop();
    expect(loadAutosave()).toEqual(currentGraph());
  });

  it('writes at once when the page is hidden', () => {
    startWith(getTemplate('solubility')!.build());
    const stop = startAutosave();
    setLayerParam('n3', 'filters', 24);
    window.dispatchEvent(new Event('pagehide'));
    expect(loadAutosave()).toEqual(currentGraph());
    stop();
  });

  it('ignores an invalid stored project', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    localStorage.setItem(AUTOSAVE_KEY, '{"format":"layerlab-project","version":1,"graph":{"nodes":5}}');
    expect(loadAutosave()).toBeNull();
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });

  it('first start opens the solubility template', () => {
    expect(loadInitialGraph()).toBe(true);
    expect(currentGraph().nodes).toHaveLength(12);
    expect(pastSteps()).toBe(0);
  });

  it('a later start restores the autosave', () => {
    startWith(getTemplate('mlp-2d')!.build());
    const stop = startAutosave();
    setLayerParam('n2', 'units', 5);
    stop();
    const saved = currentGraph();
    startWith({ nodes: [], edges: [] });
    expect(loadInitialGraph()).toBe(false);
    expect(currentGraph()).toEqual(saved);
  });
});

describe('shortcuts', () => {
  function press(key: string, options: KeyboardEventInit = {}, target: EventTarget = document.body): boolean {
    const event = new KeyboardEvent('keydown', { key, ctrlKey: true, ...options });
    Object.defineProperty(event, 'target', { value: target });
    return handleShortcut(event);
  }

  it('Ctrl+Z undoes and Ctrl+Y redoes', () => {
    const original = getTemplate('solubility')!.build();
    startWith(original);
    setLayerParam('n3', 'filters', 8);
    const edited = currentGraph();
    expect(press('z')).toBe(true);
    expect(currentGraph()).toBe(original);
    expect(press('y')).toBe(true);
    expect(currentGraph()).toBe(edited);
    press('z');
    expect(press('Z', { shiftKey: true })).toBe(true);
    expect(currentGraph()).toBe(edited);
  });

  it('keys typed into an input stay there', () => {
    startWith(getTemplate('solubility')!.build());
    setLayerParam('n3', 'filters', 8);
    const input = document.createElement('input');
    document.body.append(input);
    expect(press('z', {}, input)).toBe(false);
    expect(currentGraph().nodes[2].params.filters).toBe(8);
    input.remove();
  });

  it('Ctrl+A, Ctrl+C and Ctrl+V duplicate the model', () => {
    startWith(getTemplate('mlp-2d')!.build());
    expect(press('a')).toBe(true);
    expect(press('c')).toBe(true);
    expect(press('v')).toBe(true);
    expect(currentGraph().nodes).toHaveLength(8);
    expect(currentGraph().edges).toHaveLength(6);
  });
});
