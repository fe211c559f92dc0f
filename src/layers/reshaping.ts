/**
 * Reshaping layers: Flatten, Reshape, Permute and RepeatVector rearrange values without weights;
 * ZeroPadding, Cropping and UpSampling grow or shrink the spatial axes of a channels-last input.
 */
import type { Dim, ParamValue, Params, Shape } from '../graph/types';
import { formatShape } from './format';
import {
  tfjsMissingKind,
  expectSpatialRank,
  kindError,
  lastDim,
  numberParam,
  product,
  single,
  spatialAxisNames,
  stringParam,
  tupleParam,
  weightsOf,
} from './shape-utils';
import type { KindError, KindFix, LayerKind, ParamSpec, ShapeResult } from './types';

/**
 * Kinds that Keras has but TensorFlow.js 4.22 does not register, so a graph that uses one can be
 * inferred and exported as Keras JSON but not compiled or trained in the browser.
 */
export const TFJS_UNSUPPORTED: ReadonlySet<string> = new Set(['ZeroPadding1D', 'Cropping1D', 'UpSampling1D']);

function shapeParam(params: Params, name: string): number[] {
  const value = params[name];
  return Array.isArray(value) ? value.map((entry) => (typeof entry === 'number' ? entry : -1)) : [];
}

function sizeText(dim: Dim): string {
  return dim === null ? 'None' : String(dim);
}

// NOTE: Keras also flattens a rank-2 input (a no-op), but tfjs 4.22 rejects any input below
// rank 3, so this kind reports that case and offers to remove the layer.
export const Flatten: LayerKind = {
  className: 'Flatten',
  category: 'reshaping',
  description: 'Lays all values of one example out in a single vector, e.g. (10, 16) → 160, so Dense can read them.',
  params: [],
  inputs: { min: 1, max: 1 },
  outputShapes([input]) {
    if (input.length < 3) {
      return kindError(
        'wrong-rank',
        `Flatten needs rank 3 or more but got ${formatShape(input)}, which is already flat; remove the Flatten`,
        { type: 'remove-node', label: 'Remove the Flatten' },
      );
    }
    const size = product(input.slice(1));
    if (size === null) {
      let pooling = 'a global pooling layer';
      if (input.length === 3) pooling = 'GlobalAveragePooling1D';
      if (input.length === 4) pooling = 'GlobalAveragePooling2D';
      return kindError(
        'unknown-size',
        `Flatten needs every size after the batch axis to be known but got ${formatShape(input)}; use ${pooling} instead, which works for any size, or set the sizes on the Input layer`,
      );
    }
    return single([input[0], size]);
  },
  weights: () => weightsOf(),
  explainShape([input]) {
    const sizes = input.slice(1);
    const size = product(sizes);
    return [`${sizes.map(sizeText).join(' × ')} = ${size === null ? 'None' : size}`];
  },
};

/** Returns the fix that puts all `total` values of an example on one axis, which always fits. */
function flatTargetFix(total: number): KindFix {
  return { type: 'set-param', label: `Set the target to (${total},), all values on one axis`, param: 'targetShape', value: [total] };
}

/** Builds the error for a Reshape target whose sizes do not account for every input value. */
function reshapeSizeError(input: Shape, targetShape: number[], total: number): KindError {
  const inferred = targetShape.indexOf(-1);
  const target = formatShape(targetShape);
  if (inferred >= 0) {
    const others = targetShape.filter((size) => size !== -1);
    const divisor = others.length === 1 ? `${others[0]}` : `${others.join(' × ')} = ${product(others)}`;
    return kindError(
      'reshape-size',
      `Reshape to ${target} cannot infer its -1, because ${formatShape(input)} has ${total} values per example and ${divisor} does not divide ${total}; choose sizes whose product divides ${total}`,
      flatTargetFix(total),
    );
  }

  const message = `Reshape to ${target} needs ${targetShape.join(' × ')} = ${product(targetShape)} values per example but ${formatShape(input)} has ${total}; choose sizes whose product is ${total}`;
  const leading = targetShape.slice(0, -1);
  const leadingProduct = product(leading) ?? 1;
  if (targetShape.length === 0 || total % leadingProduct !== 0) return kindError('reshape-size', message, flatTargetFix(total));
  return kindError('reshape-size', message, {
    type: 'set-param',
    label: `Set the last size to -1, giving ${formatShape([...leading, total / leadingProduct])}`,
    param: 'targetShape',
    value: [...leading, -1],
  });
}

