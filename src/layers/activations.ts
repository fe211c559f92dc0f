/**
 * Activation layers with their own settings or weights: ReLU, LeakyReLU, PReLU, ELU, Softmax
 * and ThresholdedReLU. Each keeps the shape of its input.
 */
import type { ParamValue, Shape } from '../graph/types';
import { formatShape } from './format';
import { kindError, numberParam, single, trainable, weightsOf } from './shape-utils';
import type { KindError, LayerKind } from './types';

export const ReLU: LayerKind = {
  className: 'ReLU',
  category: 'activation',
  description: 'max(0, x) on every value, optionally capped at maxValue (6 gives ReLU6).',
  params: [
    {
      name: 'maxValue',
      type: 'float',
      default: null,
      nullable: true,
      min: 0,
      description: 'Largest output value; empty for no cap.',
    },
  ],
  inputs: { min: 1, max: 1 },
  outputShapes: ([input]) => single(input),
  weights: () => weightsOf(),
  summarize: (params) => (typeof params.maxValue === 'number' ? `max ${params.maxValue}` : 'no cap'),
};

export const LeakyReLU: LayerKind = {
  className: 'LeakyReLU',
  category: 'activation',
  description: 'Like ReLU, but negative values are multiplied by a small slope alpha instead of set to zero.',
  params: [
    {
      name: 'alpha',
      type: 'float',
      default: 0.3,
      min: 0,
      description: 'Slope for negative inputs: x < 0 gives alpha·x.',
    },
  ],
  inputs: { min: 1, max: 1 },
  outputShapes: ([input]) => single(input),
  weights: () => weightsOf(),
  summarize: (params) => `alpha ${numberParam(params, 'alpha', 0.3)}`,
};

/**
 * Returns the axes (counted from 0, the batch axis) along which PReLU shares one slope, or an
 * error. Keras and TensorFlow.js accept one axis or a list of them.
 */
function sharedAxesOf(value: ParamValue | undefined, input: Shape): number[] | KindError {
  if (value === null || value === undefined) return [];
  const axes = typeof value === 'number' ? [value] : value;
  const valid =
    Array.isArray(axes) &&
    axes.every((axis) => typeof axis === 'number' && Number.isInteger(axis) && axis >= 1 && axis < input.length);
  if (valid) return axes as number[];
  return kindError(
    'invalid-param',
    `PReLU sharedAxes must list axes from 1 to ${input.length - 1} of ${formatShape(input)} but got ${JSON.stringify(value)}; clear sharedAxes to learn one slope per value`,
    { type: 'set-param', label: 'Clear sharedAxes', param: 'sharedAxes', value: null },
  );
}

export const PReLU: LayerKind = {
  className: 'PReLU',
  category: 'activation',
  description: 'Leaky ReLU whose negative slope is learned, one slope per value unless axes share it.',
  params: [
    {
      name: 'sharedAxes',
      type: 'json',
      default: null,
      nullable: true,
      description: 'Axes that share one slope, e.g. [1, 2] for one slope per channel of an image; empty for one slope per value.',
    },
  ],
  inputs: { min: 1, max: 1 },
  outputShapes([input], params) {
    const shared = sharedAxesOf(params.sharedAxes, input);
    return Array.isArray(shared) ? single(input) : shared;
  },
  weights([input], params) {
    const shared = sharedAxesOf(params.sharedAxes, input);
    if (!Array.isArray(shared)) return shared;

    // The slope has the shape of one example, with a size of 1 on each shared axis.
    const alphaShape = input.slice(1).map((size, i) => (shared.includes(i + 1) ? 1 : size));
    const unknownAxes = alphaShape.flatMap((size, i) => (size === null ? [i + 1] : []));
    if (unknownAxes.length > 0) {
      const sharedAxes = [...new Set([...shared, ...unknownAxes])].sort((a, b) => a - b);
      return kindError(
        'unknown-size',
        `PReLU learns one slope per value, so it needs known sizes but got ${formatShape(input)}; set the sizes on the Input layer, or share the slope along axes ${JSON.stringify(unknownAxes)} with sharedAxes`,
        { type: 'set-param', label: `Set sharedAxes to ${JSON.stringify(sharedAxes)}`, param: 'sharedAxes', value: sharedAxes },
      );
    }
    return weightsOf(trainable('alpha', alphaShape as number[]));
  },
  explainShape([input], params) {
    const shared = sharedAxesOf(params.sharedAxes, input);
    if (!Array.isArray(shared) || shared.length === 0) return ['one slope per value of an example'];
    return [`one slope shared along axes ${shared.join(', ')}`];
  },
  summarize: (params) => (params.sharedAxes === null || params.sharedAxes === undefined ? 'slope per value' : `shared axes ${JSON.stringify(params.sharedAxes)}`),
};

