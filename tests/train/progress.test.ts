import { describe, expect, it } from 'vitest';
import { EarlyStopping } from '../../src/train/early-stopping';
import { epochOrder } from '../../src/train/fit';
import { approximateDuration, estimateSecondsLeft, formatDuration, SmoothedValue, Throughput } from '../../src/train/progress';

describe('smoothed loss', () => {
  it('first value is not pulled towards 0', () => {
    const smoothed = new SmoothedValue(0.9);
    expect(smoothed.add(2)).toBeCloseTo(2, 10);
  });

  it('constant input stays constant', () => {
    const smoothed = new SmoothedValue(0.9);
    for (let step = 0; step < 20; step++) smoothed.add(0.5);
    expect(smoothed.value).toBeCloseTo(0.5, 10);
  });

  it('a jump is damped', () => {
    const smoothed = new SmoothedValue(0.9);
    for (let step = 0; step < 50; step++) smoothed.add(1);
    expect(smoothed.add(11)).toBeCloseTo(2, 1);
  });
});

describe('throughput', () => {
  it('counts the finished epochs with the current one', () => {
    const throughput = new Throughput();
    throughput.endEpoch(1000, 10);
    // The first batch of epoch 2 alone took 1 s for 32 examples (32/s); the run as a whole is faster.
    expect(throughput.rate(32, 1)).toBeCloseTo(1032 / 11, 10);
    throughput.endEpoch(1000, 10);
    expect(throughput.rate(500, 5)).toBeCloseTo(2500 / 25, 10);
  });

  it('is the epoch rate in the first epoch', () => {
    expect(new Throughput().rate(64, 2)).toBe(32);
  });
});

describe('time left', () => {
  it('counts examples and validation passes', () => {
    const seconds = estimateSecondsLeft({ examplesLeftInEpoch: 100, epochsAfter: 2, trainCount: 1000, examplesPerSecond: 100, validationSeconds: 3 });
    expect(seconds).toBe((100 + 2000) / 100 + 3 * 3);
  });

  it('is unknown without throughput', () => {
    expect(estimateSecondsLeft({ examplesLeftInEpoch: 1, epochsAfter: 0, trainCount: 1, examplesPerSecond: 0, validationSeconds: 0 })).toBeNaN();
  });

  it.each([
    [0.2, 'under 1 s'],
    [44.6, '45 s'],
    [125, '2 min'],
    [5400, '1.5 h'],
    [Number.NaN, 'an unknown time'],
  ])('formats %s seconds as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('approximate durations read after "will take"', () => {
    expect(approximateDuration(0.3)).toBe('under 1 s');
    expect(approximateDuration(130)).toBe('about 2 min');
  });
});

describe('early stopping rule', () => {
  const settings = { enabled: true, monitor: 'val_loss' as const, patience: 2, restoreBestWeights: true, minDelta: 0 };

  it('stops after patience epochs without improvement', () => {
    const stopping = new EarlyStopping(settings);
    const steps = [0.5, 0.4, 0.45, 0.41].map((value, index) => stopping.update(index + 1, { val_loss: value }));
    expect(steps.map((step) => step.improved)).toEqual([true, true, false, false]);
    expect(steps.map((step) => step.stop)).toEqual([false, false, false, true]);
    expect(stopping.bestEpoch).toBe(2);
  });

  it('patience 0 never stops an improving run', () => {
    const stopping = new EarlyStopping({ ...settings, patience: 0 });
    expect([0.5, 0.4, 0.3].map((value, index) => stopping.update(index + 1, { val_loss: value }).stop)).toEqual([false, false, false]);
  });

  it('accuracy counts upwards', () => {
    const stopping = new EarlyStopping({ ...settings, monitor: 'val_acc', patience: 1 });
    expect(stopping.update(1, { val_acc: 0.6 }).improved).toBe(true);
    expect(stopping.update(2, { val_acc: 0.7 }).improved).toBe(true);
    expect(stopping.update(3, { val_acc: 0.65 }).stop).toBe(true);
  });

  it('changes below minDelta do not count', () => {
    const stopping = new EarlyStopping({ ...settings, minDelta: 0.01, patience: 1 });
    stopping.update(1, { val_loss: 0.5 });
    expect(stopping.update(2, { val_loss: 0.495 })).toEqual({ improved: false, stop: true });
  });

  it('NaN is no improvement', () => {
    const stopping = new EarlyStopping(settings);
    stopping.update(1, { val_loss: 0.5 });
    expect(stopping.update(2, { val_loss: Number.NaN }).improved).toBe(false);
  });
});

describe('epoch order', () => {
  const train = Int32Array.from([10, 11, 12, 13, 14, 15, 16, 17]);

  it('is a permutation of the training indices', () => {
    expect([...epochOrder(train, 0, 1)].sort()).toEqual([...train]);
  });

  it('repeats for the same seed and epoch', () => {
    expect(epochOrder(train, 3, 2)).toEqual(epochOrder(train, 3, 2));
  });

  it('changes from epoch to epoch', () => {
    expect(epochOrder(train, 3, 2)).not.toEqual(epochOrder(train, 3, 3));
  });
});
