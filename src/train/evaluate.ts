/** Loss and metrics of a model on a set of examples, one batch on the backend at a time. */
import * as tf from '@tensorflow/tfjs';
import type { BatchSource } from './batches';
import type { EpochLogs } from './types';

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
  const sums = new Array<number>(names.length).fill(0);
  for (let start = 0; start < indices.length; start += batchSize) {
    const end = Math.min(start + batchSize, indices.length);
    const { x, y } = batches.build(indices, start, end);
    const scalars = [model.evaluate(x, y, { batchSize: end - start })].flat();
    const values = await Promise.all(scalars.map((scalar) => scalar.data()));
    tf.dispose([x, y, ...scalars]);
    values.forEach((value, index) => (sums[index] += value[0] * (end - start)));
  }

  const logs: EpochLogs = {};
  if (indices.length === 0) return logs;
  names.forEach((name, index) => (logs[name] = sums[index] / indices.length));
  return logs;
}
