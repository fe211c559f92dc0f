/**
 * The data and training sections of a project file: what they accept, how the panels' settings
 * and finished runs are saved into them, and how opening puts them back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { defaultTrainingConfig } from '../../src/compile/training-config';
import { parseCsv } from '../../src/data/csv';
import type { Dataset } from '../../src/data/dataset';
import { inferGraph } from '../../src/graph/infer';
import { getTemplate } from '../../src/graph/templates';
import { makeProject, parseProjectText, parseProjectValue, serializeProject } from '../../src/project/schema';
import { MAX_SAVED_BATCHES, saveRun, thinEvenly } from '../../src/project/sections';
import { DEFAULT_SPLIT_DRAFT, describeLoadedData, useDataStore } from '../../src/store/data-store';
import { collectProjectSections, restoreProjectSections } from '../../src/store/project-sections';
import { defaultTrainingDraft, useTrainingStore, type RunRecord } from '../../src/store/training-store';

const graph = getTemplate('solubility')!.build();
const config = defaultTrainingConfig(graph, inferGraph(graph), undefined, { loss: 'binaryCrossentropy', metrics: ['accuracy'], epochs: 3 });

function finishedRun(id: number, overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    name: `Run ${id}`,
    settings: { config, datasetName: 'Synthetic proteins', exampleCount: 1000, layers: 'Embedding → Conv1D → Dense', totalParams: 60_929 },
    status: 'completed',
    backend: { backend: 'cpu', fallbackReason: 'no WebGPU adapter' },
    progress: null,
    epochs: [
      { epoch: 1, logs: { loss: 0.69, acc: 0.5, val_loss: 0.68, val_acc: 0.52 } },
      { epoch: 2, logs: { loss: 0.6, acc: 0.7, val_loss: 0.61, val_acc: 0.66 } },
    ],
    batches: [
      { x: 0.5, loss: 0.7, smoothedLoss: 0.7 },
      { x: 1, loss: 0.65, smoothedLoss: 0.68 },
    ],
    result: {
      status: 'completed',
      message: 'Trained 2 epochs.',
      backend: 'cpu',
      epochsCompleted: 2,
      history: [],
      test: { count: 100, logs: { loss: 0.62, acc: 0.64 } },
      seconds: 12.5,
    },
    ...overrides,
  };
}

function proteins(): Dataset {
  return {
    name: 'Synthetic proteins',
    features: { shape: [4], dtype: 'int32', data: new Int32Array(8) },
    labels: { shape: [], dtype: 'int32', data: new Int32Array([0, 1]) },
    count: 2,
    task: 'classification',
    source: { kind: 'builtin', id: 'proteins', options: { count: 2, seed: 1 } },
  };
}

afterEach(() => {
  useDataStore.setState({ loaded: null, pending: null, busy: null, error: null, splitDraft: DEFAULT_SPLIT_DRAFT });
  useTrainingStore.setState({ draft: defaultTrainingDraft(), phase: 'idle', runs: [], shownRunId: null, comparedRunIds: [], notice: null });
});

describe('project sections schema', () => {
  it('accepts saved settings and runs', () => {
    const training = { epochs: 4, optimizer: { name: 'sgd', learningRate: 0.05 }, runs: [saveRun({ ...finishedRun(1), result: finishedRun(1).result! })] };
    const result = parseProjectValue({ ...makeProject(graph), training, data: { source: { kind: 'csv', fileName: 'proteins.csv', labelColumn: 'soluble' }, exampleLimit: 500 } });
    expect(result.ok).toBe(true);
  });

  it('rejects invalid training settings', () => {
    const result = parseProjectValue({ ...makeProject(graph), training: { epochs: 0 } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('training epochs must be at least 1, but got 0');
  });

  it('rejects an unknown loss', () => {
    const result = parseProjectValue({ ...makeProject(graph), training: { loss: 'hinge' } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('training.loss must be one of');
  });

  it('rejects a run with invalid settings', () => {
    const run = saveRun({ ...finishedRun(1), result: finishedRun(1).result! });
    const broken = { ...run, settings: { ...run.settings, config: { ...run.settings.config, batchSize: -1 } } };
    const result = parseProjectValue({ ...makeProject(graph), training: { runs: [broken] } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('training.runs[0].settings.config batchSize must be at least 1, but got -1');
  });

  it('rejects a data source without a file name', () => {
    const result = parseProjectValue({ ...makeProject(graph), data: { source: { kind: 'npz' } } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('data.source.fileName');
  });

  it('keeps unknown keys of a section', () => {
    const result = parseProjectValue({ ...makeProject(graph), data: { note: 'from the lab' } });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.project.data).toEqual({ note: 'from the lab' });
  });
});

describe('saveRun', () => {
  it('stores non-finite logs as null', () => {
    const run = finishedRun(1, { status: 'diverged' });
    run.epochs[1].logs.loss = Number.NaN;
    const saved = saveRun({ ...run, result: run.result! });
    expect(saved.epochs[1].logs.loss).toBeNull();
    expect(JSON.parse(JSON.stringify(saved)).epochs[1].logs.loss).toBeNull();
  });

  it('thins batch points to the chart limit', () => {
    const batches = Array.from({ length: 1000 }, (_, i) => ({ x: i / 100, loss: 1, smoothedLoss: 1 }));
    const saved = saveRun({ ...finishedRun(1), batches, result: finishedRun(1).result! });
    expect(saved.batches).toHaveLength(MAX_SAVED_BATCHES);
    expect(saved.batches![MAX_SAVED_BATCHES - 1].x).toBe(9.99);
  });

  it('thinEvenly keeps short lists whole', () => {
    expect(thinEvenly([1, 2, 3], 5)).toEqual([1, 2, 3]);
  });
});

describe('collect and restore sections', () => {
  it('settings and runs survive a save and open', () => {
    useDataStore.setState({
      loaded: describeLoadedData(proteins(), 'Synthetic proteins', []),
      splitDraft: { seed: '7', trainPercent: '70', validationPercent: '20', testPercent: '10', batchSize: '16', limitEnabled: true, exampleLimit: '500' },
    });
    useTrainingStore.setState({
      draft: { ...defaultTrainingDraft(), loss: 'binaryCrossentropy', optimizer: 'rmsprop', learningRate: '0.01', epochs: '12', earlyStopping: true, monitor: 'val_acc', patience: '4' },
      runs: [finishedRun(1), finishedRun(2, { result: null, status: 'running' })],
    });

    const text = serializeProject(makeProject(graph, collectProjectSections()));
    const parsed = parseProjectText(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    useDataStore.setState({ splitDraft: DEFAULT_SPLIT_DRAFT });
    useTrainingStore.setState({ draft: defaultTrainingDraft(), runs: [] });

    const outcome = restoreProjectSections({ data: parsed.project.data, training: parsed.project.training });
    expect(outcome.source).toEqual({ kind: 'builtin', id: 'proteins', options: { count: 2, seed: 1 } });
    expect(useDataStore.getState().splitDraft).toEqual({ seed: '7', trainPercent: '70', validationPercent: '20', testPercent: '10', batchSize: '16', limitEnabled: true, exampleLimit: '500' });
    const training = useTrainingStore.getState();
    expect(training.draft).toMatchObject({ loss: 'binaryCrossentropy', optimizer: 'rmsprop', learningRate: '0.01', epochs: '12', earlyStopping: true, monitor: 'val_acc', patience: '4' });
    expect(training.runs.map((run) => run.id)).toEqual([1]);
    expect(training.shownRunId).toBe(1);
    expect(training.runs[0].epochs).toEqual(finishedRun(1).epochs);
    expect(training.runs[0].result?.history).toEqual(finishedRun(1).epochs.map((point) => point.logs));
    expect(training.runs[0].result?.test).toEqual({ count: 100, logs: { loss: 0.62, acc: 0.64 } });
  });

  it('CSV choices of columns and decimal commas', () => {
    const text = 'id;a;b;label\nx1;0,5;1;0\nx2;1,5;2;1\nx3;2,5;1 4;0\nx4;3,5;4;1\n';
    const choices = { labelColumn: 'label', missing: 'drop' as const, standardize: false, ignoreColumns: ['id'], textColumns: ['b'], decimalComma: true };
    const { dataset, report } = parseCsv(text, { name: 'cells.csv', ...choices });
    useDataStore.setState({ loaded: describeLoadedData(dataset, 'cells.csv', [], { columns: ['id', 'a', 'b', 'label'], choices, report }) });

    const parsed = parseProjectText(serializeProject(makeProject(graph, collectProjectSections())));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.project.data?.source).toEqual({
      kind: 'csv',
      fileName: 'cells.csv',
      labelColumn: 'label',
      missing: 'drop',
      standardize: false,
      ignoreColumns: ['id'],
      textColumns: ['b'],
      decimalComma: true,
    });
  });

  it('writes settings the command line reads', () => {
    useTrainingStore.setState({ draft: { ...defaultTrainingDraft(), epochs: '25', optimizer: 'sgd' } });
    const training = collectProjectSections().training!;
    expect(training.epochs).toBe(25);
    expect(training.optimizer).toEqual({ name: 'sgd' });
    expect(training.batchSize).toBe(32);
    expect(training.validationFraction).toBe(0.1);
  });

  it('leaves out a setting that would not open', () => {
    useTrainingStore.setState({ draft: { ...defaultTrainingDraft(), epochs: '0', learningRate: '1e' } });
    const training = collectProjectSections().training!;
    expect(training.epochs).toBeUndefined();
    expect(training.optimizer).toEqual({ name: 'adam' });
    expect(parseProjectValue({ ...makeProject(graph), training }).ok).toBe(true);
  });

  it('NaN logs come back as NaN', () => {
    const run = finishedRun(1, { status: 'diverged' });
    run.epochs[1].logs.loss = Number.NaN;
    useTrainingStore.setState({ runs: [run] });
    const parsed = parseProjectText(serializeProject(makeProject(graph, collectProjectSections())));
    if (!parsed.ok) throw new Error(parsed.message);
    restoreProjectSections({ training: parsed.project.training });
    expect(useTrainingStore.getState().runs[0].epochs[1].logs.loss).toBeNaN();
  });

  it('running training keeps its settings', () => {
    useTrainingStore.setState({ phase: 'running', runs: [finishedRun(3)] });
    const outcome = restoreProjectSections({ training: { epochs: 50 } });
    expect(outcome.notices[0]).toContain('Training is running');
    expect(useTrainingStore.getState().draft.epochs).toBe(defaultTrainingDraft().epochs);
    expect(useTrainingStore.getState().runs.map((run) => run.id)).toEqual([3]);
  });

  it('no sections change nothing', () => {
    useTrainingStore.setState({ runs: [finishedRun(3)] });
    restoreProjectSections({});
    expect(useTrainingStore.getState().runs.map((run) => run.id)).toEqual([3]);
  });
});
