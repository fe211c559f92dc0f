/**
 * The page's handle on the training worker. Training runs off the main thread; only settings,
 * the data set (copied once per call) and small progress events cross between the two.
 */
import * as Comlink from 'comlink';
import type { TrainerApi } from './worker-api';

/** The worker's API as the page calls it, plus ending the worker. */
export interface Trainer extends TrainerApi {
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
    preload: () => remote.preload(),
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
