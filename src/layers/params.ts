/**
 * Parameter specs that many kinds share, default values, and validation of one value against
 * its spec. The inspector validates as the person types with the same function the engine uses.
 */
import type { ParamValue, Params, RegularizerValue } from '../graph/types';
import type { LayerKind, ParamSpec } from './types';

/** Activations offered everywhere Keras has an `activation` field (tfjs 4.22 names). */
export const ACTIVATIONS = [
  'linear',
  'relu',
  'sigmoid',
  'tanh',
  'softmax',
  'gelu',
  'swish',
  'mish',
  'elu',
  'selu',
  'softplus',
  'relu6',
  'softsign',
  'hard_sigmoid',
] as const;

export type Activation = (typeof ACTIVATIONS)[number];

export function activationParam(defaultValue: Activation = 'linear', name = 'activation'): ParamSpec {
  return {
    name,
    type: 'enum',
    default: defaultValue,
    options: ACTIVATIONS,
    description: 'Function applied to each output value; linear leaves it unchanged.',
  };
}

export const USE_BIAS: ParamSpec = {
  name: 'useBias',
  type: 'bool',
  default: true,
  description: 'Adds a learned bias to each output unit or filter.',
};

/** kernelRegularizer, biasRegularizer and activityRegularizer, as Dense and Conv take them. */
export const REGULARIZERS: readonly ParamSpec[] = [
  {
    name: 'kernelRegularizer',
    type: 'regularizer',
    default: null,
    description: 'Penalty l1·Σ|w| + l2·Σw² on the kernel, added to the loss to discourage large weights.',
  },
  {
    name: 'biasRegularizer',
    type: 'regularizer',
    default: null,
    description: 'The same penalty on the bias vector.',
  },
  {
    name: 'activityRegularizer',
    type: 'regularizer',
    default: null,
    description: 'The same penalty on the layer output, which pushes towards small activations.',
  },
];

export const PADDING: ParamSpec = {
  name: 'padding',
  type: 'enum',
  default: 'valid',
  options: ['valid', 'same'],
  description: 'valid: the window stays inside the input, so the output shrinks; same: zeros pad the input so the output keeps its length (at stride 1).',
};

/** The default value of every parameter of a kind. */
export function defaultParams(kind: LayerKind): Params {
  const params: Params = {};
  for (const spec of kind.params) params[spec.name] = structuredCloneValue(spec.default);
  return params;
}

/** Parameters with defaults filled in for the ones missing. */
export function withDefaults(kind: LayerKind, params: Params): Params {
  const filled: Params = {};
  for (const spec of kind.params) {
    filled[spec.name] = Object.hasOwn(params, spec.name)
      ? params[spec.name]
      : structuredCloneValue(spec.default);
  }
  return filled;
}

function structuredCloneValue(value: ParamValue): ParamValue {
  if (value === null || typeof value !== 'object') return value;
  return JSON.parse(JSON.stringify(value)) as ParamValue;
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  return JSON.stringify(value) ?? String(value);
}

/** Describes the valid range of a number parameter, e.g. "≥ 1" or "≥ 0 and < 1", or returns '' when it has none. */
function describeRange(spec: ParamSpec & { type: 'int' | 'float' }): string {
  const { min, max } = spec;
  const minExclusive = spec.type === 'float' && spec.minExclusive === true;
  const maxExclusive = spec.type === 'float' && spec.maxExclusive === true;
  const low = min === undefined ? '' : `${minExclusive ? '>' : '≥'} ${min}`;
  const high = max === undefined ? '' : `${maxExclusive ? '<' : '≤'} ${max}`;
  return low && high ? `${low} and ${high}` : low || high;
}

function checkRange(spec: ParamSpec & { type: 'int' | 'float' }, value: number): string | null {
  const { min, max } = spec;
  const minExclusive = spec.type === 'float' && spec.minExclusive === true;
  const maxExclusive = spec.type === 'float' && spec.maxExclusive === true;
  const tooLow = min !== undefined && (minExclusive ? value <= min : value < min);
  const tooHigh = max !== undefined && (maxExclusive ? value >= max : value > max);
  if (!tooLow && !tooHigh) return null;
  return `${spec.name} must be ${describeRange(spec)} but got ${value}`;
}

