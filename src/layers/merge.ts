/**
 * Merge layers: element-wise Add, Multiply, Average, Maximum and Minimum, and Concatenate.
 * Keras also has Subtract, but TensorFlow.js 4.22 does not, so it is not offered here.
 */
import type { Dim, ParamValue, Shape } from '../graph/types';
import { formatShape } from './format';
import { kindError, numberParam, single, weightsOf } from './shape-utils';
import type { KindError, KindFix, LayerKind, ShapeResult } from './types';

/**
 * Computes the output sizes of an element-wise operation on two shapes without the batch axis,
 * as TensorFlow.js `computeElementwiseOpOutputShape` does. Shapes align at their last axis, and
 * a size of 1 stretches to the other size. An unknown size on either side gives an unknown size.
 * Returns `null` when two known sizes differ and neither is 1.
 */
function broadcastSizes(a: Dim[], b: Dim[]): Dim[] | null {
  if (a.length < b.length) return broadcastSizes(b, a);
  const output = a.slice(0, a.length - b.length);
  for (let k = 0; k < b.length; k += 1) {
    const i = a[a.length - b.length + k];
    const j = b[k];
    if (i === null || j === null) output.push(null);
    else if (i === 1) output.push(j);
    else if (j === 1 || i === j) output.push(i);
    else return null;
  }
  return output;
}

/** Returns the one known batch size among the inputs, `null` when none is known, or an error when they differ. */
function commonBatch(className: string, inputs: Shape[]): Dim | KindError {
  const known = [...new Set(inputs.map((shape) => shape[0]).filter((size): size is number => size !== null))];
  if (known.length <= 1) return known[0] ?? null;
  return kindError(
    'merge-mismatch',
    `${className} needs one batch size but its inputs have ${known.join(' and ')} in ${inputs.map(formatShape).join(', ')}; give every Input the same batchSize`,
  );
}

/** The layer that changes only the last axis of a tensor of each rank: Dense, or a 1-wide convolution. */
const PROJECTIONS: Record<number, { kind: string; params: (size: number) => Record<string, ParamValue>; describe: (size: number) => string }> = {
  2: { kind: 'Dense', params: (size) => ({ units: size }), describe: (size) => `Dense with ${size} units` },
  3: { kind: 'Conv1D', params: (size) => ({ filters: size, kernelSize: 1 }), describe: (size) => `Conv1D with ${size} filters of size 1` },
  4: { kind: 'Conv2D', params: (size) => ({ filters: size, kernelSize: [1, 1] }), describe: (size) => `Conv2D with ${size} filters of 1×1` },
};

/**
 * Returns the fix that projects input `index` onto the last-axis size of `target`, as a residual
 * block does when its branch changes the number of channels, or undefined where the shapes differ
 * in more than the known last axis.
 */
function projectionFix(target: Shape, shape: Shape, index: number): KindFix | undefined {
  const projection = PROJECTIONS[shape.length];
  const size = target[target.length - 1];
  if (!projection || target.length !== shape.length || typeof size !== 'number' || shape[shape.length - 1] === null) return undefined;
  if (!target.slice(1, -1).every((dim, axis) => dim === shape[axis + 1])) return undefined;
  return {
    type: 'insert-before',
    label: `Add ${projection.describe(size)} on input ${index + 1}`,
    kind: projection.kind,
    params: projection.params(size),
    input: index,
  };
}

function mismatchError(className: string, first: Shape, second: Shape, secondIndex: number): KindError {
  return kindError(
    'merge-mismatch',
    `${className} needs inputs of the same shape (a size of 1 may stretch) but got ${formatShape(first)} and ${formatShape(second)}; ` +
      `make them agree with a Dense or Reshape before it, or join them with Concatenate instead`,
    projectionFix(first, second, secondIndex),
  );
}

function elementwiseShape(className: string, inputs: Shape[]): ShapeResult {
  const batch = commonBatch(className, inputs);
  if (batch !== null && typeof batch === 'object') return batch;

  let sizes: Dim[] = inputs[0].slice(1);
  for (let i = 1; i < inputs.length; i += 1) {
    const next = broadcastSizes(sizes, inputs[i].slice(1));
    if (!next) {
      // The message names an earlier input that conflicts with this one. A conflict may also
      // appear only after earlier inputs have stretched the shape, so that shape is the fallback.
      const earlier = inputs.slice(0, i).find((shape) => broadcastSizes(shape.slice(1), inputs[i].slice(1)) === null);
      return mismatchError(className, earlier ?? [batch, ...sizes], inputs[i], i);
    }
    sizes = next;
  }
  return single([batch, ...sizes]);
}

