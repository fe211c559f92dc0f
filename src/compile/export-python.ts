/**
 * Graph → a Python script that rebuilds the model with the tf.keras functional API, one line
 * per layer with Keras argument names, then loads the person's data file, splits it and trains
 * with the same settings as the app. The script is plain text: nothing here runs Python or tfjs.
 *
 * Layer arguments come from `layerConfigJson`, the same source as the Keras JSON export, so the
 * script and the JSON cannot disagree on a setting.
 */
import { getLayerKind } from '../layers';
import type { ParamSpec } from '../layers/types';
import { inferGraph, type Inference } from '../graph/infer';
import { indexGraph, topologicalOrder, type GraphIndex } from '../graph/topology';
import type { Graph, GraphNode, LayerSpec } from '../graph/types';
import { defaultTrainingConfig, validateTrainingConfig, type TrainingConfigOverrides } from './training-config';
import { layerConfigJson, toSnakeCase, type JsonValue } from './keras-export';
import { dataSection, settingsSection, trainingSection, type PythonDataOptions } from './export-python-data';
import { pythonLiteral, pythonNumber, pythonString } from './python-literals';

export type { PythonDataOptions } from './export-python-data';

export interface PythonExportOptions {
  /** Loss, optimizer, epochs, batch size, splits and early stopping; missing fields take the app's defaults. */
  training?: TrainingConfigOverrides;
  /** The data file the script trains on; `data.npz` in the positives/negatives or x/y layout by default. */
  data?: PythonDataOptions;
  modelName?: string;
}

export type PythonExportResult = { ok: true; script: string } | { ok: false; errors: string[] };

const DEFAULT_DATA: PythonDataOptions = { fileName: 'data.npz', format: 'npz' };

/** Builds the training script of a graph. A graph with errors or invalid training settings is returned as error messages. */
export function exportPythonScript(graph: Graph, options: PythonExportOptions = {}): PythonExportResult {
  const inference = inferGraph(graph);
  if (inference.errors.length > 0) return { ok: false, errors: inference.errors.map((error) => error.message) };

  const modelName = options.modelName ?? 'model';
  const validation = validateTrainingConfig(defaultTrainingConfig(graph, inference, undefined, options.training ?? {}));
  if (!validation.ok) return { ok: false, errors: validation.errors.map((message) => `Invalid training settings: ${message}`) };
  const training = validation.config;
  const data = options.data ?? DEFAULT_DATA;
  const builders = new ModelWriter().write(graph, inference, modelName);
  const inputNode = graph.nodes.find((node) => node.id === inference.inputs[0]);
  const inputDtype = typeof inputNode?.params.dtype === 'string' ? inputNode.params.dtype : 'float32';

  const parts = [
    header(modelName, data.format),
    settingsSection(data, training),
    dataSection(data),
    builders,
    trainingSection(training, {
      inputCount: inference.inputs.length,
      outputCount: inference.outputs.length,
      inputDtype,
    }),
  ];
  return { ok: true, script: `${parts.join('\n\n\n')}\n` };
}

function header(modelName: string, format: PythonDataOptions['format']): string {
  const imports = format === 'csv' ? ['import csv', 'import io', 'import itertools', 'import math', 'import re', 'import sys'] : ['import math', 'import re'];
  return `"""Train the model ${pythonString(modelName)} with Keras. Written by Layerlab.

This script is the way to train the model on a bigger machine or a cluster. It rebuilds the
model layer by layer with the tf.keras functional API, loads the data file the way Layerlab does,
splits it with the same fractions and trains with the same loss, optimizer, epochs, batch size
and early stopping. It needs Python 3, numpy and TensorFlow 2.

It works with tf.distribute unchanged: build and compile the model inside a strategy's scope,
and the rest of the script stays as it is. For example, in main():

    strategy = tf.distribute.MirroredStrategy()  # every GPU of this machine
    with strategy.scope():
        model = build_model()
        compile_model(model)

MultiWorkerMirroredStrategy (several machines, each with TF_CONFIG set) and TPUStrategy work
the same way. BATCH_SIZE is then the global batch, divided among the replicas.
"""
${imports.join('\n')}

import numpy as np
import tensorflow as tf

keras = tf.keras
layers = keras.layers`;
}

