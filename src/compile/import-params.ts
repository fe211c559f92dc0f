/**
 * One Keras or TensorFlow.js layer config → the kind and parameters of a Layerlab node. Keys go
 * from the Keras snake_case form to the TensorFlow.js camelCase names of the catalogue, and only
 * keys that the catalogue entry defines are kept. Settings that change results but have no
 * Layerlab parameter (trainable: false, constraints, channels_first …) become warnings.
 */
import { getLayerKind } from '../layers';
import type { LayerKind, ParamSpec } from '../layers/types';
import type { Dim, LayerSpec, ParamValue, Params, RegularizerValue } from '../graph/types';
import { firstOwn, isObject, own, ownObject, ownString } from './import-json';
import { toSnakeCase, type JsonObject, type JsonValue } from './keras-export';

/** State shared by every layer of one import. */
export interface ImportContext {
  warnings: string[];
  /** The file is a TensorFlow.js `model.json` or was written by tfjs-layers. */
  fromTfjs: boolean;
}

/** Class names that older Keras versions or aliases write for a kind the catalogue has. */
const CLASS_ALIASES: Readonly<Record<string, string>> = {
  Model: 'Functional',
  MaxPool1D: 'MaxPooling1D',
  MaxPool2D: 'MaxPooling2D',
  MaxPool3D: 'MaxPooling3D',
  AvgPool1D: 'AveragePooling1D',
  AvgPool2D: 'AveragePooling2D',
  AvgPool3D: 'AveragePooling3D',
  GlobalMaxPool1D: 'GlobalMaxPooling1D',
  GlobalMaxPool2D: 'GlobalMaxPooling2D',
  GlobalAvgPool1D: 'GlobalAveragePooling1D',
  GlobalAvgPool2D: 'GlobalAveragePooling2D',
};

/** Other names of a parameter in Keras 1 or Keras 3 files, by kind. */
const PARAM_ALIASES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Dense: { units: 'output_dim' },
  SimpleRNN: { units: 'output_dim' },
  LSTM: { units: 'output_dim' },
  GRU: { units: 'output_dim' },
  Dropout: { rate: 'p' },
  // Keras 3 renamed LeakyReLU's alpha.
  LeakyReLU: { alpha: 'negative_slope' },
};

/** Class names of models that can appear as a layer of another model. */
export const MODEL_CLASSES = new Set(['Sequential', 'Functional', 'Model']);

/** Keys that never change shapes, counts or training in a way Layerlab shows. */
const SILENT_KEYS = new Set([
  'name',
  'dtype',
  'batch_input_shape',
  'batch_shape',
  'batchInputShape',
  'input_shape',
  'input_dtype',
  'build_config',
  'build_input_shape',
  'autocast',
  'seed',
  'implementation',
  'unroll',
  'unit_forget_bias',
  'zero_output_for_mask',
  'noise_shape',
  'sparse',
  'ragged',
  'input_length',
  'fused',
  'renorm',
  'renorm_clipping',
  'renorm_momentum',
  'virtual_batch_size',
  'adjustment',
  'synchronized',
  'lora_rank',
  'lora_alpha',
  'backward_layer',
  'quantization_config',
]);

/** Keras defaults of keys that only deserve a warning when a file changes them. */
const KERAS_DEFAULTS: Readonly<Record<string, JsonValue>> = {
  data_format: 'channels_last',
  dilation_rate: 1,
  groups: 1,
  depth_multiplier: 1,
  strides: 1,
  trainable: true,
  dropout: 0,
  recurrent_dropout: 0,
  momentum: 0.99,
  epsilon: 0.001,
};

export function canonicalClassName(className: string): string {
  return Object.hasOwn(CLASS_ALIASES, className) ? CLASS_ALIASES[className] : className;
}

/**
 * Finds the catalogue kind for a nested model: the kind of the class itself when the catalogue
 * gives it a `graph` parameter, otherwise the first of Sequential, Functional and Model that has
 * one.
 */
export function nestedModelKind(className: string): { kind: LayerKind; graphParam: string } | undefined {
  const candidates = [canonicalClassName(className), ...MODEL_CLASSES];
  for (const candidate of candidates) {
    const kind = getLayerKind(candidate);
    const spec = kind?.params.find((param) => param.type === 'graph');
    if (kind && spec) return { kind, graphParam: spec.name };
  }
  return undefined;
}

