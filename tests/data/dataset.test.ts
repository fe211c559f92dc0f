import { describe, expect, it } from 'vitest';
import {
  datasetFromNpy,
  datasetFromNpz,
  describeDataset,
  describeShape,
  findAbsentClassIds,
  labelBalance,
  countNonFinite,
  renumberClasses,
  requireExamples,
  type Dataset,
  type NpzDatasetResult,
} from '../../src/data/dataset';
import { DataFileError } from '../../src/data/errors';
import { parseNpy, type NpyArray } from '../../src/data/npy';
import { parseNpz } from '../../src/data/npz';
import { writeNpy, writeNpz, type NpyFixture } from './fixtures';

function npy(fixture: NpyFixture): NpyArray {
  return parseNpy(writeNpy(fixture));
}

function expectReady(result: NpzDatasetResult): Dataset {
  if (result.status !== 'ready') throw new Error(`expected a data set, got: ${result.message}`);
  return result.dataset;
}

function conventionOf(result: NpzDatasetResult): string {
  if (result.status !== 'ready') throw new Error(`expected a data set, got: ${result.message}`);
  return result.convention;
}

function catchDataError(action: () => unknown): DataFileError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(DataFileError);
    return error as DataFileError;
  }
  throw new Error('expected a DataFileError, but nothing was thrown');
}

describe('datasetFromNpz positives and negatives', () => {
  it('concatenates int64 sequences with labels 1 then 0', () => {
    const zip = writeNpz(
      {
        positives: writeNpy({ code: 'i8', shape: [2, 4], values: [1, 2, 3, 0, 4, 5, 0, 0] }),
        negatives: writeNpy({ code: 'i8', shape: [3, 4], values: [6, 7, 8, 9, 10, 0, 0, 0, 11, 12, 13, 0] }),
      },
      true,
    );

    const result = datasetFromNpz(parseNpz(zip), 'tiny.npz');
    const dataset = expectReady(result);

    expect(conventionOf(result)).toBe('positives-negatives');
    expect(dataset.name).toBe('tiny');
    expect(dataset.count).toBe(5);
    expect(dataset.features.shape).toEqual([4]);
    expect(dataset.features.dtype).toBe('int32');
    expect(Array.from(dataset.features.data.subarray(0, 8))).toEqual([1, 2, 3, 0, 4, 5, 0, 0]);
    expect(Array.from(dataset.features.data.subarray(8, 12))).toEqual([6, 7, 8, 9]);
    expect(Array.from(dataset.labels.data)).toEqual([1, 1, 0, 0, 0]);
    expect(dataset.labels.shape).toEqual([]);
    expect(dataset.classNames).toEqual(['negative', 'positive']);
    expect(dataset.task).toBe('classification');
  });

  it('keeps float features of more than one axis', () => {
    const arrays = new Map([
      ['positives', npy({ code: 'f8', shape: [1, 2, 3], values: [1, 0, 0, 0, 1, 0] })],
      ['negatives', npy({ code: 'f8', shape: [1, 2, 3], values: [0, 0, 1, 1, 0, 0] })],
    ]);

    const dataset = expectReady(datasetFromNpz(arrays, 'onehot.npz'));

    expect(dataset.features.dtype).toBe('float32');
    expect(dataset.features.shape).toEqual([2, 3]);
    expect(describeDataset(dataset)).toEqual({ features: '(2, 2, 3) float32', labels: '(2,) int32' });
  });

  it('rejects positives and negatives of different example shapes', () => {
    const arrays = new Map([
      ['positives', npy({ code: 'i4', shape: [1, 3], values: [1, 2, 3] })],
      ['negatives', npy({ code: 'i4', shape: [1, 2], values: [1, 2] })],
    ]);

    const error = catchDataError(() => datasetFromNpz(arrays, 'bad.npz'));

    expect(error.message).toContain('positives (1, 3) int32 and negatives (1, 2) int32 differ in shape');
  });

  it('rejects positives and negatives of integer and float dtypes', () => {
    const arrays = new Map([
      ['positives', npy({ code: 'i4', shape: [1, 2], values: [1, 2] })],
      ['negatives', npy({ code: 'f4', shape: [1, 2], values: [1, 2] })],
    ]);

    const error = catchDataError(() => datasetFromNpz(arrays, 'bad.npz'));

    expect(error.message).toContain('positives are int32 and negatives float32');
  });
});

