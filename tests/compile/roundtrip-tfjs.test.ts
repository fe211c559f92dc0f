import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../src/compile/compile';
import { assignModelWeights, exportTfjsModel, modelJsonText, readModelWeights, type TfjsModelFiles } from '../../src/compile/export-tfjs';
import { importTfjsModel } from '../../src/compile/import-weights';
import { TEMPLATES } from '../../src/graph/templates';
import type { Graph } from '../../src/graph/types';
import { fixedInputs, folderHandler, graphDifferences, hasKnownInputShapes, largestDifference, specialGraphs, validRandomGraphs } from './roundtrip-helpers';

/** Random graphs per run; each builds three tfjs models on the cpu backend, so keep it small. */
const RANDOM_GRAPHS = 50;
const TOLERANCE = 1e-5;

let folder: string;
let written = 0;

beforeAll(async () => {
  await tf.setBackend('cpu');
  folder = await mkdtemp(join(tmpdir(), 'layerlab-tfjs-'));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function writeModelFolder(files: TfjsModelFiles): Promise<string> {
  const path = join(folder, `model-${written++}`);
  await mkdir(path);
  await writeFile(join(path, 'model.json'), modelJsonText(files));
  await writeFile(join(path, 'weights.bin'), files.weightData);
  return path;
}

type RoundTrip = { skipped: string } | { loaded: number; imported: number; graphProblems: string[] };

/**
 * Exports a compiled graph's weights, loads the folder with tf.loadLayersModel and with
 * importTfjsModel, and returns the largest output difference of each copy from the original.
 * A graph whose original model cannot predict on the fixed inputs is skipped: that is no
 * export problem.
 */
async function roundTrip(graph: Graph): Promise<RoundTrip> {
  const original = await compileGraph(graph);
  const inputs = fixedInputs(graph);
  try {
    tf.dispose(original.predict(inputs));
  } catch (error) {
    tf.dispose(inputs);
    original.dispose();
    return { skipped: String(error) };
  }

  const exported = await exportTfjsModel(graph, { weights: readModelWeights(original) });
  if (!exported.ok) throw new Error(exported.errors.join('; '));
  const path = await writeModelFolder(exported.files);

  const loaded = await tf.loadLayersModel(folderHandler(path));
  const imported = importTfjsModel(modelJsonText(exported.files), new Map([['weights.bin', exported.files.weightData]]));
  if (!imported.ok) throw new Error(imported.errors.join('; '));
  const rebuilt = await compileGraph(imported.graph);
  const assigned = assignModelWeights(rebuilt, imported.weights);
  if (!assigned.ok) throw new Error(assigned.errors.join('; '));

  const result = {
    loaded: largestDifference(original, loaded, inputs),
    imported: largestDifference(original, rebuilt, inputs),
    graphProblems: graphDifferences(graph, imported.graph),
  };
  tf.dispose(inputs);
  for (const model of [original, loaded, rebuilt]) model.dispose();
  return result;
}

describe('graph → tfjs model files → model', () => {
  it.each(TEMPLATES.map((template) => [template.id, template] as const))('predicts the same for template %s', async (_id, template) => {
    const result = await roundTrip(template.build());
    if ('skipped' in result) throw new Error(result.skipped);
    expect(result.graphProblems).toEqual([]);
    expect(result.loaded).toBeLessThanOrEqual(TOLERANCE);
    expect(result.imported).toBeLessThanOrEqual(TOLERANCE);
  });

  it.each(specialGraphs())('predicts the same for a graph with %s', async (_name, graph) => {
    const result = await roundTrip(graph);
    if ('skipped' in result) throw new Error(result.skipped);
    expect(result.graphProblems).toEqual([]);
    expect(result.loaded).toBeLessThanOrEqual(TOLERANCE);
    expect(result.imported).toBeLessThanOrEqual(TOLERANCE);
  });

  it(`predicts the same for ${RANDOM_GRAPHS} random graphs`, async () => {
    // NOTE: inference accepts some graphs that tfjs cannot run, e.g. an int32 Input straight into
    // Softmax; roundTrip skips those, so more candidates than RANDOM_GRAPHS are generated.
    const candidates = validRandomGraphs(RANDOM_GRAPHS * 3, 5_077).filter(hasKnownInputShapes);
    let tested = 0;
    const failures: string[] = [];
    for (const graph of candidates) {
      if (tested === RANDOM_GRAPHS) break;
      try {
        const result = await roundTrip(graph);
        if ('skipped' in result) continue;
        tested += 1;
        if (!(result.loaded <= TOLERANCE && result.imported <= TOLERANCE) || result.graphProblems.length > 0) {
          failures.push(`loaded ${result.loaded}, imported ${result.imported}, ${result.graphProblems.join('; ')} in ${JSON.stringify(graph)}`);
        }
      } catch (error) {
        failures.push(`${String(error)} in ${JSON.stringify(graph)}`);
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
    expect(tested).toBe(RANDOM_GRAPHS);
  });

  it('saves fresh weights that load back unchanged', async () => {
    const graph = TEMPLATES.find((template) => template.id === 'mlp-2d')!.build();
    const exported = await exportTfjsModel(graph);
    if (!exported.ok) throw new Error(exported.errors.join('; '));
    const loaded = await tf.loadLayersModel(folderHandler(await writeModelFolder(exported.files)));

    const saved = readModelWeights(loaded);
    const imported = importTfjsModel(modelJsonText(exported.files), new Map([['weights.bin', exported.files.weightData]]));
    expect(imported.ok).toBe(true);
    if (!imported.ok) return;
    for (const [name, weight] of imported.weights) {
      expect(Array.from(saved.get(name)!.values), name).toEqual(Array.from(weight.values));
    }
    // Glorot-uniform kernels are not all zero; a zero-filled file would pass the comparison above.
    expect(imported.weights.get('dense/kernel')!.values.some((value) => value !== 0)).toBe(true);
    loaded.dispose();
  });
});
