import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run';
import type { SummaryJson } from '../../src/cli/summary-command';
import { graphToKerasModel } from '../../src/compile/keras-export';
import { getTemplate } from '../../src/graph/templates';
import type { Graph } from '../../src/graph/types';
import { chain } from '../helpers/graph-builders';

const repo = path.resolve(__dirname, '../..');
let dir: string;

function write(name: string, content: string | object): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function project(graph: Graph, version = 1): object {
  return { format: 'layerlab-project', version, graph };
}

/** Runs the real command line in a child process, as `npm run cli` does. */
function spawnCli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('npx', ['tsx', 'src/cli/main.ts', ...args], { cwd: repo, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the command line in this process and collects its output. */
async function runInProcess(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await runCli(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { status, stdout, stderr };
}

const solubilityShapes = [
  [null, 200, 16],
  [null, 196, 16],
  [null, 49, 16],
  [null, 47, 16],
  [null, 23, 16],
  [null, 21, 16],
  [null, 10, 16],
  [null, 160],
  [null, 256],
  [null, 64],
  [null, 1],
];
const solubilityCounts = [336, 1296, 0, 784, 0, 784, 0, 0, 41216, 16448, 65];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'layerlab-cli-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('summary command in a child process', () => {
  it('solubility Keras JSON as --json, exit 0', () => {
    const file = write('solubility.json', graphToKerasModel(getTemplate('solubility')!.build(), 'solubility'));
    const { status, stdout, stderr } = spawnCli('summary', file, '--json');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const json = JSON.parse(stdout) as SummaryJson;
    const layers = json.layers.filter((layer) => layer.type !== 'InputLayer');
    expect(layers.map((layer) => layer.outputShape)).toEqual(solubilityShapes);
    expect(layers.map((layer) => layer.params)).toEqual(solubilityCounts);
    expect(json.layers[0]).toEqual({ name: 'input_1', type: 'InputLayer', outputShape: [null, 200], params: 0, trainableParams: 0, nonTrainableParams: 0 });
    expect(json.totalParams).toBe(60_929);
    expect(json.trainableParams).toBe(60_929);
    expect(json.nonTrainableParams).toBe(0);
    expect(json.errors).toEqual([]);
  });

  it('solubility Keras JSON as a table', () => {
    const file = write('solubility-table.json', graphToKerasModel(getTemplate('solubility')!.build(), 'solubility'));
    const { status, stdout } = spawnCli('summary', file);
    expect(status).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('Model: "solubility"');
    expect(lines).toContain(' embedding (Embedding)       (None, 200, 16)           336');
    expect(lines).toContain(' conv1d (Conv1D)             (None, 196, 16)           1296');
    expect(lines).toContain(' dense (Dense)               (None, 256)               41216');
    expect(lines).toContain('Total params: 60,929');
    expect(lines).toContain('Trainable params: 60,929');
    expect(lines).toContain('Non-trainable params: 0');
  });

  it('a billion units: counted, too-large, exit 1', () => {
    const graph = chain([160], [{ kind: 'Dense', params: { units: 1e9 }, name: 'huge' }]);
    const file = write('huge.json', project(graph));
    const { status, stdout } = spawnCli('summary', file, '--json');
    expect(status).toBe(1);
    const json = JSON.parse(stdout) as SummaryJson;
    expect(json.totalParams).toBe(161_000_000_000);
    expect(json.errors.map((error) => error.code)).toEqual(['too-large']);
  });

  it('malformed JSON exits 2', () => {
    const file = write('broken.json', '{"class_name": "Sequential", ');
    const { status, stdout, stderr } = spawnCli('summary', file);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(new RegExp(`^error: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: The file is not valid JSON`));
  });

  it('no command exits 2 with usage', () => {
    const { status, stdout, stderr } = spawnCli();
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('error: No command given.');
    expect(stderr).toContain('Usage: npm run cli -- <command> [arguments]');
  });
});

describe('summary command in process', () => {
  it('--help prints usage, exit 0', async () => {
    const { status, stdout, stderr } = await runInProcess('--help');
    expect(status).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('summary FILE [--json]');
    expect(stdout).toContain('--json');
    expect(stdout).toContain('Exit status: 0 for a valid graph, 1 for a graph with errors, 2 for a file that cannot be');
  });

  it('summary --help prints usage too', async () => {
    expect((await runInProcess('summary', '--help')).status).toBe(0);
  });

  it.each([
    [['frobnicate'], "error: Unknown command 'frobnicate'; the commands are summary, export."],
    [['summary'], 'error: summary needs FILE.'],
    [['summary', 'a.json', 'b.json'], 'error: summary takes 1 argument(s) but got 2: a.json b.json.'],
    [['summary', 'a.json', '--yaml'], "error: Unknown option '--yaml' for summary."],
  ])('usage error %j exits 2', async (args, message) => {
    const { status, stdout, stderr } = await runInProcess(...args);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.split('\n')[0]).toBe(message);
    expect(stderr).toContain('Usage:');
  });

  it('missing file exits 2', async () => {
    const file = path.join(dir, 'nowhere.json');
    const { status, stderr } = await runInProcess('summary', file);
    expect(status).toBe(2);
    expect(stderr).toBe(`error: ${file}: cannot read it (no such file)\n`);
  });

  it('folder exits 2', async () => {
    const { status, stderr } = await runInProcess('summary', dir);
    expect(status).toBe(2);
    expect(stderr).toBe(`error: ${dir}: it is a folder; pass a .json file\n`);
  });

  it('valid project exits 0', async () => {
    const file = write('mlp.json', project(getTemplate('mlp-2d')!.build()));
    const { status, stdout } = await runInProcess('summary', file, '--json');
    expect(status).toBe(0);
    expect((JSON.parse(stdout) as SummaryJson).totalParams).toBe(337);
  });

  it('cycle in a project exits 1', async () => {
    const graph = chain([3], [{ kind: 'Dense', params: { units: 3 }, name: 'a' }, { kind: 'Dense', params: { units: 3 }, name: 'b' }]);
    graph.nodes.push({ id: 'add', kind: 'Add', name: 'add', params: {} });
    graph.edges = [
      { id: 'e1', source: 'n0', target: 'add', targetInput: 0 },
      { id: 'e2', source: 'n2', target: 'add', targetInput: 1 },
      { id: 'e3', source: 'add', target: 'n1' },
      { id: 'e4', source: 'n1', target: 'n2' },
    ];
    const file = write('cycle.json', project(graph));
    const { status, stdout } = await runInProcess('summary', file, '--json');
    expect(status).toBe(1);
    const json = JSON.parse(stdout) as SummaryJson;
    expect(json.errors.some((error) => error.code === 'cycle')).toBe(true);
    expect(json.errors.find((error) => error.code === 'cycle')!.message).toContain('the connections form a cycle');
  });

  it('graph errors print after the table, exit 1', async () => {
    const file = write('rank.json', project(chain([4, 4], [{ kind: 'Dense', params: { units: 2 }, name: 'dense' }])));
    const { status, stdout } = await runInProcess('summary', file);
    expect(status).toBe(1);
    expect(stdout).toContain('Errors (1):\n  dense: Dense needs rank 2 but got (None, 4, 4); add Flatten before it\n');
  });

  it('import warnings go to stderr', async () => {
    const model = { class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'Dense', config: { name: 'dense', units: 2, trainable: false, batch_input_shape: [null, 3] } }] } };
    const file = write('frozen.json', model);
    const { status, stdout, stderr } = await runInProcess('summary', file, '--json');
    expect(status).toBe(0);
    expect(JSON.parse(stdout).totalParams).toBe(8);
    expect(stderr).toBe("warning: Layer 'dense' is frozen (trainable: false) in the file, but Layerlab imports every layer as trainable, so its weights count as trainable\n");
  });

  it('Lambda model exits 2 naming the layer', async () => {
    const model = { class_name: 'Sequential', config: { layers: [{ class_name: 'Lambda', config: { name: 'lambda', batch_input_shape: [null, 3] } }] } };
    const file = write('lambda.json', model);
    const { status, stderr } = await runInProcess('summary', file);
    expect(status).toBe(2);
    expect(stderr).toBe(`error: ${file}: Layer 'lambda' is a Lambda (Python code), which Layerlab cannot run; remove it or replace it with built-in layers\n`);
  });

  it('unknown class exits 2', async () => {
    const model = { class_name: 'Sequential', config: { layers: [{ class_name: 'Wibble', config: { name: 'wibble', batch_input_shape: [null, 3] } }] } };
    const { status, stderr } = await runInProcess('summary', write('wibble.json', model));
    expect(status).toBe(2);
    expect(stderr).toContain("Layer 'wibble' is a Wibble, which Layerlab cannot run");
  });

  it('missing inbound layer exits 2', async () => {
    const model = graphToKerasModel(getTemplate('mlp-2d')!.build()) as unknown as { config: { layers: { name: string }[] } };
    model.config.layers = model.config.layers.filter((entry) => entry.name !== 'dense');
    const { status, stderr } = await runInProcess('summary', write('missing.json', model));
    expect(status).toBe(2);
    expect(stderr).toContain("Layer 'dense_1' takes its input from layer 'dense', which is not in the model");
  });

  it('__proto__ key exits 2 and pollutes nothing', async () => {
    const text = '{"format": "layerlab-project", "version": 1, "graph": {"nodes": [{"id": "n1", "kind": "InputLayer", "name": "input", "params": {"__proto__": {"polluted": true}}}], "edges": []}}';
    const { status, stderr } = await runInProcess('summary', write('proto.json', text));
    expect(status).toBe(2);
    expect(stderr).toContain('The file contains the key "__proto__" at graph.nodes[0].params');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('constructor key exits 2', async () => {
    const text = '{"class_name": "Sequential", "config": {"layers": [], "constructor": {"prototype": {"polluted": true}}}}';
    const { status, stderr } = await runInProcess('summary', write('constructor.json', text));
    expect(status).toBe(2);
    expect(stderr).toContain('The file contains the key "constructor" at config');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('newer project version exits 2', async () => {
    const { status, stderr } = await runInProcess('summary', write('v9.json', project(getTemplate('mlp-2d')!.build(), 9)));
    expect(status).toBe(2);
    expect(stderr).toContain('The project file has version 9, written by a newer Layerlab; this one reads up to version 1, so update Layerlab');
  });

  it('damaged project lists each problem', async () => {
    const damaged = {
      format: 'layerlab-project',
      version: 1,
      graph: {
        nodes: [{ id: 'n1', kind: 'InputLayer', name: 'input', params: { shape: [2] } }, { id: 'n1', kind: 7, name: 'dense' }, 'oops'],
        edges: [{ id: 'e1', source: 'n1', target: 'n2', targetInput: -1 }],
      },
    };
    const { status, stderr } = await runInProcess('summary', write('damaged.json', damaged));
    expect(status).toBe(2);
    const file = path.join(dir, 'damaged.json');
    expect(stderr.split('\n').filter(Boolean)).toEqual([
      `error: ${file}: graph.nodes[1].kind must be a non-empty string but is 7`,
      `error: ${file}: graph.nodes[2] must be an object with id, kind, name and params`,
      `error: ${file}: graph.edges[0].targetInput must be a whole number ≥ 0 but is -1`,
    ]);
  });

  it('duplicate node ids exit 2', async () => {
    const graph = chain([2], [{ kind: 'Dense', params: { units: 1 } }]);
    graph.nodes[1].id = 'n0';
    const { status, stderr } = await runInProcess('summary', write('dupes.json', project(graph)));
    expect(status).toBe(2);
    expect(stderr).toContain('Two nodes have the id "n0"; ids must be unique');
  });

  it('shared layer summary connects both calls', async () => {
    const { status, stdout } = await runInProcess('summary', path.resolve(__dirname, '../fixtures/keras3/shared-layer.json'));
    expect(status).toBe(0);
    expect(stdout).toContain(" add (Add)                      (None, 4)            0           ['shared_dense[0][0]',");
    expect(stdout).toContain('Total params: 29');
  });
});