// NOTE: tfjs 4.22 leaves a -1 in the target unknown (None) even when every input size is known.
// Keras computes it, and the shapes here follow Keras.
export const Reshape: LayerKind = {
  className: 'Reshape',
  category: 'reshaping',
  description: 'Rearranges the values of each example into a new shape with the same number of values.',
  params: [
    {
      name: 'targetShape',
      type: 'shape',
      default: [-1, 1],
      allowInfer: true,
      description: 'The new shape without the batch axis; one size may be -1, meaning whatever makes the count of values match.',
    },
  ],
  inputs: { min: 1, max: 1 },
  outputShapes([input], params) {
    const targetShape = shapeParam(params, 'targetShape');
    const total = product(input.slice(1));
    // With an unknown input size, Keras cannot check the count and leaves -1 unknown.
    if (total === null) return single([input[0], ...targetShape.map((size) => (size === -1 ? null : size))]);

    const inferred = targetShape.indexOf(-1);
    const known = product(targetShape.filter((size) => size !== -1)) ?? 1;
    if (inferred < 0) {
      return known === total ? single([input[0], ...targetShape]) : reshapeSizeError(input, targetShape, total);
    }
    if (total % known !== 0) return reshapeSizeError(input, targetShape, total);
    return single([input[0], ...targetShape.map((size) => (size === -1 ? total / known : size))]);
  },
  weights: () => weightsOf(),
  explainShape([input], params) {
    const targetShape = shapeParam(params, 'targetShape');
    const total = product(input.slice(1));
    const others = targetShape.filter((size) => size !== -1);
    if (!targetShape.includes(-1)) return [`${targetShape.join(' × ')} = ${product(targetShape)} values per example`];
    if (total === null) return ['−1 stays None, because the input size is unknown'];

    const known = product(others) ?? 1;
    let divisor = '';
    if (others.length === 1) divisor = ` / ${others[0]}`;
    if (others.length > 1) divisor = ` / (${others.join(' × ')})`;
    return [`−1 = ${total}${divisor} = ${total / known}`];
  },
  summarize: (params) => `to ${formatShape(shapeParam(params, 'targetShape'))}`,
};

function isPermutation(dims: number[]): boolean {
  const sorted = [...dims].sort((a, b) => a - b);
  return sorted.every((dim, i) => dim === i + 1);
}

export const Permute: LayerKind = {
  className: 'Permute',
  category: 'reshaping',
  description: 'Reorders the axes of each example, e.g. (steps, channels) → (channels, steps); the batch axis stays first.',
  params: [
    {
      name: 'dims',
      type: 'shape',
      default: [2, 1],
      description: 'New order of the axes after the batch axis, counted from 1: 2, 1 swaps the first two.',
    },
  ],
  inputs: { min: 1, max: 1 },
  outputShapes([input], params) {
    const dims = shapeParam(params, 'dims');
    if (!isPermutation(dims)) {
      const reversed = dims.map((_, i) => dims.length - i);
      return kindError(
        'invalid-param',
        `Permute dims must list each axis from 1 to ${dims.length} once but got [${dims.join(', ')}]; give every axis after the batch axis exactly once`,
        { type: 'set-param', label: `Set dims to [${reversed.join(', ')}]`, param: 'dims', value: reversed },
      );
    }
    if (dims.length !== input.length - 1) {
      return kindError(
        'wrong-rank',
        `Permute dims [${dims.join(', ')}] order ${dims.length} axes but ${formatShape(input)} has ${input.length - 1} after the batch axis; list all ${input.length - 1} of them`,
      );
    }
    return single([input[0], ...dims.map((dim) => input[dim])]);
  },
  weights: () => weightsOf(),
  explainShape([input], params) {
    const dims = shapeParam(params, 'dims');
    return dims.map((dim, i) => `axis ${i + 1} ← input axis ${dim} (${sizeText(input[dim] ?? null)})`);
  },
  summarize: (params) => `dims ${shapeParam(params, 'dims').join(', ')}`,
};

