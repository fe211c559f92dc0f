/** Core layers: InputLayer, Dense, Activation, Dropout. */
import type { Shape } from '../graph/types';
import { formatCount, formatShape } from './format';
import { activationParam, REGULARIZERS, USE_BIAS } from './params';
import {
  expectRank,
  kindError,
  lastDim,
  numberParam,
  single,
  stringParam,
  trainable,
  unknownSizeError,
  weightsOf,
} from './shape-utils';
import type { LayerKind } from './types';

export const InputLayer: LayerKind = {
  className: 'InputLayer',
  category: 'input',
  description: 'Where data enters the model; its shape is one example, without the batch axis.',
  params: [
    {
      name: 'shape',
      type: 'shape',
      default: [2],
      allowUnknown: true,
      description: 'Size of one example along each axis, e.g. 200 for a sequence of 200 tokens or 28, 28, 1 for a grey image.',
    },
    {
      name: 'batchSize',
      type: 'int',
      default: null,
      nullable: true,
      min: 1,
      description: 'A fixed batch size; leave empty (None) to accept any.',
    },
    {
      name: 'dtype',
      type: 'enum',
      default: 'float32',
      options: ['float32', 'int32'],
      description: 'Number type of the data: int32 for token ids fed to an Embedding, float32 otherwise.',
    },
  ],
  inputs: { min: 0, max: 0 },
  outputShapes(_inputs, params) {
    const shape = Array.isArray(params.shape) ? (params.shape as Shape) : [];
    const batchSize = typeof params.batchSize === 'number' ? params.batchSize : null;
    return single([batchSize, ...shape]);
  },
  weights: () => weightsOf(),
  summarize(params) {
    const shape = Array.isArray(params.shape) ? (params.shape as Shape) : [];
    return formatShape(shape);
  },
};

export const Dense: LayerKind = {
  className: 'Dense',
  category: 'core',
  description: 'Fully connected: every output unit is a weighted sum of all input features. It takes flat (batch, features) input, so a Flatten goes before it after convolutions.',
  params: [
    {
      name: 'units',
      type: 'int',
      default: 32,
      min: 1,
      description: 'Number of output units, the size of the last axis of the output.',
    },
    activationParam('linear'),
    USE_BIAS,
    ...REGULARIZERS,
  ],
  inputs: { min: 1, max: 1 },
  outputShapes([input], params) {
    // Keras applies Dense to the last axis of any rank ≥ 2, but on rank 3 or more that is
    // almost always a missing Flatten, so this engine asks for rank 2 and offers the fix.
    const rankError = expectRank('Dense', input, [2], {
      type: 'insert-before',
      label: 'Add Flatten before it',
      kind: 'Flatten',
      params: {},
    });
    if (rankError && input.length > 2) return rankError;
    if (input.length < 2) {
      return kindError('wrong-rank', `Dense needs rank 2 but got ${formatShape(input)}; feed it a batch of vectors`);
    }
    return single([input[0], numberParam(params, 'units', 1)]);
  },
  weights([input], params) {
    const inputSize = lastDim(input);
    if (inputSize === null) return unknownSizeError('Dense', input, 'last-axis');
    const units = numberParam(params, 'units', 1);
    const kernel = trainable('kernel', [inputSize, units]);
    return params.useBias === false ? weightsOf(kernel) : weightsOf(kernel, trainable('bias', [units]));
  },
  explainShape([input], params) {
    return [`last axis ${lastDim(input) ?? 'None'} → ${numberParam(params, 'units', 1)} units`];
  },
  summarize(params) {
    const activation = stringParam(params, 'activation', 'linear');
    // A value that is not a number shows as written, instead of a made-up unit count.
    const units = params.units;
    if (typeof units !== 'number') return `units ${JSON.stringify(units) ?? 'missing'}, ${activation}`;
    return `${formatCount(units)} ${units === 1 ? 'unit' : 'units'}, ${activation}`;
  },
};

export const Activation: LayerKind = {
  className: 'Activation',
  category: 'activation',
  description: 'Applies a function to every value; the shape is unchanged.',
  params: [{ ...activationParam('relu'), description: 'Function applied to each value.' }],
  inputs: { min: 1, max: 1 },
  outputShapes: ([input]) => single(input),
  weights: () => weightsOf(),
  summarize: (params) => stringParam(params, 'activation', 'relu'),
};

export const Dropout: LayerKind = {
  className: 'Dropout',
  category: 'regularization',
  description: 'During training, zeroes a random fraction of values and scales the rest up; does nothing at inference.',
  params: [
    {
      name: 'rate',
      type: 'float',
      default: 0.5,
      min: 0,
      max: 1,
      maxExclusive: true,
      description: 'Fraction of values set to zero in each training step, in [0, 1).',
    },
  ],
  inputs: { min: 1, max: 1 },
  outputShapes: ([input]) => single(input),
  weights: () => weightsOf(),
  summarize: (params) => `rate ${numberParam(params, 'rate', 0.5)}`,
};

export const coreKinds: LayerKind[] = [InputLayer, Dense, Activation, Dropout];
