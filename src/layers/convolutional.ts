/**
 * Convolutional layers: Conv1D, Conv2D, Conv2DTranspose, DepthwiseConv2D, SeparableConv2D.
 * Every kind reads its input as channels-last, (batch, steps, channels) or (batch, height,
 * width, channels), the Keras and TensorFlow.js default; `dataFormat` is not offered.
 */
import type { Dim, Params, Shape } from '../graph/types';
import { activationParam, PADDING, REGULARIZERS, USE_BIAS } from './params';
import {
  convOutputLength,
  expectSpatialRank,
  explainWindowLength,
  lastDim,
  numberParam,
  type Padding,
  single,
  spatialAxisNames,
  stridesWithDilationError,
  stringParam,
  trainable,
  tupleParam,
  unknownSizeError,
  weightsOf,
  windowTooLargeError,
} from './shape-utils';
import type { KindError, LayerKind, ParamSpec, ShapeResult, WeightSpec } from './types';

const FILTERS: ParamSpec = {
  name: 'filters',
  type: 'int',
  default: 32,
  min: 1,
  description: 'Number of filters, each a learned pattern detector; it sets the size of the channel axis of the output.',
};

const DEPTH_MULTIPLIER: ParamSpec = {
  name: 'depthMultiplier',
  type: 'int',
  default: 1,
  min: 1,
  description: 'How many filters slide over each input channel separately; the output has channels × this many channels.',
};

const [, BIAS_REGULARIZER, ACTIVITY_REGULARIZER] = REGULARIZERS;

const DEPTHWISE_REGULARIZER: ParamSpec = {
  name: 'depthwiseRegularizer',
  type: 'regularizer',
  default: null,
  description: 'Penalty l1·Σ|w| + l2·Σw² on the per-channel (depthwise) kernel, added to the loss.',
};

const POINTWISE_REGULARIZER: ParamSpec = {
  name: 'pointwiseRegularizer',
  type: 'regularizer',
  default: null,
  description: 'The same penalty on the 1×1 (pointwise) kernel that mixes the channels.',
};

const CONV1D_PADDING: ParamSpec = {
  name: 'padding',
  type: 'enum',
  default: 'valid',
  options: ['valid', 'same', 'causal'],
  description: 'valid: the window stays inside the input, so the output shrinks; same: zeros pad both ends so the length is kept (at stride 1); causal: zeros pad only the start, so no output step sees a later input.',
};

/** kernelSize, strides and dilationRate: single integers for one spatial axis, pairs for two. */
function windowParams(spatialRank: 1 | 2, withDilation: boolean): ParamSpec[] {
  const specs: ParamSpec[] =
    spatialRank === 1
      ? [
          { name: 'kernelSize', type: 'int', default: 3, min: 1, description: 'Length of the window that each filter looks at.' },
          { name: 'strides', type: 'int', default: 1, min: 1, description: 'Step between window positions; 2 halves the length.' },
        ]
      : [
          { name: 'kernelSize', type: 'ints', length: 2, default: [3, 3], min: 1, description: 'Height and width of the window that each filter looks at.' },
          { name: 'strides', type: 'ints', length: 2, default: [1, 1], min: 1, description: 'Vertical and horizontal step between window positions; 2 halves that side.' },
        ];
  if (!withDilation) return specs;

  const description = 'Gap between kernel taps: a kernel of k taps with rate d spans k + (k − 1)(d − 1) steps, which widens its view without adding weights.';
  specs.push(
    spatialRank === 1
      ? { name: 'dilationRate', type: 'int', default: 1, min: 1, description }
      : { name: 'dilationRate', type: 'ints', length: 2, default: [1, 1], min: 1, description },
  );
  return specs;
}

interface Window {
  kernelSize: number[];
  strides: number[];
  dilation: number[];
  padding: Padding;
}

function readWindow(params: Params, spatialRank: number): Window {
  return {
    kernelSize: tupleParam(params, 'kernelSize', spatialRank),
    strides: tupleParam(params, 'strides', spatialRank),
    dilation: params.dilationRate === undefined ? Array.from({ length: spatialRank }, () => 1) : tupleParam(params, 'dilationRate', spatialRank),
    padding: stringParam<Padding>(params, 'padding', 'valid'),
  };
}

