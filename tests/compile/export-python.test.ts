import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPythonScript, type PythonExportOptions } from '../../src/compile/export-python';
import { layerConfigJson, toSnakeCase } from '../../src/compile/keras-export';
import { parseCsv, type CsvOptions } from '../../src/data/csv';
import { datasetFromNpz } from '../../src/data/dataset';
import { parseNpz } from '../../src/data/npz';
import { splitIndices } from '../../src/data/split';
import { getLayerKind, withDefaults } from '../../src/layers';
import { indexGraph, topologicalOrder } from '../../src/graph/topology';
import { TEMPLATES } from '../../src/graph/templates';
import type { Graph, GraphNode } from '../../src/graph/types';
import { chain } from '../helpers/graph-builders';
import { specialGraphs } from './roundtrip-helpers';

let folder: string;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'layerlab-python-'));
  mkdirSync(join(folder, 'stub', 'tensorflow'), { recursive: true });
  writeFileSync(join(folder, 'stub', 'tensorflow', '__init__.py'), RECORDING_TENSORFLOW);
});

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

/**
 * A stand-in for the tensorflow package: every attribute and call is recorded and returns
 * another recorder, so a script can build its model and load its data without TensorFlow.
 */
const RECORDING_TENSORFLOW = `
calls = []


def _plain(value):
    if isinstance(value, Recorder):
        return {"recorder": value._path}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


class Recorder:
    def __init__(self, path):
        self._path = path

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return Recorder(self._path + "." + name)

    def __call__(self, *args, **kwargs):
        calls.append({"path": self._path, "args": _plain(list(args)), "kwargs": {key: _plain(value) for key, value in kwargs.items()}})
        return Recorder(self._path + "()")


keras = Recorder("keras")
`;

/** Imports each script with the recording stub, builds its model and, when a data file is given, loads and splits it. */
const DRIVER = `
import importlib.util, json, sys
sys.path.insert(0, sys.argv[1])
import tensorflow

results = []
for number, job in enumerate(json.load(sys.stdin)):
    spec = importlib.util.spec_from_file_location(f"exported_{number}", job["script"])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    tensorflow.calls.clear()
    module.build_model()
    result = {"calls": list(tensorflow.calls)}
    if job.get("data"):
        x, y = module.load_data(job["data"])
        train, validation, test = module.split_indices(len(x))
        result.update(
            x=x.reshape(len(x), -1).tolist(), y=y.reshape(-1).tolist(), xDtype=str(x.dtype), yDtype=str(y.dtype),
            xShape=list(x.shape), sizes=[len(train), len(validation), len(test)],
            indices=sorted(int(i) for part in (train, validation, test) for i in part),
        )
    results.append(result)
print(json.dumps(results))
`;

interface RecordedCall {
  path: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
}

interface ScriptRun {
  calls: RecordedCall[];
  x?: number[][];
  y?: number[];
  xDtype?: string;
  yDtype?: string;
  xShape?: number[];
  sizes?: number[];
  indices?: number[];
}

function python(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('python3', args, { input, encoding: 'utf8', timeout: 30_000 });
  if (result.error) throw new Error(`python3 could not run: ${result.error.message}`);
  return result;
}

let scriptCount = 0;

function writeScript(graph: Graph, options: PythonExportOptions = {}): { path: string; script: string } {
  const exported = exportPythonScript(graph, options);
  if (!exported.ok) throw new Error(exported.errors.join('; '));
  const path = join(folder, `train_${scriptCount++}.py`);
  writeFileSync(path, exported.script);
  return { path, script: exported.script };
}

