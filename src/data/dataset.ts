/**
 * The `Dataset` type that the trainer consumes, and its construction from `.npz` and `.npy` arrays.
 */

import { DataFileError } from './errors';
import { formatShape, storageTypeOf, type NpyArray, type NpyDtypeName } from './npy';

/** A tensor of examples: `shape` is the shape of one example, without the batch axis. */
export type ExampleTensor =
  | { shape: number[]; dtype: 'float32'; data: Float32Array }
  | { shape: number[]; dtype: 'int32'; data: Int32Array };

export type DatasetTask = 'classification' | 'regression';

/** Origin of a data set, for display and for saving in a project file. */
export type DatasetSource =
  | { kind: 'builtin'; id: string; options?: Record<string, unknown> }
  /** `features` and `labels` name the arrays used, except in the positives-negatives convention. */
  | { kind: 'npz'; fileName: string; convention: NpzConvention; features?: string; labels?: string }
  | { kind: 'npy'; fileName: string; labelsFileName: string }
  | { kind: 'csv'; fileName: string; labelColumn: string }
  | { kind: 'slice'; of: DatasetSource; description: string };

/**
 * Examples with their labels. `features.data` and `labels.data` contain `count` examples one after
 * another in C order. A label of shape `[]` is one number per example, e.g. a class index.
 */
export interface Dataset {
  name: string;
  features: ExampleTensor;
  labels: ExampleTensor;
  count: number;
  task: DatasetTask;
  /** Class names indexed by class index, when the labels are class indices and names are known. */
  classNames?: string[];
  source: DatasetSource;
}

/** Rule by which `datasetFromNpz` chose the features and labels arrays. */
export type NpzConvention = 'positives-negatives' | 'features-labels' | 'explicit';

/** Explicit choice of the features and labels arrays of a `.npz` file. */
export interface NpzArrayChoice {
  features: string;
  labels: string;
  /** Overrides the task guessed from the labels' dtype and values. */
  task?: DatasetTask;
}

/** Shape and dtype of one array, for listing the arrays a person can choose from. */
export interface ArraySummary {
  name: string;
  shape: number[];
  dtype: NpyDtypeName;
  /** e.g. "(8785, 200) int64" */
  description: string;
}

export type NpzDatasetResult =
  | { status: 'ready'; dataset: Dataset; convention: NpzConvention }
  | { status: 'choice-needed'; message: string; arrays: ArraySummary[] };

/** Largest class index accepted in labels, so that per-class tables stay small. */
export const MAX_CLASS_INDEX = 9_999;

/** Array names taken as features or labels, case-insensitively, with an optional suffix such as `_train`. */
const FEATURE_NAME_PATTERN = /^(x|features|inputs?|data)(_\w+)?$/i;
const LABEL_NAME_PATTERN = /^(y|labels?|targets?)(_\w+)?$/i;

/**
 * Builds a data set from the arrays of a `.npz` file.
 *
 * Without `choice`, two layouts are recognised. Arrays named `positives` and `negatives` are
 * concatenated with labels 1 and 0. Otherwise exactly one array must have a features name (x, X,
 * features, inputs, data, each optionally with a suffix like `_train`) and exactly one a labels
 * name (y, Y, labels, targets, with the same suffixes). Any other layout returns `choice-needed`
 * with the arrays listed, and the caller calls again with `choice`.
 * Throws DataFileError when the chosen arrays do not fit together.
 */
