/**
 * Training settings: the loss and metrics that fit the model's last layer and the labels, the
 * optimizer, epochs, batch size, splits and early stopping. This module also validates a settings
 * object and checks a data set's shapes against the graph. It imports no tfjs, so the editor can
 * run it on every edit.
 */
import { z } from 'zod';
import type { Graph, GraphError, GraphFix, GraphNode, Shape } from '../graph/types';
import { formatShape, getLayerKind, withDefaults } from '../layers';

export const LOSSES = [
  'binaryCrossentropy',
  'categoricalCrossentropy',
  'sparseCategoricalCrossentropy',
  'meanSquaredError',
  'meanAbsoluteError',
] as const;
export type LossName = (typeof LOSSES)[number];

/** Metric names as `LayersModel.compile` takes them. */
export const METRICS = ['accuracy', 'mae', 'mse'] as const;
export type MetricName = (typeof METRICS)[number];

export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop', 'adagrad'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/**
 * Quantities early stopping can watch, named as tfjs names them in training logs: `acc` for
 * accuracy, `val_` for the value on the validation split.
 */
export const MONITORS = ['val_loss', 'val_acc', 'val_mae', 'val_mse', 'loss', 'acc', 'mae', 'mse'] as const;
export type MonitorName = (typeof MONITORS)[number];

/** Default learning rates, those of Keras 2.15 (tfjs optimizers have none). */
export const DEFAULT_LEARNING_RATES: Readonly<Record<OptimizerName, number>> = {
  adam: 0.001,
  sgd: 0.01,
  rmsprop: 0.001,
  adagrad: 0.001,
};

export interface OptimizerSettings {
  name: OptimizerName;
  /** Step size of each update; must be positive. */
  learningRate: number;
  /** Momentum in [0, 1) for `sgd` (then tfjs's momentum optimizer) and `rmsprop`; others have none. */
  momentum?: number;
}

export interface EarlyStoppingSettings {
  enabled: boolean;
  monitor: MonitorName;
  /** Epochs without improvement after which training stops. */
  patience: number;
  /**
   * Whether to go back to the weights of the best epoch when training stops early, as Keras
   * `restore_best_weights` does. A run that finishes all its epochs keeps the last weights.
   */
  restoreBestWeights: boolean;
  /** Smallest change of the monitored value that counts as an improvement. */
  minDelta: number;
}

export interface TrainingConfig {
  loss: LossName;
  metrics: MetricName[];
  optimizer: OptimizerSettings;
  epochs: number;
  batchSize: number;
  /** Fraction of the examples held out to measure `val_loss` after each epoch, in [0, 1). */
  validationFraction: number;
  /** Fraction held out and evaluated once after training, in [0, 1). */
  testFraction: number;
  /** Seed of the split and of the shuffle before each epoch. */
  seed: number;
  earlyStopping: EarlyStoppingSettings;
}

/** Settings to change in the defaults; the optimizer and early stopping merge field by field. */
export type TrainingConfigOverrides = Partial<Omit<TrainingConfig, 'optimizer' | 'earlyStopping'>> & {
  optimizer?: Partial<OptimizerSettings>;
  earlyStopping?: Partial<EarlyStoppingSettings>;
};

/** Form of a data set's labels, per example (no batch axis). */
export interface LabelInfo {
  /** `[]` for one number per example (a class index or a target value), `[10]` for one-hot rows. */
  shape: number[];
  dtype?: 'float32' | 'int32';
  task?: 'classification' | 'regression';
  /** Number of classes for class-index labels: the largest index plus one, or more. */
  classCount?: number;
  /** Number of distinct class indices that occur in the labels. */
  presentClasses?: number;
}

/** Shapes and types of a data set's features and labels, per example. */
export interface DatasetShapes {
  features: { shape: number[]; dtype: 'float32' | 'int32' };
  labels: LabelInfo;
}

/**
 * The shapes a check needs from inference: which nodes are inputs and outputs and their output
 * shapes. An `Inference` fits; so does a view built from a compiled model.
 */
export interface ShapeView {
  inputs: readonly string[];
  outputs: readonly string[];
  nodes: ReadonlyMap<string, { outputShapes: Shape[] | null }>;
}

export interface LossChoice {
  loss: LossName;
  metrics: MetricName[];
  /** One sentence explaining the choice, for the training panel. */
  reason: string;
}

