/**
 * Estimates how long a run will take before it starts, by timing a few training batches of a
 * throwaway copy of the model, so that the page can warn before a long run on a CPU backend.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../compile/training-config';
import type { Dataset } from '../data/dataset';
import type { SplitIndices } from '../data/split';
import type { Graph } from '../graph/types';
import { approximateDuration } from './progress';
import { prepareTraining } from './setup';
import type { BackendName, RunEstimate } from './types';

export interface EstimateOptions {
  graph: Graph;
  dataset: Dataset;
  config: TrainingConfig;
  split?: SplitIndices;
  /** Batches timed after one untimed warm-up batch, which includes kernel and shader compilation. */
  sampleBatches?: number;
}

/**
 * Times `sampleBatches` full-size training batches and one evaluation batch, and extrapolates to
 * the run. The model trained here is discarded, so the real run starts from fresh weights.
 * Throws TrainingSetupError when training could not start.
 */
export async function estimateRun(options: EstimateOptions): Promise<RunEstimate> {
  const prepared = await prepareTraining(options);
  const { config, split, model, batches } = prepared;
  const sampleBatches = Math.max(1, options.sampleBatches ?? 3);
  const batchSize = Math.min(config.batchSize, split.train.length);
  try {
    const runBatch = async () => {
      const { x, y } = batches.build(split.train, 0, batchSize);
      await model.trainOnBatch(x, y);
      tf.dispose([x, y]);
    };
    await runBatch();
    const started = performance.now();
    for (let index = 0; index < sampleBatches; index++) await runBatch();
    const secondsPerBatch = (performance.now() - started) / 1000 / sampleBatches;

    const evaluated = performance.now();
    const { x, y } = batches.build(split.train, 0, batchSize);
    const scalars = [model.evaluate(x, y, { batchSize })].flat();
    await Promise.all(scalars.map((scalar) => scalar.data()));
    tf.dispose([x, y, ...scalars]);
    const evaluationSecondsPerExample = (performance.now() - evaluated) / 1000 / batchSize;

    const batchesPerEpoch = Math.ceil(split.train.length / config.batchSize);
    const trainSeconds = (secondsPerBatch * split.train.length) / batchSize;
    const secondsPerEpoch = trainSeconds + evaluationSecondsPerExample * split.validation.length;
    const secondsTotal = secondsPerEpoch * config.epochs + evaluationSecondsPerExample * split.test.length;
    const backend = tf.getBackend() as BackendName;
    const epochs = config.epochs === 1 ? '' : ` (${config.epochs} epochs: ${approximateDuration(secondsTotal)})`;
    return {
      backend,
      batchesPerEpoch,
      secondsPerBatch,
      secondsPerEpoch,
      secondsTotal,
      message: `One epoch will take ${approximateDuration(secondsPerEpoch)} on the ${backend} backend${epochs}.`,
    };
  } finally {
    prepared.dispose();
  }
}