export function datasetFromNpz(
  arrays: ReadonlyMap<string, NpyArray>,
  fileName: string,
  choice?: NpzArrayChoice,
): NpzDatasetResult {
  const name = fileName.replace(/\.npz$/i, '');
  if (choice) {
    const features = requireArray(arrays, choice.features, fileName);
    const labels = requireArray(arrays, choice.labels, fileName);
    if (choice.features === choice.labels) {
      throw new DataFileError(
        'invalid-option',
        `The features and labels of ${fileName} are both set to array '${choice.features}'. Pick two different arrays.`,
        fileName,
      );
    }
    const source: DatasetSource = { kind: 'npz', fileName, features: choice.features, labels: choice.labels, convention: 'explicit' };
    const dataset = pairFeaturesAndLabels(name, features, labels, choice, source, fileName);
    return { status: 'ready', dataset, convention: 'explicit' };
  }

  if (arrays.size === 0) {
    throw new DataFileError(
      'invalid-dataset',
      `${fileName} contains no arrays. Save features and labels with numpy.savez("data.npz", x=features, y=labels).`,
      fileName,
    );
  }
  if (arrays.size === 1) {
    const [[arrayName, array]] = arrays;
    throw new DataFileError('invalid-dataset', describeSingleArrayNpz(fileName, arrayName, array), fileName);
  }

  const positives = arrays.get('positives');
  const negatives = arrays.get('negatives');
  if (positives && negatives) {
    return { status: 'ready', dataset: concatenatePositivesNegatives(name, positives, negatives, fileName), convention: 'positives-negatives' };
  }

  // Several candidates, such as x_train and x_test, leave the choice to the person.
  const featureNames = [...arrays.keys()].filter((key) => FEATURE_NAME_PATTERN.test(key));
  const labelNames = [...arrays.keys()].filter((key) => LABEL_NAME_PATTERN.test(key));
  if (featureNames.length === 1 && labelNames.length === 1) {
    const names = { features: featureNames[0], labels: labelNames[0] };
    const source: DatasetSource = { kind: 'npz', fileName, ...names, convention: 'features-labels' };
    const dataset = pairFeaturesAndLabels(name, arrays.get(names.features)!, arrays.get(names.labels)!, names, source, fileName);
    return { status: 'ready', dataset, convention: 'features-labels' };
  }

  const summaries = [...arrays].map(([arrayName, array]) => summarizeArray(arrayName, array));
  const listing = summaries.map((summary) => `${summary.name} ${summary.description}`).join(', ');
  return {
    status: 'choice-needed',
    arrays: summaries,
    message:
      `${fileName} contains the arrays ${listing}, and none is named as features (x) and labels (y) ` +
      'or as positives and negatives. Pick which array holds the features and which the labels.',
  };
}

/** Describes an `.npz` file with a single array, which cannot hold both features and labels. */
export function describeSingleArrayNpz(fileName: string, arrayName: string, array: NpyArray): string {
  return (
    `${fileName} contains one array, '${arrayName}' ${describeShape(array.shape, array.dtype)}, and no labels. ` +
    'Choose a .npy file with its labels, or save both in one file with numpy.savez("data.npz", x=features, y=labels).'
  );
}

/**
 * Checks that an array is a list of at least one example: not a single number of shape (), and
 * not empty along its first axis. Throws DataFileError naming the array otherwise.
 */
export function requireExamples(array: NpyArray, arrayName: string, fileName: string): void {
  const where = arrayName === fileName ? fileName : `'${arrayName}' in ${fileName}`;
  if (array.shape.length === 0) {
    throw new DataFileError(
      'invalid-dataset',
      `${where} is a single number of shape (), not a list of examples. Save an array whose first axis counts the examples.`,
      fileName,
    );
  }
  if (array.shape[0] === 0) {
    throw new DataFileError(
      'invalid-dataset',
      `${where} has shape ${formatShape(array.shape)}, so it contains no examples. Save an array with at least one example.`,
      fileName,
    );
  }
}

/**
 * Builds a data set from two `.npy` files, one with features and one with labels.
 * Throws DataFileError when `labels` is missing, because features alone cannot train a model.
 */
