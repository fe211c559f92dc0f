/**
 * Keras model config or TensorFlow.js `model.json` → Layerlab graph: the reverse of
 * `keras-export.ts`. It reads tf.keras 2, Keras 3 and tfjs-layers files, Sequential and
 * Functional, with nested models, wrappers and shared layers. A file with a layer that Layerlab
 * cannot run is rejected as a whole, with one message naming every such layer.
 *
 * Pure: no tfjs, so the command line and the editor can import without loading it.
 */
import { getLayerKind } from '../layers';
import type { Graph } from '../graph/types';
import { isObject, own, ownObject, ownString, parseJsonText } from './import-json';
import { convertModel, entryName, MAX_MODEL_NESTING, modelLayers } from './import-model';
import { canonicalClassName, MODEL_CLASSES, unsupportedNote, type ImportContext } from './import-params';
import { toSnakeCase, type JsonObject, type JsonValue } from './keras-export';

export type ImportResult =
  | {
      ok: true;
      graph: Graph;
      /** Things the graph cannot express or that were changed on the way, for the person to read. */
      warnings: string[];
      /** The model's own name, e.g. `sequential`, as Keras prints it above the summary. */
      modelName: string;
    }
  | { ok: false; errors: string[] };

/** Imports a model from the text of a Keras model config or a tfjs `model.json`. */
export function importModelJson(text: string): ImportResult {
  const parsed = parseJsonText(text);
  if (!parsed.ok) return parsed;
  return importModelValue(parsed.value);
}

/**
 * Imports a model from parsed JSON. The value must already have passed `parseJsonText`'s
 * checks for unsafe keys and depth.
 */
export function importModelValue(value: JsonValue): ImportResult {
  const located = locateModel(value);
  if (!located.ok) return located;
  const { model, fromTfjs } = located;

  const unsupported: UnsupportedLayer[] = [];
  collectUnsupported(model, '', unsupported, 0);
  if (unsupported.length > 0) return { ok: false, errors: [describeUnsupported(unsupported)] };

  const context: ImportContext = { warnings: [], fromTfjs };
  const converted = convertModel(model, context, 0, '');
  if (!converted.ok) return converted;
  return { ok: true, graph: converted.graph, warnings: context.warnings, modelName: converted.name };
}

type Located = { ok: true; model: JsonObject; fromTfjs: boolean } | { ok: false; errors: string[] };

/**
 * Finds the model config in the three layouts: a bare `{class_name, config}`, a tfjs
 * `model.json` (`modelTopology`, sometimes wrapping `model_config`), and a tf.keras 2 HDF5
 * attribute dump with `model_config`.
 */
function locateModel(value: JsonValue): Located {
  if (!isObject(value)) {
    return notAModel(`The file holds ${Array.isArray(value) ? 'a list' : `a ${value === null ? 'null' : typeof value}`}, not a model`);
  }
  if (own(value, 'format') === 'graph-model') {
    return notAModel('The file is a TensorFlow.js graph model (a frozen TensorFlow graph), which has no layers to show; convert the Keras model with the layers-model format instead');
  }
  if (own(value, 'format') === 'layerlab-project') {
    return notAModel('The file is a Layerlab project, not a Keras model; open it as a project');
  }

  const topology = own(value, 'modelTopology');
  const fromTfjs = topology !== undefined || /^tfjs/.test(ownString(value, 'keras_version') ?? '');
  let model: JsonValue | undefined = topology === undefined ? value : topology;
  if (isObject(model) && own(model, 'model_config') !== undefined) model = unwrapModelConfig(own(model, 'model_config')!);
  if (model === undefined || model === null) {
    return notAModel('The file has no model topology ("modelTopology" is empty); it may hold weights only');
  }
  if (!isObject(model) || ownString(model, 'class_name') === undefined) return notAModel('The file has no "class_name"');

  const className = ownString(model, 'class_name')!;
  if (!MODEL_CLASSES.has(canonicalClassName(className))) {
    const what = getLayerKind(className) ? `${className}, a single layer` : className;
    return notAModel(`The top-level class is ${what}, not a model`);
  }
  return { ok: true, model, fromTfjs: fromTfjs || /^tfjs/.test(ownString(model, 'keras_version') ?? '') };
}

