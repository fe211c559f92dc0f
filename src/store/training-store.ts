/**
 * The training slice: the settings as typed in the training panel, the backend in use, and every
 * run of this session with its settings and curves. Progress events from the training worker
 * are folded in by `receiveTrainingEvent`, which is all the charts read.
 */
import { create } from 'zustand';
import {
  chooseLoss,
  DEFAULT_LEARNING_RATES,
  defaultTrainingConfig,
  validateTrainingConfig,
  type LabelInfo,
  type LossName,
  type MonitorName,
  type OptimizerName,
  type ShapeView,
  type TrainingConfig,
} from '../compile/training-config';
import type { Graph, GraphError } from '../graph/types';
import type { BackendChoice, EpochLogs, RunEstimate, TrainingEvent, TrainingResult, TrainingStatus } from '../train/types';
import type { SplitSettings } from './data-store';

/** Settings as typed in the panel; strings so that a half-typed number stays in its field. */
export interface TrainingDraft {
  /** `auto` lets the last layer and the labels decide (see `chooseLoss`). */
  loss: LossName | 'auto';
  optimizer: OptimizerName;
  /** Empty for the optimizer's default learning rate. */
  learningRate: string;
  epochs: string;
  earlyStopping: boolean;
  monitor: MonitorName;
  patience: string;
  minDelta: string;
  restoreBestWeights: boolean;
}

export type TrainingDraftField = keyof TrainingDraft;

const EMPTY_VIEW: ShapeView = { inputs: [], outputs: [], nodes: new Map() };

/** Builds the draft from `defaultTrainingConfig`, so that the panel starts from the same defaults as the trainer. */
export function defaultTrainingDraft(): TrainingDraft {
  const defaults = defaultTrainingConfig({ nodes: [], edges: [] }, EMPTY_VIEW);
  return {
    loss: 'auto',
    optimizer: defaults.optimizer.name,
    learningRate: '',
    epochs: String(defaults.epochs),
    earlyStopping: defaults.earlyStopping.enabled,
    monitor: defaults.earlyStopping.monitor,
    patience: String(defaults.earlyStopping.patience),
    minDelta: String(defaults.earlyStopping.minDelta),
    restoreBestWeights: defaults.earlyStopping.restoreBestWeights,
  };
}

export type ConfigResolution =
  | { ok: true; config: TrainingConfig; lossReason: string }
  | { ok: false; errors: Partial<Record<TrainingDraftField, string>>; messages: string[] };

function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

/** Field of the draft that a message of `validateTrainingConfig` concerns, from the setting it names first. */
function fieldOfMessage(message: string): TrainingDraftField | null {
  const fields: [RegExp, TrainingDraftField][] = [
    [/^learningRate/, 'learningRate'],
    [/^epochs/, 'epochs'],
    [/^patience/, 'patience'],
    [/^minDelta/, 'minDelta'],
    [/^early stopping watches/, 'monitor'],
    [/^loss/, 'loss'],
    [/^optimizer/, 'optimizer'],
  ];
  return fields.find(([pattern]) => pattern.test(message))?.[1] ?? null;
}

/**
 * Turns the draft and the split settings into a training configuration, validated by
 * `validateTrainingConfig`. Errors are keyed by field where one field is at fault; `messages`
 * lists them all.
 */
