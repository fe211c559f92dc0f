/**
 * Small pure helpers that layer kinds share: output lengths of sliding windows, rank checks and
 * error records. Unknown sizes (`null`) pass through every helper.
 */
import type { Dim, Params, Shape } from '../graph/types';
import { formatShape } from './format';
import type { KindError, KindFix, ShapeResult, WeightResult, WeightSpec } from './types';

export type Padding = 'valid' | 'same' | 'causal';

/**
 * Output length of a convolution or pooling window along one axis, as tfjs `convOutputLength`:
 * valid → ceil((n − dilatedKernel + 1) / stride); same → ceil(n / stride).
 * Returns `null` for an unknown input length.
 */
export function convOutputLength(
  inputLength: Dim,
  kernelSize: number,
  padding: Padding,
  stride: number,
  dilation = 1,
): Dim {
  if (inputLength === null) return null;
  const dilatedKernel = kernelSize + (kernelSize - 1) * (dilation - 1);
  const length = padding === 'valid' ? inputLength - dilatedKernel + 1 : inputLength;
  return Math.floor((length + stride - 1) / stride);
}

/** Size of a dilated kernel: k + (k − 1)(d − 1). */
export function dilatedKernelSize(kernelSize: number, dilation: number): number {
  return kernelSize + (kernelSize - 1) * (dilation - 1);
}

export function kindError(code: KindError['code'], message: string, fix?: KindFix): KindError {
  return fix ? { ok: false, code, message, fix } : { ok: false, code, message };
}

export function single(shape: Shape): ShapeResult {
  return { ok: true, shapes: [shape] };
}

export function weightsOf(...weights: WeightSpec[]): WeightResult {
  return { ok: true, weights };
}

/** A trainable weight. */
export function trainable(name: string, shape: number[]): WeightSpec {
  return { name, shape, trainable: true };
}

/** A non-trainable weight, such as BatchNormalization's moving mean. */
export function nonTrainable(name: string, shape: number[]): WeightSpec {
  return { name, shape, trainable: false };
}

export function rankName(rank: number): string {
  return `rank ${rank}`;
}

/**
 * Checks the rank of the one input of a layer, with an optional fix for the common mistake.
 * Ranks count the batch axis, as Keras does.
 */
export function expectRank(
  className: string,
  input: Shape,
  ranks: number[],
  fix?: KindFix,
  hint?: string,
): KindError | null {
  if (ranks.includes(input.length)) return null;
  const expected = ranks.length === 1 ? `rank ${ranks[0]}` : `rank ${ranks.join(' or ')}`;
  const advice = hint ?? (fix ? fix.label.charAt(0).toLowerCase() + fix.label.slice(1) : '');
  const tail = advice ? `; ${advice}` : '';
  return kindError(
    'wrong-rank',
    `${className} needs ${expected} but got ${formatShape(input)}${tail}`,
    fix,
  );
}

/** The last axis of a shape, which Dense, Conv and recurrent layers read as channels. */
export function lastDim(shape: Shape): Dim {
  return shape[shape.length - 1];
}

/** Error for a weight whose size depends on an axis whose size is unknown. */
export function unknownSizeError(className: string, input: Shape, axisName: string): KindError {
  return kindError(
    'unknown-size',
    `${className} needs a known ${axisName} size to create its weights but got ${formatShape(input)}; ` +
      'set that size on the Input layer',
  );
}

/** Reads an integer-or-tuple parameter as a tuple of `length` integers. */
export function tupleParam(params: Params, name: string, length: number): number[] {
  const value = params[name];
  if (typeof value === 'number') return Array.from({ length }, () => value);
  if (Array.isArray(value)) return value.map((entry) => (typeof entry === 'number' ? entry : 1));
  return Array.from({ length }, () => 1);
}

export function numberParam(params: Params, name: string, fallback: number): number {
  const value = params[name];
  return typeof value === 'number' ? value : fallback;
}

export function stringParam<T extends string>(params: Params, name: string, fallback: T): T {
  const value = params[name];
  return typeof value === 'string' ? (value as T) : fallback;
}

export function boolParam(params: Params, name: string, fallback: boolean): boolean {
  const value = params[name];
  return typeof value === 'boolean' ? value : fallback;
}

/** Product of known sizes, or `null` if any is unknown. */
export function product(dims: Dim[]): Dim {
  let result = 1;
  for (const dim of dims) {
    if (dim === null) return null;
    result *= dim;
  }
  return result;
}

/** Axes of a channels-last input with one or two spatial axes, as error messages name them. */
const CHANNELS_LAST_AXES: Record<number, string> = {
  1: '(batch, steps, channels)',
  2: '(batch, height, width, channels)',
};

/** Names of the spatial axes, as explanations and errors print them. */
export function spatialAxisNames(spatialRank: number): string[] {
  return spatialRank === 1 ? ['length'] : ['height', 'width'];
}

/**
 * Builds a fix that inserts a Reshape appending a channel axis of size 1, e.g. (None, 28, 28) →
 * (28, 28, 1). One unknown size becomes -1. Returns `null` for two or more unknown sizes.
 */
export function addChannelAxisFix(input: Shape): KindFix | null {
  const sizes = input.slice(1);
  if (sizes.filter((size) => size === null).length > 1) return null;
  const targetShape = [...sizes.map((size) => size ?? -1), 1];
  return {
    type: 'insert-before',
    label: `Add Reshape to ${formatShape(targetShape)} before it`,
    kind: 'Reshape',
    params: { targetShape },
  };
}

