/**
 * Recurrent layers: SimpleRNN, LSTM and GRU. Each reads a sequence (batch, time, features) one
 * step at a time and returns its last output, or the output of every step.
 */
import type { Params, Shape } from '../graph/types';
import { formatShape } from './format';
import { activationParam, USE_BIAS } from './params';
import {
  addChannelAxisFix,
  boolParam,
  kindError,
  lastDim,
  numberParam,
  single,
  stringParam,
  trainable,
  unknownSizeError,
  weightsOf,
} from './shape-utils';
import type { KindError, LayerKind, ParamSpec, ShapeResult, WeightResult } from './types';

const dropoutSpec = (name: string, description: string): ParamSpec => ({
  name,
  type: 'float',
  default: 0,
  min: 0,
  max: 1,
  maxExclusive: true,
  description,
});

const UNITS: ParamSpec = {
  name: 'units',
  type: 'int',
  default: 32,
  min: 1,
  description: 'Size of the hidden state, and so of the output at each step.',
};

const SEQUENCE_PARAMS: readonly ParamSpec[] = [
  {
    name: 'returnSequences',
    type: 'bool',
    default: false,
    description: 'Returns the output of every step (batch, time, units) instead of the last one (batch, units); needed before another recurrent layer.',
  },
  {
    name: 'goBackwards',
    type: 'bool',
    default: false,
    description: 'Reads the sequence from its last step to its first.',
  },
  dropoutSpec('dropout', 'Fraction of the input features dropped at each step while training, in [0, 1).'),
  dropoutSpec('recurrentDropout', 'Fraction of the hidden state dropped at each step while training, in [0, 1).'),
  {
    name: 'kernelRegularizer',
    type: 'regularizer',
    default: null,
    description: 'Penalty l1·Σ|w| + l2·Σw² on the input kernel, added to the loss.',
  },
  {
    name: 'recurrentRegularizer',
    type: 'regularizer',
    default: null,
    description: 'The same penalty on the recurrent kernel, which maps one hidden state to the next.',
  },
  {
    name: 'biasRegularizer',
    type: 'regularizer',
    default: null,
    description: 'The same penalty on the bias vector.',
  },
];

const ACTIVATION: ParamSpec = {
  ...activationParam('tanh'),
  description: 'Function applied to the candidate state and the output; tanh keeps them in (−1, 1).',
};

const RECURRENT_ACTIVATION: ParamSpec = {
  ...activationParam('sigmoid', 'recurrentActivation'),
  description: 'Function of the gates, which open between 0 and 1; sigmoid in tf.keras 2, hard_sigmoid in older Keras files.',
};

/**
 * Checks that the input is a sequence (batch, time, features). A rank-2 input gets a Reshape
 * fix that makes each value a step with one feature, and a larger rank one that keeps the first
 * axis as time and flattens the rest into features.
 */
function sequenceRankError(className: string, input: Shape): KindError | null {
  if (input.length === 3) return null;
  const expected = `${className} needs rank 3 (batch, time, features) but got ${formatShape(input)}`;

  if (input.length === 2) {
    const fix = addChannelAxisFix(input);
    const advice = fix ? fix.label.charAt(0).toLowerCase() + fix.label.slice(1) : 'add a Reshape before it';
    return kindError('wrong-rank', `${expected}; ${advice}, or an Embedding if the values are token ids`, fix ?? undefined);
  }

  const rest = input.slice(2);
  if (input.length > 3 && rest.every((size) => size !== null)) {
    const targetShape = [input[1] ?? -1, (rest as number[]).reduce((total, size) => total * size, 1)];
    const label = `Add Reshape to ${formatShape(targetShape)} before it`;
    return kindError('wrong-rank', `${expected}; ${label.charAt(0).toLowerCase()}${label.slice(1)}`, {
      type: 'insert-before',
      label,
      kind: 'Reshape',
      params: { targetShape },
    });
  }
  return kindError('wrong-rank', `${expected}; reshape the input into steps of feature vectors first`);
}

/**
 * The weight layout of a recurrent kind. `gates` is the number of blocks of `units` columns in
 * its kernels: 1 for SimpleRNN, 4 for LSTM (input, forget, cell, output) and 3 for GRU (update,
 * reset, candidate).
 */
interface RecurrentLayout {
  className: string;
  gates: number;
  /** Shape of the bias for `units`; the default is one entry per kernel column. */
  biasShape?(units: number, params: Params): number[];
}

function recurrentShape(layout: RecurrentLayout, [input]: Shape[], params: Params): ShapeResult {
  const rankError = sequenceRankError(layout.className, input);
  if (rankError) return rankError;
  const units = numberParam(params, 'units', 1);
  return single(boolParam(params, 'returnSequences', false) ? [input[0], input[1], units] : [input[0], units]);
}

