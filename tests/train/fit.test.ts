import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltinDataset, makeBlobs, makeXor } from '../../src/data/builtin';
import { getTemplate } from '../../src/graph/templates';
import { TEMPLATE_DATA } from '../../src/ui/data/template-data';
import type { Dataset } from '../../src/data/dataset';
import type { SplitIndices } from '../../src/data/split';
import { chain } from '../helpers/graph-builders';
import { fitGraph, TrainingSetupError } from '../../src/train/fit';
import type { TrainingEvent } from '../../src/train/types';
import { configFor, pointClassifier, selectCpuBackend } from './helpers';

beforeAll(async () => {
  await selectCpuBackend();
});

const range = (start: number, end: number) => Int32Array.from({ length: end - start }, (_, index) => start + index);

/**
 * Two copies of the same points: the first with their labels, for training, and the second with
 * the labels swapped, for validation. The better the model learns, the higher the validation loss.
 */
function flippedValidation(count: number): { dataset: Dataset; split: SplitIndices } {
  const points = makeBlobs({ count, classes: 2, seed: 3 });
  const features = new Float32Array(points.features.data.length * 2);
  features.set(points.features.data);
  features.set(points.features.data, points.features.data.length);
  const labels = new Int32Array(count * 2);
  labels.set(points.labels.data);
  labels.set(points.labels.data.map((label) => 1 - label), count);
  return {
    dataset: {
      ...points,
      count: count * 2,
      features: { shape: [2], dtype: 'float32', data: features },
      labels: { shape: [], dtype: 'int32', data: labels },
    },
    split: { train: range(0, count), validation: range(count, count * 2), test: new Int32Array(0) },
  };
}

/** Loss of the model on the second half of a `flippedValidation` data set. */
function validationLoss(model: tf.LayersModel, dataset: Dataset): number {
  const half = dataset.count / 2;
  const x = tf.tensor2d(dataset.features.data.slice(half * 2), [half, 2]);
  const y = tf.tensor2d(dataset.labels.data.slice(half), [half, 1], 'float32');
  const scalars = model.evaluate(x, y) as tf.Scalar[];
  const loss = scalars[0].dataSync()[0];
  tf.dispose([x, y, ...scalars]);
  return loss;
}