function elementwise(className: string, description: string, operation: string): LayerKind {
  return {
    className,
    category: 'merge',
    description,
    params: [],
    inputs: { min: 2, max: Infinity },
    outputShapes: (inputs) => elementwiseShape(className, inputs),
    weights: () => weightsOf(),
    explainShape(inputs) {
      const shapes = inputs.map(formatShape);
      const same = shapes.every((shape) => shape === shapes[0]);
      return same ? [] : [`${operation} of ${shapes.join(', ')}, stretching sizes of 1`];
    },
    summarize: () => operation,
  };
}

export const Add = elementwise('Add', 'Adds its inputs element by element, as in a residual connection; they must have the same shape.', 'element-wise sum');
export const Multiply = elementwise('Multiply', 'Multiplies its inputs element by element, as in gating; they must have the same shape.', 'element-wise product');
export const Average = elementwise('Average', 'Averages its inputs element by element; they must have the same shape.', 'element-wise mean');
export const Maximum = elementwise('Maximum', 'Keeps the largest of its inputs at each position; they must have the same shape.', 'element-wise maximum');
export const Minimum = elementwise('Minimum', 'Keeps the smallest of its inputs at each position; they must have the same shape.', 'element-wise minimum');

/** Returns the concatenation axis counted from 0 (the batch axis), or `null` when it is outside the rank. */
function concatAxis(axis: number, rank: number): number | null {
  const index = axis < 0 ? axis + rank : axis;
  return index >= 0 && index < rank ? index : null;
}

export const Concatenate: LayerKind = {
  className: 'Concatenate',
  category: 'merge',
  description: 'Joins its inputs end to end along one axis; all other axes must match.',
  params: [
    {
      name: 'axis',
      type: 'int',
      default: -1,
      description: 'Axis to join along; -1 is the last axis (features or channels), 1 the first after the batch.',
    },
  ],
  inputs: { min: 2, max: Infinity },
  outputShapes(inputs, params) {
    const axisParam = numberParam(params, 'axis', -1);
    const first = inputs[0];
    const otherRank = inputs.find((shape) => shape.length !== first.length);
    if (otherRank) {
      return kindError(
        'merge-mismatch',
        `Concatenate needs inputs of the same rank but got ${formatShape(first)} and ${formatShape(otherRank)}; add a Reshape before it so that both have rank ${first.length}`,
      );
    }

    const axis = concatAxis(axisParam, first.length);
    if (axis === null) {
      return kindError(
        'invalid-param',
        `Concatenate axis ${axisParam} does not exist in ${formatShape(first)}, which has axes 0 to ${first.length - 1} (or -1 to -${first.length}); set axis to -1 for the last axis`,
        { type: 'set-param', label: 'Set axis to -1', param: 'axis', value: -1 },
      );
    }

    // TensorFlow.js 4.22 compares the other axes exactly, so an unknown size does not match a
    // known one there, although Keras accepts that pair.
    const without = (shape: Shape) => JSON.stringify(shape.filter((_, i) => i !== axis));
    const mismatch = inputs.find((shape) => without(shape) !== without(first));
    if (mismatch) {
      return kindError(
        'merge-mismatch',
        `Concatenate joins along axis ${axisParam}, so all other axes must match, but got ${formatShape(first)} and ${formatShape(mismatch)}; ` +
          'make them match with a Reshape or Dense before it, or choose another axis',
      );
    }

    const sizes = inputs.map((shape) => shape[axis]);
    const joined = sizes.includes(null) ? null : (sizes as number[]).reduce((sum, size) => sum + size, 0);
    const output = first.slice();
    output[axis] = joined;
    return single(output);
  },
  weights: () => weightsOf(),
  explainShape(inputs, params) {
    const axis = concatAxis(numberParam(params, 'axis', -1), inputs[0].length);
    if (axis === null) return [];
    const sizes = inputs.map((shape) => shape[axis]);
    const total = sizes.includes(null) ? 'None' : String((sizes as number[]).reduce((sum, size) => sum + size, 0));
    return [`axis ${axis}: ${sizes.map((size) => size ?? 'None').join(' + ')} = ${total}`];
  },
  summarize: (params) => `axis ${numberParam(params, 'axis', -1)}`,
};

export const mergeKinds: LayerKind[] = [Add, Multiply, Average, Maximum, Minimum, Concatenate];
