/** Facts about a data set that the checks before training need. Pure: no tfjs. */
import type { DatasetShapes } from '../compile/training-config';
import type { Dataset, ExampleTensor } from '../data/dataset';

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
  for (const array of ['features', 'labels'] as const) {
    const tensor: ExampleTensor = dataset[array];
    if (tensor.dtype !== 'float32' || dataset.count === 0) continue;
    const size = tensor.data.length / dataset.count;
    const index = tensor.data.findIndex((value) => !Number.isFinite(value));
    if (index >= 0) return { array, example: Math.floor(index / size), value: tensor.data[index] };
  }
  return null;
}
