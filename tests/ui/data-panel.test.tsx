// @vitest-environment jsdom
/**
 * The data panel in jsdom, with the data reader running in the page because jsdom has no
 * workers. It covers loading files, bad files that leave the loaded data as it was, the choice of
 * `.npz` arrays, the CSV options, the split settings and the check of the data against the model.
 */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chain } from '../helpers/graph-builders';
import { DataPanel } from '../../src/ui/data/DataPanel';
import { createDataErrorMerger, DEFAULT_SPLIT_DRAFT, describeLoadedData, resolveSplit, trainingExamples, useDataStore } from '../../src/store/data-store';
import { inferGraph } from '../../src/graph/infer';
import { getTemplate } from '../../src/graph/templates';
import { useGraphStore } from '../../src/store/graph-store';
import { makeProteinSequences } from '../../src/data/builtin';
import { badFiles, goodCsv, goodNpz, npzNeedingChoice, type FixtureFile } from '../e2e/fixtures';
import { writeNpy, writeNpz } from '../data/fixtures';
import { startWith } from './setup';

/** Builds an `.npz` of 10 examples whose labels are class ids 0 and 5000, five of each. */
function sparseClassesNpz(): FixtureFile {
  const labels = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? 0 : 5000));
  const x = writeNpy({ code: 'f4', shape: [10, 2], values: Array.from({ length: 20 }, (_, i) => i / 4) });
  const y = writeNpy({ code: 'i8', shape: [10], values: labels });
  return { name: 'sparse.npz', bytes: writeNpz({ x, y }, false) };
}

function resetDataStore(): void {
  useDataStore.setState({ loaded: null, pending: null, busy: null, error: null, splitDraft: DEFAULT_SPLIT_DRAFT });
}

beforeEach(resetDataStore);
afterEach(resetDataStore);

function chooseFiles(...files: FixtureFile[]): void {
  const input = screen.getByTestId('dataset-file-input');
  const list = files.map((file) => new File([file.bytes.slice()], file.name));
  fireEvent.change(input, { target: { files: list } });
}

async function loadAndWait(file: FixtureFile): Promise<void> {
  chooseFiles(file);
  await waitFor(() => expect(useDataStore.getState().busy).toBeNull());
}

describe('DataPanel files', () => {
  it('shows the count, arrays and balance of an npz', async () => {
    render(<DataPanel />);
    await loadAndWait(goodNpz());

    expect(screen.getByTestId('data-example-count').textContent).toBe('10 examples');
    const arrays = screen.getByTestId('data-arrays');
    expect(within(arrays).getByText('positives')).toBeTruthy();
    expect(within(arrays).getAllByText('(6, 12)')).toHaveLength(1);
    expect(within(arrays).getAllByText('int64')).toHaveLength(2);
    const balance = screen.getByTestId('data-label-balance');
    expect(balance.textContent).toContain('positive');
    expect(balance.textContent).toContain('60.0 %');
    expect(screen.getByTestId('data-examples').children).toHaveLength(6);
  });

  for (const bad of badFiles()) {
    it(`rejects ${bad.name} and keeps the data`, async () => {
      render(<DataPanel />);
      await loadAndWait(goodNpz());

      await loadAndWait(bad);

      const error = screen.getByTestId('data-error');
      expect(error.textContent).toMatch(bad.expectedMessage!);
      expect(error.textContent).toContain('tokens.npz is still loaded');
      expect(screen.getByTestId('data-example-count').textContent).toBe('10 examples');
      expect(useDataStore.getState().loaded?.sourceName).toBe('tokens.npz');
    });
  }

  it('lets the person pick npz arrays', async () => {
    render(<DataPanel />);
    await loadAndWait(npzNeedingChoice());

    const choice = screen.getByTestId('npz-choice');
    expect(choice.textContent).toContain('measurements (8, 3) float32');
    fireEvent.change(screen.getByTestId('npz-features'), { target: { value: 'measurements' } });
    fireEvent.change(screen.getByTestId('npz-labels'), { target: { value: 'species' } });
    fireEvent.click(screen.getByTestId('npz-choice-apply'));
    await waitFor(() => expect(useDataStore.getState().busy).toBeNull());

    expect(screen.queryByTestId('npz-choice')).toBeNull();
    expect(screen.getByTestId('data-example-count').textContent).toBe('8 examples');
    expect(useDataStore.getState().loaded?.dataset.features.shape).toEqual([3]);
  });

  it('rejects the same array as features and labels', async () => {
    render(<DataPanel />);
    await loadAndWait(npzNeedingChoice());

    fireEvent.change(screen.getByTestId('npz-features'), { target: { value: 'species' } });
    fireEvent.change(screen.getByTestId('npz-labels'), { target: { value: 'species' } });
    fireEvent.click(screen.getByTestId('npz-choice-apply'));
    await waitFor(() => expect(useDataStore.getState().busy).toBeNull());

    expect(screen.getByTestId('data-error').textContent).toContain('both set to array');
    expect(screen.getByTestId('npz-choice')).toBeTruthy();
  });
});