export const RepeatVector: LayerKind = {
  className: 'RepeatVector',
  category: 'reshaping',
  description: 'Repeats each input vector n times, making a sequence, e.g. to feed an encoding to a decoder RNN.',
  params: [{ name: 'n', type: 'int', default: 3, min: 1, description: 'How many times the vector is repeated: the length of the output sequence.' }],
  inputs: { min: 1, max: 1 },
  outputShapes([input], params) {
    if (input.length > 2) {
      return kindError('wrong-rank', `RepeatVector needs rank 2 (batch, features) but got ${formatShape(input)}; add Flatten before it`, {
        type: 'insert-before',
        label: 'Add Flatten before it',
        kind: 'Flatten',
        params: {},
      });
    }
    if (input.length < 2) {
      return kindError('wrong-rank', `RepeatVector needs rank 2 (batch, features) but got ${formatShape(input)}; feed it a batch of vectors`);
    }
    return single([input[0], numberParam(params, 'n', 1), input[1]]);
  },
  weights: () => weightsOf(),
  explainShape([input], params) {
    return [`the ${sizeText(lastDim(input))}-vector repeated ${numberParam(params, 'n', 1)} times`];
  },
  summarize: (params) => `× ${numberParam(params, 'n', 1)}`,
};

/** Builds the spec of a pair of non-negative integers for one spatial axis, before and after, e.g. [1, 1]. */
function pairParam(name: string, defaultValue: number[], description: string): ParamSpec {
  return { name, type: 'ints', length: 2, default: defaultValue, min: 0, description };
}

/**
 * Reads a 2-D padding or cropping in any form Keras accepts: n, [rows, columns] (symmetric) or
 * [[top, bottom], [left, right]]. Returns `null` for anything else.
 */
function readPairs(value: ParamValue | undefined): number[][] | null {
  const isCount = (entry: unknown): entry is number => typeof entry === 'number' && Number.isInteger(entry) && entry >= 0;
  if (isCount(value)) return [[value, value], [value, value]];
  if (!Array.isArray(value) || value.length !== 2) return null;

  const [rows, columns] = value as unknown[];
  if (isCount(rows) && isCount(columns)) return [[rows, rows], [columns, columns]];
  const isPair = (entry: unknown): entry is number[] => Array.isArray(entry) && entry.length === 2 && entry.every(isCount);
  if (isPair(rows) && isPair(columns)) return [rows, columns];
  return null;
}

function pairsParam(name: string, defaultValue: number[][], description: string): ParamSpec {
  return { name, type: 'json', default: defaultValue, description };
}

function invalidPairsError(className: string, name: string, value: ParamValue | undefined, defaultValue: number[][]): KindError {
  return kindError(
    'invalid-param',
    `${className} ${name} must be a whole number, [rows, columns] or [[top, bottom], [left, right]] of whole numbers ≥ 0 but got ${JSON.stringify(value)}; set a valid value in the inspector`,
    { type: 'set-param', label: `Reset ${name} to ${JSON.stringify(defaultValue)}`, param: name, value: defaultValue },
  );
}

/** Applies `resize` to each spatial axis of a channels-last input, passing unknown sizes through. */
function resizeSpatial(input: Shape, spatialRank: number, resize: (size: number, axis: number) => number): ShapeResult {
  const spatial = input.slice(1, 1 + spatialRank).map((size, axis) => (size === null ? null : resize(size, axis)));
  return single([input[0], ...spatial, lastDim(input)]);
}

/** Explains each spatial axis in one line, prefixed with the axis name when there are two. */
function explainSpatial(input: Shape, spatialRank: number, explain: (size: number, axis: number) => string): string[] {
  const names = spatialAxisNames(spatialRank);
  return input.slice(1, 1 + spatialRank).map((size, axis) => {
    const line = size === null ? 'unknown size None stays None' : explain(size, axis);
    return spatialRank === 1 ? line : `${names[axis]}: ${line}`;
  });
}

/** Error for a cropping that leaves no steps or pixels along some axis; Keras rejects it too. */
function cropTooLargeError(className: string, input: Shape, cropping: number[][]): KindError | null {
  const names = spatialAxisNames(cropping.length);
  for (let axis = 0; axis < cropping.length; axis += 1) {
    const size = input[1 + axis];
    const [before, after] = cropping[axis];
    if (size === null || before + after < size) continue;
    return kindError(
      'too-small',
      `${className} removes ${before} + ${after} = ${before + after} from the input ${names[axis]} ${size}, which leaves nothing; crop less than ${size} in total`,
    );
  }
  return null;
}