describe('fit loop', () => {
  it('blobs: loss falls and accuracy beats chance', async () => {
    const dataset = makeBlobs({ count: 300, classes: 3, noise: 0.4 });
    const graph = pointClassifier(3);
    const config = configFor(graph, dataset, { epochs: 8, optimizer: { learningRate: 0.01 } });
    const events: TrainingEvent[] = [];

    const { result, model } = await fitGraph({ graph, dataset, config, onProgress: (event) => events.push(event) });
    model.dispose();

    expect(result.status).toBe('completed');
    expect(result.epochsCompleted).toBe(8);
    const first = result.history[0];
    const last = result.history[result.history.length - 1];
    expect(last.loss).toBeLessThan(first.loss);
    expect(last.val_loss).toBeLessThan(first.val_loss);
    expect(last.val_acc).toBeGreaterThan(0.7);
    expect(Object.keys(last).sort()).toEqual(['acc', 'loss', 'val_acc', 'val_loss']);

    const batches = events.filter((event) => event.type === 'batch');
    expect(batches).toHaveLength(8 * Math.ceil(240 / 32));
    for (const batch of batches) {
      expect(batch.smoothedLoss).toBeGreaterThan(0);
      expect(batch.examplesPerSecond).toBeGreaterThan(0);
      expect(batch.secondsLeft).toBeGreaterThanOrEqual(0);
    }
    expect(events.filter((event) => event.type === 'epoch').map((event) => event.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(events[0]).toMatchObject({ type: 'start', backend: 'cpu', trainCount: 240, validationCount: 30, testCount: 30 });

    // Each epoch: its batches, the validation notice, the epoch; the test notice comes last.
    const kinds = events.map((event) => (event.type === 'evaluating' ? `evaluating ${event.split}` : event.type));
    const epochKinds = [...Array<string>(8).fill('batch'), 'evaluating validation', 'epoch'];
    expect(kinds).toEqual(['start', ...Array.from({ length: 8 }, () => epochKinds).flat(), 'evaluating test']);
    expect(events.at(-1)).toMatchObject({ type: 'evaluating', split: 'test', epoch: 8, count: 30 });
  });

  it('perceptron template learns its data', async () => {
    const graph = getTemplate('mlp-2d')!.build();
    const data = TEMPLATE_DATA['mlp-2d'];
    const dataset = await loadBuiltinDataset(data.id, data.options);
    const { result, model } = await fitGraph({ graph, dataset, config: configFor(graph, dataset) });
    model.dispose();

    expect(result.epochsCompleted).toBe(10);
    expect(result.history.at(-1)!.val_acc).toBeGreaterThan(0.9);
  });

  it('XOR with sigmoid output learns', async () => {
    const dataset = makeXor({ count: 400, seed: 2 });
    const graph = chain([2], [
      { kind: 'Dense', params: { units: 16, activation: 'tanh' } },
      { kind: 'Dense', params: { units: 1, activation: 'sigmoid' } },
    ]);
    const config = configFor(graph, dataset, { epochs: 15, optimizer: { learningRate: 0.05 } });
    expect(config.loss).toBe('binaryCrossentropy');

    const { result, model } = await fitGraph({ graph, dataset, config });
    model.dispose();

    expect(result.history[result.history.length - 1].acc).toBeGreaterThan(0.8);
  });

  it('test split is evaluated once', async () => {
    const dataset = makeBlobs({ count: 200, classes: 3 });
    const graph = pointClassifier(3);
    const config = configFor(graph, dataset, { epochs: 2, testFraction: 0.2 });

    const { result, model } = await fitGraph({ graph, dataset, config });
    model.dispose();

    expect(result.test?.count).toBe(40);
    expect(Number.isFinite(result.test?.logs.loss)).toBe(true);
    expect(result.test?.logs.acc).toBeGreaterThanOrEqual(0);
    expect(result.test?.logs.acc).toBeLessThanOrEqual(1);
    expect(result.message).toMatch(/Test split \(40 examples\): loss \d\.\d{4}, acc \d\.\d{4}\./);
  });

  it('tensor count is stable across epochs', async () => {
    const dataset = makeBlobs({ count: 120, classes: 3 });
    const graph = pointClassifier(3);
    const config = configFor(graph, dataset, {
      epochs: 10,
      batchSize: 16,
      earlyStopping: { enabled: true, patience: 100, restoreBestWeights: true },
    });
    const counts = new Map<number, number>();

    const { model } = await fitGraph({
      graph,
      dataset,
      config,
      onProgress: (event) => {
        if (event.type === 'epoch') counts.set(event.epoch, tf.memory().numTensors);
      },
    });
    model.dispose();

    expect(counts.size).toBe(10);
    expect(counts.get(10)).toBe(counts.get(1));
  });

  it('early stopping stops when validation loss rises', async () => {
    const { dataset, split } = flippedValidation(200);
    const graph = pointClassifier(2);
    const config = configFor(graph, dataset, {
      epochs: 20,
      optimizer: { learningRate: 0.05 },
      earlyStopping: { enabled: true, monitor: 'val_loss', patience: 1, restoreBestWeights: true },
    });
    const improvements: (boolean | undefined)[] = [];

    const { result, model } = await fitGraph({
      graph,
      dataset,
      config,
      split,
      onProgress: (event) => {
        if (event.type === 'epoch') improvements.push(event.improved);
      },
    });

    expect(result.status).toBe('early-stopped');
    expect(result.stoppedEpoch).toBe(2);
    expect(result.restoredEpoch).toBe(1);
    expect(result.history).toHaveLength(2);
    expect(result.history[1].val_loss).toBeGreaterThan(result.history[0].val_loss);
    expect(improvements).toEqual([true, false]);
    expect(result.message).toMatch(/Early stopping ended training at epoch 2: val_loss did not improve for 1 epoch .*Restored the weights of epoch 1\./);

    // The restored weights give back epoch 1's validation loss.
    expect(validationLoss(model, dataset)).toBeCloseTo(result.history[0].val_loss, 4);
    model.dispose();
  });

  it('stop request keeps the weights reached', async () => {
    const { dataset, split } = flippedValidation(200);
    const graph = pointClassifier(2);
    const config = configFor(graph, dataset, {
      epochs: 50,
      batchSize: 20,
      optimizer: { learningRate: 0.05 },
      earlyStopping: { enabled: true, monitor: 'val_loss', patience: 10, restoreBestWeights: true },
    });
    const controller = new AbortController();
    const batches: { epoch: number; batch: number }[] = [];

    const { result, model } = await fitGraph({
      graph,
      dataset,
      config,
      split,
      signal: controller.signal,
      onProgress: (event) => {
        if (event.type !== 'batch') return;
        batches.push({ epoch: event.epoch, batch: event.batch });
        if (event.epoch === 3 && event.batch === 4) controller.abort();
      },
    });

    expect(result.status).toBe('stopped');
    expect(result.epochsCompleted).toBe(2);
    expect(result.restoredEpoch).toBeUndefined();
    // Batch 5 was already queued when the loss of batch 4 was read, so it trained too.
    expect(result.message).toMatch(/Stopped on request during epoch 3 \(batch 5 of 10\)/);
    // The progress ends on the same batch as the message.
    expect(batches[batches.length - 1]).toEqual({ epoch: 3, batch: 5 });
    // Epoch 1 was the best; weights restored to it would give back its validation loss exactly.
    expect(validationLoss(model, dataset)).toBeGreaterThan(result.history[1].val_loss);
    model.dispose();
  });

  it('stop during validation', async () => {
    const dataset = makeBlobs({ count: 600, classes: 3 });
    const graph = pointClassifier(3);
    // The stop comes as the validation of epoch 2 begins.
    const config = configFor(graph, dataset, { epochs: 5, validationFraction: 0.5, testFraction: 0.1 });
    const controller = new AbortController();
    const kinds: string[] = [];

    const { result, model } = await fitGraph({
      graph,
      dataset,
      config,
      signal: controller.signal,
      onProgress: (event) => {
        kinds.push(event.type);
        if (event.type === 'evaluating' && event.split === 'validation' && event.epoch === 2) controller.abort();
      },
    });
    model.dispose();

    expect(result.status).toBe('stopped');
    expect(result.message).toMatch(/^Stopped on request while validating epoch 2; the model keeps the weights it reached\. Epoch 2 training: loss /);
    expect(result.epochsCompleted).toBe(2);
    expect(result.history[0].val_loss).toBeDefined();
    expect(result.history[1].val_loss).toBeUndefined();
    // A stop means now: the test split is left out, and the message explains why.
    expect(result.test).toBeUndefined();
    expect(result.message).toMatch(/The test split is evaluated only when a run is not stopped\.$/);
    expect(kinds.filter((kind) => kind === 'epoch')).toHaveLength(2);
  });

  it('stop before the start trains nothing', async () => {
    const dataset = makeBlobs({ count: 60, classes: 3 });
    const graph = pointClassifier(3);
    const controller = new AbortController();
    controller.abort();

    const { result, model } = await fitGraph({ graph, dataset, config: configFor(graph, dataset), signal: controller.signal });
    model.dispose();

    expect(result.status).toBe('stopped');
    expect(result.epochsCompleted).toBe(0);
  });

  it('huge learning rate stops on a non-finite loss', async () => {
    const count = 64;
    const features = Float32Array.from({ length: count }, (_, index) => index / count);
    const labels = features.map((value) => 1000 * value);
    const dataset: Dataset = {
      name: 'line',
      features: { shape: [1], dtype: 'float32', data: features },
      labels: { shape: [], dtype: 'float32', data: labels },
      count,
      task: 'regression',
      source: { kind: 'builtin', id: 'line' },
    };
    const graph = chain([1], [{ kind: 'Dense', params: { units: 1 } }]);
    const config = configFor(graph, dataset, { epochs: 20, batchSize: 8, optimizer: { name: 'sgd', learningRate: 10 } });
    expect(config.loss).toBe('meanSquaredError');

    const { result, model } = await fitGraph({ graph, dataset, config });
    model.dispose();

    expect(result.status).toBe('diverged');
    expect(result.message).toMatch(/the loss became (NaN|Infinity)\. The weights now hold invalid values\. Lower the learning rate \(sgd at 10; try 1\)/);
    expect(result.test).toBeUndefined();
  });

  it('NaN in the features is rejected before training', async () => {
    const dataset = makeBlobs({ count: 60, classes: 3 });
    dataset.features.data[17] = Number.NaN;
    const graph = pointClassifier(3);

    const run = fitGraph({ graph, dataset, config: configFor(graph, dataset) });

    await expect(run).rejects.toThrow(TrainingSetupError);
    await expect(run).rejects.toThrow(/features of example 8 contain NaN/);
  });

  it('data that does not fit the graph is rejected with fixes', async () => {
    const dataset = makeBlobs({ count: 60, classes: 5 });
    const graph = pointClassifier(3);
    const config = configFor(graph, dataset);

    const error = await fitGraph({ graph, dataset, config }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(TrainingSetupError);
    const setupError = error as TrainingSetupError;
    expect(setupError.errors).toHaveLength(1);
    expect(setupError.errors[0]).toMatchObject({ nodeId: 'n2', code: 'data-mismatch', fix: { param: 'units', value: 5 } });
  });

  it('invalid settings are rejected with the field', async () => {
    const dataset = makeBlobs({ count: 60, classes: 3 });
    const graph = pointClassifier(3);
    const config = configFor(graph, dataset, { batchSize: 0 });

    await expect(fitGraph({ graph, dataset, config })).rejects.toThrow(/batchSize must be at least 1, but got 0/);
  });

  it('categorical loss turns class indices into one-hot rows', async () => {
    const dataset = makeBlobs({ count: 90, classes: 3 });
    const graph = pointClassifier(3);
    const config = configFor(graph, dataset, { epochs: 2, loss: 'categoricalCrossentropy' });

    const { result, model } = await fitGraph({ graph, dataset, config });
    model.dispose();

    expect(result.status).toBe('completed');
    expect(Number.isFinite(result.history[1].loss)).toBe(true);
  });
});
