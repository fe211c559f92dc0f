/**
 * Batch tensors built from a data set's typed arrays by example index. Only one batch lives on
 * the backend at a time, so a data set larger than GPU memory still trains.
 */
import * as tf from '@tensorflow/tfjs';
import type { LossName } from '../compile/training-config';
import type { Dataset } from '../data/dataset';

export interface Batch {
  x: tf.Tensor;
  y: tf.Tensor;
}

export interface BatchSource {
  /** Builds the batch of the examples `indices[start]` to `indices[end - 1]`; the caller disposes it. */
  build(indices: ArrayLike<number>, start: number, end: number): Batch;
}

function product(shape: readonly number[]): number {
  return shape.reduce((total, size) => total * size, 1);
}

/**
 * Builds batches that match a model: features in the dtype of its input (int32 for token ids fed
 * to an Embedding), labels as float32 of shape (batch, 1) for one value per example. With
 * categorical cross-entropy, class-index labels become one-hot rows as wide as the output.
 */
export function createBatchSource(dataset: Dataset, model: tf.LayersModel, loss: LossName): BatchSource {
  const features = dataset.features;
  const labels = dataset.labels;
  const inputDtype = model.inputs[0].dtype === 'int32' ? 'int32' : 'float32';
  const featureSize = product(features.shape);

  const outputShape = model.outputs[0].shape;
  const units = outputShape[outputShape.length - 1] ?? 1;
  const oneValuePerExample = labels.shape.length === 0 || (labels.shape.length === 1 && labels.shape[0] === 1);
  const oneHot = loss === 'categoricalCrossentropy' && oneValuePerExample;
  const labelSize = product(labels.shape);
  let labelShape = labels.shape.length === 0 ? [1] : labels.shape;
  if (oneHot) labelShape = [units];

  return {
    build(indices, start, end) {
      const count = end - start;
      const x = inputDtype === 'int32' ? new Int32Array(count * featureSize) : new Float32Array(count * featureSize);
      const y = new Float32Array(count * product(labelShape));
      for (let row = 0; row < count; row++) {
        const example = indices[start + row];
        // `set` converts between typed array types (float to int32 truncates).
        x.set(features.data.subarray(example * featureSize, (example + 1) * featureSize), row * featureSize);
        if (oneHot) {
          const classIndex = labels.data[example];
          if (classIndex >= 0 && classIndex < units) y[row * units + classIndex] = 1;
        } else {
          y.set(labels.data.subarray(example * labelSize, (example + 1) * labelSize), row * labelSize);
        }
      }
      return {
        x: tf.tensor(x, [count, ...features.shape], inputDtype),
        y: tf.tensor(y, [count, ...labelShape], 'float32'),
      };
    },
  };
}