export function datasetFromNpy(
  features: NpyArray,
  fileName: string,
  labels?: NpyArray,
  labelsFileName = 'labels.npy',
  task?: DatasetTask,
): Dataset {
  if (!labels) {
    throw new DataFileError(
      'invalid-dataset',
      `${fileName} holds one array ${describeShape(features.shape, features.dtype)} and no labels, so it cannot train a model. ` +
        'Load a labels .npy file with it, or save both in one file with numpy.savez("data.npz", x=features, y=labels).',
      fileName,
    );
  }
  requireExamples(features, fileName, fileName);
  requireExamples(labels, labelsFileName, labelsFileName);
  if (labels.shape[0] !== features.shape[0]) {
    throw new DataFileError(
      'invalid-dataset',
      `${labelsFileName} ${describeShape(labels.shape, labels.dtype)} has ${labels.shape[0]} labels, but the features in ${fileName} ` +
        `${describeShape(features.shape, features.dtype)} have ${features.shape[0]} examples. ` +
        `Choose a labels file with ${features.shape[0]} labels.`,
      labelsFileName,
    );
  }
  const source: DatasetSource = { kind: 'npy', fileName, labelsFileName };
  const names = { features: fileName, labels: labelsFileName, task };
  return pairFeaturesAndLabels(fileName.replace(/\.np[yz]$/i, ''), features, labels, names, source, fileName);
}

function requireArray(arrays: ReadonlyMap<string, NpyArray>, arrayName: string, fileName: string): NpyArray {
  const array = arrays.get(arrayName);
  if (!array) {
    throw new DataFileError(
      'invalid-option',
      `${fileName} has no array named '${arrayName}'; it contains ${[...arrays.keys()].join(', ') || 'no arrays'}. Pick one of those.`,
      fileName,
    );
  }
  return array;
}

function concatenatePositivesNegatives(name: string, positives: NpyArray, negatives: NpyArray, fileName: string): Dataset {
  const exampleShape = positives.shape.slice(1);
  const sameExampleShape =
    positives.shape.length >= 1 &&
    negatives.shape.length === positives.shape.length &&
    negatives.shape.slice(1).every((size, axis) => size === exampleShape[axis]);
  if (!sameExampleShape) {
    throw new DataFileError(
      'invalid-dataset',
      `In ${fileName}, positives ${describeShape(positives.shape, positives.dtype)} and negatives ` +
        `${describeShape(negatives.shape, negatives.dtype)} differ in shape after the first axis, so they cannot be joined. ` +
        'Save both with the same example shape.',
      fileName,
    );
  }

  const positiveTensor = toExampleTensor(positives);
  const negativeTensor = toExampleTensor(negatives);
  if (positiveTensor.dtype !== negativeTensor.dtype) {
    throw new DataFileError(
      'invalid-dataset',
      `In ${fileName}, positives are ${positives.dtype} and negatives ${negatives.dtype}; one is integer and the other float. ` +
        'Save both with the same dtype.',
      fileName,
    );
  }

  const positiveCount = positives.shape[0];
  const negativeCount = negatives.shape[0];
  const count = positiveCount + negativeCount;
  if (count === 0) {
    throw new DataFileError(
      'invalid-dataset',
      `In ${fileName}, positives ${describeShape(positives.shape, positives.dtype)} and negatives ` +
        `${describeShape(negatives.shape, negatives.dtype)} contain no examples. Save at least one example.`,
      fileName,
    );
  }
  const data =
    positiveTensor.dtype === 'int32'
      ? new Int32Array(positiveTensor.data.length + negativeTensor.data.length)
      : new Float32Array(positiveTensor.data.length + negativeTensor.data.length);
  data.set(positiveTensor.data, 0);
  data.set(negativeTensor.data, positiveTensor.data.length);

  // Positives come first with label 1, then negatives with label 0.
  const labels = new Int32Array(count);
  labels.fill(1, 0, positiveCount);

  return {
    name,
    features: { shape: exampleShape, dtype: positiveTensor.dtype, data } as ExampleTensor,
    labels: { shape: [], dtype: 'int32', data: labels },
    count,
    task: 'classification',
    classNames: ['negative', 'positive'],
    source: { kind: 'npz', fileName, convention: 'positives-negatives' },
  };
}

