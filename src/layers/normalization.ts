/** Normalization layers: BatchNormalization and LayerNormalization. */
import type { Dim, ParamValue, Params, Shape } from '../graph/types';
import { formatShape } from './format';
import { boolParam, kindError, nonTrainable, numberParam, single, trainable, unknownSizeError, weightsOf } from './shape-utils';
import type { KindError, LayerKind, ParamSpec, WeightSpec } from './types';

const EPSILON: ParamSpec = {
  name: 'epsilon',
  type: 'float',
  default: 0.001,
  min: 0,
  minExclusive: true,
  description: 'Small number added to the variance before its square root, so that no division is by zero.',
};

const CENTER: ParamSpec = {
  name: 'center',
  type: 'bool',
  default: true,
  description: 'Learns an offset beta that is added after normalizing.',
};

const SCALE: ParamSpec = {
  name: 'scale',
  type: 'bool',
  default: true,
  description: 'Learns a factor gamma that multiplies each value after normalizing.',
};

/** Reads an `axis` parameter as a list: it may be one integer, or a list such as `[3]` as Keras saves it. */
function readAxes(value: ParamValue | undefined): number[] | null {
  if (typeof value === 'number') return Number.isInteger(value) ? [value] : null;
  if (!Array.isArray(value) || value.length === 0) return null;
  return value.every((axis) => typeof axis === 'number' && Number.isInteger(axis)) ? (value as number[]) : null;
}

/**
 * Axes counted from 0 (the batch axis), or an error for an axis outside the input's rank or
 * one named twice. A negative axis counts from the end, as in Keras: −1 is the last axis.
 */
function resolveAxes(className: string, axes: number[], input: Shape): number[] | KindError {
  const rank = input.length;
  const resolved: number[] = [];
  for (const axis of axes) {
    const index = axis < 0 ? axis + rank : axis;
    if (index < 0 || index >= rank) {
      return kindError(
        'invalid-param',
        `${className} axis ${axis} does not exist in ${formatShape(input)}, which has axes 0 to ${rank - 1} (or -1 to -${rank}); set axis to -1 for the last axis`,
        { type: 'set-param', label: 'Set axis to -1', param: 'axis', value: -1 },
      );
    }
    if (resolved.includes(index)) {
      return kindError('invalid-param', `${className} axis lists axis ${index} twice in ${JSON.stringify(axes)}; name each axis once`);
    }
    resolved.push(index);
  }
  return resolved;
}

function axisFormatError(className: string, value: ParamValue | undefined, expected: string): KindError {
  return kindError(
    'invalid-param',
    `${className} axis must be ${expected} but got ${JSON.stringify(value)}; set axis to -1 for the last axis`,
    { type: 'set-param', label: 'Set axis to -1', param: 'axis', value: -1 },
  );
}

/** Returns the normalized axis of a BatchNormalization, or an error. */
function batchNormAxis(input: Shape, params: Params): number | KindError {
  const axes = readAxes(params.axis);
  if (!axes) return axisFormatError('BatchNormalization', params.axis, 'a whole number such as -1 or a list of one such as [3]');
  if (axes.length > 1) {
    // Keras normalizes over several axes at once; TensorFlow.js 4.22 reads `axis` as one number.
    return kindError(
      'unsupported',
      `BatchNormalization over several axes ${JSON.stringify(axes)} cannot run in TensorFlow.js, which normalizes along one axis; set axis to one of them`,
      { type: 'set-param', label: `Set axis to ${axes[axes.length - 1]}`, param: 'axis', value: axes[axes.length - 1] },
    );
  }
  const resolved = resolveAxes('BatchNormalization', axes, input);
  return Array.isArray(resolved) ? resolved[0] : resolved;
}

/** Sizes of the given axes, or an error naming the first unknown one. */
function knownSizes(className: string, input: Shape, axes: number[]): number[] | KindError {
  const sizes: Dim[] = axes.map((axis) => input[axis]);
  const unknown = sizes.indexOf(null);
  if (unknown >= 0) return unknownSizeError(className, input, `axis ${axes[unknown]}`);
  return sizes as number[];
}