/**
 * Checks that the one input of a channels-last layer has `spatialRank` spatial axes between the
 * batch and channel axes. A missing channel axis gets a Reshape fix, and so does a flat vector
 * of square length fed to a 2-D layer (784 → 28 × 28 × 1).
 */
export function expectSpatialRank(className: string, input: Shape, spatialRank: number): KindError | null {
  const rank = spatialRank + 2;
  if (input.length === rank) return null;

  let fix: KindFix | null = null;
  let advice = '';
  if (input.length === rank - 1) {
    fix = addChannelAxisFix(input);
    if (!fix) advice = 'set the sizes on the Input layer so that a Reshape can add a channel axis';
  } else if (spatialRank === 2 && input.length === 2) {
    const side = input[1] === null ? NaN : Math.sqrt(input[1]);
    if (Number.isInteger(side)) fix = addChannelAxisFix([null, side, side]);
    else advice = 'add a Reshape to (height, width, channels) before it';
  } else if (spatialRank === 1 && input.length === 4) {
    advice = `${className} slides along one axis; for images use ${className.replace('1D', '2D')}`;
  } else {
    advice = 'reshape or pool the input to that rank first';
  }
  if (fix) advice = fix.label.charAt(0).toLowerCase() + fix.label.slice(1);

  const message = `${className} needs rank ${rank} ${CHANNELS_LAST_AXES[spatialRank]} but got ${formatShape(input)}; ${advice}`;
  return kindError('wrong-rank', message, fix ?? undefined);
}

/** One spatial axis of a sliding window: the input size and the window along it. */
export interface WindowAxis {
  size: Dim;
  kernelSize: number;
  stride: number;
  dilation: number;
}

/**
 * Checks that a window fits in its input under valid padding, since otherwise the output would
 * have no steps. Returns `null` when every window fits, the padding pads, or a size is unknown.
 * `windowName` is the word the layer uses for its window, "kernel" or "pool".
 */
export function windowTooLargeError(
  className: string,
  windowName: string,
  axes: WindowAxis[],
  padding: Padding,
): KindError | null {
  if (padding !== 'valid') return null;
  const names = spatialAxisNames(axes.length);
  for (let i = 0; i < axes.length; i += 1) {
    const { size, kernelSize, dilation } = axes[i];
    const span = dilatedKernelSize(kernelSize, dilation);
    if (size === null || span <= size) continue;

    const window = dilation === 1 ? `${windowName} ${kernelSize}` : `dilated ${windowName} ${span} (${kernelSize} with dilation ${dilation})`;
    const smaller = dilation === 1 ? `a smaller ${windowName}` : `a smaller ${windowName} or dilation`;
    return kindError(
      'too-small',
      `${className} ${window} is larger than the input ${names[i]} ${size}; use padding same or ${smaller}`,
      { type: 'set-param', label: 'Set padding to same', param: 'padding', value: 'same' },
    );
  }
  return null;
}

/**
 * Writes the arithmetic of `convOutputLength` for one axis: "200 − 5 + 1 = 196" (valid),
 * "⌊(200 − 5) / 2⌋ + 1 = 98" (valid, strided), "196 / 4 = 49" (stride equal to the window),
 * "⌈200 / 2⌉ = 100" (same or causal, strided). A dilated kernel gets a line of its own first.
 */
export function explainWindowLength(
  inputLength: Dim,
  kernelSize: number,
  padding: Padding,
  stride: number,
  dilation = 1,
): string[] {
  if (inputLength === null) return ['unknown size None stays None'];
  const output = convOutputLength(inputLength, kernelSize, padding, stride, dilation);

  if (padding !== 'valid') {
    if (stride === 1) return [`${padding} padding keeps ${inputLength}`];
    return [`⌈${inputLength} / ${stride}⌉ = ${output}`];
  }

  const span = dilatedKernelSize(kernelSize, dilation);
  const lines = dilation === 1 ? [] : [`dilated window ${kernelSize} + (${kernelSize} − 1) × (${dilation} − 1) = ${span}`];
  if (stride === 1) {
    lines.push(`${inputLength} − ${span} + 1 = ${output}`);
  } else if (stride === span) {
    // ⌊(n − k) / k⌋ + 1 = ⌊n / k⌋: the windows tile the input and a partial last one is dropped.
    const division = inputLength % stride === 0 ? `${inputLength} / ${stride}` : `⌊${inputLength} / ${stride}⌋`;
    lines.push(`${division} = ${output}`);
  } else {
    lines.push(`⌊(${inputLength} − ${span}) / ${stride}⌋ + 1 = ${output}`);
  }
  return lines;
}

/** Checks that strides and dilation are not both above 1, which TensorFlow and tfjs reject. */
export function stridesWithDilationError(className: string, strides: number[], dilation: number[]): KindError | null {
  if (strides.every((stride) => stride === 1) || dilation.every((rate) => rate === 1)) return null;
  const ones = dilation.length === 1 ? 1 : dilation.map(() => 1);
  return kindError(
    'invalid-param',
    `${className} cannot combine strides ${strides.join('×')} with dilationRate ${dilation.join('×')}, because TensorFlow allows only one of them above 1; set dilationRate to 1 or strides to 1`,
    { type: 'set-param', label: 'Set dilationRate to 1', param: 'dilationRate', value: ones },
  );
}

/** Writes the message for a Keras layer kind that TensorFlow.js 4.22 does not have. */
export function tfjsMissingKind(className: string): string {
  return `${className} does not exist in TensorFlow.js 4.22, so this model cannot train in the browser; export it to Keras to train it in Python`;
}
