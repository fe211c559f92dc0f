/**
 * Moves the data and training settings and the run history between the data and training
 * slices and the `data` and `training` sections of a project file. The data arrays stay out of
 * the file: the section names the file or built-in set they came from.
 */
import type { DatasetSource } from '../data/dataset';
import {
  MAX_SAVED_RUNS,
  restoredLogs,
  saveRun,
  trainingSectionSchema,
  type DataSection,
  type SavedDataSource,
  type SavedRun,
  type TrainingSection,
} from '../project/sections';
import { DEFAULT_SPLIT_DRAFT, useDataStore, type LoadedData, type SplitDraft } from './data-store';
import { defaultTrainingDraft, useTrainingStore, type RunRecord, type TrainingDraft } from './training-store';

export interface ProjectSections {
  data?: DataSection;
  training?: TrainingSection;
}

/** Parses a number typed in a field, or returns undefined for half-typed or empty text. */
function typedNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

/** Returns the file or built-in set a data set was read from, without the slices taken from it. */
function rootSource(source: DatasetSource): Exclude<DatasetSource, { kind: 'slice' }> {
  let current = source;
  while (current.kind === 'slice') current = current.of;
  return current;
}

function savedSource(loaded: LoadedData): SavedDataSource {
  const source = rootSource(loaded.dataset.source);
  if (source.kind === 'builtin') {
    return source.options ? { kind: 'builtin', id: source.id, options: JSON.parse(JSON.stringify(source.options)) } : { kind: 'builtin', id: source.id };
  }
  if (source.kind === 'csv' && loaded.csv) {
    const { labelColumn, missing, standardize, ignoreColumns, textColumns, decimalComma } = loaded.csv.choices;
    return {
      ...source,
      labelColumn,
      missing,
      standardize,
      ...(ignoreColumns?.length ? { ignoreColumns: [...ignoreColumns] } : {}),
      ...(textColumns?.length ? { textColumns: [...textColumns] } : {}),
      ...(decimalComma ? { decimalComma } : {}),
    };
  }
  return { ...source };
}

function dataSectionOf(loaded: LoadedData | null, split: SplitDraft): DataSection | undefined {
  const limit = typedNumber(split.exampleLimit);
  const exampleLimit = split.limitEnabled && limit !== undefined && Number.isInteger(limit) && limit >= 2 ? limit : null;
  if (!loaded && exampleLimit === null) return undefined;
  return loaded ? { source: savedSource(loaded), exampleLimit } : { exampleLimit };
}

/** Fraction from a percent field, e.g. '10' → 0.1, rounded so that 0.1 stays 0.1. */
function fractionOf(percent: string): number | undefined {
  const value = typedNumber(percent);
  return value === undefined ? undefined : Number((value / 100).toFixed(10));
}

/**
 * Candidate settings from the panels, field by field, in the order they are checked. A field
 * typed half-way is left out.
 */
function typedSettings(draft: TrainingDraft, split: SplitDraft): [string, unknown][] {
  const fields: [string, unknown][] = [];
  const add = (key: string, value: unknown) => {
    if (value !== undefined) fields.push([key, value]);
  };
  if (draft.loss !== 'auto') {
    add('loss', draft.loss);
    // The same rule as the training panel: accuracy for classification losses, else mean absolute error.
    add('metrics', /Crossentropy$/.test(draft.loss) ? ['accuracy'] : ['mae']);
  }
  const learningRate = typedNumber(draft.learningRate);
  add('optimizer', learningRate === undefined ? { name: draft.optimizer } : { name: draft.optimizer, learningRate });
  add('epochs', typedNumber(draft.epochs));
  add('batchSize', typedNumber(split.batchSize));
  add('seed', typedNumber(split.seed));
  add('validationFraction', fractionOf(split.validationPercent));
  add('testFraction', fractionOf(split.testPercent));

  const earlyStopping: Record<string, unknown> = { enabled: draft.earlyStopping, monitor: draft.monitor, restoreBestWeights: draft.restoreBestWeights };
  const patience = typedNumber(draft.patience);
  const minDelta = typedNumber(draft.minDelta);
  if (patience !== undefined) earlyStopping.patience = patience;
  if (minDelta !== undefined) earlyStopping.minDelta = minDelta;
  add('earlyStopping', earlyStopping);
  return fields;
}

/** Checks whether the training section schema accepts these settings. */
function acceptedSettings(settings: Record<string, unknown>): boolean {
  return trainingSectionSchema.safeParse(settings).success;
}

/**
 * Builds the training section from the panels. Fields are added one at a time and a field that
 * would make the settings invalid (e.g. 0 epochs typed in the panel) is left out, so a saved
 * project always opens again; the left-out field takes its default then.
 */