function scaleAndOffset(params: Params, shape: number[]): WeightSpec[] {
  const weights: WeightSpec[] = [];
  if (boolParam(params, 'scale', true)) weights.push(trainable('gamma', shape));
  if (boolParam(params, 'center', true)) weights.push(trainable('beta', shape));
  return weights;
}

export const BatchNormalization: LayerKind = {
  className: 'BatchNormalization',
  category: 'normalization',
  description: 'Normalizes each channel with the batch mean and variance while training, and with running averages of them at inference.',
  params: [
    {
      name: 'axis',
      type: 'json',
      default: -1,
      description: 'The channel axis, normalized on its own: -1 (the last axis) for channels-last data, 1 for channels-first. Keras files may write it as a list such as [3].',
    },
    {
      name: 'momentum',
      type: 'float',
      default: 0.99,
      min: 0,
      max: 1,
      description: 'How much of the running mean and variance is kept at each step; the rest comes from the current batch.',
    },
    EPSILON,
    CENTER,
    SCALE,
  ],
  inputs: { min: 1, max: 1 },
  outputShapes([input], params) {
    const axis = batchNormAxis(input, params);
    return typeof axis === 'number' ? single(input) : axis;
  },
  weights([input], params) {
    const axis = batchNormAxis(input, params);
    if (typeof axis !== 'number') return axis;
    const sizes = knownSizes('BatchNormalization', input, [axis]);
    if (!Array.isArray(sizes)) return sizes;

    // The moving statistics are updated by the layer itself, not by the optimizer, so Keras
    // and TensorFlow.js count them as non-trainable.
    return weightsOf(
      ...scaleAndOffset(params, sizes),
      nonTrainable('moving_mean', sizes),
      nonTrainable('moving_variance', sizes),
    );
  },
  explainShape([input], params) {
    const axis = batchNormAxis(input, params);
    if (typeof axis !== 'number') return [];
    return [`one mean and variance per entry of axis ${axis} (size ${input[axis] ?? 'None'}); the shape is unchanged`];
  },
  summarize(params) {
    return `axis ${JSON.stringify(params.axis ?? -1)}, momentum ${numberParam(params, 'momentum', 0.99)}`;
  },
};

/** Returns the normalized axes of a LayerNormalization, counted from 0, or an error. */
function layerNormAxes(input: Shape, params: Params): number[] | KindError {
  const axes = readAxes(params.axis);
  if (!axes) return axisFormatError('LayerNormalization', params.axis, 'a whole number such as -1 or a list of them such as [1, 2]');
  return resolveAxes('LayerNormalization', axes, input);
}

export const LayerNormalization: LayerKind = {
  className: 'LayerNormalization',
  category: 'normalization',
  description: 'Normalizes each example on its own over the chosen axes, so it behaves the same in training and at inference.',
  params: [
    {
      name: 'axis',
      type: 'json',
      default: -1,
      description: 'Axis or list of axes to compute the mean and variance over, per example; -1 is the last axis.',
    },
    EPSILON,
    CENTER,
    SCALE,
  ],
  inputs: { min: 1, max: 1 },
  outputShapes([input], params) {
    const axes = layerNormAxes(input, params);
    return Array.isArray(axes) ? single(input) : axes;
  },
  weights([input], params) {
    const axes = layerNormAxes(input, params);
    if (!Array.isArray(axes)) return axes;
    const sizes = knownSizes('LayerNormalization', input, axes);
    if (!Array.isArray(sizes)) return sizes;
    return weightsOf(...scaleAndOffset(params, sizes));
  },
  explainShape([input], params) {
    const axes = layerNormAxes(input, params);
    if (!Array.isArray(axes)) return [];
    return [`mean and variance over axes ${axes.join(', ')} of each example; the shape is unchanged`];
  },
  summarize(params) {
    return `axis ${JSON.stringify(params.axis ?? -1)}`;
  },
};

export const normalizationKinds: LayerKind[] = [BatchNormalization, LayerNormalization];
