import { describe, expect, it } from 'vitest';
import {
  checkDataAgainstGraph,
  chooseLoss,
  defaultTrainingConfig,
  logKeys,
  validateTrainingConfig,
  type DatasetShapes,
  type LabelInfo,
  type TrainingConfig,
} from '../../src/compile/training-config';
import { applyFix } from '../../src/graph/edit';
import { inferGraph } from '../../src/graph/infer';
import type { Graph, Shape } from '../../src/graph/types';
import { chain, type LayerStep } from '../helpers/graph-builders';

function lossOf(input: Shape, steps: LayerStep[], labels?: LabelInfo) {
  const graph = chain(input, steps);
  const inference = inferGraph(graph);
  expect(inference.errors).toEqual([]);
  return chooseLoss(graph, inference, labels);
}

const classIndices = (classCount: number): LabelInfo => ({ shape: [], dtype: 'int32', task: 'classification', classCount });

describe('loss from the last layer', () => {
  const cases: { name: string; steps: LayerStep[]; labels?: LabelInfo; loss: string; metrics: string[] }[] = [
    {
      name: 'one sigmoid unit → binary cross-entropy',
      steps: [{ kind: 'Dense', params: { units: 1, activation: 'sigmoid' } }],
      labels: classIndices(2),
      loss: 'binaryCrossentropy',
      metrics: ['accuracy'],
    },
    {
      name: 'softmax with class indices → sparse categorical',
      steps: [{ kind: 'Dense', params: { units: 10, activation: 'softmax' } }],
      labels: classIndices(10),
      loss: 'sparseCategoricalCrossentropy',
      metrics: ['accuracy'],
    },
    {
      name: 'softmax with one-hot rows → categorical',
      steps: [{ kind: 'Dense', params: { units: 10, activation: 'softmax' } }],
      labels: { shape: [10], dtype: 'float32', task: 'classification' },
      loss: 'categoricalCrossentropy',
      metrics: ['accuracy'],
    },
    {
      name: 'softmax without labels → sparse categorical',
      steps: [{ kind: 'Dense', params: { units: 4, activation: 'softmax' } }],
      loss: 'sparseCategoricalCrossentropy',
      metrics: ['accuracy'],
    },
    {
      name: 'linear → mean squared error and mae',
      steps: [{ kind: 'Dense', params: { units: 1 } }],
      labels: { shape: [], dtype: 'float32', task: 'regression' },
      loss: 'meanSquaredError',
      metrics: ['mae'],
    },
    {
      name: 'sigmoid seen through a trailing Dropout',
      steps: [{ kind: 'Dense', params: { units: 1, activation: 'sigmoid' } }, { kind: 'Dropout', params: { rate: 0.2 } }],
      loss: 'binaryCrossentropy',
      metrics: ['accuracy'],
    },
    {
      name: 'softmax from an Activation layer',
      steps: [{ kind: 'Dense', params: { units: 3 } }, { kind: 'Activation', params: { activation: 'softmax' } }],
      labels: classIndices(3),
      loss: 'sparseCategoricalCrossentropy',
      metrics: ['accuracy'],
    },
  ];

  for (const testCase of cases) {
    it(testCase.name, () => {
      const choice = lossOf([4], testCase.steps, testCase.labels);
      expect(choice.loss).toBe(testCase.loss);
      expect(choice.metrics).toEqual(testCase.metrics);
      expect(choice.reason).toMatch(/dense|activation/);
    });
  }
});

describe('default training config', () => {
  const graph = chain([2], [{ kind: 'Dense', params: { units: 1, activation: 'sigmoid' } }]);

  it('defaults pass validation', () => {
    const config = defaultTrainingConfig(graph, inferGraph(graph), classIndices(2));
    expect(config.loss).toBe('binaryCrossentropy');
    expect(config.optimizer).toEqual({ name: 'adam', learningRate: 0.001 });
    expect(config.earlyStopping.enabled).toBe(false);
    expect(validateTrainingConfig(config)).toEqual({ ok: true, config });
  });

  it('log keys follow the metrics', () => {
    const config = defaultTrainingConfig(graph, inferGraph(graph), classIndices(2));
    expect(logKeys(config)).toEqual(['loss', 'acc', 'val_loss', 'val_acc']);
    expect(logKeys({ ...config, metrics: ['mae'], validationFraction: 0 })).toEqual(['loss', 'mae']);
  });

  it('overrides merge field by field', () => {
    const config = defaultTrainingConfig(graph, inferGraph(graph), undefined, {
      epochs: 3,
      loss: 'meanSquaredError',
      optimizer: { name: 'sgd' },
      earlyStopping: { enabled: true, patience: 1 },
    });
    expect(config.epochs).toBe(3);
    expect(config.loss).toBe('meanSquaredError');
    expect(config.optimizer).toEqual({ name: 'sgd', learningRate: 0.01 });
    expect(config.earlyStopping).toMatchObject({ enabled: true, patience: 1, monitor: 'val_loss', restoreBestWeights: true });
  });
});