export const ZeroPadding1D: LayerKind = {
  className: 'ZeroPadding1D',
  tfjsLimitation: () => tfjsMissingKind('ZeroPadding1D'),
  category: 'reshaping',
  description: 'Adds zero steps at the start and end of each sequence, e.g. so a valid convolution keeps the length.',
  params: [pairParam('padding', [1, 1], 'Zero steps added before and after the sequence.')],
  inputs: { min: 1, max: 1 },
  outputShapes([input], params) {
    const rankError = expectSpatialRank('ZeroPadding1D', input, 1);
    if (rankError) return rankError;
    const [before, after] = tupleParam(params, 'padding', 2);
    return resizeSpatial(input, 1, (size) => size + before + after);
  },
  weights: () => weightsOf(),
  explainShape([input], params) {
    const [before, after] = tupleParam(params, 'padding', 2);
    return explainSpatial(input, 1, (size) => `${size} + ${before} + ${after} = ${size + before + after}`);
  },
  summarize: (params) => `pad ${tupleParam(params, 'padding', 2).join(', ')}`,
};

const ZERO_PADDING_2D_DEFAULT = [[1, 1], [1, 1]];

export const ZeroPadding2D: LayerKind = {
  className: 'ZeroPadding2D',
  category: 'reshaping',
  description: 'Adds rows and columns of zeros around each image, e.g. so a valid convolution keeps the size.',
  params: [
    pairsParam(
      'padding',
      ZERO_PADDING_2D_DEFAULT,
      'Zero rows and columns to add: [[top, bottom], [left, right]], or [rows, columns] for both sides alike, or one number for all four.',
    ),
  ],
  inputs: { min: 1, max: 1 },
  outputShapes([input], params) {
    const padding = readPairs(params.padding);
    if (!padding) return invalidPairsError('ZeroPadding2D', 'padding', params.padding, ZERO_PADDING_2D_DEFAULT);
    const rankError = expectSpatialRank('ZeroPadding2D', input, 2);
    if (rankError) return rankError;
    return resizeSpatial(input, 2, (size, axis) => size + padding[axis][0] + padding[axis][1]);
  },
  weights: () => weightsOf(),
  explainShape([input], params) {
    const padding = readPairs(params.padding) ?? ZERO_PADDING_2D_DEFAULT;
    return explainSpatial(input, 2, (size, axis) => {
      const [before, after] = padding[axis];
      return `${size} + ${before} + ${after} = ${size + before + after}`;
    });
  },
  summarize(params) {
    const padding = readPairs(params.padding) ?? ZERO_PADDING_2D_DEFAULT;
    return `pad (${padding[0].join(', ')}), (${padding[1].join(', ')})`;
  },
};

export const Cropping1D: LayerKind = {
  className: 'Cropping1D',
  tfjsLimitation: () => tfjsMissingKind('Cropping1D'),
  category: 'reshaping',
  description: 'Removes steps from the start and end of each sequence.',
  params: [pairParam('cropping', [1, 1], 'Steps removed from the start and from the end of the sequence.')],
  inputs: { min: 1, max: 1 },
  outputShapes([input], params) {
    const rankError = expectSpatialRank('Cropping1D', input, 1);
    if (rankError) return rankError;
    const cropping = tupleParam(params, 'cropping', 2);
    const tooLarge = cropTooLargeError('Cropping1D', input, [cropping]);
    if (tooLarge) return tooLarge;
    return resizeSpatial(input, 1, (size) => size - cropping[0] - cropping[1]);
  },
  weights: () => weightsOf(),
  explainShape([input], params) {
    const [before, after] = tupleParam(params, 'cropping', 2);
    return explainSpatial(input, 1, (size) => `${size} − ${before} − ${after} = ${size - before - after}`);
  },
  summarize: (params) => `crop ${tupleParam(params, 'cropping', 2).join(', ')}`,
};

const CROPPING_2D_DEFAULT = [[1, 1], [1, 1]];

