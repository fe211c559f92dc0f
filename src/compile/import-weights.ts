/**
 * TensorFlow.js `model.json` plus its weight files → graph and weight values. Every file the
 * weights manifest names must be present, and every group exactly as long as its weights need.
 * Both are checked before any value is decoded, so a damaged or partial model is rejected whole,
 * with messages that name the file and the sizes.
 *
 * Pure: no tfjs. Putting the values into a compiled model is `assignModelWeights` in
 * `export-tfjs.ts`.
 */
import type { Graph } from '../graph/types';
import { inferGraph } from '../graph/infer';
import { formatCount } from '../layers/format';
import { isObject, own, parseJsonText } from './import-json';
import type { JsonObject, JsonValue } from './keras-export';
import { importModelValue } from './keras-import';

/** The values of one weight variable, in C order. */
export interface WeightTensor {
  shape: number[];
  values: Float32Array;
}

/**
 * Weight values by their TensorFlow.js name, such as `dense/kernel` or
 * `bidirectional/forward_lstm/bias`: the layer name, then the weight's own name.
 */
export type NamedWeights = Map<string, WeightTensor>;

/** One weight as a tfjs weights manifest lists it. */
export interface WeightManifestEntry {
  name: string;
  shape: number[];
  dtype: string;
  /** tfjs `model.save({ includeOptimizer: true })` marks optimizer state with `'optimizer'`. */
  group?: string;
  /** Set by tfjs-converter when it stored the values in fewer bits. */
  quantization?: { dtype: string; scale?: number; min?: number };
}

/** Weights stored one after another in the concatenation of the files in `paths`. */
export interface WeightsManifestGroup {
  paths: string[];
  weights: WeightManifestEntry[];
}

export type TfjsImportResult =
  | {
      ok: true;
      graph: Graph;
      weights: NamedWeights;
      warnings: string[];
      modelName: string;
    }
  | { ok: false; errors: string[] };

