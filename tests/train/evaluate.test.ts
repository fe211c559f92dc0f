import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeBlobs } from '../../src/data/builtin';
import { createBatchSource } from '../../src/train/batches';
import { evaluateExamples } from '../../src/train/evaluate';
import { selectCpuBackend } from './helpers';

beforeAll(async () => {
  await selectCpuBackend();
});

function classifier(): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [2], units: 8, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) }),
      tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 6 }) }),
    ],
  });
  model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

describe('evaluateExamples', () => {
  // 183 examples in batches of 5 are 37 batches: more than one read, and a short last batch.
  it('matches model.evaluate over many batches', async () => {
    const dataset = makeBlobs({ count: 183, classes: 3, seed: 11 });
    const model = classifier();
    const batches = createBatchSource(dataset, model, 'sparseCategoricalCrossentropy');
    const indices = Int32Array.from({ length: dataset.count }, (_, index) => index);
    const before = tf.memory().numTensors;

    const logs = (await evaluateExamples(model, batches, indices, 5))!;

    expect(tf.memory().numTensors).toBe(before);
    const { x, y } = batches.build(indices, 0, dataset.count);
    const expected = await Promise.all([model.evaluate(x, y)].flat().map((scalar) => scalar.data()));
    expect(Object.keys(logs)).toEqual(model.metricsNames);
    expect(logs.loss).toBeCloseTo(expected[0][0], 5);
    expect(logs[model.metricsNames[1]]).toBeCloseTo(expected[1][0], 5);
    model.dispose();
  });

  it('returns null once the signal aborts, and leaks nothing', async () => {
    const dataset = makeBlobs({ count: 400, classes: 3, seed: 3 });
    const model = classifier();
    const batches = createBatchSource(dataset, model, 'sparseCategoricalCrossentropy');
    const indices = Int32Array.from({ length: dataset.count }, (_, index) => index);
    const controller = new AbortController();
    controller.abort();
    const before = tf.memory().numTensors;

    expect(await evaluateExamples(model, batches, indices, 1, controller.signal)).toBeNull();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('returns no values for no examples', async () => {
    const model = classifier();
    const batches = createBatchSource(makeBlobs({ count: 10, classes: 3 }), model, 'sparseCategoricalCrossentropy');
    expect(await evaluateExamples(model, batches, new Int32Array(0), 5)).toEqual({});
    model.dispose();
  });
});