export function resolveTrainingConfig(
  draft: TrainingDraft,
  split: SplitSettings,
  graph: Graph,
  shapes: ShapeView,
  labels?: LabelInfo,
): ConfigResolution {
  const errors: Partial<Record<TrainingDraftField, string>> = {};
  const number = (field: 'learningRate' | 'epochs' | 'patience' | 'minDelta', label: string, example: string) => {
    const value = parseNumber(draft[field]);
    if (value === undefined) errors[field] = `${label} '${draft[field]}' is not a number; enter one such as ${example}.`;
    return value;
  };
  const learningRate = draft.learningRate.trim() === '' ? DEFAULT_LEARNING_RATES[draft.optimizer] : number('learningRate', 'Learning rate', '0.001');
  const epochs = number('epochs', 'Epochs', '10');
  const patience = number('patience', 'Patience', '3');
  const minDelta = number('minDelta', 'Minimum change', '0');

  const choice = chooseLoss(graph, shapes, labels);
  const loss = draft.loss === 'auto' ? choice.loss : draft.loss;
  const lossReason = draft.loss === 'auto' ? choice.reason : 'Set by hand.';
  // Accuracy means something only for classification losses; regression losses report mean absolute error.
  const metrics: TrainingConfig['metrics'] = /Crossentropy$/.test(loss) ? ['accuracy'] : ['mae'];

  if (Object.keys(errors).length > 0) return { ok: false, errors, messages: Object.values(errors) };

  const candidate = defaultTrainingConfig(graph, shapes, labels, {
    loss,
    metrics,
    epochs,
    batchSize: split.batchSize,
    validationFraction: split.validationFraction,
    testFraction: split.testFraction,
    seed: split.seed,
    optimizer: { name: draft.optimizer, learningRate },
    earlyStopping: { enabled: draft.earlyStopping, monitor: draft.monitor, patience, minDelta, restoreBestWeights: draft.restoreBestWeights },
  });
  const validation = validateTrainingConfig(candidate);
  if (validation.ok) return { ok: true, config: validation.config, lossReason };

  const messages: string[] = [];
  for (const raw of validation.errors) {
    const message = raw.charAt(0).toUpperCase() + raw.slice(1) + '.';
    messages.push(message);
    const field = fieldOfMessage(raw);
    if (field && !errors[field]) errors[field] = message;
  }
  return { ok: false, errors, messages };
}

/** Values at the end of one epoch, with the epoch number as the charts' x value. */
export interface EpochPoint {
  epoch: number;
  logs: EpochLogs;
}

/** One reported training batch; `x` is the position in epochs, e.g. 1.5 halfway through epoch 2. */
export interface BatchPoint {
  x: number;
  loss: number;
  smoothedLoss: number;
}

export interface RunProgress {
  epoch: number;
  epochs: number;
  batch: number;
  batchesPerEpoch: number;
  examplesPerSecond: number | null;
  secondsLeft: number | null;
  trainCount: number;
  validationCount: number;
  testCount: number;
  /** The split being evaluated after the batches of an epoch, or null while batches train. */
  evaluating: 'validation' | 'test' | null;
}

/** Facts about the model and data of a run, fixed when it starts, for the run history. */
export interface RunSettings {
  config: TrainingConfig;
  datasetName: string;
  exampleCount: number;
  /** Layer kinds in order, e.g. "Embedding → Conv1D → … → Dense". */
  layers: string;
  totalParams: number;
}

export type RunStatus = 'preparing' | 'running' | TrainingStatus;

export interface RunRecord {
  id: number;
  name: string;
  settings: RunSettings;
  status: RunStatus;
  backend: BackendChoice | null;
  progress: RunProgress | null;
  epochs: EpochPoint[];
  batches: BatchPoint[];
  result: TrainingResult | null;
}

/**
 * `preparing`: the worker loads tfjs, picks the backend or estimates the duration; `confirm`: a
 * long run on a CPU backend waits for the person's go-ahead; `stopping`: a stop was requested.
 */
export type TrainingPhase = 'idle' | 'preparing' | 'confirm' | 'running' | 'stopping';

/** A message above the training buttons: why training cannot start, or what went wrong. */
export interface TrainingNotice {
  tone: 'info' | 'warning' | 'error';
  message: string;
  errors?: GraphError[];
}

export interface TrainingState {
  draft: TrainingDraft;
  phase: TrainingPhase;
  backend: BackendChoice | null;
  /** The estimate behind the question before a long CPU run. */
  estimate: RunEstimate | null;
  notice: TrainingNotice | null;
  runs: RunRecord[];
  /** The run the main charts show: the running one, else the one picked in the history. */
  shownRunId: number | null;
  /** Runs whose validation curves the comparison chart overlays. */
  comparedRunIds: number[];
}

export const useTrainingStore = create<TrainingState>()(() => ({
  draft: defaultTrainingDraft(),
  phase: 'idle',
  backend: null,
  estimate: null,
  notice: null,
  runs: [],
  shownRunId: null,
  comparedRunIds: [],
}));

export function updateTrainingDraft(changes: Partial<TrainingDraft>): void {
  useTrainingStore.setState((state) => ({ draft: { ...state.draft, ...changes } }));
}

export function setTrainingPhase(phase: TrainingPhase): void {
  useTrainingStore.setState({ phase });
}