/** Bytes per stored value of each dtype that this reader decodes. */
const BYTES_PER_VALUE: Readonly<Record<string, number>> = {
  float32: 4,
  int32: 4,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/**
 * Imports a TensorFlow.js Layers model: the topology of `model.json` becomes a graph and the
 * files its weights manifest names (looked up in `weightFiles` by path or by file name) become
 * weight values. A model.json without a weights manifest imports with no weights and a warning.
 * Every problem is returned as a message; nothing throws.
 */
export function importTfjsModel(modelJsonText: string, weightFiles: ReadonlyMap<string, Uint8Array>): TfjsImportResult {
  try {
    return importChecked(modelJsonText, weightFiles);
  } catch (error) {
    // Every expected problem is a message already; this keeps a defect from reaching the caller as a throw.
    return { ok: false, errors: [`The model could not be imported: ${error instanceof Error ? error.message : String(error)}`] };
  }
}

function importChecked(modelJsonText: string, weightFiles: ReadonlyMap<string, Uint8Array>): TfjsImportResult {
  const parsed = parseJsonText(modelJsonText);
  if (!parsed.ok) return parsed;

  const imported = importModelValue(parsed.value);
  if (!imported.ok) return imported;
  const warnings = [...imported.warnings];

  const rawManifest = isObject(parsed.value) ? own(parsed.value, 'weightsManifest') : undefined;
  if (rawManifest === undefined || rawManifest === null) {
    warnings.push('The model.json has no weightsManifest, so the model has no saved weights; its layers start from fresh initial values');
    return { ok: true, graph: imported.graph, weights: new Map(), warnings, modelName: imported.modelName };
  }

  const manifest = readWeightsManifest(rawManifest);
  if (!manifest.ok) return manifest;
  const decoded = decodeWeights(manifest.groups, weightFiles);
  if (!decoded.ok) return decoded;

  const countError = checkWeightCount(imported.graph, decoded.weights);
  if (countError) return { ok: false, errors: [countError] };
  return { ok: true, graph: imported.graph, weights: decoded.weights, warnings, modelName: imported.modelName };
}

/**
 * Lists the file paths a model.json's weights manifest names, in order, so that a caller can
 * read them before calling `importTfjsModel`. Returns none when the text has no readable manifest.
 */
export function weightFilePaths(modelJsonText: string): string[] {
  const parsed = parseJsonText(modelJsonText);
  if (!parsed.ok || !isObject(parsed.value)) return [];
  const manifest = readWeightsManifest(own(parsed.value, 'weightsManifest') ?? null);
  return manifest.ok ? manifest.groups.flatMap((group) => group.paths) : [];
}

type ManifestResult = { ok: true; groups: WeightsManifestGroup[] } | { ok: false; errors: string[] };

/** Checks the structure of a weights manifest: groups of `paths` and `weights` with names, shapes and dtypes. */
export function readWeightsManifest(value: JsonValue): ManifestResult {
  if (!Array.isArray(value)) return manifestError('weightsManifest must be a list of groups, each with "paths" and "weights"');

  const groups: WeightsManifestGroup[] = [];
  const problems: string[] = [];
  value.forEach((rawGroup, groupIndex) => {
    const where = `weightsManifest[${groupIndex}]`;
    if (!isObject(rawGroup)) {
      problems.push(`${where} must be an object with "paths" and "weights"`);
      return;
    }
    const paths = own(rawGroup, 'paths');
    const weights = own(rawGroup, 'weights');
    if (!Array.isArray(paths) || paths.some((path) => typeof path !== 'string' || path === '')) {
      problems.push(`${where}.paths must be a list of file names such as ["weights.bin"]`);
      return;
    }
    if (!Array.isArray(weights)) {
      problems.push(`${where}.weights must be a list of {name, shape, dtype}`);
      return;
    }
    const entries = weights.map((raw, i) => readManifestEntry(raw, `${where}.weights[${i}]`, problems));
    groups.push({ paths: paths as string[], weights: entries.filter((entry): entry is WeightManifestEntry => entry !== null) });
  });

  const seen = new Set<string>();
  for (const entry of groups.flatMap((group) => group.weights)) {
    if (entry.group === 'optimizer') continue;
    if (seen.has(entry.name)) problems.push(`The weights manifest lists the weight '${entry.name}' twice; each weight needs a unique name`);
    seen.add(entry.name);
  }
  return problems.length > 0 ? { ok: false, errors: problems } : { ok: true, groups };
}

function readManifestEntry(raw: JsonValue, where: string, problems: string[]): WeightManifestEntry | null {
  if (!isObject(raw)) {
    problems.push(`${where} must be an object {name, shape, dtype}`);
    return null;
  }
  const name = own(raw, 'name');
  const shape = own(raw, 'shape');
  const dtype = own(raw, 'dtype');
  if (typeof name !== 'string' || name === '') {
    problems.push(`${where}.name must be a non-empty string but is ${JSON.stringify(name ?? null)}`);
    return null;
  }
  if (!Array.isArray(shape) || !shape.every((dim) => typeof dim === 'number' && Number.isInteger(dim) && dim >= 0)) {
    problems.push(`${where} (${name}): shape must be a list of whole numbers ≥ 0 but is ${JSON.stringify(shape ?? null)}`);
    return null;
  }
  if (typeof dtype !== 'string') {
    problems.push(`${where} (${name}): dtype must be a string such as "float32" but is ${JSON.stringify(dtype ?? null)}`);
    return null;
  }

  const entry: WeightManifestEntry = { name, shape: shape as number[], dtype };
  const group = own(raw, 'group');
  if (typeof group === 'string') entry.group = group;
  const quantization = own(raw, 'quantization');
  if (quantization !== undefined && quantization !== null) {
    const read = readQuantization(quantization, `${where} (${name})`, problems);
    if (!read) return null;
    entry.quantization = read;
  }

  const storedAs = entry.quantization?.dtype ?? dtype;
  if (!(storedAs in BYTES_PER_VALUE) || (dtype !== 'float32' && dtype !== 'int32')) {
    const stored = entry.quantization ? ` stored as ${storedAs}` : '';
    problems.push(`${where} (${name}) has dtype ${dtype}${stored}, which Layerlab cannot read; layer weights are float32 or int32, optionally quantized to uint8, uint16 or float16`);
    return null;
  }
  return entry;
}

function readQuantization(value: JsonValue, where: string, problems: string[]): WeightManifestEntry['quantization'] | null {
  const dtype = isObject(value) ? own(value, 'dtype') : undefined;
  if (!isObject(value) || typeof dtype !== 'string') {
    problems.push(`${where}: quantization must be an object with a dtype such as "uint8"`);
    return null;
  }
  if (dtype === 'float16') return { dtype };

  // uint8 and uint16 store (value − min) / scale as whole numbers (tfjs-converter's affine quantization).
  const scale = own(value, 'scale');
  const min = own(value, 'min');
  if (typeof scale !== 'number' || typeof min !== 'number') {
    problems.push(`${where}: ${dtype} quantization needs numeric "scale" and "min" but has scale ${JSON.stringify(scale ?? null)} and min ${JSON.stringify(min ?? null)}`);
    return null;
  }
  return { dtype, scale, min };
}

function manifestError(message: string): { ok: false; errors: string[] } {
  return { ok: false, errors: [message] };
}

function valueCount(shape: readonly number[]): number {
  return shape.reduce((product, dim) => product * dim, 1);
}

function storedBytes(entry: WeightManifestEntry): number {
  return valueCount(entry.shape) * BYTES_PER_VALUE[entry.quantization?.dtype ?? entry.dtype];
}

/** Returns the last part of a path: `./shards/group1-shard1of2.bin` → `group1-shard1of2.bin`. */
function fileNameOf(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1];
}