function recurrentWeights(layout: RecurrentLayout, [input]: Shape[], params: Params): WeightResult {
  const features = lastDim(input);
  if (features === null) return unknownSizeError(layout.className, input, 'features');

  const units = numberParam(params, 'units', 1);
  const columns = layout.gates * units;
  const kernel = trainable('kernel', [features, columns]);
  const recurrentKernel = trainable('recurrent_kernel', [units, columns]);
  if (!boolParam(params, 'useBias', true)) return weightsOf(kernel, recurrentKernel);
  const biasShape = layout.biasShape?.(units, params) ?? [columns];
  return weightsOf(kernel, recurrentKernel, trainable('bias', biasShape));
}

function explainRecurrent([input]: Shape[], params: Params): string[] {
  if (input.length !== 3) return [];
  const steps = input[1] ?? 'None';
  const features = input[2] ?? 'None';
  const units = numberParam(params, 'units', 1);
  return boolParam(params, 'returnSequences', false)
    ? [`${steps} steps × ${features} features → ${steps} steps × ${units} units`]
    : [`${steps} steps × ${features} features → ${units} units from the last step`];
}

function summarizeRecurrent(params: Params): string {
  const parts = [`${numberParam(params, 'units', 1)} units`, stringParam(params, 'activation', 'tanh')];
  if (boolParam(params, 'returnSequences', false)) parts.push('sequences');
  if (boolParam(params, 'goBackwards', false)) parts.push('backwards');
  return parts.join(', ');
}

function recurrentKind(
  layout: RecurrentLayout,
  description: string,
  params: readonly ParamSpec[],
): LayerKind {
  return {
    className: layout.className,
    category: 'recurrent',
    description,
    params,
    inputs: { min: 1, max: 1 },
    outputShapes: (inputs, values) => recurrentShape(layout, inputs, values),
    weights: (inputs, values) => recurrentWeights(layout, inputs, values),
    explainShape: explainRecurrent,
    summarize: summarizeRecurrent,
  };
}

export const SimpleRNN = recurrentKind(
  { className: 'SimpleRNN', gates: 1 },
  'The plainest recurrent layer: each step mixes the input with the previous output through one tanh.',
  [UNITS, ACTIVATION, USE_BIAS, ...SEQUENCE_PARAMS],
);

export const LSTM = recurrentKind(
  { className: 'LSTM', gates: 4 },
  'Long short-term memory: gates decide what a cell state keeps, forgets and outputs, so it learns long-range patterns.',
  [
    UNITS,
    ACTIVATION,
    RECURRENT_ACTIVATION,
    USE_BIAS,
    {
      name: 'unitForgetBias',
      type: 'bool',
      default: true,
      description: 'Starts the forget-gate bias at 1, so the cell keeps its state early in training.',
    },
    ...SEQUENCE_PARAMS,
  ],
);

// TensorFlow.js 4.22 throws "GRUCell does not support reset_after parameter set to true". A GRU
// with resetAfter true (the tf.keras 2 default, as imported files have it) is inferred and
// counted as Keras does and reported as unsupported; new GRU layers start with false.
const gruKind = recurrentKind(
  {
    className: 'GRU',
    gates: 3,
    // With resetAfter, Keras keeps separate input and recurrent biases: shape [2, 3·units].
    biasShape: (units, params) => (boolParam(params, 'resetAfter', false) ? [2, 3 * units] : [3 * units]),
  },
  'Gated recurrent unit: an update and a reset gate control the hidden state; fewer weights than an LSTM.',
  [
    UNITS,
    ACTIVATION,
    RECURRENT_ACTIVATION,
    USE_BIAS,
    {
      name: 'resetAfter',
      type: 'bool',
      default: false,
      description: 'Applies the reset gate after the recurrent matrix product, with a second bias (tf.keras 2 default and cuDNN layout); TensorFlow.js supports only false.',
    },
    ...SEQUENCE_PARAMS,
  ],
);

export const GRU: LayerKind = {
  ...gruKind,
  tfjsLimitation: (_inputs, params) =>
    params.resetAfter === true
      ? {
          message: 'GRU resetAfter true (the tf.keras 2 default) cannot run in TensorFlow.js 4.22; set resetAfter to false, which uses one bias instead of two',
          fix: { type: 'set-param', label: 'Set resetAfter to false', param: 'resetAfter', value: false },
        }
      : null,
};

export const recurrentKinds: LayerKind[] = [SimpleRNN, LSTM, GRU];
