import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../src/compile/compile';
import { assignModelWeights, exportTfjsModel, modelJsonText, readModelWeights, type TfjsModelFiles } from '../../src/compile/export-tfjs';
import { importTfjsModel, type NamedWeights, type TfjsImportResult } from '../../src/compile/import-weights';
import { graphToKerasModel } from '../../src/compile/keras-export';
import { inferGraph } from '../../src/graph/infer';
import { chain } from '../helpers/graph-builders';

const mlp = () =>
  chain([4], [
    { kind: 'Dense', name: 'hidden', params: { units: 3, activation: 'relu' } },
    { kind: 'BatchNormalization', name: 'norm' },
    { kind: 'Dense', name: 'out', params: { units: 2, activation: 'softmax' } },
  ]);

async function exportOk(...args: Parameters<typeof exportTfjsModel>): Promise<TfjsModelFiles> {
  const result = await exportTfjsModel(...args);
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.files;
}

/** Returns a successful import, or fails the test with the import's errors. */
function imported(result: TfjsImportResult): Extract<TfjsImportResult, { ok: true }> {
  if (!result.ok) throw new Error(`import failed: ${result.errors.join('; ')}`);
  return result;
}

function errorsOf(result: { ok: true } | { ok: false; errors: string[] }): string[] {
  return result.ok ? [] : result.errors;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('exportTfjsModel', () => {
  it('writes the layers-model layout', async () => {
    const files = await exportOk(mlp(), { modelName: 'classifier' });
    const json = files.modelJson;
    expect(json.format).toBe('layers-model');
    expect(json.generatedBy).toMatch(/^Layerlab with TensorFlow\.js tfjs-layers v\d/);
    expect(json.convertedBy).toBeNull();
    expect(json.modelTopology).toEqual(graphToKerasModel(mlp(), 'classifier'));
    expect(json.weightsManifest).toHaveLength(1);
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
  });

  it('lists every weight with name, shape and dtype', async () => {
    const files = await exportOk(mlp());
    const weights = files.modelJson.weightsManifest[0].weights;
    expect(weights).toEqual([
      { name: 'hidden/kernel', shape: [4, 3], dtype: 'float32' },
      { name: 'hidden/bias', shape: [3], dtype: 'float32' },
      { name: 'norm/gamma', shape: [3], dtype: 'float32' },
      { name: 'norm/beta', shape: [3], dtype: 'float32' },
      { name: 'out/kernel', shape: [3, 2], dtype: 'float32' },
      { name: 'out/bias', shape: [2], dtype: 'float32' },
      { name: 'norm/moving_mean', shape: [3], dtype: 'float32' },
      { name: 'norm/moving_variance', shape: [3], dtype: 'float32' },
    ]);
  });

  it('sizes weights.bin at four bytes per parameter', async () => {
    const files = await exportOk(mlp());
    expect(files.weightData.byteLength).toBe(inferGraph(mlp()).totalParams * 4);
  });

  it('writes given weights in little-endian float32', async () => {
    const model = await compileGraph(mlp());
    const weights = readModelWeights(model);
    weights.set('hidden/bias', { shape: [3], values: Float32Array.from([1.5, -2, 0.25]) });
    const files = await exportOk(mlp(), { weights });

    const view = new DataView(files.weightData.buffer, files.weightData.byteOffset);
    const biasOffset = 4 * 3 * 4;
    expect([0, 1, 2].map((i) => view.getFloat32(biasOffset + 4 * i, true))).toEqual([1.5, -2, 0.25]);
    model.dispose();
  });

  it('accepts weights as a list of named values', async () => {
    const model = await compileGraph(mlp());
    const list = [...readModelWeights(model)].map(([name, weight]) => ({ name, ...weight }));
    const files = await exportOk(mlp(), { weights: list });
    const result = imported(importTfjsModel(modelJsonText(files), new Map([['weights.bin', files.weightData]])));
    expect(Array.from(result.weights.get('out/kernel')!.values)).toEqual(Array.from(list[4].values));
    model.dispose();
  });

  it('rejects a graph with errors, listing them', async () => {
    const graph = chain([4, 4], [{ kind: 'Dense', name: 'dense', params: { units: 0 } }]);
    const result = await exportTfjsModel(graph);
    expect(errorsOf(result)).toEqual(inferGraph(graph).errors.map((error) => error.message));
    expect(errorsOf(result).length).toBeGreaterThan(0);
  });

  it('rejects given weights that miss a weight', async () => {
    const model = await compileGraph(mlp());
    const weights = readModelWeights(model);
    weights.delete('out/bias');
    const result = await exportTfjsModel(mlp(), { weights });
    expect(errorsOf(result)).toEqual(['The weights lack out/bias, which the model has; they belong to another model']);
    model.dispose();
  });

  it('rejects given weights of another shape', async () => {
    const model = await compileGraph(mlp());
    const weights = readModelWeights(model);
    weights.set('out/kernel', { shape: [2, 3], values: new Float32Array(6) });
    const result = await exportTfjsModel(mlp(), { weights });
    expect(errorsOf(result)[0]).toMatch(/^The weight out\/kernel has shape \[2, 3\] but the model needs \[3, 2\]/);
    model.dispose();
  });

  it('rejects given weights the model does not have', async () => {
    const model = await compileGraph(mlp());
    const weights = readModelWeights(model);
    weights.set('extra/kernel', { shape: [1], values: new Float32Array(1) });
    const result = await exportTfjsModel(mlp(), { weights });
    expect(errorsOf(result)).toEqual(['The weights contain extra/kernel, which the model does not have; they belong to another model']);
    model.dispose();
  });
});

describe('assignModelWeights', () => {
  it('sets the values of every weight', async () => {
    const source = await compileGraph(mlp());
    const target = await compileGraph(mlp());
    expect(assignModelWeights(target, readModelWeights(source))).toEqual({ ok: true });
    expect(Array.from(readModelWeights(target).get('hidden/kernel')!.values)).toEqual(Array.from(readModelWeights(source).get('hidden/kernel')!.values));
    source.dispose();
    target.dispose();
  });

  it('changes nothing when a shape does not fit', async () => {
    const target = await compileGraph(mlp());
    const before = readModelWeights(target);
    const weights: NamedWeights = new Map(before);
    weights.set('hidden/kernel', { shape: [3, 3], values: new Float32Array(9) });
    weights.set('hidden/bias', { shape: [3], values: Float32Array.from([7, 7, 7]) });

    const result = assignModelWeights(target, weights);
    expect(errorsOf(result)[0]).toMatch(/^The weight hidden\/kernel has shape \[3, 3\] but the model needs \[4, 3\]/);
    expect(Array.from(readModelWeights(target).get('hidden/bias')!.values)).toEqual(Array.from(before.get('hidden/bias')!.values));
    target.dispose();
  });
});

describe('importTfjsModel', () => {
  async function files(): Promise<{ text: string; bin: Uint8Array; json: Record<string, unknown> }> {
    const exported = await exportOk(mlp());
    return { text: modelJsonText(exported), bin: exported.weightData, json: JSON.parse(modelJsonText(exported)) };
  }

  it('reads the graph and every weight', async () => {
    const { text, bin } = await files();
    const result = imported(importTfjsModel(text, new Map([['weights.bin', bin]])));
    expect(result.graph.nodes.map((node) => node.name)).toEqual(['input', 'hidden', 'norm', 'out']);
    expect([...result.weights.keys()]).toHaveLength(8);
    expect(result.weights.get('hidden/kernel')!.shape).toEqual([4, 3]);
    expect(result.weights.get('hidden/kernel')!.values).toHaveLength(12);
  });

  it('finds a file given under its path', async () => {
    const { text, bin } = await files();
    expect(importTfjsModel(text, new Map([['exports/model/weights.bin', bin]])).ok).toBe(true);
  });

  it('rejects a manifest that names a missing file', async () => {
    const { text, bin } = await files();
    const result = importTfjsModel(text, new Map([['other.bin', bin]]));
    expect(errorsOf(result)).toEqual([
      'The weights manifest names the weights file weights.bin, which was not given (given: other.bin); select every .bin file that model.json lists together with it',
    ]);
  });

  it('lists every missing file of a sharded group', async () => {
    const { json, bin } = await files();
    const manifest = json.weightsManifest as { paths: string[] }[];
    manifest[0].paths = ['group1-shard1of2.bin', 'group1-shard2of2.bin'];
    const result = importTfjsModel(JSON.stringify(json), new Map([['group1-shard1of2.bin', bin]]));
    expect(errorsOf(result)[0]).toMatch(/^The weights manifest names the weights file group1-shard2of2\.bin, which was not given/);
  });

  it('reads a group split over several files', async () => {
    const { json, bin, text } = await files();
    (json.weightsManifest as { paths: string[] }[])[0].paths = ['part1.bin', 'part2.bin'];
    const parts = new Map([
      ['part1.bin', bin.slice(0, 20)],
      ['part2.bin', bin.slice(20)],
    ]);
    const split = imported(importTfjsModel(JSON.stringify(json), parts));
    const whole = imported(importTfjsModel(text, new Map([['weights.bin', bin]])));
    expect(Array.from(split.weights.get('hidden/kernel')!.values)).toEqual(Array.from(whole.weights.get('hidden/kernel')!.values));
  });

  it('rejects a weights file of the wrong length', async () => {
    const { text, bin } = await files();
    const result = importTfjsModel(text, new Map([['weights.bin', bin.slice(0, bin.length - 8)]]));
    expect(errorsOf(result)).toEqual([
      `The weights file weights.bin has ${bin.length - 8} bytes, but the manifest's 8 weights need ${bin.length} bytes; the file is truncated or belongs to another model`,
    ]);
  });

  it('rejects a topology with unsupported layers in one message', async () => {
    const { json, bin } = await files();
    const topology = json.modelTopology as { config: { layers: { class_name: string; config: { name: string } }[] } };
    topology.config.layers[1].class_name = 'Lambda';
    topology.config.layers[3].class_name = 'MultiHeadAttention';
    const result = importTfjsModel(JSON.stringify(json), new Map([['weights.bin', bin]]));
    expect(errorsOf(result)).toHaveLength(1);
    expect(errorsOf(result)[0]).toMatch(/'hidden'.*Lambda/);
    expect(errorsOf(result)[0]).toMatch(/'out'.*MultiHeadAttention/);
    expect(errorsOf(result)[0]).toMatch(/which Layerlab cannot run/);
  });

  it('rejects weights that do not add up to the model', async () => {
    const { json, bin } = await files();
    const weights = (json.weightsManifest as { weights: { shape: number[] }[] }[])[0].weights;
    weights[0].shape = [4, 2];
    const result = importTfjsModel(JSON.stringify(json), new Map([['weights.bin', bin.slice(0, bin.length - 16)]]));
    expect(errorsOf(result)).toEqual([
      "The weight files hold 31 values, but the model's layers have 35 parameters; the weights belong to another model or were saved from a different version of it",
    ]);
  });

  it('rejects a malformed manifest entry', async () => {
    const { json, bin } = await files();
    (json.weightsManifest as { weights: unknown[] }[])[0].weights[2] = { name: 'norm/gamma', shape: [3], dtype: 'string' };
    const result = importTfjsModel(JSON.stringify(json), new Map([['weights.bin', bin]]));
    expect(errorsOf(result)[0]).toMatch(/^weightsManifest\[0\]\.weights\[2\] \(norm\/gamma\) has dtype string, which Layerlab cannot read/);
  });

  it('rejects a manifest that is not a list', async () => {
    const { json, bin } = await files();
    json.weightsManifest = { paths: ['weights.bin'] };
    expect(errorsOf(importTfjsModel(JSON.stringify(json), new Map([['weights.bin', bin]])))).toEqual([
      'weightsManifest must be a list of groups, each with "paths" and "weights"',
    ]);
  });

  it('rejects text that is not JSON', () => {
    expect(errorsOf(importTfjsModel('{"modelTopology": ', new Map()))[0]).toMatch(/^The file is not valid JSON/);
  });

  it('imports a model without a manifest with a warning', async () => {
    const { json } = await files();
    delete json.weightsManifest;
    const result = imported(importTfjsModel(JSON.stringify(json), new Map()));
    expect(result.weights.size).toBe(0);
    expect(result.warnings).toContain('The model.json has no weightsManifest, so the model has no saved weights; its layers start from fresh initial values');
  });

  it('skips optimizer weights', async () => {
    const { json, bin } = await files();
    const group = (json.weightsManifest as { weights: unknown[] }[])[0];
    group.weights.push({ name: 'Adam/iter', shape: [], dtype: 'int32', group: 'optimizer' });
    const withOptimizer = new Uint8Array(bin.length + 4);
    withOptimizer.set(bin);
    const result = imported(importTfjsModel(JSON.stringify(json), new Map([['weights.bin', withOptimizer]])));
    expect([...result.weights.keys()]).not.toContain('Adam/iter');
    expect(result.weights.size).toBe(8);
  });

  it('dequantizes uint8 and float16 weights', () => {
    const graph = chain([2], [{ kind: 'Dense', name: 'dense', params: { units: 1 } }]);
    const json = {
      format: 'layers-model',
      modelTopology: graphToKerasModel(graph),
      weightsManifest: [
        {
          paths: ['weights.bin'],
          weights: [
            { name: 'dense/kernel', shape: [2, 1], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } },
            { name: 'dense/bias', shape: [1], dtype: 'float32', quantization: { dtype: 'float16' } },
          ],
        },
      ],
    };
    // uint8 4 and 1 → 4·0.5 − 1 = 1 and −0.5; float16 0x3e00 = 1.5, little-endian.
    const bin = Uint8Array.from([4, 1, 0x00, 0x3e]);
    const result = imported(importTfjsModel(JSON.stringify(json), new Map([['weights.bin', bin]])));
    expect(Array.from(result.weights.get('dense/kernel')!.values)).toEqual([1, -0.5]);
    expect(Array.from(result.weights.get('dense/bias')!.values)).toEqual([1.5]);
  });
});