const LOSS_WORDS: Readonly<Record<LossName, string>> = {
  binaryCrossentropy: 'binary cross-entropy',
  categoricalCrossentropy: 'categorical cross-entropy',
  sparseCategoricalCrossentropy: 'sparse categorical cross-entropy',
  meanSquaredError: 'mean squared error',
  meanAbsoluteError: 'mean absolute error',
};

/** Layers that pass their input's values through unchanged in shape or meaning, looked through to find the head. */
const PASS_THROUGH_KINDS: ReadonlySet<string> = new Set([
  'Dropout',
  'SpatialDropout1D',
  'SpatialDropout2D',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
  'Flatten',
  'Reshape',
]);

/** Activation layers by the function they apply. */
const ACTIVATION_LAYERS: Readonly<Record<string, string>> = {
  Softmax: 'softmax',
  ReLU: 'relu',
  LeakyReLU: 'relu',
  PReLU: 'relu',
  ELU: 'elu',
  ThresholdedReLU: 'relu',
};

/** The output layer of a graph and the activation it ends in, which decide the loss. */
export interface OutputHead {
  /** The output node of the graph. */
  output: GraphNode;
  /** The node that sets the final activation and units: the output, or the layer before pass-through layers. */
  head: GraphNode;
  activation: string;
  /** Output shape with the batch axis; null when inference could not find it. */
  shape: Shape | null;
  /** Size of the last axis of the output. */
  units: number | null;
  /**
   * Whether the head's output has the output's shape, so that its units and activation act on the
   * output's last axis. It is false when a Flatten or Reshape between them changes the shape.
   */
  headSetsLastAxis: boolean;
}

/** Finds the single output of a graph and the activation applied last. Returns null without exactly one output. */
export function describeOutputHead(graph: Graph, shapes: ShapeView): OutputHead | null {
  if (shapes.outputs.length !== 1) return null;
  const nodesById = new Map(graph.nodes.map((node) => [node.id, node]));
  const output = nodesById.get(shapes.outputs[0]);
  if (!output) return null;

  let head = output;
  while (PASS_THROUGH_KINDS.has(head.kind)) {
    const incoming = graph.edges.filter((edge) => edge.target === head.id);
    const source = incoming.length === 1 ? nodesById.get(incoming[0].source) : undefined;
    if (!source) break;
    head = source;
  }

  const shape = shapes.nodes.get(output.id)?.outputShapes?.[0] ?? null;
  const lastDim = shape && shape.length > 1 ? shape[shape.length - 1] : null;
  const unitsParam = paramsOf(head).units;
  const units = lastDim ?? (typeof unitsParam === 'number' && output === head ? unitsParam : null);
  const headShape = shapes.nodes.get(head.id)?.outputShapes?.[0] ?? null;
  const headSetsLastAxis = output === head || (shape !== null && headShape !== null && sameDims(headShape, shape));
  return { output, head, activation: activationOf(head), shape, units, headSetsLastAxis };
}

function sameDims(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((dim, axis) => dim === b[axis]);
}

function paramsOf(node: GraphNode) {
  const kind = getLayerKind(node.kind);
  return kind ? withDefaults(kind, node.params ?? {}) : (node.params ?? {});
}

function activationOf(node: GraphNode): string {
  const fixed = ACTIVATION_LAYERS[node.kind];
  if (fixed) return fixed;
  const activation = paramsOf(node).activation;
  return typeof activation === 'string' ? activation : 'linear';
}

/** Returns whether labels are one class index per example; float labels without a task count as regression targets. */
function isClassIndexLabels(labels: LabelInfo): boolean {
  const oneValue = labels.shape.length === 0 || (labels.shape.length === 1 && labels.shape[0] === 1);
  if (!oneValue) return false;
  return labels.task === 'classification' || (labels.task === undefined && labels.dtype !== 'float32');
}

/**
 * Chooses the loss and metrics from the last layer, as Keras users pick them:
 * - sigmoid → binary cross-entropy and accuracy (one unit, or several independent yes/no labels);
 * - softmax over N units → categorical cross-entropy when the labels are one-hot rows of length N,
 *   otherwise sparse categorical cross-entropy on class indices (also when the labels are unknown);
 * - any other activation (linear, relu, tanh…) → mean squared error, with mean absolute error shown.
 */
