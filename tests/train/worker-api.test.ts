/**
 * The worker's API through comlink, over a MessageChannel in place of a Worker: the data set and
 * the results cross a real structured-clone boundary, and a stop request reaches a running loop.
 */
import * as Comlink from 'comlink';
import { afterAll, describe, expect, it } from 'vitest';
import { makeBlobs } from '../../src/data/builtin';
import { wrapTrainer } from '../../src/train/client';
import type { TrainingEvent } from '../../src/train/types';
import { createTrainerApi, type TrainerApi } from '../../src/train/worker-api';
import { configFor, pointClassifier } from './helpers';

const channel = new MessageChannel();
Comlink.expose(createTrainerApi(), channel.port1);
const trainer = wrapTrainer(Comlink.wrap<TrainerApi>(channel.port2), () => channel.port1.close());

afterAll(() => trainer.terminate());

describe('trainer over comlink', () => {
  const dataset = makeBlobs({ count: 200, classes: 3 });
  const graph = pointClassifier(3);

  it('init reports the backend', async () => {
    expect(await trainer.init({ backends: ['cpu'] })).toEqual({ backend: 'cpu' });
  });

  it('train sends events and a result', async () => {
    const events: TrainingEvent[] = [];
    const config = configFor(graph, dataset, { epochs: 3 });

    const result = await trainer.train(graph, dataset, config, (event) => events.push(event), { batchReportIntervalMs: 0 });

    expect(result.status).toBe('completed');
    expect(result.history).toHaveLength(3);
    // Proxied callbacks are messages too; give the last ones a turn to arrive.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events[0]).toEqual({ type: 'backend', choice: { backend: 'cpu' } });
    expect(events.filter((event) => event.type === 'epoch')).toHaveLength(3);
    expect(events.filter((event) => event.type === 'batch')).toHaveLength(3 * 5);
  });

  it('weights and model export come back', async () => {
    const weights = await trainer.getWeights();
    expect(weights.map((weight) => weight.name)).toEqual(['dense_1/kernel', 'dense_1/bias', 'dense_2/kernel', 'dense_2/bias']);
    expect(weights.map((weight) => weight.shape)).toEqual([[2, 16], [16], [16, 3], [3]]);
    expect(weights[0].values).toBeInstanceOf(Float32Array);

    const exported = await trainer.exportModel();
    expect(exported?.weightData.byteLength).toBe(4 * (2 * 16 + 16 + 16 * 3 + 3));
    expect(exported?.weightSpecs.map((spec) => spec.name)).toEqual(weights.map((weight) => weight.name));
  });

  it('stop ends a long run', async () => {
    const config = configFor(graph, dataset, { epochs: 500 });
    let stopRequested = false;

    const result = await trainer.train(graph, dataset, config, (event) => {
      if (event.type === 'epoch' && !stopRequested) {
        stopRequested = true;
        void trainer.stop();
      }
    });

    expect(result.status).toBe('stopped');
    expect(result.epochsCompleted).toBeLessThan(20);
  });

  it('estimate gives seconds per epoch', async () => {
    const outcome = await trainer.estimate(graph, dataset, configFor(graph, dataset, { epochs: 4 }));

    expect(outcome.status).toBe('ready');
    if (outcome.status !== 'ready') return;
    expect(outcome.estimate.backend).toBe('cpu');
    expect(outcome.estimate.batchesPerEpoch).toBe(5);
    expect(outcome.estimate.secondsTotal).toBeGreaterThanOrEqual(outcome.estimate.secondsPerEpoch * 4);
    expect(outcome.estimate.message).toMatch(/^One epoch will take (about .+|under 1 s) on the cpu backend \(4 epochs: (about .+|under 1 s)\)\.$/);
  });

  it('unfit data comes back as a failed result with fixes', async () => {
    const wide = makeBlobs({ count: 60, classes: 6 });

    const result = await trainer.train(graph, wide, configFor(graph, wide), () => {});

    expect(result.status).toBe('failed');
    expect(result.message).toMatch(/^The data does not fit the model: The labels have 6 classes/);
    expect(result.errors?.[0].fix).toMatchObject({ type: 'set-param', param: 'units', value: 6 });
  });
});