function trainingSectionOf(draft: TrainingDraft, split: SplitDraft, runs: readonly RunRecord[]): TrainingSection {
  const settings: Record<string, unknown> = {};
  for (const [key, value] of typedSettings(draft, split)) {
    const candidate = { ...settings, [key]: value };
    if (acceptedSettings(candidate)) settings[key] = value;
  }

  const finished = runs.filter((run) => run.result !== null).slice(-MAX_SAVED_RUNS);
  const saved = finished.map((run) => saveRun({ ...run, result: run.result! }));
  return saved.length > 0 ? { ...settings, runs: saved } : settings;
}

/** Reads the sections of the current data and training settings and finished runs. */
export function collectProjectSections(): ProjectSections {
  const data = useDataStore.getState();
  const training = useTrainingStore.getState();
  const sections: ProjectSections = { training: trainingSectionOf(training.draft, data.splitDraft, training.runs) };
  const dataSection = dataSectionOf(data.loaded, data.splitDraft);
  if (dataSection) sections.data = dataSection;
  return sections;
}

function percentText(fraction: number): string {
  return String(Number((fraction * 100).toFixed(6)));
}

function splitDraftOf(sections: ProjectSections): SplitDraft {
  const training = sections.training ?? {};
  const draft: SplitDraft = { ...DEFAULT_SPLIT_DRAFT };
  if (typeof training.seed === 'number') draft.seed = String(training.seed);
  if (typeof training.batchSize === 'number') draft.batchSize = String(training.batchSize);
  const validation = typeof training.validationFraction === 'number' ? training.validationFraction : Number(draft.validationPercent) / 100;
  const test = typeof training.testFraction === 'number' ? training.testFraction : Number(draft.testPercent) / 100;
  if (typeof training.validationFraction === 'number' || typeof training.testFraction === 'number') {
    draft.validationPercent = percentText(validation);
    draft.testPercent = percentText(test);
    draft.trainPercent = percentText(1 - validation - test);
  }
  const limit = sections.data?.exampleLimit;
  if (typeof limit === 'number') {
    draft.limitEnabled = true;
    draft.exampleLimit = String(limit);
  }
  return draft;
}

function trainingDraftOf(section: TrainingSection): TrainingDraft {
  const draft = defaultTrainingDraft();
  if (section.loss) draft.loss = section.loss;
  if (section.optimizer?.name) draft.optimizer = section.optimizer.name;
  if (typeof section.optimizer?.learningRate === 'number') draft.learningRate = String(section.optimizer.learningRate);
  if (typeof section.epochs === 'number') draft.epochs = String(section.epochs);
  const stopping = section.earlyStopping;
  if (stopping) {
    if (typeof stopping.enabled === 'boolean') draft.earlyStopping = stopping.enabled;
    if (stopping.monitor) draft.monitor = stopping.monitor;
    if (typeof stopping.patience === 'number') draft.patience = String(stopping.patience);
    if (typeof stopping.minDelta === 'number') draft.minDelta = String(stopping.minDelta);
    if (typeof stopping.restoreBestWeights === 'boolean') draft.restoreBestWeights = stopping.restoreBestWeights;
  }
  return draft;
}

/** Turns a saved run back into a record of the run history; the values JSON stored as null become NaN again. */
export function restoreRun(saved: SavedRun): RunRecord {
  const epochs = saved.epochs.map((point) => ({ epoch: point.epoch, logs: restoredLogs(point.logs) }));
  const { test, ...result } = saved.result;
  return {
    id: saved.id,
    name: saved.name,
    settings: saved.settings,
    status: saved.result.status,
    backend: saved.backend,
    progress: null,
    epochs,
    batches: (saved.batches ?? []).map((point) => ({ x: point.x, loss: point.loss ?? Number.NaN, smoothedLoss: point.smoothedLoss ?? Number.NaN })),
    result: {
      ...result,
      history: epochs.map((point) => point.logs),
      ...(test ? { test: { count: test.count, logs: restoredLogs(test.logs) } } : {}),
    },
  };
}

export interface RestoreOutcome {
  /** The data source the project names, which the data panel can load again. */
  source?: SavedDataSource;
  /** Messages for the person, e.g. why the settings were not applied. */
  notices: string[];
}

/**
 * Puts a project's settings and run history into the data and training slices; a project without
 * either section leaves both as they are. While training runs, nothing changes, so the running
 * run keeps its settings and history.
 */
export function restoreProjectSections(sections: ProjectSections): RestoreOutcome {
  if (!sections.data && !sections.training) return { notices: [] };
  if (useTrainingStore.getState().phase !== 'idle') {
    return { notices: ['Training is running, so the project’s data and training settings and its run history were not loaded; stop training and open the project again to load them.'] };
  }

  useDataStore.setState({ splitDraft: splitDraftOf(sections) });
  if (sections.training) {
    const runs = (sections.training.runs ?? []).map(restoreRun);
    useTrainingStore.setState({
      draft: trainingDraftOf(sections.training),
      runs,
      shownRunId: runs[runs.length - 1]?.id ?? null,
      comparedRunIds: [],
      notice: null,
    });
  }
  return sections.data?.source ? { source: sections.data.source, notices: [] } : { notices: [] };
}
