/**
 * Regularization layers that act only while training: spatial dropout, Gaussian noise and
 * dropout, alpha dropout; and Masking, which marks padded time steps. None has weights, and
 * each keeps the shape of its input.
 */
import type { Shape } from '../graph/types';
import { formatShape } from './format';
import { kindError, numberParam, single, stringParam, tfjsMissingKind, weightsOf } from './shape-utils';
import type { KindError, LayerKind, ParamSpec } from './types';

/**
 * Kinds of this family that Keras has and TensorFlow.js 4.22 does not register, so a model
 * that uses one is inferred and exported to Keras but cannot be compiled or trained here.
 */
export const CLASSES_MISSING_FROM_TFJS: ReadonlySet<string> = new Set(['SpatialDropout2D']);

function rateParam(defaultRate: number, description: string): ParamSpec {
  return { name: 'rate', type: 'float', default: defaultRate, min: 0, max: 1, maxExclusive: true, description };
}

function spatialRankError(className: string, input: Shape, rank: number): KindError | null {
  if (input.length === rank) return null;
  const axes = rank === 3 ? '(batch, steps, channels)' : '(batch, height, width, channels)';
  let hint = 'reshape the input to that rank first';
  if (input.length === 2) hint = 'use Dropout for a batch of vectors';
  else if (input.length === 3) hint = 'use SpatialDropout1D for sequences';
  else if (input.length === 4) hint = 'use SpatialDropout2D for images';
  return kindError('wrong-rank', `${className} needs rank ${rank} ${axes} but got ${formatShape(input)}; ${hint}`);
}

export const SpatialDropout1D: LayerKind = {
  className: 'SpatialDropout1D',
  category: 'regularization',
  description: 'Dropout that zeroes whole channels of a sequence at once, because neighbouring steps are too alike for single values to matter.',
  params: [rateParam(0.5, 'Fraction of channels set to zero in each training step, in [0, 1).')],
  inputs: { min: 1, max: 1 },
  outputShapes([input]) {
    return spatialRankError('SpatialDropout1D', input, 3) ?? single(input);
  },
  weights: () => weightsOf(),
  summarize: (params) => `rate ${numberParam(params, 'rate', 0.5)}`,
};

// NOTE: TensorFlow.js 4.22 has no SpatialDropout2D, so this kind follows Keras 2.15 and its
// tests compare with hand-computed shapes instead of a tfjs model.
export const SpatialDropout2D: LayerKind = {
  className: 'SpatialDropout2D',
  category: 'regularization',
  tfjsLimitation: () => tfjsMissingKind('SpatialDropout2D'),
  description: 'Dropout that zeroes whole feature maps of an image at once, because neighbouring pixels are too alike for single values to matter.',
  params: [
    rateParam(0.5, 'Fraction of feature maps set to zero in each training step, in [0, 1).'),
    {
      name: 'dataFormat',
      type: 'enum',
      default: 'channels_last',
      options: ['channels_last', 'channels_first'],
      description: 'Where the channel axis is: last as in (height, width, channels), or first after the batch.',
    },
  ],
  inputs: { min: 1, max: 1 },
  outputShapes([input]) {
    return spatialRankError('SpatialDropout2D', input, 4) ?? single(input);
  },
  weights: () => weightsOf(),
  summarize: (params) => `rate ${numberParam(params, 'rate', 0.5)}, ${stringParam(params, 'dataFormat', 'channels_last')}`,
};

export const GaussianNoise: LayerKind = {
  className: 'GaussianNoise',
  category: 'regularization',
  description: 'During training, adds zero-mean Gaussian noise to every value; does nothing at inference.',
  params: [
    {
      name: 'stddev',
      type: 'float',
      default: 0.1,
      min: 0,
      description: 'Standard deviation of the added noise, in the units of the input.',
    },
  ],
  inputs: { min: 1, max: 1 },
  outputShapes: ([input]) => single(input),
  weights: () => weightsOf(),
  summarize: (params) => `stddev ${numberParam(params, 'stddev', 0.1)}`,
};

export const GaussianDropout: LayerKind = {
  className: 'GaussianDropout',
  category: 'regularization',
  description: 'During training, multiplies every value by Gaussian noise with mean 1; does nothing at inference.',
  params: [rateParam(0.1, 'Drop rate it imitates: the noise has standard deviation √(rate / (1 − rate)).')],
  inputs: { min: 1, max: 1 },
  outputShapes: ([input]) => single(input),
  weights: () => weightsOf(),
  summarize: (params) => `rate ${numberParam(params, 'rate', 0.1)}`,
};

export const AlphaDropout: LayerKind = {
  className: 'AlphaDropout',
  category: 'regularization',
  description: 'Dropout for selu networks: dropped values take the selu minimum and the rest is rescaled, so mean and variance stay the same.',
  params: [rateParam(0.1, 'Fraction of values dropped in each training step, in [0, 1).')],
  inputs: { min: 1, max: 1 },
  outputShapes: ([input]) => single(input),
  weights: () => weightsOf(),
  summarize: (params) => `rate ${numberParam(params, 'rate', 0.1)}`,
};

export const Masking: LayerKind = {
  className: 'Masking',
  category: 'core',
  description: 'Marks time steps whose features all equal maskValue as padding, so recurrent layers after it skip them.',
  params: [
    {
      name: 'maskValue',
      type: 'float',
      default: 0,
      description: 'A step is skipped when every feature of it equals this value.',
    },
  ],
  inputs: { min: 1, max: 1 },
  outputShapes: ([input]) => single(input),
  weights: () => weightsOf(),
  explainShape: ([input]) => [`the shape ${formatShape(input)} is unchanged; only a mask is added`],
  summarize: (params) => `mask ${numberParam(params, 'maskValue', 0)}`,
};

export const regularizationKinds: LayerKind[] = [
  SpatialDropout1D,
  SpatialDropout2D,
  GaussianNoise,
  GaussianDropout,
  AlphaDropout,
  Masking,
];