/** tf.keras 2 HDF5 files store `model_config` as a JSON string. */
function unwrapModelConfig(value: JsonValue): JsonValue {
  if (typeof value !== 'string') return value;
  const parsed = parseJsonText(value);
  return parsed.ok ? parsed.value : null;
}

function notAModel(reason: string): { ok: false; errors: string[] } {
  return {
    ok: false,
    errors: [`${reason}. Layerlab imports a Keras model config ({"class_name": "Sequential" or "Functional", "config": ...}) or a TensorFlow.js model.json with "modelTopology"`],
  };
}

interface UnsupportedLayer {
  path: string;
  className: string;
  note: string;
}

/** Collects every layer whose class Layerlab cannot run, also inside nested models and wrappers. */
function collectUnsupported(model: JsonObject, prefix: string, found: UnsupportedLayer[], depth: number): void {
  const layers = modelLayers(model) ?? [];
  layers.forEach((layer, i) => {
    if (!isObject(layer) || ownString(layer, 'class_name') === undefined) return;
    const name = entryName(layer, i);
    checkLayer(layer, prefix ? `${prefix}/${name}` : name, found, depth);
  });
}

function checkLayer(layer: JsonObject, path: string, found: UnsupportedLayer[], depth: number): void {
  const className = ownString(layer, 'class_name')!;
  const note = unsupportedNote(className, layer);
  if (note !== null) {
    found.push({ path, className, note });
    return;
  }

  const canonical = canonicalClassName(className);
  if (MODEL_CLASSES.has(canonical)) {
    if (depth < MAX_MODEL_NESTING) collectUnsupported(layer, path, found, depth + 1);
    return;
  }

  // A wrapper is only as supported as the layer it wraps.
  const kind = getLayerKind(canonical);
  const config = ownObject(layer, 'config') ?? {};
  for (const spec of kind?.params ?? []) {
    if (spec.type !== 'layer') continue;
    const inner = own(config, toSnakeCase(spec.name)) ?? own(config, spec.name);
    if (isObject(inner) && ownString(inner, 'class_name') !== undefined) {
      checkLayer(inner, `${path}/${entryName(inner, 0)}`, found, depth);
    }
  }
}

/**
 * Writes one message for all unsupported layers, grouped by class:
 * "Layer 'lambda' is a Lambda (Python code), which Layerlab cannot run; remove it or replace it
 * with built-in layers".
 */
function describeUnsupported(layers: UnsupportedLayer[]): string {
  const groups = new Map<string, UnsupportedLayer[]>();
  for (const layer of layers) {
    const key = `${layer.className}\u0000${layer.note}`;
    groups.set(key, [...(groups.get(key) ?? []), layer]);
  }

  const parts = [...groups.values()].map((group) => {
    const { className, note } = group[0];
    const detail = note ? ` (${note})` : '';
    const names = group.map((layer) => `'${layer.path}'`);
    if (group.length === 1) return `Layer ${names[0]} is ${article(className)} ${className}${detail}`;
    return `Layers ${joinNames(names)} are ${className} layers${detail}`;
  });
  const pronoun = layers.length === 1 ? 'it' : 'them';
  const sentence = parts.map((part, i) => (i === 0 ? part : part.charAt(0).toLowerCase() + part.slice(1)));
  return `${sentence.join('; ')}, which Layerlab cannot run; remove ${pronoun} or replace ${pronoun} with built-in layers`;
}

function article(word: string): string {
  return /^[AEIOU]/.test(word) ? 'an' : 'a';
}

function joinNames(names: string[]): string {
  if (names.length <= 2) return names.join(' and ');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
