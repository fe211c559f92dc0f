/**
 * The state of the training worker: the backend in use, the run in progress and the last trained
 * model. The worker loads this module (and with it tfjs) on its first call.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../compile/training-config';
import type { Dataset } from '../data/dataset';
import type { Graph } from '../graph/types';
import { describeBackendChoice, preloadBackendCode, recordTrainingKernels, selectBackend, type BackendSelection } from './backend';
import { estimateRun } from './estimate';
import { fitGraph } from './fit';
import { TrainingSetupError } from './setup';
import {
  BACKEND_NAMES,
  type BackendChoice,
  type BackendName,
  type EstimateOutcome,
  type InitOptions,
  type ModelExport,
  type TrainingEvent,
  type TrainingResult,
  type TrainOptions,
  type WeightValues,
} from './types';

const DEFAULT_BATCH_REPORT_INTERVAL_MS = 50;

const CPU_BACKENDS: readonly BackendName[] = ['wasm', 'cpu'];

export class TrainingSession {
  private candidates: BackendName[] = [...BACKEND_NAMES];
  private selection: BackendSelection | null = null;
  private model: tf.LayersModel | null = null;
  private controller: AbortController | null = null;
  private readonly kernelsByModel = new Map<string, string[]>();
  private loggedChoice = '';

  /** Loads the backend code this browser can use, without choosing a backend. */
  async preload(): Promise<void> {
    await preloadBackendCode();
  }

  /** Chooses the backend: the first of `backends` that works. */
  async init(options: InitOptions = {}): Promise<BackendChoice> {
    this.candidates = options.backends?.length ? [...options.backends] : [...BACKEND_NAMES];
    this.selection = await selectBackend({ candidates: this.candidates });
    const choice = describeBackendChoice(this.selection.backend, this.selection.reasons, this.selection.softwareRenderer);
    this.logChoice(choice);
    return choice;
  }

  /** Trains a new model of the graph and discards the previous one. Failures come back as status `failed`, not as a rejection. */
  async train(
    graph: Graph,
    dataset: Dataset,
    config: TrainingConfig,
    onProgress: (event: TrainingEvent) => void,
    options: TrainOptions = {},
  ): Promise<TrainingResult> {
    if (this.controller) {
      return failedResult('A training run is already in progress; stop it before starting another.', [], tf.getBackend());
    }
    const controller = new AbortController();
    this.controller = controller;
    const report = this.reporter(onProgress);
    try {
      const choice = await this.backendForModel(graph, dataset, config);
      report({ type: 'backend', choice });
      this.model?.dispose();
      this.model = null;
      const outcome = await fitGraph({
        graph,
        dataset,
        config,
        onProgress: report,
        signal: controller.signal,
        batchReportIntervalMs: options.batchReportIntervalMs ?? DEFAULT_BATCH_REPORT_INTERVAL_MS,
      });
      this.model = outcome.model;
      return outcome.result;
    } catch (error) {
      return failureOf(error);
    } finally {
      this.controller = null;
    }
  }

  /** Asks the run in progress to stop after its current batch. */
  stop(): void {
    this.controller?.abort();
  }

  /** Estimates the duration of a run on the backend the run would use. */
  async estimate(graph: Graph, dataset: Dataset, config: TrainingConfig): Promise<EstimateOutcome> {
    if (this.controller) {
      // Estimating may switch the backend, which would pull it from under the run.
      return { status: 'failed', message: 'A training run is in progress; estimate before starting or after it ends.', errors: [] };
    }
    try {
      await this.backendForModel(graph, dataset, config);
      return { status: 'ready', estimate: await estimateRun({ graph, dataset, config }) };
    } catch (error) {
      const failure = failureOf(error);
      return { status: 'failed', message: failure.message, errors: failure.errors ?? [] };
    }
  }

  /** Copies of the trained model's weights; empty before the first run. */
  async getWeights(): Promise<WeightValues[]> {
    const model = this.model;
    if (!model) return [];
    return Promise.all(
      model.weights.map(async (weight) => ({
        // The Keras name (`dense_1/kernel`); `name` gains a suffix when another model in the worker used it.
        name: weight.originalName,
        shape: weight.shape as number[],
        // A copy, because the cpu backend hands out its own array and the page may take ownership of this one.
        values: new Float32Array(await weight.read().data()),
      })),
    );
  }

  /** Exports the trained model in the TensorFlow.js Layers format; returns null before the first run. */
  async exportModel(): Promise<ModelExport | null> {
    const model = this.model;
    if (!model) return null;
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    if (!saved?.modelTopology || !saved.weightSpecs || !saved.weightData) return null;
    return {
      modelTopology: saved.modelTopology,
      weightSpecs: saved.weightSpecs.map(({ name, shape, dtype }) => ({ name, shape, dtype })),
      weightData: tf.io.CompositeArrayBuffer.join(saved.weightData),
    };
  }

  /**
   * On a CPU backend, picks wasm or cpu for this model from the kernels its training step runs,
   * and sets it. Accelerated backends train every model, so they are kept as they are.
   */
  private async backendForModel(graph: Graph, dataset: Dataset, config: TrainingConfig): Promise<BackendChoice> {
    if (!this.selection) await this.init({ backends: this.candidates });
    const selection = this.selection!;
    if (!CPU_BACKENDS.includes(selection.backend)) return describeBackendChoice(selection.backend, selection.reasons, selection.softwareRenderer);

    const key = modelKey(graph, dataset, config);
    let kernels = this.kernelsByModel.get(key);
    if (!kernels) {
      kernels = await recordTrainingKernels(graph, dataset, config);
      this.kernelsByModel.set(key, kernels);
    }
    const cpuCandidates = this.candidates.filter((name) => CPU_BACKENDS.includes(name));
    const modelSelection = await selectBackend({ candidates: cpuCandidates, trainingKernels: kernels });
    // A reason found at init (e.g. wasm failed to load) may come up again here; it is stated once.
    const reasons = [...new Set([...selection.reasons, ...modelSelection.reasons])];
    const choice = describeBackendChoice(modelSelection.backend, reasons);
    this.logChoice(choice);
    return choice;
  }

  /**
   * Wraps the page's callback: through comlink it returns a promise, which rejects when the page
   * has released the callback. Such a failure is logged once per run and does not stop training.
   */
  private reporter(onProgress: (event: TrainingEvent) => unknown): (event: TrainingEvent) => void {
    let failed = false;
    return (event) => {
      Promise.resolve(onProgress(event)).catch((error: unknown) => {
        if (failed) return;
        failed = true;
        console.warn(`Progress event ${event.type} did not reach the page:`, error);
      });
    };
  }

  /** Logs the backend and why, once per change of either. */
  private logChoice(choice: BackendChoice): void {
    const line = [`Training backend: ${choice.backend}.`, ...[choice.fallbackReason, choice.softwareNote].filter(Boolean).map((text) => `${text}.`)].join(' ');
    if (line === this.loggedChoice) return;
    this.loggedChoice = line;
    console.info(line);
  }
}