describe('training config validation', () => {
  const graph = chain([2], [{ kind: 'Dense', params: { units: 3, activation: 'softmax' } }]);
  const valid: TrainingConfig = defaultTrainingConfig(graph, inferGraph(graph), classIndices(3));

  const cases: { name: string; change: (config: TrainingConfig) => unknown; message: RegExp }[] = [
    { name: 'negative learning rate', change: (c) => ({ ...c, optimizer: { ...c.optimizer, learningRate: -1 } }), message: /learningRate must be greater than 0, but got -1/ },
    { name: 'fractional batch size', change: (c) => ({ ...c, batchSize: 2.5 }), message: /batchSize must be a whole number, but got 2\.5/ },
    { name: 'zero epochs', change: (c) => ({ ...c, epochs: 0 }), message: /epochs must be at least 1, but got 0/ },
    { name: 'unknown loss', change: (c) => ({ ...c, loss: 'hinge' }), message: /loss must be one of binaryCrossentropy.*but got "hinge"/ },
    { name: 'held-out fractions sum to 1', change: (c) => ({ ...c, validationFraction: 0.5, testFraction: 0.5 }), message: /leaving nothing to train on/ },
    { name: 'momentum on adam', change: (c) => ({ ...c, optimizer: { ...c.optimizer, momentum: 0.9 } }), message: /momentum applies to sgd and rmsprop only/ },
    {
      name: 'monitor without validation split',
      change: (c) => ({ ...c, validationFraction: 0, earlyStopping: { ...c.earlyStopping, enabled: true } }),
      message: /watches val_loss, but the validation split is empty \(Validation is 0 %\); set Validation above 0 % in the data panel's split, or watch loss/,
    },
    {
      name: 'monitor a metric not computed',
      change: (c) => ({ ...c, metrics: ['mae'], earlyStopping: { ...c.earlyStopping, enabled: true, monitor: 'val_acc' } }),
      message: /watches val_acc, but the metrics are mae; watch val_loss or val_mae/,
    },
  ];

  for (const testCase of cases) {
    it(`rejects ${testCase.name}`, () => {
      const validation = validateTrainingConfig(testCase.change(valid));
      expect(validation.ok).toBe(false);
      if (validation.ok) return;
      expect(validation.errors.join('\n')).toMatch(testCase.message);
    });
  }

  it('accepts sgd with momentum', () => {
    const config = { ...valid, optimizer: { name: 'sgd', learningRate: 0.1, momentum: 0.9 } };
    expect(validateTrainingConfig(config).ok).toBe(true);
  });
});