const PYTHON_KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif',
  'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or',
  'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', 'match', 'case', 'type',
]);

/**
 * Names a layer variable must not take: those the script itself uses, and common Python
 * builtins, which would work but mislead a reader.
 */
const RESERVED_NAMES = new Set([
  'keras', 'layers', 'tf', 'np', 'math', 're', 'csv', 'io', 'itertools', 'model',
  'input', 'list', 'dict', 'set', 'str', 'int', 'float', 'type', 'id', 'len', 'max', 'min', 'sum', 'map', 'filter', 'range', 'print', 'format', 'object',
]);

/**
 * Writes the model-building functions: `build_model()` and one builder per nested model. Each
 * node gets a Python variable named after its layer, made unique and a valid identifier.
 */
class ModelWriter {
  private readonly functions: string[] = [];
  private readonly functionNames = new Set<string>();

  write(graph: Graph, inference: Inference, modelName: string): string {
    this.writeFunction('build_model', graph, inference, modelName, 'The model, rebuilt layer by layer with the functional API.');
    return this.functions.join('\n\n\n');
  }

  private writeFunction(functionName: string, graph: Graph, inference: Inference, modelName: string, docstring: string): void {
    const index = indexGraph(graph);
    const { order } = topologicalOrder(graph, index);
    const variables = new VariableNames();
    const tensorOf = new Map<string, string>();
    const layerObjectOf = new Map<string, string>();
    const sharedOwners = new Set(graph.nodes.map((node) => node.sharedWith).filter((id): id is string => id !== undefined));

    const lines: string[] = [];
    for (const id of order) {
      const node = index.nodes.get(id)!;
      const variable = variables.claim(node.name);
      tensorOf.set(id, variable);

      if (node.kind === 'InputLayer') {
        lines.push(`${variable} = ${inputExpression(node)}`);
        continue;
      }

      const owner = node.sharedWith ? index.nodes.get(node.sharedWith) ?? node : node;
      const call = callArguments(index, id, tensorOf, inference);
      if (owner.id !== node.id || sharedOwners.has(node.id)) {
        // A layer called more than once is created once and kept in a variable, so its calls share weights.
        let layerObject = layerObjectOf.get(owner.id);
        if (!layerObject) {
          layerObject = variables.claim(`${owner.name}_layer`);
          layerObjectOf.set(owner.id, layerObject);
          lines.push(`${layerObject} = ${this.layerExpression(owner)}`);
        }
        lines.push(`${variable} = ${layerObject}(${call})`);
      } else {
        lines.push(`${variable} = ${this.layerExpression(node)}(${call})`);
      }
    }

    const inputs = inference.inputs.map((id) => tensorOf.get(id)!);
    const outputs = inference.outputs.map((id) => tensorOf.get(id)!);
    const list = (names: string[]) => (names.length === 1 ? names[0] : `[${names.join(', ')}]`);
    lines.push(`return keras.Model(inputs=${list(inputs)}, outputs=${list(outputs)}, name=${pythonString(modelName)})`);

    const body = lines.map((line) => `    ${line}`).join('\n');
    this.functions.push(`def ${functionName}():\n    """${docstring}"""\n${body}`);
  }

  /** Writes the Python expression that creates the layer of a node, e.g. `layers.Dense(units=16, …)`. */
  private layerExpression(node: GraphNode): string {
    const kind = getLayerKind(node.kind);
    if (kind?.category === 'model') return `${this.nestedModelFunction(node)}()`;
    return layerConstructor(node.kind, node.params, node.name);
  }

