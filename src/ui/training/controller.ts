/**
 * Starting and stopping training from the panel. The trainer (a Web Worker that loads tfjs on its
 * first call) starts when the page is first idle, or with the first run if that comes sooner.
 * Before a run on a CPU backend that would take long, the panel shows the estimate and waits for
 * a go-ahead.
 */
import { checkDataAgainstGraph, type TrainingConfig } from '../../compile/training-config';
import type { Dataset } from '../../data';
import type { Inference } from '../../graph/infer';
import type { Graph } from '../../graph/types';
import { formatCount } from '../../layers';
import { resolveSplit, trainingExamples, useDataStore } from '../../store/data-store';
import { currentGraph } from '../../store/graph-store';
import { currentInference } from '../../store/inference';
import {
  beginRun,
  finishRun,
  receiveTrainingEvent,
  resolveTrainingConfig,
  setBackendChoice,
  setRunEstimate,
  setTrainingNotice,
  setTrainingPhase,
  useTrainingStore,
  type RunSettings,
  type TrainingNotice,
} from '../../store/training-store';
import { createTrainer, type Trainer } from '../../train/client';
import { approximateDuration } from '../../train/progress';
import type { BackendChoice, BackendName, TrainingEvent, WeightValues } from '../../train/types';

/** Estimated duration, in seconds, above which a run on a CPU backend waits for confirmation. */
export const LONG_CPU_RUN_SECONDS = 120;

/**
 * Runs of fewer training batches than this start without an estimate: the estimate times about
 * five batches, which would be a large share of such a run.
 */
export const MIN_BATCHES_FOR_ESTIMATE = 20;

/**
 * Minimum time between two batch events, in milliseconds. The progress line updates twice a
 * second, and in between the page's rendering leaves the CPU to training.
 */
export const BATCH_REPORT_INTERVAL_MS = 500;

const CPU_BACKENDS: readonly BackendName[] = ['wasm', 'cpu'];

/**
 * Time left, in seconds, above which a run that started without an estimate (on a GPU backend,
 * or a short one on a CPU backend) gets a notice with the time and how to shorten the run.
 */
export const LONG_RUN_NOTICE_SECONDS = 300;

/** Batches of the first epoch after which its speed is trusted: the first ones include compiling. */
const BATCHES_BEFORE_NOTICE = 10;

/** Returns the notice for a run whose time left is long, or null while it is short or not yet known. */
export function longRunNotice(event: TrainingEvent, choice: BackendChoice | null): TrainingNotice | null {
  if (event.type !== 'batch' || !(event.secondsLeft > LONG_RUN_NOTICE_SECONDS)) return null;
  if (event.epoch === 1 && event.batch < Math.min(BATCHES_BEFORE_NOTICE, event.batchesPerEpoch)) return null;
  const backend = choice?.backend ?? 'this';
  const renderer = choice?.softwareRenderer ? `, which runs on ${choice.softwareRenderer}, a software renderer (the browser found no usable GPU)` : '';
  return {
    tone: 'warning',
    message:
      `At this speed the run needs ${approximateDuration(event.secondsLeft)} more on the ${backend} backend${renderer}; the progress line keeps the time left. ` +
      'For a shorter run, stop it and lower the epochs, or tick "Use only" in the data panel to train on fewer examples.',
  };
}

interface PreparedRun {
  graph: Graph;
  dataset: Dataset;
  config: TrainingConfig;
  settings: RunSettings;
}

let createWorkerTrainer: () => Trainer = createTrainer;
let trainer: Trainer | null = null;
let backendReady: Promise<BackendChoice> | null = null;
/** The run waiting for the go-ahead after a long estimate. */
let waitingRun: PreparedRun | null = null;
/** Set by a stop request during preparation, before the worker has a run to stop. */
let cancelled = false;

/** Replaces the worker trainer, e.g. with a fake in tests; the current one is ended. */
export function setTrainerFactory(factory: () => Trainer): void {
  trainer?.terminate();
  trainer = null;
  backendReady = null;
  createWorkerTrainer = factory;
}

/** The layers of the graph the worker's model was last trained on, or null before any run. */
let trainedGraphKey: string | null = null;