describe('data against graph', () => {
  function check(graph: Graph, data: DatasetShapes) {
    return checkDataAgainstGraph(graph, inferGraph(graph), data);
  }
  const points = (labels: LabelInfo): DatasetShapes => ({ features: { shape: [2], dtype: 'float32' }, labels });

  it('matching data gives no errors', () => {
    const graph = chain([2], [{ kind: 'Dense', params: { units: 3, activation: 'softmax' } }]);
    expect(check(graph, points(classIndices(3)))).toEqual([]);
  });

  it('input shape mismatch offers the data shape', () => {
    const graph = chain([100], [{ kind: 'Dense', params: { units: 1, activation: 'sigmoid' } }]);
    const errors = check(graph, { features: { shape: [200], dtype: 'float32' }, labels: classIndices(2) });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ nodeId: 'n0', code: 'data-mismatch' });
    expect(errors[0].message).toBe("input takes examples of shape (None, 100), but the data's features are (None, 200); set the Input shape to 200");
    expect(errors[0].fix).toMatchObject({ type: 'set-param', nodeId: 'n0', param: 'shape', value: [200] });
  });

  it('float features into an int32 input offer float32', () => {
    const graph = chain([2], [{ kind: 'Dense', params: { units: 1, activation: 'sigmoid' } }], 'int32');
    const errors = check(graph, points(classIndices(2)));
    expect(errors).toHaveLength(1);
    expect(errors[0].fix).toMatchObject({ param: 'dtype', value: 'float32' });
  });

  it('10 classes on one sigmoid unit', () => {
    const graph = chain([2], [{ kind: 'Dense', params: { units: 8, activation: 'relu' } }, { kind: 'Dense', params: { units: 1, activation: 'sigmoid' } }]);
    const data = points(classIndices(10));
    const errors = check(graph, data);
    expect(errors).toHaveLength(1);
    expect(errors[0].nodeId).toBe('n2');
    expect(errors[0].message).toMatch(/10 classes \(0 to 9\), but dense_2 has 1 unit; set units to 10 and the activation to softmax/);
    expect(errors[0].fix).toMatchObject({ type: 'combined', label: 'Set units to 10 and activation to softmax' });

    const fixed = applyFix(graph, errors[0].fix!);
    expect(fixed.nodes[2].params).toMatchObject({ units: 10, activation: 'softmax' });
    expect(check(fixed, data)).toEqual([]);
  });

  it('one-hot vectors into an Embedding', () => {
    // Token ids → Embedding → Conv1D, given one-hot residues of shape (200, 20) instead.
    const graph = chain(
      [200],
      [
        { kind: 'Embedding', params: { inputDim: 21, outputDim: 16 } },
        { kind: 'Conv1D', params: { filters: 8, kernelSize: 5, activation: 'relu' } },
        { kind: 'GlobalMaxPooling1D' },
        { kind: 'Dense', params: { units: 1, activation: 'sigmoid' } },
      ],
      'int32',
    );
    const data: DatasetShapes = { features: { shape: [200, 20], dtype: 'float32' }, labels: classIndices(2) };
    const errors = check(graph, data);
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/float32 vectors, \(None, 200, 20\), but input feeds embedding_1, which reads one whole-number token id per position; set the Input shape to 200, 20 and its dtype to float32, and remove embedding_1/);
    expect(errors[0].fix?.label).toBe('Set the Input to (200, 20) float32 and remove embedding_1');

    const fixed = applyFix(graph, errors[0].fix!);
    expect(fixed.nodes.map((node) => node.kind)).toEqual(['InputLayer', 'Conv1D', 'GlobalMaxPooling1D', 'Dense']);
    const inference = inferGraph(fixed);
    expect(inference.errors).toEqual([]);
    expect(check(fixed, data)).toEqual([]);
    // Conv1D now reads 20 channels: kernel 5 × 20 × 8 + bias 8.
    expect(inference.nodes.get('n2')!.trainableParams).toBe(5 * 20 * 8 + 8);
  });

  it('class ids with large gaps', () => {
    const graph = chain([2], [{ kind: 'Dense', params: { units: 1, activation: 'sigmoid' } }]);
    const errors = check(graph, points({ ...classIndices(5001), presentClasses: 2 }));
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toBe(
      'The labels use class ids up to 5000, but only 2 classes occur; renumber the classes 0 to 1 in the data panel, so that dense_1 needs 1 sigmoid unit or 2 softmax units instead of 5001',
    );
    expect(errors[0].fix).toBeUndefined();
    // Once renumbered, the one sigmoid unit fits.
    expect(check(graph, points({ ...classIndices(2), presentClasses: 2 }))).toEqual([]);
  });

  it('softmax narrower than the classes offers more units', () => {
    const graph = chain([2], [{ kind: 'Dense', params: { units: 5, activation: 'softmax' } }]);
    const errors = check(graph, points(classIndices(10)));
    expect(errors[0].fix).toMatchObject({ param: 'units', value: 10 });
  });

  it('softmax over one unit is flagged', () => {
    const graph = chain([2], [{ kind: 'Dense', params: { units: 1, activation: 'softmax' } }]);
    const errors = check(graph, points(classIndices(2)));
    expect(errors[0].message).toMatch(/always outputs 1/);
    expect(errors[0].fix).toMatchObject({ param: 'activation', value: 'sigmoid' });
  });

  it('several sigmoid units on class indices offer softmax', () => {
    const graph = chain([2], [{ kind: 'Dense', params: { units: 4, activation: 'sigmoid' } }]);
    const errors = check(graph, points(classIndices(4)));
    expect(errors[0].fix).toMatchObject({ param: 'activation', value: 'softmax' });
  });

  it('one-hot labels wider than the output offer units', () => {
    const graph = chain([2], [{ kind: 'Dense', params: { units: 5, activation: 'softmax' } }]);
    const errors = check(graph, points({ shape: [10], dtype: 'float32', task: 'classification' }));
    expect(errors[0].message).toMatch(/outputs \(None, 5\) per batch, but the labels are \(None, 10\); set units to 10/);
    expect(errors[0].fix).toMatchObject({ param: 'units', value: 10 });
  });

  it('one regression target on three units offers one unit', () => {
    const graph = chain([2], [{ kind: 'Dense', params: { units: 3 } }]);
    const errors = check(graph, points({ shape: [], dtype: 'float32', task: 'regression' }));
    expect(errors[0].fix).toMatchObject({ param: 'units', value: 1 });
  });

  it('layer without activation gets a Dense', () => {
    // Input (10) → Dense 5 → BatchNormalization: no activation to set on the last layer.
    const graph = chain([10], [{ kind: 'Dense', params: { units: 5, activation: 'relu' } }, { kind: 'BatchNormalization', name: 'batch_normalization' }]);
    const data: DatasetShapes = { features: { shape: [10], dtype: 'float32' }, labels: classIndices(3) };
    const errors = check(graph, data);
    expect(errors).toHaveLength(1);
    expect(errors[0].nodeId).toBe('n2');
    expect(errors[0].message).toBe(
      'batch_normalization outputs 5 values per example, but the labels are one class index per example; add a Dense layer with 3 units and softmax at the end, so that the model outputs class probabilities',
    );
    expect(errors[0].message).not.toMatch(/set the activation|linear/);
    expect(errors[0].fix).toEqual({
      type: 'insert-after',
      label: 'Add Dense with 3 units and softmax after batch_normalization',
      nodeId: 'n2',
      kind: 'Dense',
      params: { units: 3, activation: 'softmax' },
    });

    const fixed = applyFix(graph, errors[0].fix!);
    const added = fixed.nodes[3];
    expect(fixed.edges).toContainEqual(expect.objectContaining({ source: 'n2', target: added.id }));
    expect(inferGraph(fixed).errors).toEqual([]);
    expect(check(fixed, data)).toEqual([]);
  });

  it('two classes get one sigmoid unit', () => {
    const graph = chain([10], [{ kind: 'Dense', params: { units: 5 } }, { kind: 'BatchNormalization', name: 'batch_normalization' }]);
    const data: DatasetShapes = { features: { shape: [10], dtype: 'float32' }, labels: classIndices(2) };
    const errors = check(graph, data);
    expect(errors[0].message).toMatch(/; add a Dense layer with 1 unit and sigmoid at the end, so that the model outputs class probabilities$/);
    expect(errors[0].fix).toMatchObject({ type: 'insert-after', params: { units: 1, activation: 'sigmoid' } });
    expect(check(applyFix(graph, errors[0].fix!), data)).toEqual([]);
  });

  it('lone InputLayer gets a Dense', () => {
    const graph: Graph = { nodes: [{ id: 'n0', kind: 'InputLayer', name: 'input_1', params: { shape: [2] } }], edges: [] };
    const data = points(classIndices(4));
    const errors = check(graph, data);
    expect(errors).toHaveLength(1);
    expect(errors[0].nodeId).toBe('n0');
    expect(errors[0].message).toBe(
      'input_1 outputs 2 values per example, but the labels are one class index per example; add a Dense layer with 4 units and softmax at the end, so that the model outputs class probabilities',
    );
    expect(errors[0].fix).toMatchObject({ type: 'insert-after', nodeId: 'n0', kind: 'Dense', params: { units: 4, activation: 'softmax' } });

    const fixed = applyFix(graph, errors[0].fix!);
    expect(fixed.edges).toEqual([expect.objectContaining({ source: 'n0', target: fixed.nodes[1].id })]);
    expect(check(fixed, data)).toEqual([]);
  });

  it('note sits on the last Flatten', () => {
    // Input (10, 4) → two Conv1D → Concatenate → Flatten: (None, 8, 14) flattened to 112 values.
    const graph: Graph = {
      nodes: [
        { id: 'in', kind: 'InputLayer', name: 'input_1', params: { shape: [10, 4] } },
        { id: 'c1', kind: 'Conv1D', name: 'conv1d', params: { filters: 6, kernelSize: 3, activation: 'relu' } },
        { id: 'c2', kind: 'Conv1D', name: 'conv1d_1', params: { filters: 8, kernelSize: 3, activation: 'relu' } },
        { id: 'cat', kind: 'Concatenate', name: 'concatenate', params: {} },
        { id: 'flat', kind: 'Flatten', name: 'flatten', params: {} },
      ],
      edges: [
        { id: 'e1', source: 'in', target: 'c1' },
        { id: 'e2', source: 'in', target: 'c2' },
        { id: 'e3', source: 'c1', target: 'cat', targetInput: 0 },
        { id: 'e4', source: 'c2', target: 'cat', targetInput: 1 },
        { id: 'e5', source: 'cat', target: 'flat' },
      ],
    };
    const data: DatasetShapes = { features: { shape: [10, 4], dtype: 'float32' }, labels: classIndices(5) };
    const errors = check(graph, data);
    expect(errors).toHaveLength(1);
    expect(errors[0].nodeId).toBe('flat');
    expect(errors[0].message).toBe(
      'flatten outputs 112 values per example, but the labels are one class index per example; add a Dense layer with 5 units and softmax at the end, so that the model outputs class probabilities',
    );
    expect(errors[0].fix).toMatchObject({ type: 'insert-after', nodeId: 'flat', params: { units: 5, activation: 'softmax' } });

    const fixed = applyFix(graph, errors[0].fix!);
    const inference = inferGraph(fixed);
    expect(inference.errors).toEqual([]);
    expect(inference.outputs).toEqual([fixed.nodes[5].id]);
    expect(inference.nodes.get(fixed.nodes[5].id)!.trainableParams).toBe(112 * 5 + 5);
    expect(check(fixed, data)).toEqual([]);
  });

  it('Conv1D activation behind Flatten stays', () => {
    // Softmax on conv1d would act on its 8 channels, not on the 80 flattened values.
    const graph = chain([10, 4], [{ kind: 'Conv1D', params: { filters: 8, kernelSize: 1, activation: 'relu' } }, { kind: 'Flatten' }]);
    const errors = check(graph, { features: { shape: [10, 4], dtype: 'float32' }, labels: classIndices(3) });
    expect(errors[0].nodeId).toBe('n2');
    expect(errors[0].message).toMatch(/^flatten_2 outputs 80 values per example, but/);
    expect(errors[0].fix).toMatchObject({ type: 'insert-after', nodeId: 'n2', kind: 'Dense' });
  });

  it('unknown class count names no size', () => {
    const graph = chain([2], [{ kind: 'BatchNormalization', name: 'batch_normalization' }]);
    const errors = check(graph, points({ shape: [], dtype: 'int32', task: 'classification' }));
    expect(errors[0].message).toBe(
      'batch_normalization outputs 2 values per example, but the labels are one class index per example; add a Dense layer at the end with one unit per class and softmax, or 1 unit and sigmoid for two classes',
    );
    expect(errors[0].fix).toBeUndefined();
  });

  it('one-value BatchNormalization gets a Dense', () => {
    const graph = chain([2], [{ kind: 'Dense', params: { units: 1 } }, { kind: 'BatchNormalization', name: 'batch_normalization' }]);
    const errors = check(graph, points(classIndices(3)));
    expect(errors[0]).toMatchObject({ nodeId: 'n2' });
    expect(errors[0].message).toBe(
      'The labels have 3 classes (0 to 2), but batch_normalization has 1 unit; add a Dense layer with 3 units and softmax at the end',
    );
    expect(errors[0].fix).toMatchObject({ type: 'insert-after', nodeId: 'n2', params: { units: 3, activation: 'softmax' } });
  });

  it('Softmax layer on one unit', () => {
    const graph = chain([2], [{ kind: 'Dense', params: { units: 1 } }, { kind: 'Softmax', name: 'softmax' }]);
    const threeClasses = check(graph, points(classIndices(3)));
    expect(threeClasses[0].message).toBe('softmax applies softmax to 1 unit, which always outputs 1, so it cannot learn; make the layer before it output 3 values, one per class');
    expect(threeClasses[0].fix).toBeUndefined();
    const twoClasses = check(graph, points(classIndices(2)));
    expect(twoClasses[0].message).toMatch(/; replace softmax with an Activation layer set to sigmoid for two classes$/);
    expect(twoClasses[0].fix).toBeUndefined();
  });

  it('narrow relu Dense gets units and softmax', () => {
    const graph = chain([2], [{ kind: 'Dense', params: { units: 4, activation: 'relu' } }]);
    const data = points(classIndices(10));
    const errors = check(graph, data);
    expect(errors[0].message).toBe(
      'The labels have 10 classes (0 to 9), but dense_1 outputs 4 values per example with relu; set units to 10 and the activation to softmax',
    );
    expect(check(applyFix(graph, errors[0].fix!), data)).toEqual([]);
  });

  it('wide linear Dense gets units and softmax', () => {
    const graph = chain([2], [{ kind: 'Dense', params: { units: 32 } }]);
    const data = points(classIndices(10));
    const errors = check(graph, data);
    expect(errors[0].message).toBe(
      'The labels have 10 classes (0 to 9), but dense_1 outputs 32 values per example with linear; set units to 10 and the activation to softmax',
    );
    const fixed = applyFix(graph, errors[0].fix!);
    expect(fixed.nodes[1].params).toMatchObject({ units: 10, activation: 'softmax' });
    expect(check(fixed, data)).toEqual([]);
  });

  it('regression target on BatchNormalization', () => {
    const graph = chain([2], [{ kind: 'Dense', params: { units: 4 } }, { kind: 'BatchNormalization', name: 'batch_normalization' }]);
    const data = points({ shape: [], dtype: 'float32', task: 'regression' });
    const errors = check(graph, data);
    expect(errors[0].message).toBe('batch_normalization outputs (None, 4) per batch, but the labels are (None,); add a Dense layer with 1 unit at the end');
    expect(errors[0].fix).toMatchObject({ type: 'insert-after', nodeId: 'n2', params: { units: 1, activation: 'linear' } });
    expect(check(applyFix(graph, errors[0].fix!), data)).toEqual([]);
  });

  it('sequence output gets Flatten and Dense', () => {
    const graph = chain([10, 4], [{ kind: 'Conv1D', params: { filters: 8, kernelSize: 3 } }]);
    const data: DatasetShapes = { features: { shape: [10, 4], dtype: 'float32' }, labels: classIndices(3) };
    const errors = check(graph, data);
    expect(errors[0].message).toBe(
      'conv1d_1 outputs (None, 8, 8) per batch, but the labels are one class per example and need an output of shape (None, classes); add a Flatten and a Dense layer with 3 units and softmax at the end',
    );
    expect(errors[0].fix?.label).toBe('Add Flatten and Dense with 3 units and softmax after conv1d_1');

    const fixed = applyFix(graph, errors[0].fix!);
    expect(fixed.nodes.map((node) => node.kind)).toEqual(['InputLayer', 'Conv1D', 'Dense', 'Flatten']);
    expect(fixed.edges.map((edge) => [edge.source, edge.target])).toEqual([
      ['n0', 'n1'],
      ['n3', 'n2'],
      ['n1', 'n3'],
    ]);
    expect(inferGraph(fixed).errors).toEqual([]);
    expect(check(fixed, data)).toEqual([]);
  });

  it('two inputs are rejected', () => {
    const graph: Graph = {
      nodes: [
        { id: 'a', kind: 'InputLayer', name: 'input_a', params: { shape: [2] } },
        { id: 'b', kind: 'InputLayer', name: 'input_b', params: { shape: [2] } },
        { id: 'c', kind: 'Concatenate', name: 'concatenate', params: {} },
        { id: 'd', kind: 'Dense', name: 'dense', params: { units: 1, activation: 'sigmoid' } },
      ],
      edges: [
        { id: 'e1', source: 'a', target: 'c', targetInput: 0 },
        { id: 'e2', source: 'b', target: 'c', targetInput: 1 },
        { id: 'e3', source: 'c', target: 'd' },
      ],
    };
    const errors = check(graph, points(classIndices(2)));
    expect(errors.map((error) => error.message)).toContainEqual(expect.stringMatching(/has 2 Input layers/));
  });
});
