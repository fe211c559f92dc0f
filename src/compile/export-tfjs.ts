/**
 * Graph (and weights) → TensorFlow.js Layers model files: `model.json` whose `modelTopology` is
 * the Keras model config of `keras-export.ts`, and one `weights.bin` with every weight as
 * little-endian float32, listed in the weights manifest. `tf.loadLayersModel` reads the pair.
 */
import * as tf from '@tensorflow/tfjs';
import { inferGraph } from '../graph/infer';
import type { Graph } from '../graph/types';
import { compileGraph } from './compile';
import type { NamedWeights, WeightManifestEntry, WeightTensor } from './import-weights';
import { graphToKerasModel, type KerasModelJson } from './keras-export';

export const WEIGHTS_FILE_NAME = 'weights.bin';

/** The content of a tfjs `model.json` in the Layers format. */
export interface TfjsModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  modelTopology: KerasModelJson;
  weightsManifest: { paths: string[]; weights: WeightManifestEntry[] }[];
}

/** The two files of an exported model. */
export interface TfjsModelFiles {
  modelJson: TfjsModelJson;
  /** The content of the weights file that `modelJson.weightsManifest` names. */
  weightData: Uint8Array;
}

/** A weight with its name, as a trained model's weights cross from the training worker. */
export interface NamedWeightValues extends WeightTensor {
  name: string;
}

export interface TfjsExportOptions {
  /**
   * The values to save, e.g. a trained model's (see `readModelWeights`). Every weight of the
   * compiled graph must be present with its shape. Without them the weights are freshly
   * initialised, as `compileGraph` creates them.
   */
  weights?: NamedWeights | readonly NamedWeightValues[];
  modelName?: string;
  weightsFileName?: string;
}

export type TfjsExportResult = { ok: true; files: TfjsModelFiles } | { ok: false; errors: string[] };

/**
 * Builds the model.json and weights file of a graph. A graph with errors, a graph that tfjs
 * rejects, and given weights that do not fit the model are returned as errors.
 */
export async function exportTfjsModel(graph: Graph, options: TfjsExportOptions = {}): Promise<TfjsExportResult> {
  const inference = inferGraph(graph);
  if (inference.errors.length > 0) {
    return { ok: false, errors: inference.errors.map((error) => error.message) };
  }

  const modelName = options.modelName ?? 'model';
  let model: tf.LayersModel;
  try {
    model = await compileGraph(graph, modelName);
  } catch (error) {
    return { ok: false, errors: [`TensorFlow.js could not build the model: ${error instanceof Error ? error.message : String(error)}`] };
  }

  try {
    const supplied = options.weights === undefined ? undefined : toNamedWeights(options.weights);
    const values = supplied ?? readModelWeights(model);
    const problems = supplied ? checkWeightsFit(model, supplied) : [];
    if (problems.length > 0) return { ok: false, errors: problems };
    return { ok: true, files: buildModelFiles(graphToKerasModel(graph, modelName), expectedWeights(model), values, options.weightsFileName) };
  } finally {
    model.dispose();
  }
}

/** Copies the weights of a compiled or trained model, by the names its saved files use. */
export function readModelWeights(model: tf.LayersModel): NamedWeights {
  const weights: NamedWeights = new Map();
  for (const variable of model.weights) {
    weights.set(variable.originalName, { shape: [...variable.shape] as number[], values: Float32Array.from(variable.read().dataSync()) });
  }
  return weights;
}

/**
 * Sets a model's weights to `weights`, e.g. imported ones. Checks every name and shape first
 * and changes nothing when one does not fit.
 */
export function assignModelWeights(model: tf.LayersModel, weights: NamedWeights): { ok: true } | { ok: false; errors: string[] } {
  const problems = checkWeightsFit(model, weights);
  if (problems.length > 0) return { ok: false, errors: problems };

  const tensors: tf.NamedTensorMap = {};
  for (const [name, weight] of weights) tensors[name] = tf.tensor(weight.values, weight.shape, 'float32');
  try {
    model.loadWeights(tensors, true);
  } finally {
    tf.dispose(Object.values(tensors));
  }
  return { ok: true };
}