  /** Writes a builder function for a nested model and returns its name. */
  private nestedModelFunction(node: GraphNode): string {
    const graph = node.params.graph as Graph;
    let name = `build_${identifier(node.name)}`;
    for (let suffix = 1; this.functionNames.has(name); suffix += 1) name = `build_${identifier(node.name)}_${suffix}`;
    this.functionNames.add(name);
    this.writeFunction(name, graph, inferGraph(graph), node.name, `The nested ${node.kind} model ${pythonString(node.name)}, used as one layer.`);
    return name;
  }
}

/** Unique Python identifiers for layer names within one function. */
class VariableNames {
  private readonly taken = new Set<string>(RESERVED_NAMES);

  claim(layerName: string): string {
    const base = identifier(layerName);
    let name = base;
    for (let suffix = 1; this.taken.has(name) || PYTHON_KEYWORDS.has(name); suffix += 1) name = `${base}_${suffix}`;
    this.taken.add(name);
    return name;
  }
}

/** Turns a layer name into a valid Python identifier: `conv1d/1` → `conv1d_1`, `1x1` → `layer_1x1`. */
function identifier(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `layer_${cleaned}`;
}

function inputExpression(node: GraphNode): string {
  const shape = Array.isArray(node.params.shape) ? (node.params.shape as JsonValue[]) : [];
  const args = [`shape=${pythonLiteral(shape)}`];
  if (typeof node.params.batchSize === 'number') args.push(`batch_size=${node.params.batchSize}`);
  args.push(`dtype=${pythonString(typeof node.params.dtype === 'string' ? node.params.dtype : 'float32')}`);
  args.push(`name=${pythonString(node.name)}`);
  return `keras.Input(${args.join(', ')})`;
}

/** Writes the tensors a node is called on: one variable, or a list for several inputs. */
function callArguments(index: GraphIndex, id: string, tensorOf: Map<string, string>, inference: Inference): string {
  const refs = (index.incoming.get(id) ?? []).map((edge) => {
    const variable = tensorOf.get(edge.source)!;
    const outputs = inference.nodes.get(edge.source)?.outputShapes?.length ?? 1;
    return outputs > 1 ? `${variable}[${edge.sourceOutput ?? 0}]` : variable;
  });
  return refs.length === 1 ? refs[0] : `[${refs.join(', ')}]`;
}

/**
 * `layers.<Class>(arg=value, …, name=…)` with every parameter the catalogue has, by its Keras
 * name, except those that are unset (`None` is the Keras default for each of them).
 * NOTE: ThresholdedReLU exists in tf.keras 2 only, because Keras 3 removed it.
 */
export function layerConstructor(kindName: string, params: LayerSpec['params'], name: string): string {
  const kind = getLayerKind(kindName);
  const config = layerConfigJson(kindName, params, name);
  const args: string[] = [];
  for (const spec of kind?.params ?? []) {
    if (spec.hidden) continue;
    const key = toSnakeCase(spec.name);
    const value = config[key];
    if (value === null || value === undefined) continue;
    args.push(`${key}=${argumentValue(spec, value, params[spec.name])}`);
  }
  args.push(`name=${pythonString(name)}`);
  return `layers.${kindName}(${args.join(', ')})`;
}

function argumentValue(spec: ParamSpec, value: JsonValue, raw: LayerSpec['params'][string]): string {
  if (spec.type === 'regularizer' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const config = value.config as { l1: number; l2: number };
    return `keras.regularizers.L1L2(l1=${pythonNumber(config.l1)}, l2=${pythonNumber(config.l2)})`;
  }
  if (spec.type === 'layer' && typeof raw === 'object' && raw !== null && 'kind' in raw) {
    const inner = raw as LayerSpec;
    const config = (value as { config: { name: string } }).config;
    return layerConstructor(inner.kind, inner.params, config.name);
  }
  return pythonLiteral(value);
}