/** Builds a `.npy` of `count` examples of 3 float32 features. */
function featuresNpy(name: string, count: number): FixtureFile {
  return { name, bytes: writeNpy({ code: 'f4', shape: [count, 3], values: Array.from({ length: count * 3 }, (_, i) => i / 3) }) };
}

function labelsNpy(name: string, count: number): FixtureFile {
  return { name, bytes: writeNpy({ code: 'i8', shape: [count], values: Array.from({ length: count }, (_, i) => i % 2) }) };
}

async function chooseLabelsAndWait(file: FixtureFile): Promise<void> {
  fireEvent.change(screen.getByTestId('npy-labels-input'), { target: { files: [new File([file.bytes.slice()], file.name)] } });
  await waitFor(() => expect(useDataStore.getState().busy).toBeNull());
}

describe('DataPanel files without examples', () => {
  const cases: [string, FixtureFile, string][] = [
    ['an npy of shape (0, 3)', featuresNpy('empty.npy', 0), 'empty.npy has shape (0, 3), so it contains no examples'],
    ['a scalar npy', { name: 'scalar.npy', bytes: writeNpy({ code: 'f4', shape: [], values: [3] }) }, 'scalar.npy is a single number of shape ()'],
    ['an npz without arrays', { name: 'empty.npz', bytes: writeNpz({}, false) }, 'empty.npz contains no arrays'],
  ];
  for (const [description, file, message] of cases) {
    it(`rejects ${description} at once`, async () => {
      render(<DataPanel />);
      await loadAndWait(goodNpz());

      await loadAndWait(file);

      expect(screen.getByTestId('data-error').textContent).toContain(message);
      expect(screen.queryByTestId('npy-labels')).toBeNull();
      expect(screen.queryByTestId('npz-choice')).toBeNull();
      expect(useDataStore.getState().loaded?.sourceName).toBe('tokens.npz');
    });
  }
});

describe('DataPanel npz with one array', () => {
  function singleArrayNpz(): FixtureFile {
    return { name: 'single.npz', bytes: writeNpz({ data: featuresNpy('data.npy', 4).bytes }, false) };
  }

  it('asks for a labels file and pairs it', async () => {
    render(<DataPanel />);
    await loadAndWait(singleArrayNpz());

    expect(screen.getByTestId('npy-labels').textContent).toContain("single.npz contains one array, 'data' (4, 3) float32, and no labels.");
    expect(screen.queryByTestId('npz-choice')).toBeNull();
    await chooseLabelsAndWait(labelsNpy('y.npy', 4));

    expect(screen.getByTestId('data-example-count').textContent).toBe('4 examples');
    expect(useDataStore.getState().loaded?.sourceName).toBe('single.npz + y.npy');
  });

  it('names the labels file whose count differs', async () => {
    render(<DataPanel />);
    await loadAndWait(singleArrayNpz());

    await chooseLabelsAndWait(labelsNpy('labels3.npy', 3));

    const error = screen.getByTestId('data-error').textContent;
    expect(error).toContain('Could not use labels3.npy.');
    expect(error).toContain('has 3 labels, but the features in single.npz (4, 3) float32 have 4 examples');
    expect(screen.getByTestId('npy-labels')).toBeTruthy();
  });
});

