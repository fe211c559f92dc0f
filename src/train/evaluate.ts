/** Loss and metrics of a model on a set of examples, one batch on the backend at a time. */
import * as tf from '@tensorflow/tfjs';
import type { BatchSource } from './batches';
import type { EpochLogs } from './types';

/**
 * Batches whose results may wait on the backend before they are read. Each read waits for the
 * backend, so queuing several batches first saves all but one wait. The bound limits the memory
 * of a large evaluation.
 */
const BATCHES_PER_READ = 16;

/**
 * Evaluates `model` on the examples at `indices` and returns the mean loss and metrics keyed by
 * `model.metricsNames` (`loss`, `acc`…), each batch weighted by its size. Returns `{}` for no examples.
 */
export async function evaluateExamples(
  model: tf.LayersModel,
  batches: BatchSource,
  indices: ArrayLike<number>,
  batchSize: number,
): Promise<EpochLogs> {
  const names = model.metricsNames;
  const logs: EpochLogs = {};
  if (indices.length === 0) return logs;

  const sums = new Array<number>(names.length).fill(0);
  // Per read, the size-weighted sums of the queued batches, kept on the backend.
  let queued = null as tf.Tensor1D | null;
  let queuedBatches = 0;
  const read = async () => {
    if (!queued) return;
    const values = await queued.data();
    queued.dispose();
    queued = null;
    queuedBatches = 0;
    values.forEach((value, index) => (sums[index] += value));
  };

  try {
    for (let start = 0; start < indices.length; start += batchSize) {
      const end = Math.min(start + batchSize, indices.length);
      const { x, y } = batches.build(indices, start, end);
      const previous: tf.Tensor1D | null = queued;
      queued = tf.tidy(() => {
        const scalars = [model.evaluate(x, y, { batchSize: end - start })].flat();
        const weighted = tf.stack(scalars).mul(end - start) as tf.Tensor1D;
        return previous ? (previous.add(weighted) as tf.Tensor1D) : weighted;
      });
      tf.dispose([x, y, ...(previous ? [previous] : [])]);
      if (++queuedBatches >= BATCHES_PER_READ) await read();
    }
    await read();
  } finally {
    queued?.dispose();
  }

  names.forEach((name, index) => (logs[name] = sums[index] / indices.length));
  return logs;
}