export function chooseLoss(graph: Graph, shapes: ShapeView, labels?: LabelInfo): LossChoice {
  const output = describeOutputHead(graph, shapes);
  if (!output) {
    return { loss: 'meanSquaredError', metrics: ['mae'], reason: 'The graph has no single output layer, so the loss defaults to mean squared error.' };
  }

  const { head, activation, units } = output;
  const unitWords = units === null ? 'its units' : `${units} ${units === 1 ? 'unit' : 'units'}`;
  if (activation === 'sigmoid') {
    return {
      loss: 'binaryCrossentropy',
      metrics: ['accuracy'],
      reason: `${head.name} ends in sigmoid over ${unitWords}, a probability per label, so the loss is binary cross-entropy.`,
    };
  }
  if (activation === 'softmax') {
    const oneHot = labels !== undefined && labels.shape.length === 1 && labels.shape[0] > 1 && (units === null || labels.shape[0] === units);
    if (oneHot) {
      return {
        loss: 'categoricalCrossentropy',
        metrics: ['accuracy'],
        reason: `${head.name} ends in softmax over ${unitWords} and the labels are one-hot rows, so the loss is categorical cross-entropy.`,
      };
    }
    return {
      loss: 'sparseCategoricalCrossentropy',
      metrics: ['accuracy'],
      reason: `${head.name} ends in softmax over ${unitWords} and the labels are class indices, so the loss is sparse categorical cross-entropy.`,
    };
  }
  return {
    loss: 'meanSquaredError',
    metrics: ['mae'],
    reason: `${head.name} ends in ${activation}, an unbounded value, so the loss is mean squared error (a regression).`,
  };
}

/** Builds the training settings Layerlab starts from for a graph and its labels, with `overrides` applied. */
export function defaultTrainingConfig(
  graph: Graph,
  inference: ShapeView,
  labelInfo?: LabelInfo,
  overrides: TrainingConfigOverrides = {},
): TrainingConfig {
  const { loss, metrics } = chooseLoss(graph, inference, labelInfo);
  const optimizerName = overrides.optimizer?.name ?? 'adam';
  const optimizer: OptimizerSettings = {
    name: optimizerName,
    learningRate: DEFAULT_LEARNING_RATES[optimizerName],
    ...overrides.optimizer,
  };
  const earlyStopping: EarlyStoppingSettings = {
    enabled: false,
    monitor: 'val_loss',
    patience: 3,
    restoreBestWeights: true,
    minDelta: 0,
    ...overrides.earlyStopping,
  };
  return {
    loss,
    metrics,
    epochs: 10,
    batchSize: 32,
    validationFraction: 0.1,
    testFraction: 0.1,
    seed: 0,
    ...overrides,
    optimizer,
    earlyStopping,
  };
}

/** Log key of a metric in training logs: tfjs writes accuracy as `acc`. */
export function metricKey(metric: MetricName): string {
  return metric === 'accuracy' ? 'acc' : metric;
}

/** Returns the keys of the logs a run of `config` reports after each epoch, e.g. `['loss', 'acc', 'val_loss', 'val_acc']`. */
export function logKeys(config: TrainingConfig): string[] {
  const keys = ['loss', ...config.metrics.map(metricKey)];
  return config.validationFraction > 0 ? [...keys, ...keys.map((key) => `val_${key}`)] : keys;
}

/** Returns `max` when larger values of a monitored quantity are better (accuracy), `min` for losses and errors. */
export function monitorMode(monitor: MonitorName): 'min' | 'max' {
  return monitor.endsWith('acc') ? 'max' : 'min';
}

const got = (issue: { input?: unknown }) => `got ${JSON.stringify(issue.input)}`;

const fraction = (name: string) =>
  z
    .number({ error: (issue) => `${name} must be a number, but ${got(issue)}` })
    .min(0, { error: (issue) => `${name} must be at least 0, but ${got(issue)}` })
    .lt(1, { error: (issue) => `${name} must be below 1, but ${got(issue)}` });

const positiveInteger = (name: string) =>
  z
    .number({ error: (issue) => `${name} must be a number, but ${got(issue)}` })
    .int({ error: (issue) => `${name} must be a whole number, but ${got(issue)}` })
    .min(1, { error: (issue) => `${name} must be at least 1, but ${got(issue)}` });

const choice = <T extends readonly [string, ...string[]]>(name: string, options: T) =>
  z.enum(options, { error: (issue) => `${name} must be one of ${options.join(', ')}, but ${got(issue)}` });