function runScripts(jobs: { script: string; data?: string }[]): ScriptRun[] {
  const result = python(['-c', DRIVER, join(folder, 'stub')], JSON.stringify(jobs));
  if (result.status !== 0) throw new Error(`the scripts failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as ScriptRun[];
}

/** Non-input nodes in the order the script must create them. */
function layerNodes(graph: Graph): GraphNode[] {
  const index = indexGraph(graph);
  return topologicalOrder(graph, index)
    .order.map((id) => index.nodes.get(id)!)
    .filter((node) => node.kind !== 'InputLayer');
}

function paramsOf(node: GraphNode) {
  return withDefaults(getLayerKind(node.kind)!, node.params);
}

/** Lines of build_model() that create and call one layer: `name = layers.Kind(args)(inputs)`. */
function layerLines(script: string): { variable: string; kind: string; args: string }[] {
  const body = script.slice(script.indexOf('def build_model():'), script.indexOf('def compile_model('));
  return [...body.matchAll(/^ {4}(\w+) = layers\.(\w+)\((.*)\)\(([\w, [\]]+)\)$/gm)].map((match) => ({ variable: match[1], kind: match[2], args: match[3] }));
}

/** Graphs whose scripts are imported with the recording stub, in one python3 process. */
function sharedLayerGraph(): Graph {
  const graph = chain([3], [{ kind: 'Dense', name: 'dense', params: { units: 3 } }]);
  graph.nodes.push({ id: 'n2', kind: 'Dense', name: 'dense_again', params: {}, sharedWith: 'n1' });
  graph.edges.push({ id: 'e2', source: 'n1', target: 'n2' });
  return graph;
}

const bidirectionalGraph = () =>
  chain([5, 4], [{ kind: 'Bidirectional', name: 'bidirectional', params: { layer: { kind: 'LSTM', params: { units: 3 } }, mergeMode: 'sum' } }]);

const nestedGraph = () => chain([4], [{ kind: 'Sequential', name: 'block', params: { graph: chain([4], [{ kind: 'Dense', name: 'inner_dense', params: { units: 2 } }]) } }]);

describe('exportPythonScript', () => {
  const built = new Map<string, ScriptRun>();

  beforeAll(() => {
    const graphs: [string, Graph][] = [
      ...TEMPLATES.map((template) => [template.id, template.build()] as [string, Graph]),
      ['shared', sharedLayerGraph()],
      ['bidirectional', bidirectionalGraph()],
      ['nested', nestedGraph()],
      ...specialGraphs(),
    ];
    const runs = runScripts(graphs.map(([, graph]) => ({ script: writeScript(graph).path })));
    graphs.forEach(([name], i) => built.set(name, runs[i]));
  });

  it('writes scripts that python3 compiles for every template', () => {
    const paths = TEMPLATES.flatMap((template) => [
      writeScript(template.build(), { modelName: template.id }).path,
      writeScript(template.build(), { data: { fileName: `${template.id}.csv`, format: 'csv', labelColumn: 'label' } }).path,
    ]);
    paths.push(...specialGraphs().map(([, graph]) => writeScript(graph).path));
    const result = python(['-m', 'py_compile', ...paths]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.each(TEMPLATES.map((template) => [template.id, template] as const))('writes the layers of template %s in order', (_id, template) => {
    const graph = template.build();
    const lines = layerLines(writeScript(graph).script);
    const nodes = layerNodes(graph);
    expect(lines.map((line) => line.kind)).toEqual(nodes.map((node) => node.kind));

    nodes.forEach((node, i) => {
      const params = paramsOf(node);
      const args = lines[i].args;
      expect(args, node.name).toContain(`name="${node.name}"`);
      if ('units' in params) expect(args, node.name).toMatch(new RegExp(`\\bunits=${params.units}\\b`));
      if ('filters' in params) expect(args, node.name).toMatch(new RegExp(`\\bfilters=${params.filters}\\b`));
      if ('activation' in params) expect(args, node.name).toContain(`activation="${params.activation}"`);
      if ('rate' in params) expect(args, node.name).toMatch(new RegExp(`\\brate=${params.rate}\\b`));
      if ('kernelSize' in params) {
        const size = params.kernelSize;
        const literal = Array.isArray(size) ? `(${size.join(', ')})` : String(size);
        expect(args, node.name).toContain(`kernel_size=${literal}`);
      }
      if ('poolSize' in params) {
        const size = params.poolSize;
        expect(args, node.name).toContain(`pool_size=${Array.isArray(size) ? `(${size.join(', ')})` : size}`);
      }
    });
  });

  it('writes Input layers with shape and dtype', () => {
    const { script } = writeScript(TEMPLATES[0].build());
    expect(script).toContain('input_1 = keras.Input(shape=(200,), dtype="int32", name="input_1")');
  });

  it('writes L2 regularizers as Keras objects', () => {
    const { script } = writeScript(TEMPLATES.find((template) => template.id === 'solubility-l2')!.build());
    expect(script).toContain('kernel_regularizer=keras.regularizers.L1L2(l1=0, l2=0.01)');
  });

  it('wires a skip connection as a list of inputs', () => {
    const { script } = writeScript(TEMPLATES.find((template) => template.id === 'residual')!.build());
    expect(script).toMatch(/^ {4}add = layers\.Add\(name="add"\)\(\[conv2d, batch_normalization_1\]\)$/m);
  });

  it('builds every layer with the Keras config values', () => {
    for (const template of TEMPLATES) {
      const graph = template.build();
      const constructors = built.get(template.id)!.calls.filter((call) => /^keras\.layers\.\w+$/.test(call.path));
      const nodes = layerNodes(graph);
      expect(constructors.map((call) => call.path.replace('keras.layers.', ''))).toEqual(nodes.map((node) => node.kind));
      nodes.forEach((node, i) => {
        const config = layerConfigJson(node.kind, node.params, node.name);
        for (const spec of getLayerKind(node.kind)!.params) {
          const key = toSnakeCase(spec.name);
          if (spec.type === 'regularizer' || config[key] === null) continue;
          expect(constructors[i].kwargs[key], `${node.name}.${key}`).toEqual(config[key]);
        }
      });
    }
  });

  it.each(specialGraphs())('builds a graph with %s', (name, graph) => {
    const models = built.get(name)!.calls.filter((call) => call.path === 'keras.Model');
    expect(models.at(-1)!.kwargs.name).toBe('model');
    const constructors = built.get(name)!.calls.filter((call) => /^keras\.layers\.\w+$/.test(call.path)).map((call) => call.path.slice('keras.layers.'.length));
    for (const node of graph.nodes.filter((candidate) => candidate.kind !== 'InputLayer' && candidate.kind !== 'Sequential' && !candidate.sharedWith)) {
      expect(constructors, node.name).toContain(node.kind);
    }
  });

  it('writes one output list for two outputs', () => {
    const [, graph] = specialGraphs().find(([name]) => name === 'two inputs and two outputs')!;
    const { script } = writeScript(graph);
    expect(script).toContain('return keras.Model(inputs=[left, right], outputs=[score, value], name="model")');
    expect(script).toMatch(/raise SystemExit\("This model has 2 inputs and 2 outputs/);
  });

  it('creates a shared layer once and calls it twice', () => {
    const { script } = writeScript(sharedLayerGraph());

    expect(script).toContain('    dense_layer = layers.Dense(units=3,');
    expect(script).toContain('    dense = dense_layer(input_1)');
    expect(script).toContain('    dense_again = dense_layer(dense)');
    expect(built.get('shared')!.calls.filter((call) => call.path === 'keras.layers.Dense')).toHaveLength(1);
  });

  it('wraps a layer inside Bidirectional', () => {
    const { script } = writeScript(bidirectionalGraph());
    expect(script).toMatch(/layers\.Bidirectional\(layer=layers\.LSTM\(units=3, .*name="bidirectional_lstm"\), merge_mode="sum", name="bidirectional"\)\(input_1\)/);
    const constructors = built.get('bidirectional')!.calls.filter((call) => /^keras\.layers\.\w+$/.test(call.path));
    expect(constructors.map((call) => call.path)).toEqual(['keras.layers.LSTM', 'keras.layers.Bidirectional']);
  });

  it('builds a nested Sequential model in its own function', () => {
    const { script } = writeScript(nestedGraph());
    expect(script).toContain('def build_block():');
    expect(script).toContain('    block = build_block()(input_1)');
    const models = built.get('nested')!.calls.filter((call) => call.path === 'keras.Model').map((call) => call.kwargs.name);
    expect(models).toEqual(['block', 'model']);
  });

  it('compiles with the chosen loss, optimizer and learning rate', () => {
    const { script } = writeScript(TEMPLATES[0].build(), {
      training: { loss: 'binaryCrossentropy', optimizer: { name: 'sgd', learningRate: 0.05, momentum: 0.9 } },
    });
    expect(script).toContain('LOSS = "binary_crossentropy"');
    expect(script).toContain('LEARNING_RATE = 0.05');
    expect(script).toContain('optimizer=keras.optimizers.SGD(learning_rate=LEARNING_RATE, momentum=0.9)');
  });

  it('fits with epochs, batch size and early stopping', () => {
    const { script } = writeScript(TEMPLATES[0].build(), {
      training: { epochs: 25, batchSize: 64, earlyStopping: { enabled: true, monitor: 'val_acc', patience: 4, restoreBestWeights: false } },
    });
    expect(script).toContain('EPOCHS = 25');
    expect(script).toContain('BATCH_SIZE = 64');
    expect(script).toMatch(/keras\.callbacks\.EarlyStopping\(\s+monitor="val_accuracy",\s+patience=4,\s+min_delta=0,\s+mode="max",\s+restore_best_weights=False,/);
    expect(script).toContain('epochs=EPOCHS,');
    expect(script).toContain('batch_size=BATCH_SIZE,');
  });

  it('leaves early stopping out when it is off', () => {
    const { script } = writeScript(TEMPLATES[0].build());
    expect(script).not.toContain('EarlyStopping(');
    expect(script).toContain('    callbacks = []');
  });

  it('explains tf.distribute in its opening comment', () => {
    const { script } = writeScript(TEMPLATES[0].build());
    const opening = script.slice(0, script.indexOf('"""', 3));
    expect(opening).toMatch(/bigger machine or a cluster/);
    expect(opening).toMatch(/tf\.distribute/);
    expect(opening).toMatch(/with strategy\.scope\(\):\n\s+model = build_model\(\)/);
  });

  it('rejects a graph with errors', () => {
    const result = exportPythonScript(chain([4, 4], [{ kind: 'Dense', params: { units: -1 } }]));
    expect(result.ok).toBe(false);
  });

  it('rejects invalid training settings', () => {
    const result = exportPythonScript(TEMPLATES[0].build(), { training: { batchSize: 0 } });
    expect(result.ok ? [] : result.errors).toEqual(['Invalid training settings: batchSize must be at least 1, but got 0']);
  });
});

/** A column of numbers with one value that is not a number, "1 4", on line 3. */
const STRAY_VALUE = 'a,b,label\n1,2,0\n3,1 4,1\n5,6,0\n7,8,1\n9,10,0\n11,12,1\n';
const DECIMAL_COMMAS = 'a;b;label\n0,5;1;0\n1,5;2;1\n2,25;3;0\n-1,5;4;1\n';

describe('exported data loading', () => {
  const mlp = (inputs: number) => chain([inputs], [{ kind: 'Dense', params: { units: 1, activation: 'sigmoid' } }]);

  const NPZ_FILES: Record<string, string> = {
    'pn.npz': 'positives=np.arange(12).reshape(4, 3), negatives=np.arange(12, 18).reshape(2, 3)',
    'xy.npz': 'x_train=np.linspace(-1, 1, 40).reshape(20, 2), y_train=np.linspace(0, 3, 20)',
    'named.npz': 'inputs_a=np.ones((3, 2)), inputs_b=np.zeros((3, 2)), y=np.array([0, 1, 1])',
  };

  const CSV_CASES: { name: string; text: string; options: CsvOptions }[] = [
    {
      name: 'text labels and a categorical column',
      text: 'age,colour,height,label\n31,red,1.80,yes\n45,blue,1.65,no\n,red,1.70,yes\n22,green,NA,no\n38,blue,1.75,yes\n',
      options: {},
    },
    {
      name: 'filled and standardised values with a label column in the middle',
      text: 'id,age,class,colour,height\n1,31,2,red,1.80\n2,45,1,blue,\n3,,2,red,1.70\n4,22,3,?,1.60\n5,38,1,blue,1.75\n6,29,3,red,1.72\n',
      options: { labelColumn: 'class', ignoreColumns: ['id'], missing: 'fill', standardize: true },
    },
    {
      name: 'regression targets and semicolons',
      text: 'a;b;target\n1.5;2;0.25\n2.5;1;1.75\n3.5;0;2.5\n',
      options: {},
    },
    {
      name: 'a stray text value in a column of numbers, dropped',
      text: STRAY_VALUE,
      options: {},
    },
    {
      name: 'a stray text value in a column of numbers, filled',
      text: STRAY_VALUE,
      options: { missing: 'fill' },
    },
    {
      name: 'a column of numbers read as text',
      text: STRAY_VALUE,
      options: { textColumns: ['b'] },
    },
    {
      name: 'decimal commas read as numbers',
      text: DECIMAL_COMMAS,
      options: { decimalComma: true, delimiter: ';' },
    },
    {
      name: 'decimal commas left as text',
      text: DECIMAL_COMMAS,
      options: { delimiter: ';' },
    },
    {
      name: 'a text column with too many values to one-hot encode',
      text: `id,x,label\n${Array.from({ length: 110 }, (_, i) => `item${i},${i / 10},${i % 2}`).join('\n')}\n`,
      options: {},
    },
  ];

  const runs = new Map<string, ScriptRun>();

  beforeAll(() => {
    const writes = Object.entries(NPZ_FILES).map(([name, arrays]) => `np.savez(${JSON.stringify(join(folder, name))}, ${arrays})`);
    const written = python(['-c', `import numpy as np\n${writes.join('\n')}`]);
    if (written.status !== 0) throw new Error(written.stderr);

    const jobs: [string, { script: string; data: string }][] = [
      ['pn.npz', { script: writeScript(mlp(3), { data: { fileName: 'pn.npz', format: 'npz' } }).path, data: join(folder, 'pn.npz') }],
      [
        'xy.npz',
        {
          script: writeScript(mlp(2), { data: { fileName: 'xy.npz', format: 'npz' }, training: { validationFraction: 0.25, testFraction: 0.15 } }).path,
          data: join(folder, 'xy.npz'),
        },
      ],
      ['named.npz', { script: writeScript(mlp(2), { data: { fileName: 'named.npz', format: 'npz', features: 'inputs_b', labels: 'y' } }).path, data: join(folder, 'named.npz') }],
    ];
    CSV_CASES.forEach((testCase, i) => {
      const path = join(folder, `case_${i}.csv`);
      writeFileSync(path, testCase.text);
      const width = parseCsv(testCase.text, testCase.options).dataset.features.shape[0];
      const data = { fileName: 'data.csv', format: 'csv' as const, ...testCase.options };
      jobs.push([testCase.name, { script: writeScript(mlp(width), { data }).path, data: path }]);
    });

    const results = runScripts(jobs.map(([, job]) => job));
    jobs.forEach(([name], i) => runs.set(name, results[i]));
  });

  function appNpz(name: string) {
    const app = datasetFromNpz(parseNpz(new Uint8Array(readFileSync(join(folder, name)))), name);
    if (app.status !== 'ready') throw new Error(app.message);
    return app.dataset;
  }

  function expectSameSplit(run: ScriptRun, count: number, validation: number, test: number): void {
    const app = splitIndices(count, { train: 1 - validation - test, validation, test });
    expect(run.sizes).toEqual([app.train.length, app.validation.length, app.test.length]);
    expect(run.indices).toEqual(Array.from({ length: count }, (_, i) => i));
  }

  it('reads .npz positives and negatives as the app does', () => {
    const run = runs.get('pn.npz')!;
    const app = appNpz('pn.npz');
    expect(run.x!.flat()).toEqual(Array.from(app.features.data));
    expect(run.y).toEqual(Array.from(app.labels.data));
    expect(run.yDtype).toBe('int32');
    expectSameSplit(run, 6, 0.1, 0.1);
  });

  it('reads .npz x and y arrays as the app does', () => {
    const run = runs.get('xy.npz')!;
    const app = appNpz('xy.npz');
    expect(run.x!.flat()).toEqual(Array.from(app.features.data));
    expect(run.y).toEqual(Array.from(app.labels.data));
    expect(run.yDtype).toBe(app.labels.dtype);
    expectSameSplit(run, 20, 0.25, 0.15);
  });

  it('reads named .npz arrays', () => {
    const run = runs.get('named.npz')!;
    expect(run.x).toEqual([[0, 0], [0, 0], [0, 0]]);
    expect(run.y).toEqual([0, 1, 1]);
  });

  it.each(CSV_CASES.map((testCase) => [testCase.name, testCase] as const))('reads .csv with %s as the app does', (name, testCase) => {
    const run = runs.get(name)!;
    const app = parseCsv(testCase.text, testCase.options).dataset;
    expect(run.xShape).toEqual([app.count, ...app.features.shape]);
    expect(run.x!.flat()).toEqual(Array.from(app.features.data));
    expect(run.y).toEqual(Array.from(app.labels.data));
    expect(run.yDtype).toBe(app.labels.dtype);
    expectSameSplit(run, app.count, 0.1, 0.1);
  });
});
