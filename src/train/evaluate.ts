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
 * Maximum time between two turns of the event loop while evaluating, so that a worker handles
 * a stop request: on the cpu and wasm backends a batch never leaves the task.
 */
const YIELD_INTERVAL_MS = 50;

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Evaluates `model` on the examples at `indices` and returns the mean loss and metrics keyed by
 * `model.metricsNames` (`loss`, `acc`…), each batch weighted by its size. Returns `{}` for no
 * examples, and null when `signal` aborts before the last batch.
 */
export async function evaluateExamples(
  model: tf.LayersModel,
  batches: BatchSource,
  indices: ArrayLike<number>,
  batchSize: number,
  signal?: AbortSignal,
): Promise<EpochLogs | null> {
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

  let lastYield = performance.now();
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
      if (signal) {
        if (performance.now() - lastYield >= YIELD_INTERVAL_MS) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
        if (signal.aborted) return null;
      }
    }
    await read();
  } finally {
    queued?.dispose();
  }

  names.forEach((name, index) => (logs[name] = sums[index] / indices.length));
  return logs;
}