describe('datasetFromNpz features and labels', () => {
  it.each([
    ['x', 'y'],
    ['X', 'Y'],
    ['features', 'labels'],
    ['x_train', 'y_train'],
    ['inputs', 'targets'],
  ])('recognises %s and %s', (featuresName, labelsName) => {
    const arrays = new Map([
      [featuresName, npy({ code: 'f4', shape: [3, 2], values: [1, 2, 3, 4, 5, 6] })],
      [labelsName, npy({ code: 'u1', shape: [3], values: [2, 0, 1] })],
    ]);

    const result = datasetFromNpz(arrays, 'data.npz');
    const dataset = expectReady(result);

    expect(conventionOf(result)).toBe('features-labels');
    expect(dataset.count).toBe(3);
    expect(dataset.features.shape).toEqual([2]);
    expect(Array.from(dataset.labels.data)).toEqual([2, 0, 1]);
    expect(dataset.labels.dtype).toBe('int32');
    expect(dataset.source).toMatchObject({ kind: 'npz', features: featuresName, labels: labelsName });
  });

  it('treats float labels other than 0 and 1 as regression targets', () => {
    const arrays = new Map([
      ['x', npy({ code: 'f8', shape: [2, 1], values: [1, 2] })],
      ['y', npy({ code: 'f8', shape: [2], values: [0.5, 3.25] })],
    ]);

    const dataset = expectReady(datasetFromNpz(arrays, 'data.npz'));

    expect(dataset.task).toBe('regression');
    expect(dataset.labels.dtype).toBe('float32');
    expect(Array.from(dataset.labels.data)).toEqual([0.5, 3.25]);
    expect(labelBalance(dataset)).toEqual([]);
  });

  it('treats float labels of 0 and 1 as classes', () => {
    const arrays = new Map([
      ['x', npy({ code: 'f8', shape: [2, 1], values: [1, 2] })],
      ['y', npy({ code: 'f8', shape: [2], values: [1, 0] })],
    ]);

    const dataset = expectReady(datasetFromNpz(arrays, 'data.npz'));

    expect(dataset.task).toBe('classification');
    expect(dataset.labels.dtype).toBe('int32');
  });

  it('gives one-axis features the example shape [1]', () => {
    const arrays = new Map([
      ['x', npy({ code: 'f4', shape: [3], values: [1, 2, 3] })],
      ['y', npy({ code: 'i4', shape: [3], values: [0, 1, 0] })],
    ]);

    expect(expectReady(datasetFromNpz(arrays, 'data.npz')).features.shape).toEqual([1]);
  });

  it('rejects features and labels of different lengths', () => {
    const arrays = new Map([
      ['x', npy({ code: 'f4', shape: [3, 1], values: [1, 2, 3] })],
      ['y', npy({ code: 'i4', shape: [2], values: [0, 1] })],
    ]);

    const error = catchDataError(() => datasetFromNpz(arrays, 'data.npz'));

    expect(error.code).toBe('invalid-dataset');
    expect(error.message).toContain("features 'x' (3, 1) float32 has 3 examples but labels 'y' (2,) int32 has 2");
  });

  it('rejects a class index beyond the limit', () => {
    const arrays = new Map([
      ['x', npy({ code: 'f4', shape: [2, 1], values: [1, 2] })],
      ['y', npy({ code: 'i4', shape: [2], values: [0, 123456] })],
    ]);

    const error = catchDataError(() => datasetFromNpz(arrays, 'data.npz'));

    expect(error.message).toContain('contain 123456 at position 1');
    expect(error.message).toContain('from 0 to 9999');
  });

  it('rejects negative class labels', () => {
    const arrays = new Map([
      ['x', npy({ code: 'f4', shape: [2, 1], values: [1, 2] })],
      ['y', npy({ code: 'i4', shape: [2], values: [0, -1] })],
    ]);

    const error = catchDataError(() => datasetFromNpz(arrays, 'data.npz'));

    expect(error.message).toContain('contain -1 at position 1, which is not a class index');
  });
});