/** Returns a key of what decides a graph's weights: layer kinds, names, settings and wiring, not positions. */
function layerKey(graph: Graph): string {
  return JSON.stringify({
    nodes: graph.nodes.map(({ id, kind, name, params, sharedWith }) => ({ id, kind, name, params, sharedWith })),
    edges: graph.edges.map(({ source, target, sourceOutput, targetInput }) => ({ source, target, sourceOutput, targetInput })),
  });
}

/**
 * Returns the weights the last run trained when that run had the same layers as `graph`.
 * Otherwise it returns null, because those weights would not fit.
 */
export async function trainedWeightsFor(graph: Graph): Promise<WeightValues[] | null> {
  if (!trainer || trainedGraphKey === null || trainedGraphKey !== layerKey(graph)) return null;
  if (useTrainingStore.getState().phase !== 'idle') return null;
  const weights = await trainer.getWeights();
  return weights.length > 0 ? weights : null;
}

function activeTrainer(): Trainer {
  trainer ??= createWorkerTrainer();
  return trainer;
}

/** How long an idle page waits at most before the worker loads tfjs. */
const PRELOAD_TIMEOUT_MS = 5000;

/**
 * Starts the worker when the page is next idle and loads tfjs and the backend code in it, so that
 * the first press of Train does not wait for them. The editor's own scripts are not delayed: the
 * worker loads them on its own thread. Returns a function that cancels a preload not yet begun.
 */
export function preloadTrainerWhenIdle(): () => void {
  // Without workers (Node, jsdom) only a replaced factory can make a trainer.
  if (typeof Worker === 'undefined' && createWorkerTrainer === createTrainer) return () => {};
  const preload = () => {
    activeTrainer()
      .preload()
      .catch((error: unknown) => console.warn('Layerlab: could not preload the training worker; it loads on the first run', error));
  };
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(preload, { timeout: PRELOAD_TIMEOUT_MS });
    return () => cancelIdleCallback(handle);
  }
  const handle = setTimeout(preload, PRELOAD_TIMEOUT_MS);
  return () => clearTimeout(handle);
}

/** Starts the trainer and picks the backend once; the badge shows the choice. */
function readyBackend(): Promise<BackendChoice> {
  backendReady ??= activeTrainer().init();
  return backendReady;
}

/** Lists the layer kinds of a graph in order: "InputLayer → Embedding → Conv1D → …". */
function describeLayers(graph: Graph, inference: Inference): string {
  const kinds = new Map(graph.nodes.map((node) => [node.id, node.kind]));
  return inference.order.map((id) => kinds.get(id)).filter((kind) => kind && kind !== 'InputLayer').join(' → ');
}

/** Collects the graph, data and settings of a run, or returns a notice that explains why it cannot start. */
function prepareRun(): PreparedRun | TrainingNotice {
  const data = useDataStore.getState();
  if (!data.loaded) {
    return { tone: 'error', message: 'No data is loaded. Open a .npz, .npy or .csv file, or pick a built-in data set in the data panel.' };
  }
  const graph = currentGraph();
  const inference = currentInference();
  if (graph.nodes.length === 0) return { tone: 'error', message: 'The model is empty. Open a template or drag layers onto the canvas.' };
  if (inference.errors.length > 0) {
    const count = inference.errors.length;
    return {
      tone: 'error',
      message: `The model has ${count} ${count === 1 ? 'error' : 'errors'}; fix ${count === 1 ? 'it' : 'them'} on the canvas before training.`,
      errors: inference.errors,
    };
  }
  const mismatches = checkDataAgainstGraph(graph, inference, data.loaded.shapes);
  if (mismatches.length > 0) {
    return { tone: 'error', message: `${data.loaded.sourceName} does not fit the model; apply the fixes below or change the model.`, errors: mismatches };
  }

  const split = resolveSplit(data.splitDraft, data.loaded.dataset.count);
  if (!split.ok) {
    return { tone: 'error', message: `The split settings are invalid: ${Object.values(split.errors).join(' ')}` };
  }
  const training = useTrainingStore.getState();
  const resolution = resolveTrainingConfig(training.draft, split.split, graph, inference, data.loaded.shapes.labels);
  if (!resolution.ok) return { tone: 'error', message: `The training settings are invalid: ${resolution.messages.join(' ')}` };

  const dataset = trainingExamples(data.loaded.dataset, split.split);
  const datasetName = dataset.count < data.loaded.dataset.count ? `${data.loaded.sourceName} (${formatCount(dataset.count)} of ${formatCount(data.loaded.dataset.count)})` : data.loaded.sourceName;
  return {
    graph,
    dataset,
    config: resolution.config,
    settings: {
      config: resolution.config,
      datasetName,
      exampleCount: dataset.count,
      layers: describeLayers(graph, inference),
      totalParams: inference.totalParams,
    },
  };
}

