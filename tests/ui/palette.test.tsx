// @vitest-environment jsdom
import { fireEvent, render, screen } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import { useGraphStore } from '../../src/store/graph-store';
import { useUiStore } from '../../src/store/ui-store';
import { LAYER_DRAG_TYPE } from '../../src/ui/canvas/constants';
import { Palette } from '../../src/ui/palette/Palette';
import { LAYER_KINDS } from '../../src/layers';
import './setup';

function renderPalette() {
  return render(
    <ReactFlowProvider>
      <Palette />
    </ReactFlowProvider>,
  );
}

describe('Palette', () => {
  it('lists every catalogue kind', () => {
    renderPalette();
    for (const kind of LAYER_KINDS) expect(screen.getByTestId(`palette-${kind.className}`)).toBeTruthy();
  });

  it('shows each kind’s description', () => {
    renderPalette();
    const dense = screen.getByTestId('palette-Dense');
    expect(dense.textContent).toContain(LAYER_KINDS.find((kind) => kind.className === 'Dense')!.description);
  });

  it('search filters the kinds', () => {
    renderPalette();
    fireEvent.change(screen.getByLabelText('Search layers'), { target: { value: 'conv1d' } });
    expect(screen.getByTestId('palette-Conv1D')).toBeTruthy();
    expect(screen.queryByTestId('palette-Dense')).toBeNull();
    expect(screen.queryByTestId('palette-InputLayer')).toBeNull();
  });

  it('search matches words of the description', () => {
    renderPalette();
    fireEvent.change(screen.getByLabelText('Search layers'), { target: { value: 'fully connected' } });
    expect(screen.getByTestId('palette-Dense')).toBeTruthy();
  });

  it('search with no match says so', () => {
    renderPalette();
    fireEvent.change(screen.getByLabelText('Search layers'), { target: { value: 'zzzz' } });
    expect(screen.getByText(/No layer matches/)).toBeTruthy();
  });

  it('Enter on a kind adds it and selects it', () => {
    renderPalette();
    fireEvent.change(screen.getByLabelText('Search layers'), { target: { value: 'dense' } });
    const item = screen.getByTestId('palette-Dense');
    item.focus();
    fireEvent.keyDown(item, { key: 'Enter' });

    const { nodes } = useGraphStore.getState().graph;
    expect(nodes).toHaveLength(1);
    expect(nodes[0]).toMatchObject({ kind: 'Dense', name: 'dense' });
    expect(useUiStore.getState().selectedNodeIds).toEqual([nodes[0].id]);
  });

  it('arrow keys move between kinds, from the search box down', () => {
    renderPalette();
    const search = screen.getByLabelText('Search layers');
    fireEvent.change(search, { target: { value: 'pooling 1' } });
    search.focus();
    fireEvent.keyDown(search, { key: 'ArrowDown' });
    const items = screen.getAllByRole('button').filter((element) => element.classList.contains('palette__item'));
    expect(items.length).toBeGreaterThan(2);
    expect(document.activeElement).toBe(items[0]);
    fireEvent.keyDown(items[0], { key: 'ArrowDown' });
    expect(document.activeElement).toBe(items[1]);
    fireEvent.keyDown(items[1], { key: 'ArrowUp' });
    expect(document.activeElement).toBe(items[0]);
    // The first item stays focused at the top of the list.
    fireEvent.keyDown(items[0], { key: 'ArrowUp' });
    expect(document.activeElement).toBe(items[0]);
    fireEvent.keyDown(items[0], { key: 'End' });
    expect(document.activeElement).toBe(items[items.length - 1]);
    fireEvent.keyDown(items[items.length - 1], { key: 'Home' });
    expect(document.activeElement).toBe(items[0]);
  });

  it('the kinds are one Tab stop', () => {
    renderPalette();
    const items = screen.getAllByRole('button').filter((element) => element.classList.contains('palette__item'));
    const stops = items.filter((item) => item.tabIndex === 0);
    expect(stops.map((item) => item.dataset.testid)).toEqual(['palette-InputLayer']);

    // The stop follows the focus, so Tab returns to the kind last used.
    fireEvent.focus(screen.getByTestId('palette-Conv1D'));
    expect(screen.getByTestId('palette-Conv1D').tabIndex).toBe(0);
    expect(screen.getByTestId('palette-InputLayer').tabIndex).toBe(-1);

    // A search that hides that kind moves the stop to the first match.
    fireEvent.change(screen.getByLabelText('Search layers'), { target: { value: 'dropout' } });
    const matchingItems = screen.getAllByRole('button').filter((element) => element.classList.contains('palette__item'));
    expect(matchingItems.filter((item) => item.tabIndex === 0)).toEqual([matchingItems[0]]);
  });

  it('Enter in the search adds the first match', () => {
    renderPalette();
    const search = screen.getByLabelText('Search layers');
    fireEvent.change(search, { target: { value: 'maxpool 2d' } });
    fireEvent.keyDown(search, { key: 'Enter' });
    expect(useGraphStore.getState().graph.nodes.map((node) => node.kind)).toEqual(['MaxPooling2D']);
  });

  it('Enter prefers a matching name', () => {
    renderPalette();
    const search = screen.getByLabelText('Search layers') as HTMLInputElement;
    // Dense's description mentions Flatten and comes first in the list, but Flatten is the name.
    fireEvent.change(search, { target: { value: 'Flatten' } });
    expect(screen.getByTestId('palette-Flatten').className).toContain('is-enter-target');
    fireEvent.keyDown(search, { key: 'Enter' });
    expect(useGraphStore.getState().graph.nodes.map((node) => node.kind)).toEqual(['Flatten']);
    // The text is selected, so the next name typed replaces it.
    expect(search.selectionStart).toBe(0);
    expect(search.selectionEnd).toBe('Flatten'.length);
  });

  it('Enter in an empty search adds nothing', () => {
    renderPalette();
    fireEvent.keyDown(screen.getByLabelText('Search layers'), { key: 'Enter' });
    expect(useGraphStore.getState().graph.nodes).toEqual([]);
  });

  it('Enter twice stacks new layers apart', () => {
    renderPalette();
    const item = screen.getByTestId('palette-Dense');
    fireEvent.keyDown(item, { key: 'Enter' });
    fireEvent.keyDown(item, { key: 'Enter' });
    const [first, second] = useGraphStore.getState().graph.nodes;
    expect(second.name).toBe('dense_1');
    expect(second.position).not.toEqual(first.position);
  });

  it('drag start carries the class name', () => {
    renderPalette();
    const data = new Map<string, string>();
    const dataTransfer = { setData: (type: string, value: string) => data.set(type, value), effectAllowed: '' };
    fireEvent.dragStart(screen.getByTestId('palette-Conv1D'), { dataTransfer });
    expect(data.get(LAYER_DRAG_TYPE)).toBe('Conv1D');
  });
});
