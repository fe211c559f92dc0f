import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCommand, runExport } from '../../src/cli/export-command';
import { runCli } from '../../src/cli/run';
import { importModelJson } from '../../src/compile/keras-import';
import { graphToKerasModel } from '../../src/compile/keras-export';
import { inferGraph } from '../../src/graph/infer';
import { getTemplate } from '../../src/graph/templates';
import type { Graph } from '../../src/graph/types';
import { chain } from '../helpers/graph-builders';
import { folderHandler } from '../compile/roundtrip-helpers';

let dir: string;

function write(name: string, content: string | object): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function project(graph: Graph, sections: object = {}): object {
  return { format: 'layerlab-project', version: 1, graph, ...sections };
}

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

async function exportWith(...args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const status = await runExport(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { status, stdout, stderr };
}

const solubility = () => getTemplate('solubility')!.build();
const broken = () => chain([4, 4], [{ kind: 'Dense', name: 'dense', params: { units: 0 } }]);

let projectFile: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'layerlab-export-'));
  projectFile = write('solubility.json', project(solubility()));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('export --to keras-json', () => {
  it('writes a Keras model config that imports back', async () => {
    const out = join(dir, 'keras.json');
    const run = await exportWith(projectFile, '--to', 'keras-json', out);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`Wrote ${out}\n`);

    const text = readFileSync(out, 'utf8');
    expect(JSON.parse(text)).toEqual(graphToKerasModel(solubility(), 'model'));
    const imported = importModelJson(text);
    if (!imported.ok) throw new Error(imported.errors.join('; '));
    expect(inferGraph(imported.graph).totalParams).toBe(inferGraph(solubility()).totalParams);
  });

  it('reads a Keras model JSON as input', async () => {
    const input = write('input-keras.json', graphToKerasModel(solubility(), 'named_model'));
    const out = join(dir, 'keras-again.json');
    expect((await exportWith(input, '--to=keras-json', out)).status).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).config.name).toBe('named_model');
  });
});

describe('export --to tfjs', () => {
  it('writes a folder that tf.loadLayersModel reads', async () => {
    const out = join(dir, 'tfjs-model');
    const run = await exportWith(projectFile, '--to', 'tfjs', out);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`Wrote ${join(out, 'model.json')}\nWrote ${join(out, 'weights.bin')}\n`);

    const model = await tf.loadLayersModel(folderHandler(out));
    expect(model.countParams()).toBe(inferGraph(solubility()).totalParams);
    const prediction = model.predict(tf.zeros([2, 200], 'int32')) as tf.Tensor;
    expect(prediction.shape).toEqual([2, 1]);
    tf.dispose(prediction);
    model.dispose();
  });

  it('keeps the weights of a tfjs model.json input', async () => {
    const first = join(dir, 'tfjs-first');
    const second = join(dir, 'tfjs-second');
    expect((await exportWith(projectFile, '--to', 'tfjs', first)).status).toBe(0);
    expect((await exportWith(join(first, 'model.json'), '--to', 'tfjs', second)).status).toBe(0);
    expect(readFileSync(join(second, 'weights.bin')).equals(readFileSync(join(first, 'weights.bin')))).toBe(true);
  });

  it('rejects a tfjs model.json whose weights file is missing', async () => {
    const first = join(dir, 'tfjs-incomplete');
    expect((await exportWith(projectFile, '--to', 'tfjs', first)).status).toBe(0);
    rmSync(join(first, 'weights.bin'));
    const run = await exportWith(join(first, 'model.json'), '--to', 'tfjs', join(dir, 'tfjs-never'));
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/names the weights file weights\.bin, which was not given/);
    expect(existsSync(join(dir, 'tfjs-never'))).toBe(false);
  });
});