const trainingConfigSchema = z
  .object({
    loss: choice('loss', LOSSES),
    metrics: z.array(choice('metric', METRICS)),
    optimizer: z.object({
      name: choice('optimizer', OPTIMIZERS),
      learningRate: z
        .number({ error: (issue) => `learningRate must be a number, but ${got(issue)}` })
        .positive({ error: (issue) => `learningRate must be greater than 0, but ${got(issue)}` })
        .max(10, { error: (issue) => `learningRate must be at most 10, but ${got(issue)}; typical values are 0.0001 to 0.1` }),
      momentum: fraction('momentum').optional(),
    }),
    epochs: positiveInteger('epochs').max(100_000, { error: (issue) => `epochs must be at most 100000, but ${got(issue)}` }),
    batchSize: positiveInteger('batchSize').max(65_536, { error: (issue) => `batchSize must be at most 65536, but ${got(issue)}` }),
    validationFraction: fraction('validationFraction'),
    testFraction: fraction('testFraction'),
    seed: z
      .number({ error: (issue) => `seed must be a number, but ${got(issue)}` })
      .int({ error: (issue) => `seed must be a whole number, but ${got(issue)}` }),
    earlyStopping: z.object({
      enabled: z.boolean({ error: (issue) => `earlyStopping.enabled must be true or false, but ${got(issue)}` }),
      monitor: choice('earlyStopping.monitor', MONITORS),
      patience: z
        .number({ error: (issue) => `patience must be a number, but ${got(issue)}` })
        .int({ error: (issue) => `patience must be a whole number, but ${got(issue)}` })
        .min(0, { error: (issue) => `patience must be at least 0, but ${got(issue)}` }),
      restoreBestWeights: z.boolean({ error: (issue) => `restoreBestWeights must be true or false, but ${got(issue)}` }),
      minDelta: z
        .number({ error: (issue) => `minDelta must be a number, but ${got(issue)}` })
        .min(0, { error: (issue) => `minDelta must be at least 0, but ${got(issue)}` }),
    }),
  })
  .superRefine((config, context) => {
    const heldOut = config.validationFraction + config.testFraction;
    if (heldOut >= 1) {
      context.addIssue({
        code: 'custom',
        path: ['validationFraction'],
        message: `validationFraction ${config.validationFraction} and testFraction ${config.testFraction} hold out ${heldOut} of the data, leaving nothing to train on; keep their sum below 1`,
      });
    }
    const { momentum, name } = config.optimizer;
    if (momentum !== undefined && name !== 'sgd' && name !== 'rmsprop') {
      context.addIssue({
        code: 'custom',
        path: ['optimizer', 'momentum'],
        message: `momentum applies to sgd and rmsprop only, but the optimizer is ${name}; remove momentum or pick sgd or rmsprop`,
      });
    }

    const { enabled, monitor } = config.earlyStopping;
    if (!enabled) return;
    if (monitor.startsWith('val_') && config.validationFraction === 0) {
      context.addIssue({
        code: 'custom',
        path: ['earlyStopping', 'monitor'],
        message: `early stopping watches ${monitor}, but the validation split is empty (Validation is 0 %); set Validation above 0 % in the data panel's split, or watch loss`,
      });
    }
    const metric = monitor.replace(/^val_/, '');
    const available = ['loss', ...config.metrics.map(metricKey)];
    if (!available.includes(metric)) {
      context.addIssue({
        code: 'custom',
        path: ['earlyStopping', 'monitor'],
        message: `early stopping watches ${monitor}, but the metrics are ${config.metrics.join(', ') || 'none'}; watch ${available.map((key) => `val_${key}`).join(' or ')}, or add the metric`,
      });
    }
  });

export type ConfigValidation = { ok: true; config: TrainingConfig } | { ok: false; errors: string[] };

/** Checks a settings object (e.g. read from a project file); each error names the field, the value and the valid range. */
export function validateTrainingConfig(value: unknown): ConfigValidation {
  const parsed = trainingConfigSchema.safeParse(value);
  if (parsed.success) return { ok: true, config: parsed.data };
  return { ok: false, errors: parsed.error.issues.map((issue) => issue.message) };
}

function formatExampleShape(shape: readonly (number | null)[]): string {
  return formatShape([null, ...shape]);
}

function sameShape(data: readonly number[], model: Shape): boolean {
  return data.length === model.length && model.every((dim, axis) => dim === null || dim === data[axis]);
}

