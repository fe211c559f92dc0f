import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/data/dataset';
import { DataFileError } from '../../src/data/errors';
import {
  mulberry32,
  selectExamples,
  shuffledIndices,
  sliceDataset,
  splitDataset,
  splitIndices,
  takeShuffled,
} from '../../src/data/split';

/** Builds a data set whose example i has features [i, -i] and label i % 3, so every copy can be traced. */
function numberedDataset(count: number): Dataset {
  const features = new Float32Array(count * 2);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    features[i * 2] = i;
    features[i * 2 + 1] = -i;
    labels[i] = i % 3;
  }
  return {
    name: 'numbered',
    features: { shape: [2], dtype: 'float32', data: features },
    labels: { shape: [], dtype: 'int32', data: labels },
    count,
    task: 'classification',
    source: { kind: 'builtin', id: 'numbered' },
  };
}

/** Checks that every example of `dataset` kept its features and label together. */
function expectExamplesIntact(dataset: Dataset): number[] {
  const ids: number[] = [];
  for (let i = 0; i < dataset.count; i++) {
    const id = dataset.features.data[i * 2];
    expect(dataset.features.data[i * 2 + 1]).toBe(-id);
    expect(dataset.labels.data[i]).toBe(id % 3);
    ids.push(id);
  }
  return ids;
}

describe('mulberry32', () => {
  it('repeats its sequence for the same seed', () => {
    const first = mulberry32(42);
    const second = mulberry32(42);
    const a = Array.from({ length: 5 }, first);
    const b = Array.from({ length: 5 }, second);

    expect(a).toEqual(b);
    expect(a.every((value) => value >= 0 && value < 1)).toBe(true);
  });

  it('produces the reference values of mulberry32', () => {
    // The first two outputs for seed 1 of the original one-line mulberry32 in JavaScript, as 32-bit integers.
    const random = mulberry32(1);

    expect(random() * 4294967296).toBe(2693262067);
    expect(random() * 4294967296).toBe(11749833);
  });

  it('differs between seeds', () => {
    expect(mulberry32(1)()).not.toBe(mulberry32(2)());
  });
});

describe('shuffledIndices', () => {
  it('is a permutation that depends only on the seed', () => {
    const a = shuffledIndices(1000, 7);
    const b = shuffledIndices(1000, 7);
    const c = shuffledIndices(1000, 8);

    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(Array.from(a.subarray(0, 10))).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('handles empty and single-element ranges', () => {
    expect(Array.from(shuffledIndices(0, 1))).toEqual([]);
    expect(Array.from(shuffledIndices(1, 1))).toEqual([0]);
  });
});

describe('splitIndices', () => {
  it('splits 18453 examples 80/10/10 by default', () => {
    const split = splitIndices(18453);

    expect(split.train.length).toBe(14763);
    expect(split.validation.length).toBe(1845);
    expect(split.test.length).toBe(1845);
    const all = [...split.train, ...split.validation, ...split.test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 18453 }, (_, i) => i));
  });

  it('follows the requested fractions', () => {
    const split = splitIndices(100, { train: 0.6, validation: 0.25, test: 0.15, seed: 3 });

    expect([split.train.length, split.validation.length, split.test.length]).toEqual([60, 25, 15]);
  });

  it('repeats the split for the same seed', () => {
    const a = splitIndices(500, { seed: 11 });
    const b = splitIndices(500, { seed: 11 });
    const c = splitIndices(500, { seed: 12 });

    expect(Array.from(a.test)).toEqual(Array.from(b.test));
    expect(Array.from(a.test)).not.toEqual(Array.from(c.test));
  });

  it('keeps the file order without shuffling', () => {
    const split = splitIndices(10, { shuffle: false, train: 0.8, validation: 0.2, test: 0 });

    expect(Array.from(split.train)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(Array.from(split.validation)).toEqual([8, 9]);
    expect(split.test.length).toBe(0);
  });

  it.each([
    [{ train: 0.8, validation: 0.1, test: 0.2 }, 'sum to 1.1'],
    [{ train: 1.2, validation: -0.1, test: -0.1 }, 'train fraction is 1.2'],
    [{ train: Number.NaN }, 'train fraction is NaN'],
  ])('rejects fractions %j', (options, message) => {
    let caught: unknown;
    try {
      splitIndices(10, options);
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(DataFileError);
    expect((caught as Error).message).toContain(message);
  });
});

describe('splitDataset', () => {
  it('copies whole examples into each part', () => {
    const dataset = numberedDataset(50);

    const { train, validation, test } = splitDataset(dataset, { seed: 5 });

    expect([train.count, validation.count, test.count]).toEqual([40, 5, 5]);
    const ids = [...expectExamplesIntact(train), ...expectExamplesIntact(validation), ...expectExamplesIntact(test)];
    expect(ids.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(test.source).toEqual({ kind: 'slice', of: dataset.source, description: 'test split' });
    expect(train.features.data.buffer).not.toBe(dataset.features.data.buffer);
  });
});

describe('sliceDataset and takeShuffled', () => {
  it('takes consecutive examples', () => {
    const slice = sliceDataset(numberedDataset(20), 5, 3);

    expect(slice.count).toBe(3);
    expect(expectExamplesIntact(slice)).toEqual([5, 6, 7]);
  });

  it('rejects a slice past the end', () => {
    expect(() => sliceDataset(numberedDataset(20), 18, 3)).toThrow(/Cannot take 3 examples from index 18 of numbered, which has 20/);
  });

  it('takes the same shuffled examples for the same seed', () => {
    const dataset = numberedDataset(100);

    const a = expectExamplesIntact(takeShuffled(dataset, 10, 4));
    const b = expectExamplesIntact(takeShuffled(dataset, 10, 4));

    expect(a).toEqual(b);
    expect(a).toEqual(Array.from(shuffledIndices(100, 4).subarray(0, 10)));
    expect(a).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('returns every example when more are requested', () => {
    expect(takeShuffled(numberedDataset(5), 50).count).toBe(5);
  });

  it('rejects an index outside the data set', () => {
    expect(() => selectExamples(numberedDataset(5), [0, 5])).toThrow(/Example index 5 is outside numbered/);
  });
});
