/**
 * Everything a run needs before its first batch: a valid configuration, the split, data without
 * NaN, the compiled model with its optimizer, a data set that fits the model, and batches.
 * Training, time estimates and the backend probe all start here.
 */
import * as tf from '@tensorflow/tfjs';
import { compileGraph } from '../compile/compile';
import {
  checkDataAgainstGraph,
  validateTrainingConfig,
  type OptimizerSettings,
  type ShapeView,
  type TrainingConfig,
} from '../compile/training-config';
import type { Dataset } from '../data/dataset';
import { splitIndices, type SplitIndices } from '../data/split';
import { inferGraph } from '../graph/infer';
import type { Graph, GraphError, Shape } from '../graph/types';
import { createBatchSource, type BatchSource } from './batches';
import { datasetShapesOf, findNonFiniteValue } from './dataset-shapes';

/** Training cannot start: the settings, the data or the graph are wrong. `errors` point at nodes when they can. */
export class TrainingSetupError extends Error {
  constructor(
    message: string,
    readonly errors: GraphError[] = [],
  ) {
    super(message);
    this.name = 'TrainingSetupError';
  }
}

export interface PreparedTraining {
  config: TrainingConfig;
  split: SplitIndices;
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  batches: BatchSource;
  /** Frees the model's weights and the optimizer's state. */
  dispose(): void;
}

export interface PrepareOptions {
  graph: Graph;
  dataset: Dataset;
  config: TrainingConfig;
  /** Example indices per split; by default the config's fractions and seed split the data set. */
  split?: SplitIndices;
}

/** Builds the tfjs optimizer of the settings; tfjs's plain `sgd` has no momentum, so sgd with momentum uses `momentum`. */
export function createOptimizer(settings: OptimizerSettings): tf.Optimizer {
  const { learningRate, momentum } = settings;
  switch (settings.name) {
    case 'adam':
      return tf.train.adam(learningRate);
    case 'sgd':
      return momentum ? tf.train.momentum(learningRate, momentum) : tf.train.sgd(learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate, 0.9, momentum ?? 0);
    case 'adagrad':
      return tf.train.adagrad(learningRate);
  }
}

/** Split indices from the config's fractions and seed (see `splitIndices` in src/data). */
export function splitForConfig(count: number, config: TrainingConfig): SplitIndices {
  const validation = config.validationFraction;
  const test = config.testFraction;
  return splitIndices(count, { train: 1 - validation - test, validation, test, seed: config.seed });
}

/**
 * Returns the shapes of a compiled model's inputs and outputs, keyed by the graph nodes they come
 * from. tfjs is the reference for shapes, so the data check works even where a layer kind is
 * missing from the catalogue. Nodes the model does not name keep the shapes inference found.
 */
export function shapeViewOfModel(graph: Graph, model: tf.LayersModel): ShapeView {
  const inference = inferGraph(graph);
  const nodes = new Map<string, { outputShapes: Shape[] | null }>(inference.nodes);
  const idByName = new Map(graph.nodes.filter((node) => !node.sharedWith).map((node) => [node.name, node.id]));
  const record = (layers: tf.layers.Layer[], tensors: tf.SymbolicTensor[]) =>
    layers.map((layer, index) => {
      const id = idByName.get(layer.name);
      if (id !== undefined) nodes.set(id, { outputShapes: [tensors[index].shape] });
      return id;
    });
  const inputs = record(model.inputLayers, model.inputs);
  const outputs = record(model.outputLayers, model.outputs);
  return {
    inputs: inputs.every((id) => id !== undefined) ? (inputs as string[]) : inference.inputs,
    outputs: outputs.every((id) => id !== undefined) ? (outputs as string[]) : inference.outputs,
    nodes,
  };
}

function requireValidConfig(config: TrainingConfig): TrainingConfig {
  const validation = validateTrainingConfig(config);
  if (!validation.ok) throw new TrainingSetupError(`The training settings are invalid: ${validation.errors.join('; ')}.`);
  return validation.config;
}

function requireUsableData(dataset: Dataset, split: SplitIndices): void {
  if (split.train.length === 0) {
    throw new TrainingSetupError(
      `No examples are left for training: ${dataset.name} has ${dataset.count} examples and the validation and test splits take them all; load more data or lower the held-out fractions.`,
    );
  }
  const bad = findNonFiniteValue(dataset);
  if (bad) {
    throw new TrainingSetupError(
      `The ${bad.array} of example ${bad.example} contain ${bad.value}, which would make the loss NaN; replace missing or infinite values before training.`,
    );
  }
}

/** Validates the settings and data, compiles the graph and its training step. Throws TrainingSetupError. */
export async function prepareTraining(options: PrepareOptions): Promise<PreparedTraining> {
  const config = requireValidConfig(options.config);
  const { graph, dataset } = options;
  const split = options.split ?? splitForConfig(dataset.count, config);
  requireUsableData(dataset, split);

  let model: tf.LayersModel;
  try {
    model = await compileGraph(graph);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TrainingSetupError(`TensorFlow.js could not build the model: ${reason}`, inferGraph(graph).errors);
  }

  const optimizer = createOptimizer(config.optimizer);
  const dispose = () => {
    model.dispose();
    optimizer.dispose();
  };
  try {
    const mismatches = checkDataAgainstGraph(graph, shapeViewOfModel(graph, model), datasetShapesOf(dataset));
    if (mismatches.length > 0) {
      throw new TrainingSetupError(`The data does not fit the model: ${mismatches.map((error) => error.message).join('; ')}.`, mismatches);
    }
    model.compile({ optimizer, loss: config.loss, metrics: config.metrics });
  } catch (error) {
    dispose();
    throw error;
  }

  return { config, split, model, optimizer, batches: createBatchSource(dataset, model, config.loss), dispose };
}
