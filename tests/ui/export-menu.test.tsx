// @vitest-environment jsdom
/**
 * The Export menu, clicked as a person clicks it. Only the browser's download mechanism (object
 * URLs and the anchor click) and the clipboard are replaced, so every file comes from the real
 * exporters and is checked by reading it back.
 */
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { importTfjsModel } from '../../src/compile/import-weights';
import { importModelJson } from '../../src/compile/keras-import';
import { setParam } from '../../src/graph/edit';
import { inferGraph } from '../../src/graph/infer';
import { getTemplate } from '../../src/graph/templates';
import type { Graph } from '../../src/graph/types';
import type { Dataset } from '../../src/data/dataset';
import { DEFAULT_SPLIT_DRAFT, describeLoadedData, useDataStore } from '../../src/store/data-store';
import { defaultTrainingDraft, useTrainingStore } from '../../src/store/training-store';
import { useUiStore } from '../../src/store/ui-store';
import { clearImportedWeights, setImportedWeights } from '../../src/store/weights-store';
import { ExportMenu } from '../../src/ui/export/ExportMenu';
import { selectCpuBackend } from '../helpers/tfjs-reference';
import { startWith } from './setup';

const SOLUBILITY_TOTAL = 60_929;

interface Download {
  name: string;
  blob: Blob;
}

let downloads: Download[];

// The tfjs export compiles the model; the cpu backend needs no WebGL, which jsdom lacks.
beforeAll(() => selectCpuBackend());

beforeEach(() => {
  downloads = [];
  const blobs = new Map<string, Blob>();
  let next = 0;
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    const url = `blob:test/${next++}`;
    blobs.set(url, blob as Blob);
    return url;
  });
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    downloads.push({ name: this.download, blob: blobs.get(this.href)! });
  });
  useUiStore.setState({ projectName: 'solubility' });
});

afterEach(() => {
  vi.restoreAllMocks();
  clearImportedWeights();
  useDataStore.setState({ loaded: null, splitDraft: DEFAULT_SPLIT_DRAFT });
  useTrainingStore.setState({ draft: defaultTrainingDraft() });
});

function solubility(): Graph {
  return getTemplate('solubility')!.build();
}

/** Builds the solubility model with its last Dense layer unconnected, so inference reports an error. */
function brokenSolubility(): Graph {
  const graph = solubility();
  const last = graph.nodes[graph.nodes.length - 1];
  return { nodes: graph.nodes, edges: graph.edges.filter((edge) => edge.target !== last.id) };
}

async function exportAs(testId: string, fileCount = 1): Promise<Download[]> {
  render(<ExportMenu />);
  fireEvent.click(screen.getByTestId('export-button'));
  fireEvent.click(screen.getByTestId(testId));
  if (fileCount > 0) await waitFor(() => expect(downloads).toHaveLength(fileCount), { timeout: 20_000 });
  await waitFor(() => expect(screen.getByTestId('export-button').getAttribute('aria-disabled')).toBe('false'));
  return downloads;
}

async function bytesOf(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.arrayBuffer());
}

