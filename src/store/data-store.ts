/**
 * The data slice: the loaded data set with what the data panel shows about it, a file that waits
 * for a choice (which arrays of an `.npz`, which labels for an `.npy`), the last load error, and
 * the split settings that training uses. A failed load sets `error` and leaves the loaded data as
 * it was.
 */
import { create } from 'zustand';
import { checkDataAgainstGraph, type DatasetShapes } from '../compile/training-config';
import type { CsvOptions, CsvReport } from '../data/csv';
import { countNonFinite, labelBalance, renumberClasses, type ArraySummary, type ClassCount, type Dataset, type NonFiniteCount } from '../data/dataset';
import { takeShuffled } from '../data/split';
import type { Inference } from '../graph/infer';
import type { Graph } from '../graph/types';
import { datasetShapesOf } from '../train/dataset-shapes';

/** Settings of a CSV file that the person can change after it loaded; the optional ones default to off or empty. */
export type CsvChoices = Required<Pick<CsvOptions, 'labelColumn' | 'missing' | 'standardize'>> &
  Pick<CsvOptions, 'ignoreColumns' | 'textColumns' | 'decimalComma'>;

/** What the CSV reader reported, with the file's columns for the label column menu. */
export interface CsvDetails {
  columns: string[];
  choices: CsvChoices;
  report: CsvReport;
}

export interface LoadedData {
  dataset: Dataset;
  /** The file or built-in set the data came from, e.g. `solubility.npz` or `MNIST`. */
  sourceName: string;
  /** Arrays as stored in the file (shape and dtype before conversion); empty for built-in sets. */
  arrays: ArraySummary[];
  csv?: CsvDetails;
  balance: ClassCount[];
  /** NaN and infinite values, which training rejects, so the panel warns at load. */
  nonFinite: NonFiniteCount[];
  shapes: DatasetShapes;
  /** Set when the person renumbered classes with gaps in their ids; `original` is the data as loaded. */
  renumbered?: { originalIds: number[]; original: LoadedData };
}

/** An `.npz` file whose features and labels arrays the person has to pick. */
export interface PendingNpzChoice {
  kind: 'npz';
  fileName: string;
  message: string;
  arrays: ArraySummary[];
}

/** An `.npy` file of features, or an `.npz` file with one array, that waits for a `.npy` file with the labels. */
export interface PendingNpyLabels {
  kind: 'npy';
  fileName: string;
  message: string;
  array: ArraySummary;
}

export type PendingChoice = PendingNpzChoice | PendingNpyLabels;

/** A load that failed: the reader's message, which names the value at fault and what to do. */
export interface DataLoadError {
  message: string;
  fileName?: string;
}

/**
 * Split settings as typed in the data panel. Strings, so that a half-typed value stays in its
 * field; `resolveSplit` turns them into numbers or messages.
 */
export interface SplitDraft {
  seed: string;
  trainPercent: string;
  validationPercent: string;
  testPercent: string;
  batchSize: string;
  /** Whether training uses only `exampleLimit` examples. */
  limitEnabled: boolean;
  exampleLimit: string;
}

export interface SplitSettings {
  seed: number;
  /** Fractions of the examples, in [0, 1), that sum to 1. */
  trainFraction: number;
  validationFraction: number;
  testFraction: number;
  batchSize: number;
  /** Number of examples training uses, drawn at random with `seed`; `null` uses all of them. */
  exampleLimit: number | null;
}

export type SplitResolution = { ok: true; split: SplitSettings } | { ok: false; errors: Partial<Record<keyof SplitDraft, string>> };

export const DEFAULT_SPLIT_DRAFT: SplitDraft = {
  seed: '0',
  trainPercent: '80',
  validationPercent: '10',
  testPercent: '10',
  batchSize: '32',
  limitEnabled: false,
  exampleLimit: '1000',
};

export interface DataState {
  loaded: LoadedData | null;
  pending: PendingChoice | null;
  /** What is being read, e.g. "Reading solubility.npz…"; `null` when idle. */
  busy: string | null;
  error: DataLoadError | null;
  splitDraft: SplitDraft;
  /**
   * The file an opened or autosaved project was trained on, while no data is loaded: files are
   * not kept in the browser, so the panel names it for the person to open again.
   */
  missingFile: string | null;
}

export const useDataStore = create<DataState>()(() => ({
  loaded: null,
  pending: null,
  busy: null,
  error: null,
  splitDraft: DEFAULT_SPLIT_DRAFT,
  missingFile: null,
}));

/** Builds what the panel shows about a data set; the label and NaN counts run once here, not on each render. */
export function describeLoadedData(dataset: Dataset, sourceName: string, arrays: ArraySummary[], csv?: CsvDetails): LoadedData {
  return {
    dataset,
    sourceName,
    arrays,
    ...(csv ? { csv } : {}),
    balance: labelBalance(dataset),
    nonFinite: countNonFinite(dataset),
    shapes: datasetShapesOf(dataset),
  };
}

export function setLoadedData(loaded: LoadedData): void {
  useDataStore.setState({ loaded, pending: null, busy: null, error: null, missingFile: null });
}

/**
 * Renumbers the classes of the loaded data set to 0, 1, 2, ... when their ids have gaps, e.g.
 * labels 0 and 5000 become 0 and 1. The class names keep the original ids visible.
 */
export function renumberLoadedClasses(): void {
  const loaded = useDataStore.getState().loaded;
  if (!loaded || loaded.renumbered) return;
  const { dataset, originalIds } = renumberClasses(loaded.dataset);
  const renumbered = describeLoadedData(dataset, loaded.sourceName, loaded.arrays, loaded.csv);
  useDataStore.setState({ loaded: { ...renumbered, renumbered: { originalIds, original: loaded } } });
}