function validateRegularizer(name: string, value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `${name} must be null or { l1, l2 } but got ${describeValue(value)}`;
  }
  const { l1, l2 } = value as RegularizerValue;
  for (const [key, strength] of [['l1', l1], ['l2', l2]] as const) {
    if (typeof strength !== 'number' || !Number.isFinite(strength) || strength < 0) {
      return `${name}.${key} must be a number ≥ 0 but got ${describeValue(strength)}`;
    }
  }
  return null;
}

/**
 * Checks one value against its spec. Returns a message that names the parameter, the expected
 * value and the value found, or `null` when the value is valid.
 */
export function validateParam(spec: ParamSpec, value: ParamValue | undefined): string | null {
  if (value === undefined) return `${spec.name} is missing; expected ${describeExpected(spec)}`;
  if (value === null) {
    if (spec.nullable || spec.default === null) return null;
    return `${spec.name} must be ${describeExpected(spec)} but got null`;
  }

  switch (spec.type) {
    case 'int':
      if (!isInteger(value)) return `${spec.name} must be ${describeExpected(spec)} but got ${describeValue(value)}`;
      return checkRange(spec, value);
    case 'float':
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        return `${spec.name} must be ${describeExpected(spec)} but got ${describeValue(value)}`;
      }
      return checkRange(spec, value);
    case 'bool':
      return typeof value === 'boolean' ? null : `${spec.name} must be true or false but got ${describeValue(value)}`;
    case 'enum':
      return typeof value === 'string' && spec.options.includes(value)
        ? null
        : `${spec.name} must be one of ${spec.options.join(', ')} but got ${describeValue(value)}`;
    case 'ints':
      return validateInts(spec, value);
    case 'shape':
      return validateShapeParam(spec, value);
    case 'regularizer':
      return validateRegularizer(spec.name, value);
    case 'layer':
    case 'graph':
    case 'json':
      return null;
  }
}

function validateInts(spec: ParamSpec & { type: 'ints' }, value: ParamValue): string | null {
  const min = spec.min ?? 1;
  const entries = typeof value === 'number' ? [value] : value;
  if (!Array.isArray(entries) || (typeof value !== 'number' && entries.length !== spec.length)) {
    return `${spec.name} must be ${spec.length} whole numbers but got ${describeValue(value)}`;
  }
  for (const entry of entries) {
    if (!isInteger(entry) || entry < min) {
      return `${spec.name} must contain whole numbers ≥ ${min} but got ${describeValue(value)}`;
    }
  }
  return null;
}

function validateShapeParam(spec: ParamSpec & { type: 'shape' }, value: ParamValue): string | null {
  if (!Array.isArray(value)) return `${spec.name} must be a list of sizes but got ${describeValue(value)}`;
  let inferred = 0;
  for (const entry of value) {
    if (entry === null && spec.allowUnknown) continue;
    if (entry === -1 && spec.allowInfer) {
      inferred += 1;
      continue;
    }
    if (!isInteger(entry) || entry < 1) {
      return `${spec.name} must contain whole numbers ≥ 1 but got ${describeValue(value)}`;
    }
  }
  if (inferred > 1) return `${spec.name} may contain -1 at most once but got ${describeValue(value)}`;
  return null;
}

/** Describes the values a parameter takes, e.g. "a whole number ≥ 1" or "one of valid, same". */
export function describeExpected(spec: ParamSpec): string {
  switch (spec.type) {
    case 'int':
      return ['a whole number', describeRange(spec)].filter(Boolean).join(' ');
    case 'float':
      return ['a number', describeRange(spec)].filter(Boolean).join(' ');
    case 'bool':
      return 'true or false';
    case 'enum':
      return `one of ${spec.options.join(', ')}`;
    case 'ints':
      return `${spec.length} whole numbers`;
    case 'shape':
      return 'a list of sizes';
    default:
      return 'a value';
  }
}
