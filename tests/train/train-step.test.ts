import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { trainingStepOf } from '../../src/train/train-step';
import { selectCpuBackend } from './helpers';

beforeAll(async () => {
  await selectCpuBackend();
});

/** Dense 8 relu with an L2 penalty, Dropout 0.2, Dense 3 softmax; the same weights for a given seed. */
function classifier(seed: number): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [4], units: 8, activation: 'relu', kernelRegularizer: tf.regularizers.l2({ l2: 0.01 }), kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
      tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

function batch(index: number): { x: tf.Tensor; y: tf.Tensor } {
  const x = tf.tensor2d(Array.from({ length: 6 * 4 }, (_, i) => Math.sin(i * 0.7 + index)), [6, 4]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2].map((label) => (label + index) % 3), 'int32'), 3).toFloat());
  return { x, y };
}

describe('queued training steps', () => {
  it('give the losses and weights of trainOnBatch, batch by batch', async () => {
    const reference = classifier(7);
    const queued = classifier(7);
    const step = trainingStepOf(queued);
    const steps = [];
    const expected: number[][] = [];
    for (let index = 0; index < 4; index++) {
      const { x, y } = batch(index);
      expected.push([await reference.trainOnBatch(x, y)].flat());
      // The step owns its batch, so it needs its own copy.
      steps.push(step(x.clone(), y.clone()));
      tf.dispose([x, y]);
    }
    const values = [];
    for (const pending of steps) values.push(await pending.values());

    for (let index = 0; index < 4; index++) {
      expect(values[index]).toHaveLength(2);
      values[index].forEach((value, metric) => expect(value).toBeCloseTo(expected[index][metric], 5));
    }
    const referenceWeights = reference.getWeights().map((weight) => Array.from(weight.dataSync()));
    queued.getWeights().forEach((weight, index) => {
      Array.from(weight.dataSync()).forEach((value, position) => expect(value).toBeCloseTo(referenceWeights[index][position], 5));
    });
    reference.dispose();
    queued.dispose();
  });

  it('free their batch and scalars whether read or discarded', async () => {
    const model = classifier(3);
    const step = trainingStepOf(model);
    // The first step creates the optimizer's slots, which stay.
    const { x, y } = batch(0);
    await step(x, y).values();
    const before = tf.memory().numTensors;

    const first = batch(1);
    await step(first.x, first.y).values();
    const second = batch(2);
    step(second.x, second.y).discard();

    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
