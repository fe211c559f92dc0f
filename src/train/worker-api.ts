/**
 * The API the training worker exposes through comlink. tfjs and the session load on the first
 * call (`preload`, made when the page is idle, or the first run), so starting the worker costs
 * nothing until then.
 */
import * as Comlink from 'comlink';
import type { TrainingConfig } from '../compile/training-config';
import type { Dataset } from '../data/dataset';
import type { Graph } from '../graph/types';
import type { TrainingSession } from './session';
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

export interface TrainerApi {
  /** Loads tfjs and the backend code in the worker ahead of the first run; chooses no backend. */
  preload(): Promise<void>;
  /** Loads tfjs in the worker and chooses the backend. */
  init(options?: InitOptions): Promise<BackendChoice>;
  /**
   * Trains a new model and resolves when the run ends, with status `failed` instead of a
   * rejection when it could not run. The data set arrives as one structured-clone copy per call.
   */
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
}

export function createTrainerApi(): TrainerApi {
  let session: Promise<TrainingSession> | null = null;
  const load = () => (session ??= import('./session').then((module) => new module.TrainingSession()));

  return {
    async preload() {
      await (await load()).preload();
    },
    async init(options) {
      return (await load()).init(options);
    },
    async train(graph, dataset, config, onProgress, options) {
      return (await load()).train(graph, dataset, config, onProgress, options);
    },
    async stop() {
      // Nothing runs before the session exists, so there is nothing to stop.
      if (session) (await session).stop();
    },
    async estimate(graph, dataset, config) {
      return (await load()).estimate(graph, dataset, config);
    },
    async getWeights() {
      const weights = await (await load()).getWeights();
      return Comlink.transfer(weights, weights.map((weight) => weight.values.buffer as ArrayBuffer));
    },
    async exportModel() {
      const exported = await (await load()).exportModel();
      return exported ? Comlink.transfer(exported, [exported.weightData]) : null;
    },
  };
}