describe('export --to python', () => {
  it('writes a script that python3 compiles', async () => {
    const out = join(dir, 'train.py');
    expect((await exportWith(projectFile, '--to', 'python', out)).status).toBe(0);
    const compiled = spawnSync('python3', ['-m', 'py_compile', out], { encoding: 'utf8', timeout: 30_000 });
    expect(compiled.stderr).toBe('');
    expect(compiled.status).toBe(0);
  });

  it('takes training and data settings from the project', async () => {
    const input = write(
      'with-settings.json',
      project(solubility(), {
        training: { epochs: 40, batchSize: 128, earlyStopping: { enabled: true, patience: 5 } },
        data: { fileName: 'proteins.csv', format: 'csv', labelColumn: 'soluble', missing: 'fill' },
      }),
    );
    const out = join(dir, 'train-settings.py');
    expect((await exportWith(input, '--to', 'python', out)).status).toBe(0);
    const script = readFileSync(out, 'utf8');
    expect(script).toContain('EPOCHS = 40');
    expect(script).toContain('BATCH_SIZE = 128');
    expect(script).toContain('patience=5,');
    expect(script).toContain('DATA_FILE = "proteins.csv"');
    expect(script).toContain('LABEL_COLUMN = "soluble"');
    expect(script).toContain('MISSING = "fill"');
  });

  it('rejects invalid training settings', async () => {
    const input = write('bad-settings.json', project(solubility(), { training: { epochs: 0 } }));
    const run = await exportWith(input, '--to', 'python', join(dir, 'never.py'));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('training settings: epochs must be at least 1, but got 0');
  });
});

describe('export --to svg', () => {
  it('writes an SVG picture', async () => {
    const out = join(dir, 'model.svg');
    expect((await exportWith(projectFile, '--to', 'svg', out)).status).toBe(0);
    const svg = readFileSync(out, 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<g data-node-id=/g)).toHaveLength(solubility().nodes.length);
  });
});

describe('export exit statuses', () => {
  it('returns 1 for a graph with errors and lists them', async () => {
    const input = write('broken.json', project(broken()));
    const out = join(dir, 'broken.json.out');
    const run = await exportWith(input, '--to', 'keras-json', out);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('has 1 error, so nothing was exported');
    expect(run.stderr).toContain(`n1: ${inferGraph(broken()).errors[0].message}`);
    expect(existsSync(out)).toBe(false);
  });

  it.each([
    ['a missing file', ['missing.json', '--to', 'svg', 'out.svg'], /no such file/],
    ['an unknown format', ['FILE', '--to', 'onnx', 'out'], /Unknown export format 'onnx'; use one of keras-json, tfjs, python, svg/],
    ['no --to', ['FILE', 'out'], /export needs --to/],
    ['a missing OUT', ['FILE', '--to', 'svg'], /export takes FILE and OUT but got 1 argument/],
    ['an unknown option', ['FILE', '--to', 'svg', 'out', '--force'], /Unknown option '--force'/],
  ])('returns 2 for %s', async (_case, args, message) => {
    const resolve = (arg: string): string => {
      if (arg === 'FILE') return projectFile;
      if (arg === 'missing.json') return join(dir, arg);
      return arg;
    };
    const run = await exportWith(...args.map(resolve));
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('returns 2 when OUT cannot be written', async () => {
    const run = await exportWith(projectFile, '--to', 'svg', join(dir, 'no-such-folder', 'model.svg'));
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/cannot write .*model\.svg \(its folder does not exist\)/);
  });

  it('returns 2 for a file that is not a model', async () => {
    const run = await exportWith(write('list.json', '[1, 2]'), '--to', 'svg', join(dir, 'never.svg'));
    expect(run.status).toBe(2);
  });
});

describe('export in the command table', () => {
  async function runCommand(positionals: string[]): Promise<Run> {
    let stdout = '';
    let stderr = '';
    const io = { stdout: (text: string) => (stdout += text), stderr: (text: string) => (stderr += text) };
    const status = await exportCommand.run({ positionals, flags: new Set(['--to']) }, io);
    return { status, stdout, stderr };
  }

  it('reads FILE --to FORMAT OUT as the table parser splits it', async () => {
    const out = join(dir, 'table.svg');
    expect((await runCommand([projectFile, 'svg', out])).status).toBe(0);
    expect(existsSync(out)).toBe(true);
  });

  it('reads --to FORMAT FILE OUT as the table parser splits it', async () => {
    const out = join(dir, 'table-first.svg');
    expect((await runCommand(['svg', projectFile, out])).status).toBe(0);
    expect(existsSync(out)).toBe(true);
  });

  it('runs through runCli', async () => {
    const out = join(dir, 'cli.json');
    let stderr = '';
    const status = await runCli(['export', projectFile, '--to', 'keras-json', out], { stdout: () => undefined, stderr: (text) => (stderr += text) });
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(existsSync(out)).toBe(true);
  });
});