function pairFeaturesAndLabels(
  name: string,
  features: NpyArray,
  labels: NpyArray,
  choice: { features: string; labels: string; task?: DatasetTask },
  source: DatasetSource,
  fileName: string,
): Dataset {
  requireExamples(features, choice.features, fileName);
  requireExamples(labels, choice.labels, fileName);
  const count = features.shape[0];
  if (labels.shape[0] !== count) {
    throw new DataFileError(
      'invalid-dataset',
      `In ${fileName}, features '${choice.features}' ${describeShape(features.shape, features.dtype)} has ${count} examples ` +
        `but labels '${choice.labels}' ${describeShape(labels.shape, labels.dtype)} has ${labels.shape[0]}. ` +
        'Save the same number of examples in both, or pick other arrays.',
      fileName,
    );
  }

  const task = choice.task ?? guessTask(labels);
  const featureTensor = toExampleTensor(features);
  // A model input needs at least one axis, so one number per example becomes shape [1].
  if (featureTensor.shape.length === 0) featureTensor.shape = [1];

  return {
    name,
    features: featureTensor,
    labels: task === 'classification' ? classLabels(labels, choice.labels, fileName) : toFloatTensor(labels),
    count,
    task,
    source,
  };
}

/** Integer and bool labels are class indices; float labels are regression targets unless all are 0 or 1. */
function guessTask(labels: NpyArray): DatasetTask {
  if (storageTypeOf(labels.dtype) !== 'float32') return 'classification';
  return labels.data.every((value) => value === 0 || value === 1) ? 'classification' : 'regression';
}

/** Converts class labels to int32, rejecting values that are not integers from 0 to MAX_CLASS_INDEX. */
function classLabels(labels: NpyArray, arrayName: string, fileName: string): ExampleTensor {
  const data = new Int32Array(labels.data.length);
  for (let i = 0; i < labels.data.length; i++) {
    const value = labels.data[i];
    if (!Number.isInteger(value) || value < 0 || value > MAX_CLASS_INDEX) {
      throw new DataFileError(
        'invalid-dataset',
        `In ${fileName}, labels '${arrayName}' contain ${value} at position ${i}, which is not a class index ` +
          `(an integer from 0 to ${MAX_CLASS_INDEX}). Map the classes to 0, 1, 2, ... in numpy, ` +
          'or treat the task as regression.',
        fileName,
      );
    }
    data[i] = value;
  }
  return { shape: labels.shape.slice(1), dtype: 'int32', data };
}

function toFloatTensor(array: NpyArray): ExampleTensor {
  const data = array.data instanceof Float32Array ? array.data : Float32Array.from(array.data);
  return { shape: array.shape.slice(1), dtype: 'float32', data };
}

/** Converts an array to a tensor of examples: floats stay float32, integers and bools become int32. */
function toExampleTensor(array: NpyArray): ExampleTensor {
  const shape = array.shape.slice(1);
  if (array.data instanceof Float32Array) return { shape, dtype: 'float32', data: array.data };
  if (array.data instanceof Int32Array) return { shape, dtype: 'int32', data: array.data };
  return { shape, dtype: 'int32', data: Int32Array.from(array.data) };
}

/** Describes a shape and dtype as numpy prints them, e.g. "(18453, 200) int32". */
export function describeShape(shape: readonly number[], dtype: string): string {
  return `${formatShape(shape)} ${dtype}`;
}

export function summarizeArray(name: string, array: NpyArray): ArraySummary {
  return { name, shape: array.shape, dtype: array.dtype, description: describeShape(array.shape, array.dtype) };
}

/** Describes a data set's features and labels with the batch axis, e.g. "features (18453, 200) int32". */
export function describeDataset(dataset: Dataset): { features: string; labels: string } {
  return {
    features: describeShape([dataset.count, ...dataset.features.shape], dataset.features.dtype),
    labels: describeShape([dataset.count, ...dataset.labels.shape], dataset.labels.dtype),
  };
}

/** Number of examples of one class. */
export interface ClassCount {
  classIndex: number;
  className: string;
  count: number;
}

/**
 * Counts the examples per class, for classification data sets with one class index per example.
 * Lists the classes that occur, plus named classes without examples, in class order. Ids that
 * neither occur nor have a name are left out, so labels 0 and 5000 give two rows, not 5001.
 * Returns an empty list for regression data sets and for labels with more than one value per example.
 */