describe('DataPanel pending choice', () => {
  it('drops the labels prompt when a new file fails', async () => {
    render(<DataPanel />);
    await loadAndWait(goodNpz());
    await loadAndWait(featuresNpy('UPPER.NPY', 4));
    expect(screen.getByTestId('npy-labels').textContent).toContain('UPPER.NPY');

    await loadAndWait({ name: 'notes.txt', bytes: new TextEncoder().encode('just some notes\n') });

    expect(screen.getByTestId('data-error').textContent).toContain('tokens.npz is still loaded.');
    expect(screen.queryByTestId('npy-labels')).toBeNull();
    expect(useDataStore.getState().pending).toBeNull();
  });

  it('keeps the labels prompt when the labels file fails', async () => {
    render(<DataPanel />);
    await loadAndWait(featuresNpy('x.npy', 4));

    await chooseLabelsAndWait({ name: 'notes.txt', bytes: new TextEncoder().encode('notes') });

    expect(screen.getByTestId('data-error').textContent).toContain('notes.txt is not a .npy file');
    expect(screen.getByTestId('npy-labels').textContent).toContain('x.npy');
  });
});

describe('DataPanel summary notes', () => {
  it('gives the class count of a file', async () => {
    render(<DataPanel />);
    await loadAndWait(npzNeedingChoice());
    fireEvent.click(screen.getByTestId('npz-choice-apply'));
    await waitFor(() => expect(useDataStore.getState().busy).toBeNull());

    expect(screen.getByTestId('data-summary').textContent).toContain('Classification into 2 classes.');
  });

  it('warns about NaN in features', async () => {
    const values = Array.from({ length: 12 }, (_, i) => (i === 7 ? NaN : i));
    const x = writeNpy({ code: 'f4', shape: [4, 3], values });
    render(<DataPanel />);
    await loadAndWait({ name: 'nan.npz', bytes: writeNpz({ x, y: labelsNpy('y.npy', 4).bytes }, false) });

    expect(screen.getByTestId('data-non-finite').textContent).toContain('The features contain 1 NaN or infinite value, the first in example 2');
  });

  it('names every file chosen together', async () => {
    render(<DataPanel />);
    chooseFiles(goodNpz(), { ...goodNpz(), name: 'other.npz' });
    await waitFor(() => expect(useDataStore.getState().busy).toBeNull());

    const error = screen.getByTestId('data-error').textContent;
    expect(error).toContain('Could not use tokens.npz and other.npz.');
    expect(error).toContain('2 files were chosen together.');
  });
});

describe('DataPanel class ids', () => {
  it('warns about gaps and shows only occurring classes', async () => {
    render(<DataPanel />);
    await loadAndWait(sparseClassesNpz());

    const rows = within(screen.getByTestId('data-label-balance')).getAllByRole('listitem');
    expect(rows.map((row) => row.textContent)).toEqual(['05 (50.0 %)', '50005 (50.0 %)']);
    const warning = screen.getByTestId('data-class-gaps').textContent;
    expect(warning).toContain('2 classes occur, with ids up to 5,000');
    expect(warning).toContain('4,999 ids have no example (1 to 4999)');
    expect(warning).toContain('5,001 units');
  });

  it('renumbers the classes and restores them', async () => {
    render(<DataPanel />);
    await loadAndWait(sparseClassesNpz());

    fireEvent.click(screen.getByTestId('data-renumber-classes'));

    const loaded = useDataStore.getState().loaded!;
    expect(Array.from(loaded.dataset.labels.data.subarray(0, 4))).toEqual([0, 1, 0, 1]);
    expect(loaded.shapes.labels.classCount).toBe(2);
    expect(screen.queryByTestId('data-class-gaps')).toBeNull();
    expect(screen.getByTestId('data-renumbered').textContent).toContain('0 → 0, 5000 → 1');
    expect(screen.getByTestId('data-label-balance').textContent).toContain('5000');

    fireEvent.click(screen.getByTestId('data-restore-class-ids'));

    expect(useDataStore.getState().loaded!.dataset.labels.data[1]).toBe(5000);
    expect(screen.getByTestId('data-class-gaps')).toBeTruthy();
  });
});

/** Builds a CSV of 20 numeric rows where column b of data row 7 (line 9) reads '1 4'. */
function typoCsv(): FixtureFile {
  const rows = Array.from({ length: 20 }, (_, i) => `${i},${i === 7 ? '1 4' : i * 2},${i % 2}`);
  return { name: 'typo.csv', bytes: new TextEncoder().encode(['a,b,label', ...rows].join('\n')) };
}

