/**
 * The page's handle on the training worker. Training runs off the main thread; only settings,
 * the data set (copied once per call) and small progress events cross between the two.
 */
import * as Comlink from 'comlink';
import type { TrainingConfig } from '../compile/training-config';
import type { Dataset } from '../data/dataset';
import type { Graph } from '../graph/types';
import type { TrainerApi } from './worker-api';
import type {
  BackendChoice,
  EstimateOutcome,
  InitOptions,
  ModelExport,
  TrainingEvent,
  TrainingResult,
  TrainOptions,
  WeightValues,
} from './types';

export interface Trainer {
  /** Loads tfjs in the worker and chooses the backend. */
  init(options?: InitOptions): Promise<BackendChoice>;
  /** Trains a new model; resolves when the run ends, with status `failed` instead of a rejection when it could not run. */
  train(
    graph: Graph,
    dataset: Dataset,
    config: TrainingConfig,
    onProgress: (event: TrainingEvent) => void,
    options?: TrainOptions,
  ): Promise<TrainingResult>;
  /** Stops the run in progress after its current batch; the model keeps the weights reached. */
  stop(): Promise<void>;
  /** Times a few batches and extrapolates the duration of a run. */
  estimate(graph: Graph, dataset: Dataset, config: TrainingConfig): Promise<EstimateOutcome>;
  getWeights(): Promise<WeightValues[]>;
  exportModel(): Promise<ModelExport | null>;
  /** Ends the worker; the trained model is lost. */
  terminate(): void;
}

/** Starts the training worker. tfjs loads inside it on the first call, not here. */
export function createTrainer(): Trainer {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'layerlab-training' });
  return wrapTrainer(Comlink.wrap<TrainerApi>(worker), () => worker.terminate());
}

/** Wraps a comlink remote of `TrainerApi`; separate from `createTrainer` so that tests can use a MessageChannel. */
export function wrapTrainer(remote: Comlink.Remote<TrainerApi>, close: () => void): Trainer {
  return {
    init: (options) => remote.init(options),
    train: (graph, dataset, config, onProgress, options) => remote.train(graph, dataset, config, Comlink.proxy(onProgress), options),
    stop: () => remote.stop(),
    estimate: (graph, dataset, config) => remote.estimate(graph, dataset, config),
    getWeights: () => remote.getWeights(),
    exportModel: () => remote.exportModel(),
    terminate() {
      remote[Comlink.releaseProxy]();
      close();
    },
  };
}