function trainingBatches(run: PreparedRun): number {
  const { config, dataset } = run;
  const held = Math.round(dataset.count * config.testFraction) + Math.round(dataset.count * config.validationFraction);
  return Math.ceil(Math.max(0, dataset.count - held) / config.batchSize) * config.epochs;
}

function fail(message: string, errors?: TrainingNotice['errors']): void {
  setTrainingNotice({ tone: 'error', message, ...(errors && errors.length > 0 ? { errors } : {}) });
  setTrainingPhase('idle');
}

async function runTraining(run: PreparedRun): Promise<void> {
  const id = beginRun(run.settings);
  setTrainingPhase('running');
  trainedGraphKey = null;
  let longRun: TrainingNotice | null = null;
  const onEvent = (event: TrainingEvent) => {
    receiveTrainingEvent(id, event);
    if (longRun) return;
    longRun = longRunNotice(event, useTrainingStore.getState().backend);
    if (longRun) setTrainingNotice(longRun);
  };
  const result = await activeTrainer().train(run.graph, run.dataset, run.config, onEvent, {
    batchReportIntervalMs: BATCH_REPORT_INTERVAL_MS,
  });
  if (result.status !== 'failed' && result.epochsCompleted > 0) trainedGraphKey = layerKey(run.graph);
  finishRun(id, result);
  // The notice is about the run in progress, so it is cleared once the run has ended.
  if (longRun && useTrainingStore.getState().notice === longRun) setTrainingNotice(null);
  if (result.status === 'failed') setTrainingNotice({ tone: 'error', message: result.message, ...(result.errors?.length ? { errors: result.errors } : {}) });
  setTrainingPhase('idle');
}

/**
 * Starts a run with the current graph, data and settings. On a CPU backend a run of many batches
 * is estimated first, and one longer than LONG_CPU_RUN_SECONDS waits for `confirmLongRun`.
 */
export async function startTraining(): Promise<void> {
  if (useTrainingStore.getState().phase !== 'idle') return;
  const run = prepareRun();
  if ('tone' in run) {
    setTrainingNotice(run);
    return;
  }

  setTrainingNotice(null);
  setTrainingPhase('preparing');
  cancelled = false;
  try {
    const choice = await readyBackend();
    setBackendChoice(choice);
    if (cancelled) return setTrainingPhase('idle');
    if (CPU_BACKENDS.includes(choice.backend) && trainingBatches(run) >= MIN_BATCHES_FOR_ESTIMATE) {
      const outcome = await activeTrainer().estimate(run.graph, run.dataset, run.config);
      if (cancelled) return setTrainingPhase('idle');
      if (outcome.status === 'failed') return fail(outcome.message, outcome.errors);
      if (outcome.estimate.secondsTotal > LONG_CPU_RUN_SECONDS) {
        waitingRun = run;
        setRunEstimate(outcome.estimate);
        setTrainingPhase('confirm');
        return;
      }
    }
    if (cancelled) return setTrainingPhase('idle');
    await runTraining(run);
  } catch (error) {
    console.error('Layerlab: training failed', error);
    fail(`Training failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Starts the run that waits after a long estimate. */
export async function confirmLongRun(): Promise<void> {
  const run = waitingRun;
  if (!run || useTrainingStore.getState().phase !== 'confirm') return;
  waitingRun = null;
  setRunEstimate(null);
  try {
    await runTraining(run);
  } catch (error) {
    console.error('Layerlab: training failed', error);
    fail(`Training failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function cancelLongRun(): void {
  waitingRun = null;
  setRunEstimate(null);
  setTrainingPhase('idle');
}

/** Stops the run after its current batch; the run ends with status `stopped`. */
export async function stopTraining(): Promise<void> {
  const { phase } = useTrainingStore.getState();
  if (phase === 'confirm') return cancelLongRun();
  if (phase === 'preparing') {
    // The worker has no run yet; the run is dropped once the backend or the estimate is ready.
    cancelled = true;
    setTrainingPhase('stopping');
    return;
  }
  if (phase !== 'running') return;
  setTrainingPhase('stopping');
  await trainer?.stop();
}