describe('DataPanel CSV column warnings', () => {
  it('names a typo and reads the column as text', async () => {
    render(<DataPanel />);
    await loadAndWait(typoCsv());

    expect(screen.getByTestId('csv-warnings').textContent).toContain("'1 4' on line 9");
    expect(screen.getByTestId('data-example-count').textContent).toBe('19 examples');

    fireEvent.click(screen.getByTestId('csv-read-as-text'));
    await waitFor(() => expect(useDataStore.getState().loaded?.csv?.choices.textColumns).toEqual(['b']));

    expect(screen.getByTestId('data-example-count').textContent).toBe('20 examples');
    expect(screen.getByTestId('csv-column-choices').textContent).toContain('b is read as text.');
    fireEvent.click(within(screen.getByTestId('csv-column-choices')).getByText('Read b as numbers'));
    await waitFor(() => expect(useDataStore.getState().loaded?.csv?.choices.textColumns).toEqual([]));
  });

  it('leaves an identifier column out', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => `user${i},${i},${i % 2}`);
    render(<DataPanel />);
    await loadAndWait({ name: 'ids.csv', bytes: new TextEncoder().encode(['id,value,label', ...rows].join('\n')) });

    expect(screen.getByTestId('csv-warnings').textContent).toContain('looks like a name or identifier');
    fireEvent.click(screen.getByTestId('csv-leave-out'));
    await waitFor(() => expect(useDataStore.getState().loaded?.csv?.choices.ignoreColumns).toEqual(['id']));

    expect(useDataStore.getState().loaded!.dataset.features.shape).toEqual([1]);
    expect(screen.queryByTestId('csv-warnings')).toBeNull();
    expect(screen.getByTestId('csv-column-choices').textContent).toContain('id is left out.');
  });

  it('reads decimal commas on request', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => `${i},5;${i * 2};${i % 2}`);
    render(<DataPanel />);
    await loadAndWait({ name: 'semicolon.csv', bytes: new TextEncoder().encode(['a;b;label', ...rows].join('\n')) });

    expect(screen.getByTestId('csv-warnings').textContent).toContain("such as '0,5' on line 2");
    fireEvent.click(screen.getByTestId('csv-read-decimal-commas'));
    await waitFor(() => expect(useDataStore.getState().loaded?.csv?.choices.decimalComma).toBe(true));

    expect(useDataStore.getState().loaded!.dataset.features.shape).toEqual([2]);
    expect(screen.getByTestId('csv-decimal-comma')).toHaveProperty('checked', true);
  });
});

describe('DataPanel CSV options', () => {
  it('counts the row dropped for a missing value', async () => {
    render(<DataPanel />);
    await loadAndWait(goodCsv());

    expect(screen.getByTestId('data-example-count').textContent).toBe('5 examples');
    expect(screen.getByTestId('csv-missing-summary').textContent).toBe('1 missing value in 6 rows; 1 row dropped; 5 rows used.');
  });

  it('fills the missing value on request', async () => {
    render(<DataPanel />);
    await loadAndWait(goodCsv());

    fireEvent.click(screen.getByTestId('csv-missing-fill'));
    await waitFor(() => expect(screen.getByTestId('data-example-count').textContent).toBe('6 examples'));
    expect(screen.getByTestId('csv-missing-summary').textContent).toContain('1 cell filled');
  });

  it('standardises numeric columns on request', async () => {
    render(<DataPanel />);
    await loadAndWait(goodCsv());

    fireEvent.click(screen.getByTestId('csv-standardize'));
    await waitFor(() => expect(useDataStore.getState().loaded?.csv?.choices.standardize).toBe(true));
    const features = useDataStore.getState().loaded!.dataset.features.data;
    const widths = Array.from({ length: 5 }, (_, row) => features[row * 4]);
    const mean = widths.reduce((sum, value) => sum + value, 0) / widths.length;
    expect(Math.abs(mean)).toBeLessThan(1e-6);
  });

  it('uses another label column', async () => {
    render(<DataPanel />);
    await loadAndWait(goodCsv());

    fireEvent.change(screen.getByTestId('csv-label-column'), { target: { value: 'colour' } });
    await waitFor(() => expect(useDataStore.getState().loaded?.csv?.choices.labelColumn).toBe('colour'));
    expect(useDataStore.getState().loaded!.dataset.classNames).toEqual(['blue', 'red']);
    expect(screen.getByTestId('data-label-balance').textContent).toContain('red');
  });
});