/** Keras 1 classes, whose configs use other parameter names (nb_filter, border_mode …). */
const KERAS1_CLASSES = new Set(['Convolution1D', 'Convolution2D', 'AtrousConvolution1D', 'AtrousConvolution2D', 'Merge', 'MaxoutDense', 'Highway', 'TimeDistributedDense']);

const PREPROCESSING_CLASSES = new Set([
  'TextVectorization',
  'StringLookup',
  'IntegerLookup',
  'Hashing',
  'HashedCrossing',
  'CategoryEncoding',
  'Discretization',
  'Normalization',
  'Rescaling',
  'Resizing',
  'CenterCrop',
  'RandomFlip',
  'RandomRotation',
  'RandomZoom',
  'RandomTranslation',
  'RandomContrast',
  'RandomCrop',
  'RandomHeight',
  'RandomWidth',
  'RandomBrightness',
]);

/**
 * Explains why Layerlab cannot import a layer of this class, as a note for the error message
 * (e.g. "Python code"). Returns `null` when the catalogue supports the class, and an empty note
 * for an unknown class.
 */
export function unsupportedNote(className: string, layer: JsonObject): string | null {
  const canonical = canonicalClassName(className);
  if (MODEL_CLASSES.has(canonical)) return nestedModelKind(canonical) ? null : 'a nested model';
  if (getLayerKind(canonical)) return null;

  if (className === 'Lambda') return 'Python code';
  if (className === 'TFOpLambda' || className === 'SlicingOpLambda') return 'a TensorFlow operation';
  if (PREPROCESSING_CLASSES.has(className)) return 'a preprocessing layer';
  if (KERAS1_CLASSES.has(className)) return 'a Keras 1 layer';

  const registered = ownString(layer, 'registered_name') ?? '';
  const module = ownString(layer, 'module');
  const isKerasModule = module === undefined || /^(keras|tf_keras|tensorflow)\b/.test(module);
  if (registered.includes('>') || className.includes('>') || !isKerasModule) return 'a custom class';
  return '';
}

/** Reads a dtype name from a string or from a Keras 3 `DTypePolicy` object. */
export function dtypeName(value: JsonValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  const config = isObject(value) ? ownObject(value, 'config') : undefined;
  return config ? ownString(config, 'name') : undefined;
}

/**
 * Reads the input shape that a layer config carries for a model without an InputLayer:
 * `batch_input_shape` (tf.keras 2, tfjs), `batch_shape` (Keras 3), camelCase `batchInputShape`,
 * or the shape its `build_config` records. Returns the shape with its batch axis.
 */
export function declaredBatchShape(layer: JsonObject, config: JsonObject): Dim[] | undefined {
  const direct = firstOwn(config, ['batch_shape', 'batch_input_shape', 'batchInputShape']);
  if (Array.isArray(direct)) return direct as Dim[];

  const withoutBatch = firstOwn(config, ['input_shape', 'inputShape']);
  if (Array.isArray(withoutBatch)) return [null, ...(withoutBatch as Dim[])];

  const build = ownObject(layer, 'build_config');
  const built = build ? own(build, 'input_shape') : undefined;
  if (Array.isArray(built) && built.every((dim) => dim === null || typeof dim === 'number')) return built as Dim[];
  return undefined;
}

/** Builds InputLayer parameters from a batch shape and a dtype name. */
export function inputLayerParams(batchShape: Dim[] | undefined, dtype: string | undefined, layerName: string, context: ImportContext): Params {
  const params: Params = {};
  if (batchShape === undefined) {
    context.warnings.push(`Input '${layerName}' declares no shape; set its shape in the inspector`);
    params.shape = null;
  } else {
    const batchSize = batchShape[0];
    params.shape = batchShape.slice(1);
    if (typeof batchSize === 'number') params.batchSize = batchSize;
  }

  const name = dtype ?? 'float32';
  if (/^u?int\d+$/.test(name)) {
    params.dtype = 'int32';
    if (name !== 'int32') context.warnings.push(`Input '${layerName}' has dtype ${name}; Layerlab reads it as int32`);
  } else {
    params.dtype = 'float32';
    if (name !== 'float32') context.warnings.push(`Input '${layerName}' has dtype ${name}; Layerlab reads it as float32`);
  }
  return params;
}