describe('datasetFromNpz explicit choice', () => {
  const arrays = new Map([
    ['seqs', npy({ code: 'i4', shape: [2, 3], values: [1, 2, 3, 4, 5, 6] })],
    ['sol', npy({ code: 'b1', shape: [2], values: [true, false] })],
    ['ids', npy({ code: 'i8', shape: [2], values: [10, 11] })],
  ]);

  it('asks for a choice and lists the arrays', () => {
    const result = datasetFromNpz(arrays, 'odd.npz');

    expect(result.status).toBe('choice-needed');
    if (result.status !== 'choice-needed') return;
    expect(result.arrays.map((array) => array.description)).toEqual(['(2, 3) int32', '(2,) bool', '(2,) int64']);
    expect(result.message).toContain('seqs (2, 3) int32, sol (2,) bool, ids (2,) int64');
    expect(result.message).toContain('Pick which array holds the features and which the labels');
  });

  it('asks for a choice when two arrays look like features', () => {
    const split = new Map([
      ['x_train', arrays.get('seqs')!],
      ['x_test', arrays.get('seqs')!],
      ['y_train', arrays.get('sol')!],
      ['y_test', arrays.get('sol')!],
    ]);

    expect(datasetFromNpz(split, 'mnist.npz').status).toBe('choice-needed');
  });

  it('builds the data set from the chosen arrays', () => {
    const result = datasetFromNpz(arrays, 'odd.npz', { features: 'seqs', labels: 'sol' });
    const dataset = expectReady(result);

    expect(conventionOf(result)).toBe('explicit');
    expect(Array.from(dataset.labels.data)).toEqual([1, 0]);
    expect(dataset.features.dtype).toBe('int32');
  });

  it('accepts a task override', () => {
    const dataset = expectReady(datasetFromNpz(arrays, 'odd.npz', { features: 'seqs', labels: 'ids', task: 'regression' }));

    expect(dataset.task).toBe('regression');
    expect(Array.from(dataset.labels.data)).toEqual([10, 11]);
  });

  it('rejects an unknown array name', () => {
    const error = catchDataError(() => datasetFromNpz(arrays, 'odd.npz', { features: 'seq', labels: 'sol' }));

    expect(error.message).toContain("no array named 'seq'; it contains seqs, sol, ids");
  });

  it('rejects the same array as features and labels', () => {
    const error = catchDataError(() => datasetFromNpz(arrays, 'odd.npz', { features: 'sol', labels: 'sol' }));

    expect(error.code).toBe('invalid-option');
  });
});

describe('datasetFromNpy', () => {
  const features = npy({ code: 'f4', shape: [2, 2], values: [1, 2, 3, 4] });

  it('rejects features without labels', () => {
    const error = catchDataError(() => datasetFromNpy(features, 'x.npy'));

    expect(error.message).toContain('x.npy holds one array (2, 2) float32 and no labels, so it cannot train a model');
    expect(error.message).toContain('numpy.savez');
  });

  it('pairs a features file with a labels file', () => {
    const labels = npy({ code: 'i8', shape: [2], values: [1, 0] });

    const dataset = datasetFromNpy(features, 'x.npy', labels, 'y.npy');

    expect(dataset.count).toBe(2);
    expect(dataset.source).toEqual({ kind: 'npy', fileName: 'x.npy', labelsFileName: 'y.npy' });
  });
});

