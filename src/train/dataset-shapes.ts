/** Facts about a data set that the checks before training need. Pure: no tfjs. */
import type { DatasetShapes } from '../compile/training-config';
import { countNonFinite, type Dataset, type ExampleTensor } from '../data/dataset';

/** Shapes, dtypes, task and class count of a data set, for `checkDataAgainstGraph` and `defaultTrainingConfig`. */
export function datasetShapesOf(dataset: Dataset): DatasetShapes {
  const labels = dataset.labels;
  const oneValue = labels.shape.length === 0 || (labels.shape.length === 1 && labels.shape[0] === 1);
  let classCount: number | undefined;
  let presentClasses: number | undefined;
  if (dataset.task === 'classification' && oneValue && labels.dtype === 'int32') {
    let largest = -1;
    const present = new Set<number>();
    for (const label of labels.data) {
      if (label > largest) largest = label;
      present.add(label);
    }
    classCount = Math.max(largest + 1, dataset.classNames?.length ?? 0);
    presentClasses = present.size;
  }
  const classes = classCount === undefined ? {} : { classCount, presentClasses };
  return {
    features: { shape: [...dataset.features.shape], dtype: dataset.features.dtype },
    labels: { shape: [...labels.shape], dtype: labels.dtype, task: dataset.task, ...classes },
  };
}

/** A NaN or infinite value in a float tensor of examples. */
export interface NonFiniteValue {
  array: 'features' | 'labels';
  example: number;
  value: number;
}

/** Finds the first NaN or infinite value in the features or labels; int32 arrays cannot hold one. */
export function findNonFiniteValue(dataset: Dataset): NonFiniteValue | null {
  const [first] = countNonFinite(dataset);
  if (!first) return null;
  const tensor: ExampleTensor = dataset[first.array];
  const size = tensor.data.length / dataset.count;
  const example = tensor.data.subarray(first.firstExample * size, (first.firstExample + 1) * size);
  return { array: first.array, example: first.firstExample, value: example.find((value) => !Number.isFinite(value))! };
}