/** Builds InputLayer parameters from an InputLayer config of any Keras or tfjs version. */
export function convertInputLayer(layer: JsonObject, config: JsonObject, layerName: string, context: ImportContext): Params {
  return inputLayerParams(declaredBatchShape(layer, config), dtypeName(own(config, 'dtype')), layerName, context);
}

/**
 * Converts the config of a layer of a catalogue kind to parameters. `layerPath` names the layer
 * in warnings, e.g. `bidirectional/forward_lstm` for a wrapped layer.
 */
export function convertLayerParams(kind: LayerKind, config: JsonObject, layerPath: string, context: ImportContext): Params {
  const params: Params = {};
  const used = new Set<string>();

  for (const spec of kind.params) {
    const key = keyFor(kind.className, spec, config);
    if (key === undefined) continue;
    used.add(key);
    const value = convertValue(spec, config[key], `${layerPath}.${key}`, context);
    if (value !== undefined) params[spec.name] = value;
  }

  applyKindRules(kind, config, params, layerPath, context);
  warnAboutDroppedSettings(kind, config, used, layerPath, context);
  return params;
}

/** Finds the config key of a parameter: its snake_case name, its camelCase name, or an alias. */
function keyFor(className: string, spec: ParamSpec, config: JsonObject): string | undefined {
  const aliases = Object.hasOwn(PARAM_ALIASES, className) ? PARAM_ALIASES[className] : undefined;
  const alias = aliases && Object.hasOwn(aliases, spec.name) ? aliases[spec.name] : undefined;
  const keys = [toSnakeCase(spec.name), spec.name, ...(alias ? [alias] : [])];
  return keys.find((key) => Object.hasOwn(config, key));
}

/** Applies rules of single kinds that a generic key mapping cannot express. */
function applyKindRules(kind: LayerKind, config: JsonObject, params: Params, layerPath: string, context: ImportContext): void {
  const hasResetAfter = kind.params.some((spec) => spec.name === 'resetAfter');
  if (hasResetAfter) {
    // Keras before 2.3 and tfjs-layers write no reset_after and compute a GRU without it;
    // Keras 2.3+ and Keras 3 always write the key, so a missing key means false.
    const value = own(config, 'reset_after');
    params.resetAfter = value === true;
    if (value === true && context.fromTfjs) {
      context.warnings.push(`GRU '${layerPath}' has reset_after true, which TensorFlow.js 4.22 cannot load; the counts here follow Keras`);
    }
  }
}

function convertValue(spec: ParamSpec, raw: JsonValue, path: string, context: ImportContext): ParamValue | undefined {
  // A null where the parameter has a non-null default means "use the default" (tfjs writes
  // `mask_zero: null`, `unit_forget_bias: null`).
  if (raw === null) return spec.nullable || spec.default === null ? null : undefined;

  switch (spec.type) {
    case 'int':
    case 'float':
      // 1-D layers store kernel_size, strides and pool_size as one-element lists.
      if (Array.isArray(raw) && raw.length === 1 && typeof raw[0] === 'number') return raw[0];
      return plainValue(raw, path, context);
    case 'enum':
      return spec.name.endsWith('ctivation') ? activationName(raw, path, context) : plainValue(raw, path, context);
    case 'regularizer':
      return regularizerValue(raw, path, context);
    case 'layer':
      return wrappedLayer(raw, path, context);
    case 'graph':
      return undefined;
    case 'json':
      return raw as ParamValue;
    default:
      return plainValue(raw, path, context);
  }
}

/** Numbers, strings, booleans and lists of them pass; an object has no place in such a field. */
function plainValue(raw: JsonValue, path: string, context: ImportContext): ParamValue | undefined {
  if (isObject(raw)) {
    context.warnings.push(`${path} holds an object where Layerlab expects a plain value; it was left at its default`);
    return undefined;
  }
  return raw as ParamValue;
}

/** Keras 3 names the same activation `silu` that tfjs 4.22 calls `swish`. */
const ACTIVATION_ALIASES: Readonly<Record<string, string>> = { silu: 'swish', hard_silu: 'hard_swish' };

function activationName(raw: JsonValue, path: string, context: ImportContext): ParamValue | undefined {
  let name: JsonValue = raw;
  // Keras 3 may serialise an activation as {"class_name": "function", "config": "relu"}.
  if (isObject(raw)) name = own(raw, 'config') ?? null;
  if (typeof name !== 'string') return plainValue(raw, path, context);
  return Object.hasOwn(ACTIVATION_ALIASES, name) ? ACTIVATION_ALIASES[name] : name;
}