/**
 * Output shape of a convolution that slides a window over the spatial axes of a channels-last
 * input and writes `channels` channels, with the rank, stride and fit checks every such kind makes.
 */
function convolve(className: string, input: Shape, params: Params, spatialRank: number, channels: Dim): ShapeResult {
  const rankError = expectSpatialRank(className, input, spatialRank);
  if (rankError) return rankError;

  const window = readWindow(params, spatialRank);
  const conflict = stridesWithDilationError(className, window.strides, window.dilation);
  if (conflict) return conflict;

  const spatial = input.slice(1, 1 + spatialRank);
  const axes = spatial.map((size, i) => ({ size, kernelSize: window.kernelSize[i], stride: window.strides[i], dilation: window.dilation[i] }));
  const tooLarge = windowTooLargeError(className, 'kernel', axes, window.padding);
  if (tooLarge) return tooLarge;

  const lengths = axes.map((axis) => convOutputLength(axis.size, axis.kernelSize, window.padding, axis.stride, axis.dilation));
  return single([input[0], ...lengths, channels]);
}

/** Explains the arithmetic of each spatial axis, prefixed with its name when there are several. */
function explainConvolution(input: Shape, params: Params, spatialRank: number): string[] {
  const window = readWindow(params, spatialRank);
  const names = spatialAxisNames(spatialRank);
  const lines: string[] = [];
  for (let i = 0; i < spatialRank; i += 1) {
    const axisLines = explainWindowLength(input[1 + i] ?? null, window.kernelSize[i], window.padding, window.strides[i], window.dilation[i]);
    lines.push(...axisLines.map((line) => (spatialRank === 1 ? line : `${names[i]}: ${line}`)));
  }
  return lines;
}

/** Summarises the window as "5" or "3×3", then any stride, dilation and padding that differ from the defaults. */
function summarizeWindow(params: Params, spatialRank: number): string[] {
  const window = readWindow(params, spatialRank);
  const parts = [window.kernelSize.join('×')];
  if (window.strides.some((stride) => stride !== 1)) parts.push(`stride ${window.strides.join('×')}`);
  if (window.dilation.some((rate) => rate !== 1)) parts.push(`dilation ${window.dilation.join('×')}`);
  if (window.padding !== 'valid') parts.push(window.padding);
  return parts;
}

function channelsIn(className: string, input: Shape): number | KindError {
  const channels = lastDim(input);
  return channels === null ? unknownSizeError(className, input, 'channel') : channels;
}

function biasUnless(params: Params, size: number): WeightSpec[] {
  return params.useBias === false ? [] : [trainable('bias', [size])];
}

/** Builds Conv1D or Conv2D, whose weights are a kernel [...kernelSize, inChannels, filters] and a bias. */
function convKind(className: 'Conv1D' | 'Conv2D', spatialRank: 1 | 2, description: string): LayerKind {
  return {
    className,
    category: 'convolutional',
    description,
    params: [
      FILTERS,
      ...windowParams(spatialRank, true),
      spatialRank === 1 ? CONV1D_PADDING : PADDING,
      activationParam('linear'),
      USE_BIAS,
      ...REGULARIZERS,
    ],
    inputs: { min: 1, max: 1 },
    outputShapes([input], params) {
      return convolve(className, input, params, spatialRank, numberParam(params, 'filters', 1));
    },
    weights([input], params) {
      const channels = channelsIn(className, input);
      if (typeof channels !== 'number') return channels;
      const filters = numberParam(params, 'filters', 1);
      const kernelSize = tupleParam(params, 'kernelSize', spatialRank);
      return weightsOf(trainable('kernel', [...kernelSize, channels, filters]), ...biasUnless(params, filters));
    },
    explainShape([input], params) {
      return [...explainConvolution(input, params, spatialRank), `channels: ${lastDim(input) ?? 'None'} → ${numberParam(params, 'filters', 1)} filters`];
    },
    summarize(params) {
      const activation = stringParam(params, 'activation', 'linear');
      return [`${numberParam(params, 'filters', 1)} filters`, ...summarizeWindow(params, spatialRank), activation].join(', ');
    },
  };
}