describe('DataPanel split', () => {
  it('reports shares that do not sum to 100', () => {
    render(<DataPanel />);
    fireEvent.change(screen.getByTestId('split-trainPercent'), { target: { value: '70' } });

    expect(screen.getByTestId('split-errors').textContent).toContain('The shares sum to 90 %');
    expect(screen.getByTestId('split-trainPercent').getAttribute('aria-invalid')).toBe('true');
  });

  it('reports a batch size of 0', () => {
    render(<DataPanel />);
    fireEvent.change(screen.getByTestId('split-batchSize'), { target: { value: '0' } });

    expect(screen.getByTestId('split-errors').textContent).toContain("Batch size '0' must be a whole number from 1 to 65536.");
  });

  it('shows the split sizes of a limited sample', async () => {
    render(<DataPanel />);
    await loadAndWait(goodNpz());
    fireEvent.click(screen.getByTestId('split-limit-enabled'));
    fireEvent.change(screen.getByTestId('split-exampleLimit'), { target: { value: '5' } });

    expect(screen.getByTestId('split-sizes').textContent).toBe('3 for training, 1 for validation, 1 for testing.');
  });

  it('draws the sample at random with the seed', () => {
    const dataset = makeProteinSequences({ count: 50, length: 20 });
    const split = resolveSplit({ ...DEFAULT_SPLIT_DRAFT, limitEnabled: true, exampleLimit: '10' }, dataset.count);
    if (!split.ok) throw new Error('the split should be valid');

    const sample = trainingExamples(dataset, split.split);
    const again = trainingExamples(dataset, split.split);

    expect(sample.count).toBe(10);
    expect(Array.from(sample.labels.data)).toEqual(Array.from(again.labels.data));
    expect(Array.from(sample.features.data.subarray(0, 20))).not.toEqual(Array.from(dataset.features.data.subarray(0, 20)));
  });
});

describe('DataPanel model fit', () => {
  it('offers the Input shape fix', async () => {
    startWith(
      chain([5], [
        { kind: 'Flatten' },
        { kind: 'Dense', params: { units: 1, activation: 'sigmoid' } },
      ]),
    );
    render(<DataPanel />);
    await loadAndWait(goodNpz());

    const fit = screen.getByTestId('data-model-fit');
    expect(fit.textContent).toContain("but the data's features are (None, 12)");
    fireEvent.click(within(fit).getByText('Set shape to 12'));

    const input = useGraphStore.getState().graph.nodes[0];
    expect(input.params.shape).toEqual([12]);
    await waitFor(() => expect(screen.getByTestId('data-model-fit').textContent).toContain('fit this data'));
  });
});

describe('data errors on nodes', () => {
  it('adds mismatches to the inference errors', () => {
    const graph = getTemplate('solubility')!.build();
    const inference = inferGraph(graph);
    const shapes = describeLoadedData(makeProteinSequences({ count: 10, length: 50 }), 'short', []).shapes;
    const merge = createDataErrorMerger();

    const merged = merge(graph, inference, shapes);

    expect(inference.errors).toEqual([]);
    expect(merged.errors).toHaveLength(1);
    expect(merged.errors[0].nodeId).toBe('n1');
    expect(merged.errors[0].code).toBe('data-mismatch');
    expect(merged.errors[0].fix?.label).toBe('Set shape to 50');
  });

  it('reuses the result for unchanged inputs', () => {
    const graph = getTemplate('solubility')!.build();
    const inference = inferGraph(graph);
    const shapes = describeLoadedData(makeProteinSequences({ count: 10, length: 50 }), 'short', []).shapes;
    const merge = createDataErrorMerger();

    expect(merge(graph, inference, shapes)).toBe(merge(graph, inference, shapes));
    expect(merge(graph, inference, null)).toBe(inference);
  });

  it('adds nothing for fitting data', () => {
    const graph = getTemplate('solubility')!.build();
    const inference = inferGraph(graph);
    const shapes = describeLoadedData(makeProteinSequences({ count: 10 }), 'proteins', []).shapes;

    expect(createDataErrorMerger()(graph, inference, shapes)).toBe(inference);
  });
});
