/**
 * Training steps whose loss is read later. `model.trainOnBatch` waits for each batch's loss to
 * reach the CPU before it returns, so on a GPU backend the next batch cannot be queued while the
 * current one runs. `model.fit` avoids that wait by keeping the losses as tensors. These steps do
 * the same, so the fit loop can queue batch n + 1 before it reads the loss of batch n.
 */
import * as tf from '@tensorflow/tfjs';

/** A queued training step: its batch and the loss and metric scalars it will produce. */
export interface PendingStep {
  /** Waits for the step and returns its loss and metric values in `model.metricsNames` order; frees the batch. */
  values(): Promise<number[]>;
  /** Frees the batch and the scalars without reading them. */
  discard(): void;
}

type TrainFunction = (data: tf.Tensor[]) => tf.Scalar[];

/**
 * Returns a function that queues one training step of the compiled model on a batch and owns
 * the batch from then on. It uses the model's own training function, the one `trainOnBatch` and
 * `fit` call (loss, regularizer penalties, metrics and the optimizer update). The function is not
 * part of tfjs's public API, so where a model does not have it (or has several inputs or outputs)
 * the steps go through `trainOnBatch` instead.
 */
export function trainingStepOf(model: tf.LayersModel): (x: tf.Tensor, y: tf.Tensor) => PendingStep {
  // A Sequential model trains through the functional model it wraps.
  const trained = model instanceof tf.Sequential ? (model as unknown as { model: tf.LayersModel }).model : model;
  const internals = trained as unknown as { makeTrainFunction?: () => TrainFunction; collectedTrainableWeights?: unknown };
  const usable = typeof internals.makeTrainFunction === 'function' && internals.collectedTrainableWeights !== undefined;
  if (!usable || trained.inputs.length !== 1 || trained.outputs.length !== 1) {
    return (x, y) => waitingStep(model, x, y);
  }
  const trainFunction = internals.makeTrainFunction!.call(trained);
  return (x, y) => {
    let scalars: tf.Scalar[];
    try {
      scalars = tf.tidy(() => trainFunction([x, y]));
    } catch (error) {
      tf.dispose([x, y]);
      throw error;
    }
    const free = () => tf.dispose([x, y, ...scalars]);
    return {
      async values() {
        try {
          const data = await Promise.all(scalars.map((scalar) => scalar.data()));
          return data.map((values) => values[0]);
        } finally {
          free();
        }
      },
      discard: free,
    };
  };
}

/** Runs a step through `trainOnBatch`, which reads its loss before it resolves. */
function waitingStep(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor): PendingStep {
  const done = model.trainOnBatch(x, y).finally(() => tf.dispose([x, y]));
  return {
    values: async () => [await done].flat(),
    discard() {
      done.catch(() => undefined);
    },
  };
}