export function setTrainingNotice(notice: TrainingNotice | null): void {
  useTrainingStore.setState({ notice });
}

export function setBackendChoice(backend: BackendChoice): void {
  useTrainingStore.setState({ backend });
}

export function setRunEstimate(estimate: RunEstimate | null): void {
  useTrainingStore.setState({ estimate });
}

function updateRun(id: number, update: (run: RunRecord) => RunRecord): void {
  useTrainingStore.setState((state) => ({ runs: state.runs.map((run) => (run.id === id ? update(run) : run)) }));
}

/** Adds a run to the history and shows it; returns its id. */
export function beginRun(settings: RunSettings): number {
  const { runs } = useTrainingStore.getState();
  const id = (runs[runs.length - 1]?.id ?? 0) + 1;
  const run: RunRecord = {
    id,
    name: `Run ${id}`,
    settings,
    status: 'preparing',
    backend: null,
    progress: null,
    epochs: [],
    batches: [],
    result: null,
  };
  useTrainingStore.setState({ runs: [...runs, run], shownRunId: id });
  return id;
}

/** Folds one progress event of run `id` into its record. */
export function receiveTrainingEvent(id: number, event: TrainingEvent): void {
  switch (event.type) {
    case 'backend':
      useTrainingStore.setState({ backend: event.choice });
      updateRun(id, (run) => ({ ...run, backend: event.choice }));
      return;
    case 'start':
      updateRun(id, (run) => ({
        ...run,
        status: 'running',
        progress: {
          epoch: 1,
          epochs: event.epochs,
          batch: 0,
          batchesPerEpoch: event.batchesPerEpoch,
          examplesPerSecond: null,
          secondsLeft: null,
          trainCount: event.trainCount,
          validationCount: event.validationCount,
          testCount: event.testCount,
          evaluating: null,
        },
      }));
      return;
    case 'batch':
      updateRun(id, (run) => ({
        ...run,
        progress: run.progress && {
          ...run.progress,
          epoch: event.epoch,
          batch: event.batch,
          batchesPerEpoch: event.batchesPerEpoch,
          examplesPerSecond: event.examplesPerSecond,
          secondsLeft: event.secondsLeft,
          evaluating: null,
        },
        batches: [...run.batches, { x: event.epoch - 1 + event.batch / event.batchesPerEpoch, loss: event.loss, smoothedLoss: event.smoothedLoss }],
      }));
      return;
    case 'evaluating':
      updateRun(id, (run) => ({ ...run, progress: run.progress && { ...run.progress, evaluating: event.split } }));
      return;
    case 'epoch':
      updateRun(id, (run) => ({
        ...run,
        progress: run.progress && { ...run.progress, evaluating: null },
        epochs: [...run.epochs, { epoch: event.epoch, logs: event.logs }],
      }));
  }
}

/** Records how run `id` ended. */
export function finishRun(id: number, result: TrainingResult): void {
  updateRun(id, (run) => ({
    ...run,
    status: result.status,
    result,
    // The result's history is complete even when an epoch event was lost on the way.
    epochs: result.history.length >= run.epochs.length ? result.history.map((logs, index) => ({ epoch: index + 1, logs })) : run.epochs,
  }));
}

export function showRun(id: number): void {
  useTrainingStore.setState({ shownRunId: id });
}

export function toggleComparedRun(id: number): void {
  useTrainingStore.setState((state) => ({
    comparedRunIds: state.comparedRunIds.includes(id) ? state.comparedRunIds.filter((other) => other !== id) : [...state.comparedRunIds, id],
  }));
}

/** Removes a finished run from the history. */
export function removeRun(id: number): void {
  useTrainingStore.setState((state) => {
    const runs = state.runs.filter((run) => run.id !== id);
    return {
      runs,
      comparedRunIds: state.comparedRunIds.filter((other) => other !== id),
      shownRunId: state.shownRunId === id ? (runs[runs.length - 1]?.id ?? null) : state.shownRunId,
    };
  });
}

export function selectShownRun(state: TrainingState): RunRecord | null {
  return state.runs.find((run) => run.id === state.shownRunId) ?? null;
}

/** Whether a training run is being prepared, waits for confirmation, or runs. */
export function isBusy(phase: TrainingPhase): boolean {
  return phase !== 'idle';
}