// NOTE: tfjs 4.22 accepts padding 'causal' when it builds a Conv1D but computes the output
// length as for 'valid' and throws when the layer runs. The shapes here follow Keras, which
// keeps the length (⌈n / stride⌉), so a causal Conv1D cannot be trained in the browser.
export const Conv1D: LayerKind = {
  ...convKind('Conv1D', 1, 'Slides learned filters along a sequence; each output step sees a window of neighbouring steps.'),
  tfjsLimitation: (_inputs, params) => tfjsUnsupportedSetting('Conv1D', params),
};

export const Conv2D = convKind(
  'Conv2D',
  2,
  'Slides learned filters over an image; each output pixel sees a small patch of pixels around it.',
);

/** Output length of a transposed convolution, as tfjs `deconvLength` and Keras compute it. */
function transposedLength(inputLength: Dim, kernelSize: number, padding: Padding, stride: number): Dim {
  if (inputLength === null) return null;
  if (padding === 'valid') return inputLength * stride + Math.max(kernelSize - stride, 0);
  return inputLength * stride;
}

function explainTransposedLength(inputLength: Dim, kernelSize: number, padding: Padding, stride: number): string {
  if (inputLength === null) return 'unknown size None stays None';
  const output = transposedLength(inputLength, kernelSize, padding, stride);
  if (padding !== 'valid') return stride === 1 ? `${padding} padding keeps ${inputLength}` : `${inputLength} × ${stride} = ${output}`;
  if (stride === 1) return `${inputLength} + ${kernelSize} − 1 = ${output}`;
  return `${inputLength} × ${stride} + max(${kernelSize} − ${stride}, 0) = ${output}`;
}

// NOTE: Keras Conv2DTranspose also takes dilationRate and outputPadding; tfjs 4.22 ignores the
// first and lacks the second, so neither is offered.
export const Conv2DTranspose: LayerKind = {
  className: 'Conv2DTranspose',
  category: 'convolutional',
  description: 'Upsamples an image with learned filters, the reverse of a strided Conv2D; used in decoders and generators.',
  params: [FILTERS, ...windowParams(2, false), PADDING, activationParam('linear'), USE_BIAS, ...REGULARIZERS],
  inputs: { min: 1, max: 1 },
  outputShapes([input], params) {
    const rankError = expectSpatialRank('Conv2DTranspose', input, 2);
    if (rankError) return rankError;
    const { kernelSize, strides, padding } = readWindow(params, 2);
    const lengths = [0, 1].map((i) => transposedLength(input[1 + i], kernelSize[i], padding, strides[i]));
    return single([input[0], ...lengths, numberParam(params, 'filters', 1)]);
  },
  weights([input], params) {
    const channels = channelsIn('Conv2DTranspose', input);
    if (typeof channels !== 'number') return channels;
    const filters = numberParam(params, 'filters', 1);
    // tfjs and Keras store the transposed kernel with output and input channels swapped.
    const kernel = trainable('kernel', [...tupleParam(params, 'kernelSize', 2), filters, channels]);
    return weightsOf(kernel, ...biasUnless(params, filters));
  },
  explainShape([input], params) {
    const { kernelSize, strides, padding } = readWindow(params, 2);
    const names = spatialAxisNames(2);
    const lines = [0, 1].map((i) => `${names[i]}: ${explainTransposedLength(input[1 + i] ?? null, kernelSize[i], padding, strides[i])}`);
    return [...lines, `channels: ${lastDim(input) ?? 'None'} → ${numberParam(params, 'filters', 1)} filters`];
  },
  summarize(params) {
    const activation = stringParam(params, 'activation', 'linear');
    return [`${numberParam(params, 'filters', 1)} filters`, ...summarizeWindow(params, 2), activation].join(', ');
  },
};

function depthMultiplierOf(params: Params): number {
  return numberParam(params, 'depthMultiplier', 1);
}