/** Undoes `renumberLoadedClasses`, bringing back the class ids as loaded. */
export function restoreClassIds(): void {
  const original = useDataStore.getState().loaded?.renumbered?.original;
  if (original) useDataStore.setState({ loaded: original });
}

export function setPendingChoice(pending: PendingChoice): void {
  useDataStore.setState({ pending, busy: null, error: null });
}

/**
 * Records a failed load; the loaded data stays. A pending choice stays too, unless `dropPending`
 * is set because the failed load was a new file or data set that replaced it.
 */
export function setDataError(error: DataLoadError, dropPending = false): void {
  useDataStore.setState(dropPending ? { busy: null, error, pending: null } : { busy: null, error });
}

export function setDataBusy(busy: string | null): void {
  useDataStore.setState({ busy });
}

export function clearDataError(): void {
  useDataStore.setState({ error: null });
}

export function updateSplitDraft(changes: Partial<SplitDraft>): void {
  useDataStore.setState((state) => ({ splitDraft: { ...state.splitDraft, ...changes } }));
}

/** Parses a whole number typed in a field, or returns undefined. */
function parseWholeNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^[-+]?\d+$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

function parsePercent(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

/**
 * Validates the split settings as typed. Each message names the field, the value and the valid
 * range. `count` is the number of examples loaded, against which the example limit is checked.
 */
export function resolveSplit(draft: SplitDraft, count?: number): SplitResolution {
  const errors: Partial<Record<keyof SplitDraft, string>> = {};

  const seed = parseWholeNumber(draft.seed);
  if (seed === undefined) errors.seed = `Seed '${draft.seed}' is not a whole number; enter one such as 0 or 42.`;

  const percents = {
    trainPercent: parsePercent(draft.trainPercent),
    validationPercent: parsePercent(draft.validationPercent),
    testPercent: parsePercent(draft.testPercent),
  };
  const names = { trainPercent: 'Training', validationPercent: 'Validation', testPercent: 'Test' } as const;
  for (const key of Object.keys(percents) as (keyof typeof percents)[]) {
    const value = percents[key];
    if (value === undefined || value > 100) errors[key] = `${names[key]} share '${draft[key]}' must be a number from 0 to 100 (percent).`;
  }
  const { trainPercent, validationPercent, testPercent } = percents;
  if (trainPercent !== undefined && validationPercent !== undefined && testPercent !== undefined && !errors.trainPercent) {
    const sum = trainPercent + validationPercent + testPercent;
    if (Math.abs(sum - 100) > 1e-9) {
      errors.trainPercent = `The shares sum to ${sum} %; make training, validation and test add up to 100 %.`;
    } else if (trainPercent === 0) {
      errors.trainPercent = 'The training share is 0 %, which leaves nothing to train on; give training a share above 0.';
    }
  }

  const batchSize = parseWholeNumber(draft.batchSize);
  if (batchSize === undefined || batchSize < 1 || batchSize > 65_536) {
    errors.batchSize = `Batch size '${draft.batchSize}' must be a whole number from 1 to 65536.`;
  }

  let exampleLimit: number | null = null;
  if (draft.limitEnabled) {
    const limit = parseWholeNumber(draft.exampleLimit);
    if (limit === undefined || limit < 2) {
      errors.exampleLimit = `Example count '${draft.exampleLimit}' must be a whole number of at least 2.`;
    } else {
      exampleLimit = count === undefined ? limit : Math.min(limit, count);
    }
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    split: {
      seed: seed!,
      trainFraction: trainPercent! / 100,
      validationFraction: validationPercent! / 100,
      testFraction: testPercent! / 100,
      batchSize: batchSize!,
      exampleLimit,
    },
  };
}

/**
 * Returns the examples a run trains on: all of them, or `exampleLimit` drawn at random with the
 * split seed. A random draw rather than the first rows, because files such as the positives and
 * negatives of an `.npz` store one class after the other.
 */
export function trainingExamples(dataset: Dataset, split: SplitSettings): Dataset {
  if (split.exampleLimit === null || split.exampleLimit >= dataset.count) return dataset;
  return takeShuffled(dataset, split.exampleLimit, split.seed);
}

/**
 * Returns `inference` with the errors of the loaded data against the graph added: features that
 * do not fit the Input layer, labels that do not fit the last layer. Each error carries its fix
 * where one edit repairs it. The result is cached, so that an unchanged inference and data set
 * give the same object and views that compare by identity do not redraw.
 */
export function createDataErrorMerger(): (graph: Graph, inference: Inference, shapes: DatasetShapes | null) => Inference {
  let lastInference: Inference | null = null;
  let lastShapes: DatasetShapes | null = null;
  let lastResult: Inference | null = null;
  return (graph, inference, shapes) => {
    if (!shapes) return inference;
    if (lastResult && inference === lastInference && shapes === lastShapes) return lastResult;
    const mismatches = checkDataAgainstGraph(graph, inference, shapes);
    lastInference = inference;
    lastShapes = shapes;
    lastResult = mismatches.length === 0 ? inference : { ...inference, errors: [...inference.errors, ...mismatches] };
    return lastResult;
  };
}

/** Shapes of the loaded data set, for the checks against the graph; `null` when nothing is loaded. */
export function selectDataShapes(state: DataState): DatasetShapes | null {
  return state.loaded?.shapes ?? null;
}
