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