export const ELU: LayerKind = {
  className: 'ELU',
  category: 'activation',
  description: 'x for x > 0 and alpha·(eˣ − 1) below, a smooth ReLU whose outputs can be negative.',
  params: [
    {
      name: 'alpha',
      type: 'float',
      default: 1,
      min: 0,
      description: 'Scale of the negative part: for very negative inputs the output approaches −alpha.',
    },
  ],
  inputs: { min: 1, max: 1 },
  outputShapes([input], params) {
    // TensorFlow.js 4.22 throws "Non-default alpha value … is not supported by the ELU layer yet".
    const alpha = numberParam(params, 'alpha', 1);
    if (alpha !== 1) {
      return kindError(
        'unsupported',
        `ELU with alpha ${alpha} cannot run in TensorFlow.js, which implements only alpha 1; set alpha to 1`,
        { type: 'set-param', label: 'Set alpha to 1', param: 'alpha', value: 1 },
      );
    }
    return single(input);
  },
  weights: () => weightsOf(),
  summarize: (params) => `alpha ${numberParam(params, 'alpha', 1)}`,
};

export const ThresholdedReLU: LayerKind = {
  className: 'ThresholdedReLU',
  category: 'activation',
  description: 'Keeps values above theta and sets the rest to zero.',
  params: [
    {
      name: 'theta',
      type: 'float',
      default: 1,
      min: 0,
      description: 'Threshold: x > theta passes unchanged, anything else becomes 0.',
    },
  ],
  inputs: { min: 1, max: 1 },
  outputShapes: ([input]) => single(input),
  weights: () => weightsOf(),
  summarize: (params) => `theta ${numberParam(params, 'theta', 1)}`,
};

export const Softmax: LayerKind = {
  className: 'Softmax',
  category: 'activation',
  description: 'Turns the values along one axis into probabilities: each is exp(x) divided by the sum of exp over that axis.',
  params: [
    {
      name: 'axis',
      type: 'int',
      default: -1,
      description: 'Axis whose values sum to 1 after the layer; -1 is the last axis.',
    },
  ],
  inputs: { min: 1, max: 1 },
  outputShapes([input], params) {
    const axis = numberParam(params, 'axis', -1);
    const index = axis < 0 ? axis + input.length : axis;
    if (index < 1 || index >= input.length) {
      return kindError(
        'invalid-param',
        `Softmax axis ${axis} is not an axis of one example in ${formatShape(input)}; set axis to -1 for the last axis`,
        { type: 'set-param', label: 'Set axis to -1', param: 'axis', value: -1 },
      );
    }
    // TensorFlow.js 4.22 builds such a layer but throws "Softmax along a non-last dimension is
    // not yet supported" as soon as data flows through it.
    if (index !== input.length - 1) {
      return kindError(
        'unsupported',
        `Softmax along axis ${axis} of ${formatShape(input)} cannot run in TensorFlow.js, which normalizes only the last axis; set axis to -1, or move that axis last with a Permute before it`,
        { type: 'set-param', label: 'Set axis to -1', param: 'axis', value: -1 },
      );
    }
    return single(input);
  },
  weights: () => weightsOf(),
  summarize: (params) => `axis ${numberParam(params, 'axis', -1)}`,
};

export const activationsKinds: LayerKind[] = [ReLU, LeakyReLU, PReLU, ELU, ThresholdedReLU, Softmax];