/**
 * Checks that a data set fits a graph with one input and one output: the features against the
 * Input layer's shape and dtype, and the labels against the last layer's units and activation.
 * Returns `data-mismatch` errors, each with a fix where one edit repairs it. Checks whose shapes
 * are unknown (an error upstream) are skipped.
 */
export function checkDataAgainstGraph(graph: Graph, shapes: ShapeView, data: DatasetShapes): GraphError[] {
  const nodesById = new Map(graph.nodes.map((node) => [node.id, node]));
  const firstNode = graph.nodes[0];
  if (!firstNode) return [];

  const errors: GraphError[] = [];
  if (shapes.inputs.length !== 1) {
    const nodeId = shapes.inputs[1] ?? firstNode.id;
    errors.push({
      nodeId,
      code: 'data-mismatch',
      message: `The model has ${shapes.inputs.length} Input layers, but a data set feeds one features array; keep exactly one Input layer`,
    });
  } else {
    errors.push(...checkFeatures(graph, nodesById.get(shapes.inputs[0])!, shapes, data.features));
  }

  if (shapes.outputs.length !== 1) {
    const nodeId = shapes.outputs[1] ?? firstNode.id;
    errors.push({
      nodeId,
      code: 'data-mismatch',
      message: `The model has ${shapes.outputs.length} output layers, but the loaded data set has one labels array; keep exactly one layer without outgoing connections`,
    });
  } else {
    const head = describeOutputHead(graph, shapes);
    if (head) errors.push(...checkLabels(head, data.labels));
  }
  return errors;
}

/** Returns the Embedding that is the one layer `input` feeds, if it is one. */
function embeddingAfter(graph: Graph, input: GraphNode): GraphNode | null {
  const targets = graph.edges.filter((edge) => edge.source === input.id).map((edge) => edge.target);
  if (targets.length !== 1) return null;
  const next = graph.nodes.find((node) => node.id === targets[0]);
  return next?.kind === 'Embedding' ? next : null;
}

function checkFeatures(graph: Graph, input: GraphNode, shapes: ShapeView, features: DatasetShapes['features']): GraphError[] {
  const errors: GraphError[] = [];
  const params = paramsOf(input);
  const inferred = shapes.nodes.get(input.id)?.outputShapes?.[0];
  const expected: Shape | null = inferred ? inferred.slice(1) : Array.isArray(params.shape) ? (params.shape as Shape) : null;

  // Vectors per position (for example one-hot residues) instead of token ids: the Embedding has
  // nothing to look up, so the vectors can go straight to the layer after it.
  const embedding = embeddingAfter(graph, input);
  if (embedding && features.dtype === 'float32' && features.shape.length >= 2) {
    const shape = features.shape.join(', ');
    return [
      {
        nodeId: input.id,
        code: 'data-mismatch',
        message:
          `The data's features are float32 vectors, ${formatExampleShape(features.shape)}, but ${input.name} feeds ${embedding.name}, which reads one whole-number token id per position; ` +
          `set the Input shape to ${shape} and its dtype to float32, and remove ${embedding.name}, so the vectors go straight to the next layer`,
        fix: {
          type: 'combined',
          label: `Set the Input to (${shape}) float32 and remove ${embedding.name}`,
          fixes: [
            { type: 'set-param', label: `Set shape to ${shape}`, nodeId: input.id, param: 'shape', value: [...features.shape] },
            { type: 'set-param', label: 'Set dtype to float32', nodeId: input.id, param: 'dtype', value: 'float32' },
            { type: 'remove-node', label: `Remove ${embedding.name}`, nodeId: embedding.id },
          ],
        },
      },
    ];
  }
  if (expected && !sameShape(features.shape, expected)) {
    errors.push({
      nodeId: input.id,
      code: 'data-mismatch',
      message: `${input.name} takes examples of shape ${formatExampleShape(expected)}, but the data's features are ${formatExampleShape(features.shape)}; set the Input shape to ${features.shape.join(', ')}`,
      fix: { type: 'set-param', label: `Set shape to ${features.shape.join(', ')}`, nodeId: input.id, param: 'shape', value: [...features.shape] },
    });
  }
  if (params.dtype === 'int32' && features.dtype === 'float32') {
    errors.push({
      nodeId: input.id,
      code: 'data-mismatch',
      message: `${input.name} takes int32 values (token ids), but the data's features are float32 and would be cut to whole numbers; set the Input dtype to float32`,
      fix: { type: 'set-param', label: 'Set dtype to float32', nodeId: input.id, param: 'dtype', value: 'float32' },
    });
  }
  return errors;
}