/** Reads L1, L2 and L1L2 regularizers of any Keras version as `{ l1, l2 }`, and drops others. */
function regularizerValue(raw: JsonValue, path: string, context: ImportContext): RegularizerValue | null {
  // Keras accepts the strings "l1", "l2" and "l1_l2" with a strength of 0.01.
  if (typeof raw === 'string') {
    const strengths: Record<string, RegularizerValue> = { l1: { l1: 0.01, l2: 0 }, l2: { l1: 0, l2: 0.01 }, l1_l2: { l1: 0.01, l2: 0.01 } };
    if (Object.hasOwn(strengths, raw)) return strengths[raw];
  }
  if (isObject(raw)) {
    const className = ownString(raw, 'class_name') ?? '';
    const config = ownObject(raw, 'config') ?? {};
    if (['L1L2', 'L1', 'L2', 'l1_l2', 'l1', 'l2'].includes(className)) {
      const l1 = own(config, 'l1');
      const l2 = own(config, 'l2');
      return { l1: typeof l1 === 'number' ? l1 : 0, l2: typeof l2 === 'number' ? l2 : 0 };
    }
    context.warnings.push(`${path} is a ${className || 'regularizer'} regularizer, which Layerlab does not support; it was dropped, so training may differ`);
    return null;
  }
  context.warnings.push(`${path} has an unreadable regularizer ${JSON.stringify(raw)}; it was dropped`);
  return null;
}

/** Converts the layer inside a wrapper (Bidirectional, TimeDistributed) to a `LayerSpec`. */
function wrappedLayer(raw: JsonValue, path: string, context: ImportContext): LayerSpec | undefined {
  if (!isObject(raw)) return undefined;
  const className = canonicalClassName(ownString(raw, 'class_name') ?? '');
  const config = ownObject(raw, 'config') ?? {};
  const kind = getLayerKind(className);
  if (!kind) return { kind: className, params: {} };
  const name = ownString(config, 'name') ?? toSnakeCase(className);
  const innerPath = `${path.slice(0, path.lastIndexOf('.'))}/${name}`;
  return { kind: kind.className, params: convertLayerParams(kind, config, innerPath, context) };
}

/** Warns once per layer about settings that matter but that the catalogue cannot hold. */
function warnAboutDroppedSettings(kind: LayerKind, config: JsonObject, used: Set<string>, layerPath: string, context: ImportContext): void {
  if (own(config, 'trainable') === false) {
    context.warnings.push(`Layer '${layerPath}' is frozen (trainable: false) in the file, but Layerlab imports every layer as trainable, so its weights count as trainable`);
  }

  const constraints: string[] = [];
  const dropped: string[] = [];
  for (const key of Object.keys(config)) {
    if (used.has(key) || SILENT_KEYS.has(key) || key.endsWith('_initializer')) continue;
    const value = config[key];
    if (key.endsWith('_constraint')) {
      if (value !== null) constraints.push(`${key} (${describeClass(value)})`);
      continue;
    }
    if (value === null || value === false || isKerasDefault(key, value)) continue;
    if (kind.params.some((spec) => spec.type === 'layer') && key === 'layer') continue;
    dropped.push(`${key}: ${JSON.stringify(value)}`);
  }

  if (constraints.length > 0) {
    context.warnings.push(`Layer '${layerPath}' has ${constraints.join(', ')}, which Layerlab drops, so training may differ`);
  }
  if (dropped.length > 0) {
    context.warnings.push(`Layer '${layerPath}' sets ${dropped.join(', ')}, which Layerlab's ${kind.className} does not have; shapes and counts ignore ${dropped.length === 1 ? 'it' : 'them'}`);
  }
}

function isKerasDefault(key: string, value: JsonValue): boolean {
  if (!Object.hasOwn(KERAS_DEFAULTS, key)) return false;
  const expected = KERAS_DEFAULTS[key];
  if (Array.isArray(value)) return value.every((entry) => entry === expected);
  return value === expected;
}

function describeClass(value: JsonValue): string {
  if (isObject(value)) return ownString(value, 'class_name') ?? 'object';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