describe('datasets without examples', () => {
  const features = npy({ code: 'f4', shape: [2, 2], values: [1, 2, 3, 4] });
  const labels = npy({ code: 'i8', shape: [2], values: [1, 0] });

  it('rejects features of shape (0, 3)', () => {
    const empty = npy({ code: 'f4', shape: [0, 3], values: [] });

    const error = catchDataError(() => datasetFromNpy(empty, 'empty.npy', npy({ code: 'i8', shape: [0], values: [] }), 'y.npy'));

    expect(error.message).toBe('empty.npy has shape (0, 3), so it contains no examples. Save an array with at least one example.');
  });

  it('rejects scalar features', () => {
    const scalar = npy({ code: 'f4', shape: [], values: [3] });

    expect(() => requireExamples(scalar, 'scalar.npy', 'scalar.npy')).toThrow('scalar.npy is a single number of shape ()');
  });

  it('names the array inside an npz', () => {
    const arrays = new Map([
      ['x', npy({ code: 'f4', shape: [0, 2], values: [] })],
      ['y', npy({ code: 'i8', shape: [0], values: [] })],
    ]);

    const error = catchDataError(() => datasetFromNpz(arrays, 'a.npz'));

    expect(error.message).toContain("'x' in a.npz has shape (0, 2), so it contains no examples");
  });

  it('rejects empty positives and negatives', () => {
    const arrays = new Map([
      ['positives', npy({ code: 'i4', shape: [0, 2], values: [] })],
      ['negatives', npy({ code: 'i4', shape: [0, 2], values: [] })],
    ]);

    expect(catchDataError(() => datasetFromNpz(arrays, 'a.npz')).message).toContain('contain no examples');
  });

  it('names the labels file with both counts', () => {
    const short = npy({ code: 'i8', shape: [3], values: [0, 1, 0] });

    const error = catchDataError(() => datasetFromNpy(npy({ code: 'f4', shape: [20, 1], values: new Array(20).fill(1) }), 'x.npy', short, 'labels3.npy'));

    expect(error.fileName).toBe('labels3.npy');
    expect(error.message).toContain('labels3.npy (3,) int64 has 3 labels, but the features in x.npy (20, 1) float32 have 20 examples');
    expect(error.message).toContain('Choose a labels file with 20 labels.');
  });

  it('accepts one example', () => {
    const dataset = datasetFromNpy(npy({ code: 'f4', shape: [1, 2], values: [1, 2] }), 'x.npy', npy({ code: 'i8', shape: [1], values: [1] }), 'y.npy');

    expect(dataset.count).toBe(1);
    expect(datasetFromNpy(features, 'x.npy', labels, 'y.npy').count).toBe(2);
  });
});

describe('datasetFromNpz array count', () => {
  it('rejects an npz without arrays', () => {
    const error = catchDataError(() => datasetFromNpz(new Map(), 'empty.npz'));

    expect(error.message).toContain('empty.npz contains no arrays.');
  });

  it('rejects an npz with one array', () => {
    const arrays = new Map([['data', npy({ code: 'f4', shape: [2, 2], values: [1, 2, 3, 4] })]]);

    const error = catchDataError(() => datasetFromNpz(arrays, 'single.npz'));

    expect(error.message).toContain("single.npz contains one array, 'data' (2, 2) float32, and no labels.");
    expect(error.message).toContain('Choose a .npy file with its labels');
  });
});

