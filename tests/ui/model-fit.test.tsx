// @vitest-environment jsdom
/**
 * The data panel's check of the model against the loaded data. A one-click fix must leave a model
 * that trains: a removed layer keeps the chain connected. Errors elsewhere in the model are named
 * even when its input and output fit. A project trained on a file names that file until it is loaded.
 */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inferGraph } from '../../src/graph/infer';
import { applyGraphFix } from '../../src/store/actions';
import { DEFAULT_SPLIT_DRAFT, useDataStore } from '../../src/store/data-store';
import { useGraphStore } from '../../src/store/graph-store';
import { reloadData } from '../../src/ui/commands';
import { DataPanel } from '../../src/ui/data/DataPanel';
import { SummaryPanel } from '../../src/ui/summary/SummaryPanel';
import { goodNpz, type FixtureFile } from '../e2e/fixtures';
import { chain } from '../helpers/graph-builders';
import { startWith } from './setup';

function resetDataStore(): void {
  useDataStore.setState({ loaded: null, pending: null, busy: null, error: null, splitDraft: DEFAULT_SPLIT_DRAFT, missingFile: null });
}

beforeEach(resetDataStore);
afterEach(resetDataStore);

async function load(file: FixtureFile): Promise<void> {
  fireEvent.change(screen.getByTestId('dataset-file-input'), { target: { files: [new File([file.bytes.slice()], file.name)] } });
  await waitFor(() => expect(useDataStore.getState().busy).toBeNull());
}

describe('model fit', () => {
  it('summary sets data mismatches apart', async () => {
    startWith(chain([5], [{ kind: 'Dense', params: { units: 1, activation: 'sigmoid' } }]));
    render(
      <>
        <DataPanel />
        <SummaryPanel />
      </>,
    );
    await load(goodNpz());

    // The Input does not fit the data's 12 features: a note on the data, not an error of the model.
    await waitFor(() => expect(screen.getByTestId('summary-data-mismatches').textContent).toBe('1 layer does not fit the loaded data set: its note says what to change.'));
    expect(screen.queryByTestId('summary-errors')).toBeNull();
    expect(screen.getByTestId('summary-row-n0').parentElement!.className).toContain('is-data-mismatch');

    fireEvent.click(within(screen.getByTestId('data-model-fit')).getByText('Set shape to 12'));
    await waitFor(() => expect(screen.queryByTestId('summary-data-mismatches')).toBeNull());
  });

  it('errors left in the model after a data fix', async () => {
    startWith(chain([5], [{ kind: 'Flatten' }, { kind: 'Dense', params: { units: 1, activation: 'sigmoid' } }]));
    render(<DataPanel />);
    await load(goodNpz());

    fireEvent.click(within(screen.getByTestId('data-model-fit')).getByText('Set shape to 12'));
    // Input (12) → Flatten is now an error of its own: the data fits, the model does not train yet.
    await waitFor(() => expect(screen.getByTestId('data-model-fit').textContent).toContain('The model itself has 1 error; fix it on the canvas before training.'));

    const flattenError = inferGraph(useGraphStore.getState().graph).errors[0];
    expect(flattenError.fix?.label).toBe('Remove the Flatten');
    applyGraphFix(flattenError.fix!);
    const graph = useGraphStore.getState().graph;
    expect(graph.nodes.map((node) => node.kind)).toEqual(['InputLayer', 'Dense']);
    expect(graph.edges.map((edge) => [edge.source, edge.target])).toEqual([[graph.nodes[0].id, graph.nodes[1].id]]);
    await waitFor(() => expect(screen.getByTestId('data-model-fit').textContent).toBe("The model's input and output fit this data."));
  });
});

describe('a project trained on a file', () => {
  it('names the missing file', async () => {
    expect(reloadData({ kind: 'npz', fileName: 'solubility.npz' })).toEqual(['The project was trained on solubility.npz; load it in the data panel to train again.']);
    render(<DataPanel />);
    expect(screen.getByTestId('data-missing-file').textContent).toBe(
      'This project was trained on solubility.npz. Files stay on your computer and are not kept in the browser, so open solubility.npz again (or drop it here) to go on training.',
    );

    await load(goodNpz());
    expect(screen.queryByTestId('data-missing-file')).toBeNull();
    expect(useDataStore.getState().missingFile).toBeNull();
  });
});
