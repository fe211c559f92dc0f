/**
 * Pooling layers: MaxPooling1D/2D and AveragePooling1D/2D, which summarise each window of
 * steps or pixels into one, and their global forms, which summarise the whole axis. Inputs are
 * channels-last, as in Keras and TensorFlow.js by default; the channel axis is never pooled.
 */
import type { Params } from '../graph/types';
import { PADDING } from './params';
import {
  convOutputLength,
  expectSpatialRank,
  explainWindowLength,
  lastDim,
  type Padding,
  single,
  spatialAxisNames,
  stringParam,
  tupleParam,
  weightsOf,
  windowTooLargeError,
} from './shape-utils';
import type { LayerKind, ParamSpec } from './types';

type Reduction = 'Max' | 'Average';

/** poolSize and strides: single integers for one spatial axis, pairs for two. */
function poolParams(spatialRank: 1 | 2): ParamSpec[] {
  const strideDescription = 'Step between windows; empty (None) means the pool size, so windows tile the input without overlap.';
  if (spatialRank === 1) {
    return [
      { name: 'poolSize', type: 'int', default: 2, min: 1, description: 'Number of steps each window summarises; 2 halves the length.' },
      { name: 'strides', type: 'int', default: null, nullable: true, min: 1, description: strideDescription },
      PADDING,
    ];
  }
  return [
    { name: 'poolSize', type: 'ints', length: 2, default: [2, 2], min: 1, description: 'Height and width of each window; 2, 2 halves both sides.' },
    { name: 'strides', type: 'ints', length: 2, default: null, nullable: true, min: 1, description: strideDescription },
    PADDING,
  ];
}

interface Pool {
  poolSize: number[];
  strides: number[];
  padding: Padding;
}

function readPool(params: Params, spatialRank: number): Pool {
  const poolSize = tupleParam(params, 'poolSize', spatialRank);
  const strides = params.strides === null || params.strides === undefined ? poolSize : tupleParam(params, 'strides', spatialRank);
  return { poolSize, strides, padding: stringParam<Padding>(params, 'padding', 'valid') };
}

function poolingKind(reduction: Reduction, spatialRank: 1 | 2): LayerKind {
  const className = `${reduction}Pooling${spatialRank}D`;
  const kept = reduction === 'Max' ? 'the largest value' : 'the mean';
  const window = spatialRank === 1 ? 'window of steps' : 'window of pixels';
  return {
    className,
    category: 'pooling',
    description: `Keeps ${kept} of each ${window}, channel by channel; shrinks the input without weights.`,
    params: poolParams(spatialRank),
    inputs: { min: 1, max: 1 },
    outputShapes([input], params) {
      const rankError = expectSpatialRank(className, input, spatialRank);
      if (rankError) return rankError;

      const { poolSize, strides, padding } = readPool(params, spatialRank);
      const spatial = input.slice(1, 1 + spatialRank);
      const axes = spatial.map((size, i) => ({ size, kernelSize: poolSize[i], stride: strides[i], dilation: 1 }));
      const tooLarge = windowTooLargeError(className, 'pool', axes, padding);
      if (tooLarge) return tooLarge;

      const lengths = axes.map((axis) => convOutputLength(axis.size, axis.kernelSize, padding, axis.stride));
      return single([input[0], ...lengths, lastDim(input)]);
    },
    weights: () => weightsOf(),
    explainShape([input], params) {
      const { poolSize, strides, padding } = readPool(params, spatialRank);
      const names = spatialAxisNames(spatialRank);
      const lines: string[] = [];
      for (let i = 0; i < spatialRank; i += 1) {
        const axisLines = explainWindowLength(input[1 + i] ?? null, poolSize[i], padding, strides[i]);
        lines.push(...axisLines.map((line) => (spatialRank === 1 ? line : `${names[i]}: ${line}`)));
      }
      return lines;
    },
    summarize(params) {
      const { poolSize, strides, padding } = readPool(params, spatialRank);
      const parts = [`pool ${poolSize.join('×')}`];
      if (strides.some((stride, i) => stride !== poolSize[i])) parts.push(`stride ${strides.join('×')}`);
      if (padding !== 'valid') parts.push(padding);
      return parts.join(', ');
    },
  };
}

function globalPoolingKind(reduction: Reduction, spatialRank: 1 | 2): LayerKind {
  const className = `Global${reduction}Pooling${spatialRank}D`;
  const kept = reduction === 'Max' ? 'the largest value' : 'the mean';
  const over = spatialRank === 1 ? 'all steps' : 'all pixels';
  return {
    className,
    category: 'pooling',
    description: `Keeps ${kept} over ${over} of each channel, giving one vector per example; works for any length.`,
    params: [],
    inputs: { min: 1, max: 1 },
    outputShapes([input]) {
      const rankError = expectSpatialRank(className, input, spatialRank);
      if (rankError) return rankError;
      return single([input[0], lastDim(input)]);
    },
    weights: () => weightsOf(),
    explainShape([input]) {
      const sizes = input.slice(1, 1 + spatialRank).map((size) => size ?? 'None');
      const positions = spatialRank === 1 ? `${sizes[0]} steps` : `${sizes.join(' × ')} positions`;
      const verb = reduction === 'Max' ? 'max' : 'average';
      return [`${verb} over ${positions} keeps ${lastDim(input) ?? 'None'} channels`];
    },
  };
}

export const MaxPooling1D = poolingKind('Max', 1);
export const AveragePooling1D = poolingKind('Average', 1);
export const MaxPooling2D = poolingKind('Max', 2);
export const AveragePooling2D = poolingKind('Average', 2);
export const GlobalMaxPooling1D = globalPoolingKind('Max', 1);
export const GlobalAveragePooling1D = globalPoolingKind('Average', 1);
export const GlobalMaxPooling2D = globalPoolingKind('Max', 2);
export const GlobalAveragePooling2D = globalPoolingKind('Average', 2);

export const poolingKinds: LayerKind[] = [
  MaxPooling1D,
  AveragePooling1D,
  MaxPooling2D,
  AveragePooling2D,
  GlobalMaxPooling1D,
  GlobalAveragePooling1D,
  GlobalMaxPooling2D,
  GlobalAveragePooling2D,
];
