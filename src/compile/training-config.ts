/**
 * Training settings: the loss and metrics that fit the model's last layer and the labels, the
 * optimizer, epochs, batch size, splits and early stopping. This module also validates a settings
 * object and checks a data set's shapes against the graph. It imports no tfjs, so the editor can
 * run it on every edit.
 */
import { z } from 'zod';
import type { Graph, GraphError, GraphNode, Shape } from '../graph/types';
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
  return { output, head, activation: activationOf(head), shape, units };
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
      message: `The model has ${shapes.outputs.length} output layers, but a data set has one labels array; keep exactly one layer without outgoing connections`,
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

function unitsFix(head: GraphNode, units: number): GraphError['fix'] {
  if (!('units' in paramsOf(head))) return undefined;
  return { type: 'set-param', label: `Set units to ${units}`, nodeId: head.id, param: 'units', value: units };
}

function activationFix(head: GraphNode, activation: string): GraphError['fix'] {
  if (!('activation' in paramsOf(head))) return undefined;
  return { type: 'set-param', label: `Set activation to ${activation}`, nodeId: head.id, param: 'activation', value: activation };
}

function checkLabels(output: OutputHead, labels: LabelInfo): GraphError[] {
  const { head, activation, shape } = output;
  if (!shape) return [];
  const perExample = shape.slice(1);
  const units = output.units;
  const error = (message: string, fix?: GraphError['fix']): GraphError[] => [
    { nodeId: head.id, code: 'data-mismatch', message, ...(fix ? { fix } : {}) },
  ];

  if (!isClassIndexLabels(labels)) {
    const labelShape = labels.shape.length === 0 ? [1] : labels.shape;
    if (sameShape(labelShape, perExample)) return [];
    const fix = labelShape.length === 1 && perExample.length === 1 ? unitsFix(head, labelShape[0]) : undefined;
    return error(
      `${head.name} outputs ${formatExampleShape(perExample)} per batch, but the labels are ${formatExampleShape(labels.shape)}; ` +
        (fix ? `set units to ${labelShape[0]}` : 'change the last layers so that the output shape equals the label shape'),
      fix,
    );
  }

  // Class-index labels: one class per example.
  const classes = labels.classCount;
  const present = labels.presentClasses;
  if (classes !== undefined && present !== undefined && present * 2 < classes) {
    // Ids with large gaps (0 and 5000): an output per id would be mostly unused.
    return error(
      `The labels use class ids up to ${classes - 1}, but only ${present} ${present === 1 ? 'class occurs' : 'classes occur'}; ` +
        `renumber the classes 0 to ${present - 1} in the data panel, so that ${head.name} needs ${present === 2 ? '1 sigmoid unit or 2 softmax units' : `${present} units`} instead of ${classes}`,
    );
  }
  if (perExample.length !== 1 || units === null) {
    return error(
      `${head.name} outputs ${formatExampleShape(perExample)} per batch, but the labels are one class per example and need an output of shape (None, classes); add a Flatten and a Dense layer at the end`,
    );
  }
  if (activation === 'softmax') {
    if (units === 1) {
      const wide = classes !== undefined && classes > 2;
      return error(
        `${head.name} applies softmax to 1 unit, which always outputs 1, so it cannot learn; ` +
          (wide ? `set units to ${classes}, one per class` : 'use sigmoid for two classes'),
        wide ? unitsFix(head, classes) : activationFix(head, 'sigmoid'),
      );
    }
    if (classes !== undefined && units < classes) {
      return error(
        `The labels have ${classes} classes (0 to ${classes - 1}), but ${head.name} has ${units} units; set units to ${classes}, one per class`,
        unitsFix(head, classes),
      );
    }
    return [];
  }
  if (units === 1) {
    if (classes !== undefined && classes > 2) {
      const fixes = [unitsFix(head, classes), activationFix(head, 'softmax')].filter((fix) => fix !== undefined);
      return error(
        `The labels have ${classes} classes (0 to ${classes - 1}), but ${head.name} has 1 unit; set units to ${classes} and the activation to softmax`,
        fixes.length === 2 ? { type: 'combined', label: `Set units to ${classes} and activation to softmax`, fixes } : fixes[0],
      );
    }
    return [];
  }
  return error(
    `${head.name} outputs ${units} values per example with ${activation}, but the labels are one class index per example; set the activation to softmax so that the ${units} units are class probabilities`,
    activationFix(head, 'softmax'),
  );
}

/** Names a loss in words: `binaryCrossentropy` → "binary cross-entropy". */
export function describeLoss(loss: LossName): string {
  return LOSS_WORDS[loss];
}