export function labelBalance(dataset: Dataset): ClassCount[] {
  if (dataset.task !== 'classification') return [];
  const counts = new Map<number, number>();
  dataset.classNames?.forEach((_, classIndex) => counts.set(classIndex, 0));
  const oneHot = oneHotClasses(dataset);
  if (oneHot) {
    // Every column of one-hot labels is a class, whether or not an example has it.
    for (let classIndex = 0; classIndex < dataset.labels.shape[0]; classIndex++) counts.set(classIndex, counts.get(classIndex) ?? 0);
  } else if (dataset.labels.shape.length > 1 || dataset.labels.data.length !== dataset.count) {
    return [];
  }
  for (const label of oneHot ?? dataset.labels.data) counts.set(label, (counts.get(label) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => a - b)
    .map(([classIndex, count]) => ({ classIndex, className: dataset.classNames?.[classIndex] ?? String(classIndex), count }));
}

/**
 * Returns the class index of each example when the labels are one-hot rows (one 1, all else 0),
 * or null for any other labels.
 */
function oneHotClasses(dataset: Dataset): Int32Array | null {
  const { labels, count } = dataset;
  if (labels.shape.length !== 1 || labels.shape[0] < 2 || labels.data.length !== count * labels.shape[0]) return null;
  const width = labels.shape[0];
  const classes = new Int32Array(count);
  for (let example = 0; example < count; example++) {
    let ones = 0;
    for (let column = 0; column < width; column++) {
      const value = labels.data[example * width + column];
      if (value === 1) {
        ones++;
        classes[example] = column;
      } else if (value !== 0) {
        return null;
      }
    }
    if (ones !== 1) return null;
  }
  return classes;
}

/** NaN or infinite values in the features or labels of a data set, counted for a warning at load. */
export interface NonFiniteCount {
  array: 'features' | 'labels';
  count: number;
  /** Index of the first example that contains one. */
  firstExample: number;
}

/** Counts the NaN and infinite values in the float features and labels; int32 arrays cannot hold one. */
export function countNonFinite(dataset: Dataset): NonFiniteCount[] {
  const found: NonFiniteCount[] = [];
  for (const array of ['features', 'labels'] as const) {
    const tensor = dataset[array];
    if (tensor.dtype !== 'float32' || dataset.count === 0) continue;
    const size = tensor.data.length / dataset.count;
    let count = 0;
    let first = -1;
    tensor.data.forEach((value, index) => {
      if (Number.isFinite(value)) return;
      count++;
      if (first < 0) first = index;
    });
    if (count > 0) found.push({ array, count, firstExample: Math.floor(first / size) });
  }
  return found;
}

/** A run of class ids, from `first` to `last` inclusive, that no example uses. */
export interface AbsentClassIds {
  first: number;
  last: number;
}

/**
 * Finds the class ids from 0 to the largest one in `balance` that no example uses and no class
 * name covers. A model with sparse labels needs one output unit per id up to the largest, so each
 * such id is an output that no example trains.
 */
export function findAbsentClassIds(balance: readonly ClassCount[]): AbsentClassIds[] {
  const runs: AbsentClassIds[] = [];
  let expected = 0;
  for (const entry of balance) {
    if (entry.classIndex > expected) runs.push({ first: expected, last: entry.classIndex - 1 });
    expected = entry.classIndex + 1;
  }
  return runs;
}

/**
 * Renumbers the classes of a data set to 0, 1, 2, ... in the order of their ids. The new class
 * names are the old names, or else the old ids, which keeps the mapping visible.
 * `originalIds[newIndex]` is the id a class had before.
 */
export function renumberClasses(dataset: Dataset): { dataset: Dataset; originalIds: number[] } {
  const originalIds = labelBalance(dataset).map((entry) => entry.classIndex);
  const newIndexOf = new Map(originalIds.map((id, index) => [id, index]));
  const data = Int32Array.from(dataset.labels.data, (label) => newIndexOf.get(label)!);
  const classNames = originalIds.map((id) => dataset.classNames?.[id] ?? String(id));
  return {
    dataset: { ...dataset, labels: { shape: [...dataset.labels.shape], dtype: 'int32', data }, classNames },
    originalIds,
  };
}