/** Builds a cache key from what decides the kernels a training step runs: layers, loss, metrics, optimizer and the data's form. */
function modelKey(graph: Graph, dataset: Dataset, config: TrainingConfig): string {
  const nodes = graph.nodes.map(({ id, kind, params, sharedWith }) => ({ id, kind, params, sharedWith }));
  return JSON.stringify({
    nodes,
    edges: graph.edges,
    loss: config.loss,
    metrics: config.metrics,
    optimizer: config.optimizer,
    features: [dataset.features.dtype, dataset.features.shape],
    labels: [dataset.labels.dtype, dataset.labels.shape],
  });
}

function failedResult(message: string, errors: TrainingResult['errors'], backend: string | null): TrainingResult {
  return {
    status: 'failed',
    message,
    backend: (backend as BackendName | null) ?? null,
    epochsCompleted: 0,
    history: [],
    ...(errors && errors.length > 0 ? { errors } : {}),
    seconds: 0,
  };
}

function failureOf(error: unknown): TrainingResult {
  if (error instanceof TrainingSetupError) {
    console.warn(`Training did not start: ${error.message}`);
    return failedResult(error.message, error.errors, tf.getBackend());
  }
  const reason = error instanceof Error ? error.message : String(error);
  console.error('Training failed:', error);
  return failedResult(`Training failed: ${reason}`, [], tf.getBackend());
}