// NOTE: Keras DepthwiseConv2D also takes dilationRate, but tfjs 4.22 ignores it both in the
// output shape and when it runs, so it is not offered.
export const DepthwiseConv2D: LayerKind = {
  className: 'DepthwiseConv2D',
  category: 'convolutional',
  description: 'Slides a separate filter over each input channel without mixing channels; cheap spatial filtering.',
  params: [
    ...windowParams(2, false),
    PADDING,
    DEPTH_MULTIPLIER,
    activationParam('linear'),
    USE_BIAS,
    DEPTHWISE_REGULARIZER,
    BIAS_REGULARIZER,
    ACTIVITY_REGULARIZER,
  ],
  inputs: { min: 1, max: 1 },
  outputShapes([input], params) {
    const channels = lastDim(input);
    const outputChannels = channels === null ? null : channels * depthMultiplierOf(params);
    return convolve('DepthwiseConv2D', input, params, 2, outputChannels);
  },
  weights([input], params) {
    const channels = channelsIn('DepthwiseConv2D', input);
    if (typeof channels !== 'number') return channels;
    const multiplier = depthMultiplierOf(params);
    const kernel = trainable('depthwise_kernel', [...tupleParam(params, 'kernelSize', 2), channels, multiplier]);
    return weightsOf(kernel, ...biasUnless(params, channels * multiplier));
  },
  explainShape([input], params) {
    const channels = lastDim(input);
    const multiplier = depthMultiplierOf(params);
    const channelLine = channels === null ? 'channels: None × multiplier stays None' : `channels: ${channels} × ${multiplier} = ${channels * multiplier}`;
    return [...explainConvolution(input, params, 2), channelLine];
  },
  summarize(params) {
    const activation = stringParam(params, 'activation', 'linear');
    return [...summarizeWindow(params, 2), `multiplier ${depthMultiplierOf(params)}`, activation].join(', ');
  },
};

export const SeparableConv2D: LayerKind = {
  className: 'SeparableConv2D',
  category: 'convolutional',
  description: 'A DepthwiseConv2D followed by a 1×1 convolution that mixes channels; a Conv2D with far fewer weights.',
  params: [
    FILTERS,
    ...windowParams(2, true),
    PADDING,
    DEPTH_MULTIPLIER,
    activationParam('linear'),
    USE_BIAS,
    DEPTHWISE_REGULARIZER,
    POINTWISE_REGULARIZER,
    BIAS_REGULARIZER,
    ACTIVITY_REGULARIZER,
  ],
  inputs: { min: 1, max: 1 },
  outputShapes([input], params) {
    return convolve('SeparableConv2D', input, params, 2, numberParam(params, 'filters', 1));
  },
  weights([input], params) {
    const channels = channelsIn('SeparableConv2D', input);
    if (typeof channels !== 'number') return channels;
    const multiplier = depthMultiplierOf(params);
    const filters = numberParam(params, 'filters', 1);
    return weightsOf(
      trainable('depthwise_kernel', [...tupleParam(params, 'kernelSize', 2), channels, multiplier]),
      trainable('pointwise_kernel', [1, 1, channels * multiplier, filters]),
      ...biasUnless(params, filters),
    );
  },
  explainShape([input], params) {
    const channels = lastDim(input);
    const multiplier = depthMultiplierOf(params);
    const filters = numberParam(params, 'filters', 1);
    const depthwise = channels === null ? 'None' : `${channels} × ${multiplier} = ${channels * multiplier}`;
    return [...explainConvolution(input, params, 2), `channels: ${depthwise} depthwise → ${filters} filters`];
  },
  summarize(params) {
    const activation = stringParam(params, 'activation', 'linear');
    return [`${numberParam(params, 'filters', 1)} filters`, ...summarizeWindow(params, 2), activation].join(', ');
  },
};

/**
 * Returns why TensorFlow.js 4.22 cannot run a convolution with these settings, or `null` when it
 * can. Inference follows Keras for such settings, so the caller must check before it compiles.
 */
export function tfjsUnsupportedSetting(className: string, params: Params): string | null {
  if (className === 'Conv1D' && params.padding === 'causal') {
    return 'Conv1D padding causal is not supported by TensorFlow.js 4.22, which cannot run it; use padding same or valid to train in the browser';
  }
  return null;
}

export const convolutionalKinds: LayerKind[] = [Conv1D, Conv2D, Conv2DTranspose, DepthwiseConv2D, SeparableConv2D];