function unitsFix(head: GraphNode, units: number): GraphFix {
  return { type: 'set-param', label: `Set units to ${units}`, nodeId: head.id, param: 'units', value: units };
}

function activationFix(head: GraphNode, activation: string): GraphFix {
  return { type: 'set-param', label: `Set activation to ${activation}`, nodeId: head.id, param: 'activation', value: activation };
}

/** Units and activation of a Dense layer added at the end of a model. */
interface DenseHead {
  units: number;
  activation: 'linear' | 'sigmoid' | 'softmax';
}

/** Returns the Dense settings that output class probabilities: one sigmoid unit for two classes, or softmax over one unit per class. */
function classifierFor(classes: number): DenseHead {
  return classes <= 2 ? { units: 1, activation: 'sigmoid' } : { units: classes, activation: 'softmax' };
}

/** Describes a Dense layer's settings, e.g. "10 units and softmax" or "1 unit" for linear. */
function describeDense(dense: DenseHead): string {
  const units = `${dense.units} ${dense.units === 1 ? 'unit' : 'units'}`;
  return dense.activation === 'linear' ? units : `${units} and ${dense.activation}`;
}

/**
 * Builds the advice and the fix that add a Dense layer after the last layer, with a Flatten before
 * it when the output has more than one axis per example. The fix is left out when the output has an
 * axis of unknown size, because Flatten then cannot size its output.
 */
function appendDense(last: GraphNode, perExample: Shape, dense: DenseHead): { advice: string; fix?: GraphFix } {
  const flatten = perExample.length > 1;
  const advice = `add ${flatten ? 'a Flatten and ' : ''}a Dense layer with ${describeDense(dense)} at the end`;
  if (flatten && perExample.some((dim) => dim === null)) return { advice };

  const label = `Add ${flatten ? 'Flatten and ' : ''}Dense with ${describeDense(dense)} after ${last.name}`;
  const addDense: GraphFix = { type: 'insert-after', label, nodeId: last.id, kind: 'Dense', params: { ...dense } };
  if (!flatten) return { advice, fix: addDense };
  // Each insert goes right after the last layer, so adding Flatten second puts it before the Dense.
  const addFlatten: GraphFix = { type: 'insert-after', label: `Add Flatten after ${last.name}`, nodeId: last.id, kind: 'Flatten', params: {} };
  return { advice, fix: { type: 'combined', label, fixes: [addDense, addFlatten] } };
}

