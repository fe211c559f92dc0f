/**
 * Seeded shuffling, train/validation/test splits and slices of data sets.
 */

import type { Dataset, ExampleTensor } from './dataset';
import { DataFileError } from './errors';

/**
 * Returns a mulberry32 pseudo-random generator of numbers in [0, 1). The same seed gives the same
 * sequence on every platform. Not for cryptography.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Returns 0, 1, ..., count - 1 in an order that depends only on `seed` (Fisher-Yates shuffle). */
export function shuffledIndices(count: number, seed: number): Int32Array {
  const indices = new Int32Array(count);
  for (let i = 0; i < count; i++) indices[i] = i;
  const random = mulberry32(seed);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = indices[i];
    indices[i] = indices[j];
    indices[j] = swap;
  }
  return indices;
}

export interface SplitOptions {
  /** Fraction of examples for training; defaults to 0.8. */
  train?: number;
  /** Fraction for validation; defaults to 0.1. */
  validation?: number;
  /** Fraction for the test set; defaults to 0.1. */
  test?: number;
  /** Seed of the shuffle; defaults to 0. */
  seed?: number;
  /** Shuffle before splitting; defaults to true. Without it the split keeps the file order. */
  shuffle?: boolean;
}

export interface SplitIndices {
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

/**
 * Splits example indices by fraction. The fractions must be non-negative and sum to 1. The
 * validation and test sets get round(count * fraction) examples each and training gets the rest.
 */
export function splitIndices(count: number, options: SplitOptions = {}): SplitIndices {
  const train = options.train ?? 0.8;
  const validation = options.validation ?? 0.1;
  const test = options.test ?? 0.1;
  for (const [name, fraction] of [['train', train], ['validation', validation], ['test', test]] as const) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new DataFileError('invalid-option', `The ${name} fraction is ${fraction}; it must be between 0 and 1.`);
    }
  }
  if (Math.abs(train + validation + test - 1) > 1e-9) {
    throw new DataFileError(
      'invalid-option',
      `The split fractions train ${train}, validation ${validation} and test ${test} sum to ${train + validation + test}; ` +
        'they must sum to 1.',
    );
  }

  const order = options.shuffle === false ? Int32Array.from({ length: count }, (_, i) => i) : shuffledIndices(count, options.seed ?? 0);
  const testCount = Math.round(count * test);
  const validationCount = Math.min(Math.round(count * validation), count - testCount);
  const trainCount = count - testCount - validationCount;
  return {
    train: order.slice(0, trainCount),
    validation: order.slice(trainCount, trainCount + validationCount),
    test: order.slice(trainCount + validationCount),
  };
}

/** Returns a data set of the examples at `indices`, in that order, with copied data. */
export function selectExamples(dataset: Dataset, indices: ArrayLike<number>, description = 'selection'): Dataset {
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i];
    if (!Number.isInteger(index) || index < 0 || index >= dataset.count) {
      throw new DataFileError(
        'invalid-option',
        `Example index ${index} is outside ${dataset.name}, which has ${dataset.count} examples (0 to ${dataset.count - 1}).`,
      );
    }
  }
  return {
    ...dataset,
    features: gatherExamples(dataset.features, dataset.count, indices),
    labels: gatherExamples(dataset.labels, dataset.count, indices),
    count: indices.length,
    source: { kind: 'slice', of: dataset.source, description },
  };
}

function gatherExamples(tensor: ExampleTensor, count: number, indices: ArrayLike<number>): ExampleTensor {
  const size = count === 0 ? 0 : tensor.data.length / count;
  const data = tensor.dtype === 'int32' ? new Int32Array(indices.length * size) : new Float32Array(indices.length * size);
  for (let i = 0; i < indices.length; i++) {
    data.set(tensor.data.subarray(indices[i] * size, (indices[i] + 1) * size), i * size);
  }
  return { shape: [...tensor.shape], dtype: tensor.dtype, data } as ExampleTensor;
}

/** Splits a data set into training, validation and test data sets; see `splitIndices`. */
export function splitDataset(dataset: Dataset, options: SplitOptions = {}): { train: Dataset; validation: Dataset; test: Dataset } {
  const indices = splitIndices(dataset.count, options);
  return {
    train: selectExamples(dataset, indices.train, 'training split'),
    validation: selectExamples(dataset, indices.validation, 'validation split'),
    test: selectExamples(dataset, indices.test, 'test split'),
  };
}

/** Returns `count` consecutive examples from `start`, with copied data. */
export function sliceDataset(dataset: Dataset, start: number, count: number): Dataset {
  if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > dataset.count) {
    throw new DataFileError(
      'invalid-option',
      `Cannot take ${count} examples from index ${start} of ${dataset.name}, which has ${dataset.count}. ` +
        `Choose a start and count within 0 to ${dataset.count}.`,
    );
  }
  const indices = Int32Array.from({ length: count }, (_, i) => start + i);
  return selectExamples(dataset, indices, `examples ${start} to ${start + count - 1}`);
}

/**
 * Returns the first `count` examples after a seeded shuffle, e.g. a small mixed sample for a quick
 * training run. A `count` larger than the data set returns all examples, shuffled.
 */
export function takeShuffled(dataset: Dataset, count: number, seed = 0): Dataset {
  const order = shuffledIndices(dataset.count, seed);
  const selected = order.subarray(0, Math.min(Math.max(0, Math.floor(count)), dataset.count));
  return selectExamples(dataset, selected, `${selected.length} shuffled examples (seed ${seed})`);
}
