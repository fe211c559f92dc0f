/**
 * Opening several files picked together: a TensorFlow.js model.json with its .bin weight files,
 * and every way such a pick can be wrong. The model files come from the real tfjs exporter.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { exportTfjsModel, modelJsonText, type TfjsModelFiles } from '../../src/compile/export-tfjs';
import { graphToKerasModel } from '../../src/compile/keras-export';
import { inferGraph } from '../../src/graph/infer';
import { getTemplate } from '../../src/graph/templates';
import { openModelFiles, openModelText, type PickedFile } from '../../src/project/open';
import { makeProject, serializeProject } from '../../src/project/schema';
import { selectCpuBackend } from '../helpers/tfjs-reference';

const SOLUBILITY_TOTAL = 60_929;

function picked(name: string, content: string | Uint8Array): PickedFile {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return {
    name,
    text: async () => new TextDecoder().decode(bytes),
    arrayBuffer: async () => bytes.slice().buffer,
  };
}

let model: TfjsModelFiles;
let modelText: string;

beforeAll(async () => {
  await selectCpuBackend();
  const exported = await exportTfjsModel(getTemplate('solubility')!.build(), { modelName: 'solubility', weightsFileName: 'solubility.weights.bin' });
  if (!exported.ok) throw new Error(exported.errors.join('; '));
  model = exported.files;
  modelText = modelJsonText(model);
});

describe('openModelFiles with weights', () => {
  it('imports model.json with its weights', async () => {
    const result = await openModelFiles([picked('solubility.json', modelText), picked('solubility.weights.bin', model.weightData)]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.source).toBe('tfjs');
    expect(result.name).toBe('solubility');
    expect(inferGraph(result.graph).totalParams).toBe(SOLUBILITY_TOTAL);
    const stored = [...result.weights!.values()].reduce((sum, weight) => sum + weight.values.length, 0);
    expect(stored).toBe(SOLUBILITY_TOTAL);
    expect(result.graph.nodes.every((node) => node.position !== undefined)).toBe(true);
  });

  it('keeps the weight values', async () => {
    const result = await openModelFiles([picked('solubility.weights.bin', model.weightData), picked('solubility.json', modelText)]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const first = model.modelJson.weightsManifest[0].weights[0];
    const values = result.weights!.get(first.name)!.values;
    const expected = new Float32Array(model.weightData.slice().buffer, 0, values.length);
    expect([...values]).toEqual([...expected]);
  });

  it('names a weights file that was not picked', async () => {
    const result = await openModelFiles([picked('solubility.json', modelText), picked('other.bin', model.weightData)]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('solubility.weights.bin');
    expect(result.message).toContain('given: other.bin');
    expect(result.message).toContain('select every .bin file');
  });

  it('names a weights file of the wrong length', async () => {
    const truncated = model.weightData.slice(0, model.weightData.length - 8);
    const result = await openModelFiles([picked('solubility.json', modelText), picked('solubility.weights.bin', truncated)]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain(`has ${truncated.length} bytes`);
    expect(result.message).toContain(`need ${model.weightData.length} bytes`);
  });

  it('names an unsupported layer', async () => {
    const topology = JSON.parse(modelText);
    const layers = topology.modelTopology.config.layers;
    layers[2].class_name = 'Lambda';
    const result = await openModelFiles([picked('solubility.json', JSON.stringify(topology)), picked('solubility.weights.bin', model.weightData)]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain(`'${layers[2].config.name}' is a Lambda`);
  });

  it('notes a weights file the manifest does not list', async () => {
    const result = await openModelFiles([picked('solubility.json', modelText), picked('solubility.weights.bin', model.weightData), picked('extra.bin', new Uint8Array(4))]);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.notices.join(' ')).toContain('extra.bin is not listed in the weights manifest');
  });

  it('rejects two JSON files', async () => {
    const result = await openModelFiles([picked('a.json', modelText), picked('b.json', modelText)]);
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) expect(result.message).toContain('2 JSON files were selected (a.json, b.json)');
  });

  it('rejects weights without model.json', async () => {
    const result = await openModelFiles([picked('solubility.weights.bin', model.weightData)]);
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) expect(result.message).toContain('select the model.json together with its .bin weight files');
  });

  it('rejects weights beside a project', async () => {
    const project = serializeProject(makeProject(getTemplate('solubility')!.build()));
    const result = await openModelFiles([picked('solubility.layerlab.json', project), picked('solubility.weights.bin', model.weightData)]);
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) expect(result.message).toContain('is a Layerlab project, which has no weight files');
  });

  it('rejects weights beside a Keras config', async () => {
    const keras = JSON.stringify(graphToKerasModel(getTemplate('solubility')!.build()));
    const result = await openModelFiles([picked('model.json', keras), picked('solubility.weights.bin', model.weightData)]);
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) expect(result.message).toContain('model.json has no weights manifest, so it does not use solubility.weights.bin');
  });

  it('opens model.json alone with a notice', async () => {
    const result = await openModelFiles([picked('solubility.json', modelText)]);
    expect(result).toMatchObject({ ok: true, source: 'keras' });
    if (!result.ok) return;
    expect(result.weights).toBeUndefined();
    expect(result.notices.join(' ')).toContain('stores its weights in solubility.weights.bin, which was not selected');
  });
});

describe('openModelText with a JSON string', () => {
  it('opens a project stored as a JSON string', async () => {
    const graph = getTemplate('residual')!.build();
    const text = JSON.stringify(serializeProject(makeProject(graph)));
    const result = await openModelText(text, 'residual.layerlab.json');
    expect(result).toMatchObject({ ok: true, source: 'project' });
    if (result.ok) expect(result.graph).toEqual(graph);
  });

  it('opens a Keras model stored as a JSON string', async () => {
    const text = JSON.stringify(JSON.stringify(graphToKerasModel(getTemplate('solubility')!.build())));
    const result = await openModelText(text, 'model.keras.json');
    expect(result).toMatchObject({ ok: true, source: 'keras', name: 'model' });
    if (result.ok) expect(inferGraph(result.graph).totalParams).toBe(SOLUBILITY_TOTAL);
  });

  it('rejects a string that is not JSON', async () => {
    const result = await openModelText(JSON.stringify('hello'), 'notes.json');
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) expect(result.message).toContain('contains a JSON string, but that string is not valid JSON itself');
  });

  it('rejects a string of other JSON', async () => {
    const result = await openModelText(JSON.stringify('{"hello": "world"}'), 'notes.json');
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) expect(result.message).toContain('neither a Layerlab project');
  });
});