function checkLabels(output: OutputHead, labels: LabelInfo): GraphError[] {
  const { head, activation, shape } = output;
  if (!shape) return [];
  const perExample = shape.slice(1);
  const units = output.units;

  // Fixes may set the head's units or activation only where it has those parameters and they act
  // on the output's last axis. Otherwise the advice is to add a layer after the real last layer.
  const headParams = paramsOf(head);
  const hasUnits = output.headSetsLastAxis && 'units' in headParams;
  const hasActivation = output.headSetsLastAxis && 'activation' in headParams;
  const layer = hasUnits || hasActivation ? head : output.output;
  const error = (message: string, fix?: GraphFix): GraphError[] => [
    { nodeId: layer.id, code: 'data-mismatch', message, ...(fix ? { fix } : {}) },
  ];

  if (!isClassIndexLabels(labels)) {
    const labelShape = labels.shape.length === 0 ? [1] : labels.shape;
    if (sameShape(labelShape, perExample)) return [];
    const mismatch = `${layer.name} outputs ${formatExampleShape(perExample)} per batch, but the labels are ${formatExampleShape(labels.shape)}; `;
    if (labelShape.length !== 1) {
      return error(`${mismatch}change the last layers so that the output shape equals the label shape`);
    }
    if (hasUnits && perExample.length === 1) {
      return error(`${mismatch}set units to ${labelShape[0]}`, unitsFix(head, labelShape[0]));
    }
    const appended = appendDense(output.output, perExample, {
      units: labelShape[0],
      activation: labels.task === 'classification' && labelShape[0] > 1 ? 'softmax' : 'linear',
    });
    return error(`${mismatch}${appended.advice}`, appended.fix);
  }

  // Class-index labels: one class per example.
  const classes = labels.classCount;
  const present = labels.presentClasses;
  if (classes !== undefined && present !== undefined && present * 2 < classes) {
    // Ids with large gaps (0 and 5000): an output per id would be mostly unused.
    return error(
      `The labels use class ids up to ${classes - 1}, but only ${present} ${present === 1 ? 'class occurs' : 'classes occur'}; ` +
        `renumber the classes 0 to ${present - 1} in the data panel, so that ${layer.name} needs ${present === 2 ? '1 sigmoid unit or 2 softmax units' : `${present} units`} instead of ${classes}`,
    );
  }
  if (perExample.length !== 1 || units === null) {
    const mismatch = `${layer.name} outputs ${formatExampleShape(perExample)} per batch, but the labels are one class per example and need an output of shape (None, classes); `;
    if (classes === undefined) return error(`${mismatch}add a Flatten and a Dense layer at the end`);
    const appended = appendDense(output.output, perExample, classifierFor(classes));
    return error(`${mismatch}${appended.advice}`, appended.fix);
  }
  if (activation === 'softmax') return checkSoftmaxUnits(output, classes, hasUnits, hasActivation, error);
  if (units === 1) {
    if (classes === undefined || classes <= 2) return [];
    const mismatch = `The labels have ${classes} classes (0 to ${classes - 1}), but ${layer.name} has 1 unit; `;
    if (hasUnits && hasActivation) {
      return error(`${mismatch}set units to ${classes} and the activation to softmax`, {
        type: 'combined',
        label: `Set units to ${classes} and activation to softmax`,
        fixes: [unitsFix(head, classes), activationFix(head, 'softmax')],
      });
    }
    const appended = appendDense(output.output, perExample, classifierFor(classes));
    return error(`${mismatch}${appended.advice}`, appended.fix);
  }

  if (hasActivation && hasUnits && classes !== undefined && units !== classes) {
    return error(
      `The labels have ${classes} classes (0 to ${classes - 1}), but ${layer.name} outputs ${units} values per example with ${activation}; set units to ${classes} and the activation to softmax`,
      {
        type: 'combined',
        label: `Set units to ${classes} and activation to softmax`,
        fixes: [unitsFix(head, classes), activationFix(head, 'softmax')],
      },
    );
  }
  if (hasActivation) {
    return error(
      `${layer.name} outputs ${units} values per example with ${activation}, but the labels are one class index per example; set the activation to softmax so that the ${units} units are class probabilities`,
      activationFix(head, 'softmax'),
    );
  }
  const mismatch = `${layer.name} outputs ${units} values per example, but the labels are one class index per example; `;
  if (classes === undefined) {
    return error(`${mismatch}add a Dense layer at the end with one unit per class and softmax, or 1 unit and sigmoid for two classes`);
  }
  const appended = appendDense(output.output, perExample, classifierFor(classes));
  return error(`${mismatch}${appended.advice}, so that the model outputs class probabilities`, appended.fix);
}

/** Checks that a head ending in softmax has more than one unit and at least one unit per class. */
function checkSoftmaxUnits(
  output: OutputHead,
  classes: number | undefined,
  hasUnits: boolean,
  hasActivation: boolean,
  error: (message: string, fix?: GraphFix) => GraphError[],
): GraphError[] {
  const { head, units } = output;
  if (units === 1) {
    const problem = `${head.name} applies softmax to 1 unit, which always outputs 1, so it cannot learn; `;
    if (classes !== undefined && classes > 2) {
      if (hasUnits) return error(`${problem}set units to ${classes}, one per class`, unitsFix(head, classes));
      return error(`${problem}make the layer before it output ${classes} values, one per class`);
    }
    if (hasActivation) return error(`${problem}use sigmoid for two classes`, activationFix(head, 'sigmoid'));
    return error(`${problem}replace ${head.name} with an Activation layer set to sigmoid for two classes`);
  }
  if (classes !== undefined && units !== null && units < classes) {
    const mismatch = `The labels have ${classes} classes (0 to ${classes - 1}), but ${head.name} has ${units} units; `;
    if (hasUnits) return error(`${mismatch}set units to ${classes}, one per class`, unitsFix(head, classes));
    return error(`${mismatch}make the layer before it output ${classes} values, one per class`);
  }
  return [];
}

/** Names a loss in words: `binaryCrossentropy` → "binary cross-entropy". */
export function describeLoss(loss: LossName): string {
  return LOSS_WORDS[loss];
}