// NOTE: tfjs 4.22 subtracts the cropping from an unknown size as if it were 0, which gives a
// negative size where Keras keeps None. It also accepts a cropping that leaves nothing, which
// Keras rejects. The shapes and errors here follow Keras.
export const Cropping2D: LayerKind = {
  className: 'Cropping2D',
  category: 'reshaping',
  // tfjs 4.22 computes an unknown size minus the crop as a negative size, which breaks the
  // layers after it, so the app needs known sizes here.
  tfjsLimitation: ([input]) =>
    input[1] === null || input[2] === null
      ? `Cropping2D needs known height and width in TensorFlow.js 4.22 but got ${formatShape(input)}; set the size on the Input layer`
      : null,
  description: 'Removes rows and columns at the edges of each image.',
  params: [
    pairsParam(
      'cropping',
      CROPPING_2D_DEFAULT,
      'Rows and columns to remove: [[top, bottom], [left, right]], or [rows, columns] for both sides alike, or one number for all four.',
    ),
  ],
  inputs: { min: 1, max: 1 },
  outputShapes([input], params) {
    const cropping = readPairs(params.cropping);
    if (!cropping) return invalidPairsError('Cropping2D', 'cropping', params.cropping, CROPPING_2D_DEFAULT);
    const rankError = expectSpatialRank('Cropping2D', input, 2);
    if (rankError) return rankError;
    const tooLarge = cropTooLargeError('Cropping2D', input, cropping);
    if (tooLarge) return tooLarge;
    return resizeSpatial(input, 2, (size, axis) => size - cropping[axis][0] - cropping[axis][1]);
  },
  weights: () => weightsOf(),
  explainShape([input], params) {
    const cropping = readPairs(params.cropping) ?? CROPPING_2D_DEFAULT;
    return explainSpatial(input, 2, (size, axis) => {
      const [before, after] = cropping[axis];
      return `${size} − ${before} − ${after} = ${size - before - after}`;
    });
  },
  summarize(params) {
    const cropping = readPairs(params.cropping) ?? CROPPING_2D_DEFAULT;
    return `crop (${cropping[0].join(', ')}), (${cropping[1].join(', ')})`;
  },
};

export const UpSampling1D: LayerKind = {
  className: 'UpSampling1D',
  tfjsLimitation: () => tfjsMissingKind('UpSampling1D'),
  category: 'reshaping',
  description: 'Repeats each step of a sequence size times, making it longer without weights.',
  params: [{ name: 'size', type: 'int', default: 2, min: 1, description: 'How many times each step is repeated.' }],
  inputs: { min: 1, max: 1 },
  outputShapes([input], params) {
    const rankError = expectSpatialRank('UpSampling1D', input, 1);
    if (rankError) return rankError;
    const factor = numberParam(params, 'size', 2);
    return resizeSpatial(input, 1, (size) => size * factor);
  },
  weights: () => weightsOf(),
  explainShape([input], params) {
    const factor = numberParam(params, 'size', 2);
    return explainSpatial(input, 1, (size) => `${size} × ${factor} = ${size * factor}`);
  },
  summarize: (params) => `× ${numberParam(params, 'size', 2)}`,
};

export const UpSampling2D: LayerKind = {
  className: 'UpSampling2D',
  category: 'reshaping',
  description: 'Enlarges each image by repeating or interpolating its pixels, without weights.',
  params: [
    { name: 'size', type: 'ints', length: 2, default: [2, 2], min: 1, description: 'Vertical and horizontal enlargement factors; 2, 2 doubles both sides.' },
    {
      name: 'interpolation',
      type: 'enum',
      default: 'nearest',
      options: ['nearest', 'bilinear'],
      description: 'nearest repeats each pixel; bilinear blends the neighbouring pixels for a smoother image.',
    },
  ],
  inputs: { min: 1, max: 1 },
  outputShapes([input], params) {
    const rankError = expectSpatialRank('UpSampling2D', input, 2);
    if (rankError) return rankError;
    const factors = tupleParam(params, 'size', 2);
    return resizeSpatial(input, 2, (size, axis) => size * factors[axis]);
  },
  weights: () => weightsOf(),
  explainShape([input], params) {
    const factors = tupleParam(params, 'size', 2);
    return explainSpatial(input, 2, (size, axis) => `${size} × ${factors[axis]} = ${size * factors[axis]}`);
  },
  summarize(params) {
    const factors = tupleParam(params, 'size', 2).join('×');
    return `× ${factors}, ${stringParam(params, 'interpolation', 'nearest')}`;
  },
};

export const reshapingKinds: LayerKind[] = [
  Flatten,
  Reshape,
  Permute,
  RepeatVector,
  ZeroPadding1D,
  ZeroPadding2D,
  Cropping1D,
  Cropping2D,
  UpSampling1D,
  UpSampling2D,
];