describe('summaries', () => {
  it('counts examples per class', () => {
    const arrays = new Map([
      ['positives', npy({ code: 'i4', shape: [1, 1], values: [1] })],
      ['negatives', npy({ code: 'i4', shape: [3, 1], values: [1, 2, 3] })],
    ]);

    const balance = labelBalance(expectReady(datasetFromNpz(arrays, 'a.npz')));

    expect(balance).toEqual([
      { classIndex: 0, className: 'negative', count: 3 },
      { classIndex: 1, className: 'positive', count: 1 },
    ]);
  });

  it('counts classes without names', () => {
    const arrays = new Map([
      ['x', npy({ code: 'f4', shape: [4, 1], values: [0, 0, 0, 0] })],
      ['y', npy({ code: 'i4', shape: [4], values: [2, 0, 2, 2] })],
    ]);

    const balance = labelBalance(expectReady(datasetFromNpz(arrays, 'a.npz')));

    expect(balance.map((entry) => [entry.className, entry.count])).toEqual([['0', 1], ['2', 3]]);
  });

  it('lists only the class ids that occur', () => {
    const labels = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? 0 : 5000));
    const arrays = new Map([
      ['x', npy({ code: 'f4', shape: [10, 1], values: labels.map(() => 0.5) })],
      ['y', npy({ code: 'i8', shape: [10], values: labels })],
    ]);

    const balance = labelBalance(expectReady(datasetFromNpz(arrays, 'sparse.npz')));

    expect(balance.map((entry) => [entry.classIndex, entry.count])).toEqual([[0, 5], [5000, 5]]);
    expect(findAbsentClassIds(balance)).toEqual([{ first: 1, last: 4999 }]);
  });

  it('finds no absent ids in dense classes', () => {
    const arrays = new Map([
      ['x', npy({ code: 'f4', shape: [3, 1], values: [0, 0, 0] })],
      ['y', npy({ code: 'i4', shape: [3], values: [1, 0, 2] })],
    ]);

    expect(findAbsentClassIds(labelBalance(expectReady(datasetFromNpz(arrays, 'a.npz'))))).toEqual([]);
  });

  it('finds absent ids before the first class', () => {
    const balance = [
      { classIndex: 3, className: '3', count: 1 },
      { classIndex: 4, className: '4', count: 2 },
      { classIndex: 7, className: '7', count: 2 },
    ];

    expect(findAbsentClassIds(balance)).toEqual([{ first: 0, last: 2 }, { first: 5, last: 6 }]);
  });

  it('keeps named classes without examples', () => {
    const arrays = new Map([
      ['positives', npy({ code: 'i4', shape: [2, 1], values: [1, 2] })],
      ['negatives', npy({ code: 'i4', shape: [0, 1], values: [] })],
    ]);

    const balance = labelBalance(expectReady(datasetFromNpz(arrays, 'a.npz')));

    expect(balance.map((entry) => [entry.className, entry.count])).toEqual([['negative', 0], ['positive', 2]]);
    expect(findAbsentClassIds(balance)).toEqual([]);
  });

  it('renumbers class ids with gaps', () => {
    const arrays = new Map([
      ['x', npy({ code: 'f4', shape: [4, 1], values: [1, 2, 3, 4] })],
      ['y', npy({ code: 'i8', shape: [4], values: [5000, 0, 7, 5000] })],
    ]);
    const dataset = expectReady(datasetFromNpz(arrays, 'sparse.npz'));

    const { dataset: renumbered, originalIds } = renumberClasses(dataset);

    expect(originalIds).toEqual([0, 7, 5000]);
    expect(Array.from(renumbered.labels.data)).toEqual([2, 0, 1, 2]);
    expect(renumbered.classNames).toEqual(['0', '7', '5000']);
    expect(findAbsentClassIds(labelBalance(renumbered))).toEqual([]);
    expect(Array.from(dataset.labels.data)).toEqual([5000, 0, 7, 5000]);
  });

  it('counts one-hot labels by their 1', () => {
    const arrays = new Map([
      ['x', npy({ code: 'f4', shape: [4, 1], values: [1, 2, 3, 4] })],
      ['y', npy({ code: 'f4', shape: [4, 3], values: [0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0] })],
    ]);

    const balance = labelBalance(expectReady(datasetFromNpz(arrays, 'onehot.npz')));

    expect(balance.map((entry) => [entry.classIndex, entry.count])).toEqual([[0, 0], [1, 3], [2, 1]]);
  });

  it('gives no balance for labels of several ones', () => {
    const arrays = new Map([
      ['x', npy({ code: 'f4', shape: [2, 1], values: [1, 2] })],
      ['y', npy({ code: 'i4', shape: [2, 3], values: [1, 1, 0, 0, 0, 1] })],
    ]);

    expect(labelBalance(expectReady(datasetFromNpz(arrays, 'multi.npz')))).toEqual([]);
  });

  it('counts NaN and infinite values', () => {
    const arrays = new Map([
      ['x', npy({ code: 'f4', shape: [4, 2], values: [1, 2, 3, 4, 5, NaN, Infinity, 1] })],
      ['y', npy({ code: 'i8', shape: [4], values: [0, 1, 0, 1] })],
    ]);

    expect(countNonFinite(expectReady(datasetFromNpz(arrays, 'nan.npz')))).toEqual([{ array: 'features', count: 2, firstExample: 2 }]);
  });

  it('counts nothing in finite data', () => {
    const arrays = new Map([
      ['x', npy({ code: 'f4', shape: [2, 1], values: [1, 2] })],
      ['y', npy({ code: 'f4', shape: [2], values: [0.5, 1.5] })],
    ]);

    expect(countNonFinite(expectReady(datasetFromNpz(arrays, 'finite.npz')))).toEqual([]);
  });

  it('describes shapes as numpy prints them', () => {
    expect(describeShape([18453, 200], 'int32')).toBe('(18453, 200) int32');
    expect(describeShape([5], 'float32')).toBe('(5,) float32');
  });
});