/** Converts exported files to the artifacts that `tf.loadLayersModel(tf.io.fromMemory(...))` reads. */
export function toModelArtifacts(files: TfjsModelFiles): tf.io.ModelArtifacts {
  const { modelJson, weightData } = files;
  return {
    modelTopology: modelJson.modelTopology as unknown as tf.io.ModelArtifacts['modelTopology'],
    format: modelJson.format,
    generatedBy: modelJson.generatedBy,
    convertedBy: modelJson.convertedBy,
    weightSpecs: modelJson.weightsManifest.flatMap((group) => group.weights) as tf.io.WeightsManifestEntry[],
    weightData: weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength) as ArrayBuffer,
  };
}

/** Formats model.json as text. */
export function modelJsonText(files: TfjsModelFiles): string {
  return `${JSON.stringify(files.modelJson, null, 2)}\n`;
}

function toNamedWeights(weights: NamedWeights | readonly NamedWeightValues[]): NamedWeights {
  if (weights instanceof Map) return weights;
  return new Map((weights as readonly NamedWeightValues[]).map(({ name, shape, values }) => [name, { shape, values }]));
}

function expectedWeights(model: tf.LayersModel): { name: string; shape: number[] }[] {
  // Weight variables always have fully known shapes.
  return model.weights.map((variable) => ({ name: variable.originalName, shape: [...variable.shape] as number[] }));
}

function formatTuple(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Every weight the model has must be given with its shape and the right number of values; no others. */
function checkWeightsFit(model: tf.LayersModel, weights: NamedWeights): string[] {
  const problems: string[] = [];
  const expected = expectedWeights(model);
  const missing = expected.filter((weight) => !weights.has(weight.name)).map((weight) => weight.name);
  if (missing.length > 0) problems.push(`The weights lack ${missing.join(', ')}, which the model has; they belong to another model`);

  for (const weight of expected) {
    const supplied = weights.get(weight.name);
    if (!supplied) continue;
    const sameShape = supplied.shape.length === weight.shape.length && supplied.shape.every((dim, axis) => dim === weight.shape[axis]);
    const size = weight.shape.reduce((product, dim) => product * dim, 1);
    if (!sameShape) {
      problems.push(`The weight ${weight.name} has shape ${formatTuple(supplied.shape)} but the model needs ${formatTuple(weight.shape)}; the layer's settings differ from those it was trained with`);
    } else if (supplied.values.length !== size) {
      problems.push(`The weight ${weight.name} has ${supplied.values.length} values but its shape ${formatTuple(weight.shape)} needs ${size}`);
    }
  }

  const known = new Set(expected.map((weight) => weight.name));
  const extra = [...weights.keys()].filter((name) => !known.has(name));
  if (extra.length > 0) problems.push(`The weights contain ${extra.join(', ')}, which the model does not have; they belong to another model`);
  return problems;
}

/** model.json and the weights file, with the weights in the order the model lists them. */
function buildModelFiles(
  topology: KerasModelJson,
  expected: { name: string; shape: number[] }[],
  values: NamedWeights,
  weightsFileName = WEIGHTS_FILE_NAME,
): TfjsModelFiles {
  const entries: WeightManifestEntry[] = expected.map(({ name, shape }) => ({ name, shape, dtype: 'float32' }));
  const total = expected.reduce((sum, { name }) => sum + values.get(name)!.values.length, 0);
  const weightData = new Uint8Array(total * 4);
  const view = new DataView(weightData.buffer);
  let offset = 0;
  for (const { name } of expected) {
    for (const value of values.get(name)!.values) {
      view.setFloat32(offset, value, true);
      offset += 4;
    }
  }

  return {
    modelJson: {
      format: 'layers-model',
      generatedBy: `Layerlab with TensorFlow.js tfjs-layers v${tf.version_layers}`,
      convertedBy: null,
      modelTopology: topology,
      weightsManifest: [{ paths: [weightsFileName], weights: entries }],
    },
    weightData,
  };
}