describe('Export menu', () => {
  it('Keras JSON re-imports with the same total', async () => {
    startWith(solubility());
    const [file] = await exportAs('export-keras-json');
    expect(file.name).toBe('solubility.keras.json');
    const imported = importModelJson(await file.blob.text());
    expect(imported.ok).toBe(true);
    if (imported.ok) expect(inferGraph(imported.graph).totalParams).toBe(SOLUBILITY_TOTAL);
    expect(useUiStore.getState().toast?.message).toBe('Exported solubility.keras.json.');
  });

  it('TensorFlow.js model downloads two files', async () => {
    startWith(solubility());
    const [json, weights] = await exportAs('export-tfjs', 2);
    expect(json.name).toBe('solubility.json');
    expect(weights.name).toBe('solubility.weights.bin');
    const modelJson = JSON.parse(await json.blob.text());
    expect(modelJson.format).toBe('layers-model');
    expect(modelJson.weightsManifest[0].paths).toEqual(['solubility.weights.bin']);
    expect(weights.blob.size).toBe(SOLUBILITY_TOTAL * 4);

    const imported = importTfjsModel(await json.blob.text(), new Map([[weights.name, await bytesOf(weights.blob)]]));
    expect(imported.ok).toBe(true);
    if (imported.ok) expect(inferGraph(imported.graph).totalParams).toBe(SOLUBILITY_TOTAL);
    expect(useUiStore.getState().toast?.message).toContain('fresh initial weights');
  });

  it('TensorFlow.js model keeps imported weights', async () => {
    const graph = solubility();
    startWith(graph);
    const [, first] = await exportAs('export-tfjs', 2);
    const firstBytes = await bytesOf(first.blob);
    const json = await downloads[0].blob.text();
    const imported = importTfjsModel(json, new Map([[first.name, firstBytes]]));
    if (!imported.ok) throw new Error(imported.errors.join('; '));

    setImportedWeights(graph, imported.weights, 'solubility.json');
    downloads = [];
    fireEvent.click(screen.getByTestId('export-button'));
    fireEvent.click(screen.getByTestId('export-tfjs'));
    await waitFor(() => expect(downloads).toHaveLength(2), { timeout: 20_000 });
    expect(await bytesOf(downloads[1].blob)).toEqual(firstBytes);
    expect(useUiStore.getState().toast?.message).toContain('the weights imported with solubility.json');
  });

  it('TensorFlow.js model drops weights of a changed graph', async () => {
    const graph = solubility();
    const weightsOwner = graph.nodes.find((node) => node.kind === 'Dense')!;
    setImportedWeights(graph, new Map(), 'solubility.json');
    startWith(setParam(graph, weightsOwner.id, 'units', 8));
    await exportAs('export-tfjs', 2);
    expect(useUiStore.getState().toast?.message).toContain('fresh initial weights');
    expect(useUiStore.getState().banner).toMatchObject({ tone: 'info' });
    expect(useUiStore.getState().banner?.message).toContain('were not exported because the layers changed since the import');
  });

  it('Python script carries the training settings', async () => {
    startWith(solubility());
    useTrainingStore.setState({ draft: { ...defaultTrainingDraft(), epochs: '7' } });
    const [file] = await exportAs('export-python');
    expect(file.name).toBe('solubility.py');
    const script = await file.blob.text();
    expect(script).toContain('EPOCHS = 7');
    expect(script).toContain('def build_model');
  });

  it('Python script reads the loaded CSV', async () => {
    startWith(solubility());
    const dataset: Dataset = {
      name: 'proteins.csv',
      features: { shape: [200], dtype: 'int32', data: new Int32Array(400) },
      labels: { shape: [], dtype: 'int32', data: new Int32Array([0, 1]) },
      count: 2,
      task: 'classification',
      classNames: ['insoluble', 'soluble'],
      source: { kind: 'csv', fileName: 'proteins.csv', labelColumn: 'soluble' },
    };
    useDataStore.setState({ loaded: describeLoadedData(dataset, 'proteins.csv', []) });
    const [file] = await exportAs('export-python');
    const script = await file.blob.text();
    expect(script).toContain('DATA_FILE = "proteins.csv"');
    expect(script).toContain('CLASS_NAMES = ["insoluble", "soluble"]');
    expect(useUiStore.getState().banner).toBeNull();
  });

  it('Python script notes a built-in data set', async () => {
    startWith(solubility());
    const dataset: Dataset = {
      name: 'Synthetic proteins',
      features: { shape: [200], dtype: 'int32', data: new Int32Array(400) },
      labels: { shape: [], dtype: 'int32', data: new Int32Array([0, 1]) },
      count: 2,
      task: 'classification',
      source: { kind: 'builtin', id: 'proteins' },
    };
    useDataStore.setState({ loaded: describeLoadedData(dataset, 'Synthetic proteins', []) });
    const [file] = await exportAs('export-python');
    // The script names the origin of its data too, for a person who runs it without seeing the banner.
    expect(await file.blob.text()).toContain(
      '# The script reads data.npz, because Synthetic proteins is built into Layerlab; save the examples as arrays x and y of data.npz (numpy.savez).\nDATA_FILE = "data.npz"',
    );
    expect(useUiStore.getState().banner).toMatchObject({ tone: 'info' });
    expect(useUiStore.getState().banner?.message).toContain('because Synthetic proteins is built into Layerlab');
  });

  it('Python script rejects invalid settings', async () => {
    startWith(solubility());
    useTrainingStore.setState({ draft: { ...defaultTrainingDraft(), epochs: 'ten' } });
    await exportAs('export-python', 0);
    expect(downloads).toHaveLength(0);
    expect(useUiStore.getState().banner?.message).toContain("Epochs 'ten' is not a number");
  });

  it('SVG picture names the layers', async () => {
    startWith(solubility());
    const [file] = await exportAs('export-svg');
    expect(file.name).toBe('solubility.svg');
    const svg = await file.blob.text();
    expect(svg.startsWith('<svg')).toBe(true);
    for (const node of solubility().nodes) expect(svg).toContain(node.name);
  });

  it('summary text has the total', async () => {
    startWith(solubility());
    const [file] = await exportAs('export-summary');
    expect(file.name).toBe('solubility-summary.txt');
    const text = await file.blob.text();
    expect(text).toContain('Model: "solubility"');
    expect(text).toContain('Total params: 60,929');
  });

  it('copies the summary to the clipboard', async () => {
    startWith(solubility());
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    try {
      await exportAs('export-summary-copy', 0);
      await waitFor(() => expect(writeText).toHaveBeenCalledTimes(1));
      expect(writeText.mock.calls[0]).toEqual([expect.stringContaining('Total params: 60,929')]);
      expect(useUiStore.getState().toast?.message).toBe('Copied the summary to the clipboard.');
    } finally {
      Reflect.deleteProperty(navigator, 'clipboard');
    }
  });

  it.each([
    ['export-keras-json', 'Keras model JSON'],
    ['export-tfjs', 'TensorFlow.js model'],
    ['export-python', 'Python training script'],
  ])('%s rejects a graph with errors', async (testId, title) => {
    const graph = brokenSolubility();
    const message = inferGraph(graph).errors[0].message;
    startWith(graph);
    await exportAs(testId, 0);
    expect(downloads).toHaveLength(0);
    const banner = useUiStore.getState().banner?.message ?? '';
    expect(banner).toContain(`cannot be exported as ${title} because it has`);
    expect(banner).toContain(message);
  });

  it.each([['export-svg'], ['export-summary']])('%s draws a graph with errors', async (testId) => {
    startWith(brokenSolubility());
    const [file] = await exportAs(testId);
    expect(await file.blob.text()).toContain(inferGraph(brokenSolubility()).errors[0].message.slice(0, 20));
  });

  it('PNG reports a missing canvas', async () => {
    startWith(solubility());
    // jsdom has no 2-D canvas; it reports the missing method on the console, which is expected here.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await exportAs('export-png', 0);
    expect(downloads).toHaveLength(0);
    expect(useUiStore.getState().banner?.message).toBe(
      'The PNG picture could not be made: this browser offers no 2-D canvas to draw on. Export the SVG picture instead.',
    );
  });

  it('rejects an empty model', async () => {
    startWith({ nodes: [], edges: [] });
    await exportAs('export-svg', 0);
    expect(downloads).toHaveLength(0);
    expect(useUiStore.getState().banner?.message).toContain('The model is empty');
  });
});

describe('export menu focus', () => {
  it('returns to the button after an export', async () => {
    render(<ExportMenu />);
    const button = screen.getByTestId('export-button');
    fireEvent.click(button);
    fireEvent.click(screen.getByTestId('export-summary'));
    await waitFor(() => expect(button.getAttribute('aria-disabled')).toBe('false'));
    expect(document.activeElement).toBe(button);
  });
});