/** Looks up the file for a manifest path: the same path, or else the same file name. */
function findFile(path: string, files: ReadonlyMap<string, Uint8Array>): Uint8Array | undefined {
  const exact = files.get(path);
  if (exact) return exact;
  const name = fileNameOf(path);
  for (const [key, bytes] of files) {
    if (fileNameOf(key) === name) return bytes;
  }
  return undefined;
}

type DecodeResult = { ok: true; weights: NamedWeights } | { ok: false; errors: string[] };

/**
 * Decodes the weights of every manifest group from its files. All files are looked up and all
 * lengths checked first, so that every problem is listed and no value is decoded from a
 * partial model.
 */
export function decodeWeights(groups: readonly WeightsManifestGroup[], files: ReadonlyMap<string, Uint8Array>): DecodeResult {
  const missing = [...new Set(groups.flatMap((group) => group.paths).filter((path) => !findFile(path, files)))];
  if (missing.length > 0) {
    const given = files.size > 0 ? [...files.keys()].join(', ') : 'none';
    const plural = missing.length === 1 ? 'file' : 'files';
    return manifestError(`The weights manifest names the weights ${plural} ${missing.join(', ')}, which ${missing.length === 1 ? 'was' : 'were'} not given (given: ${given}); select every .bin file that model.json lists together with it`);
  }

  const problems: string[] = [];
  const groupBytes = groups.map((group) => {
    const parts = group.paths.map((path) => findFile(path, files)!);
    const bytes = concatenate(parts);
    const expected = group.weights.reduce((sum, entry) => sum + storedBytes(entry), 0);
    if (bytes.length !== expected) {
      const files = group.paths.length === 1 ? `The weights file ${group.paths[0]} has` : `The weights files ${group.paths.join(', ')} have together`;
      problems.push(`${files} ${bytes.length} bytes, but the manifest's ${group.weights.length} weights need ${expected} bytes; the file is truncated or belongs to another model`);
    }
    return bytes;
  });
  if (problems.length > 0) return { ok: false, errors: problems };

  const weights: NamedWeights = new Map();
  groups.forEach((group, i) => {
    let offset = 0;
    for (const entry of group.weights) {
      const size = storedBytes(entry);
      if (entry.group !== 'optimizer') {
        weights.set(entry.name, { shape: [...entry.shape], values: decodeValues(groupBytes[i], offset, entry) });
      }
      offset += size;
    }
  });
  return { ok: true, weights };
}

function concatenate(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}

/** Decodes the values of one weight to float32. tfjs writes weight files little-endian. */
function decodeValues(bytes: Uint8Array, offset: number, entry: WeightManifestEntry): Float32Array {
  const count = valueCount(entry.shape);
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, storedBytes(entry));
  const values = new Float32Array(count);
  const quantization = entry.quantization;
  const storedAs = quantization?.dtype ?? entry.dtype;
  const scale = quantization?.scale ?? 1;
  const min = quantization?.min ?? 0;

  for (let i = 0; i < count; i++) {
    switch (storedAs) {
      case 'float32':
        values[i] = view.getFloat32(i * 4, true);
        break;
      case 'int32':
        values[i] = view.getInt32(i * 4, true);
        break;
      case 'uint8':
        values[i] = view.getUint8(i) * scale + min;
        break;
      case 'uint16':
        values[i] = view.getUint16(i * 2, true) * scale + min;
        break;
      case 'float16':
        values[i] = halfToNumber(view.getUint16(i * 2, true));
        break;
    }
  }
  return values;
}

/** Converts the 16 bits of an IEEE 754 half-precision value to a number. */
function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/**
 * Compares the number of weight values with the parameters inference counts, when inference
 * finds the graph valid. Names are checked later, against the compiled model.
 */
function checkWeightCount(graph: Graph, weights: NamedWeights): string | null {
  const inference = inferGraph(graph);
  if (inference.errors.length > 0) return null;
  let stored = 0;
  for (const weight of weights.values()) stored += weight.values.length;
  if (stored === inference.totalParams) return null;
  return `The weight files hold ${formatCount(stored)} values, but the model's layers have ${formatCount(inference.totalParams)} parameters; the weights belong to another model or were saved from a different version of it`;
}

/** Checks whether a parsed JSON object has the layout of a tfjs `model.json` with weights. */
export function hasWeightsManifest(value: JsonObject): boolean {
  return Array.isArray(own(value, 'weightsManifest'));
}
