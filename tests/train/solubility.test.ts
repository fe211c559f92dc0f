/**
 * The solubility model (Embedding → 3 × Conv1D and MaxPooling1D → Dense 256 → 64 → 1) trains on
 * the cpu backend: on generated protein-like sequences, and on a slice of the real data set when
 * ../shared/data/solubility.npz exists next to the repository (the file is licensed CC BY-NC 3.0
 * and never copied into the repository). Slices stay tiny: a training batch of 16 sequences takes
 * 1 to 2.5 s on the cpu backend (2 shared cores), most of it in the Conv1D weight gradient.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeProteinSequences } from '../../src/data/builtin';
import { datasetFromNpz, type Dataset } from '../../src/data/dataset';
import { parseNpz } from '../../src/data/npz';
import { takeShuffled } from '../../src/data/split';
import { getTemplate } from '../../src/graph/templates';
import { fitGraph } from '../../src/train/fit';
import type { TrainingEvent } from '../../src/train/types';
import { configFor, selectCpuBackend } from './helpers';

const SOLUBILITY_FILE = path.resolve(process.cwd(), '../shared/data/solubility.npz');
const hasSolubilityFile = existsSync(SOLUBILITY_FILE);
if (!hasSolubilityFile) console.warn(`Skipping training on the real solubility data: ${SOLUBILITY_FILE} is missing.`);

beforeAll(async () => {
  await selectCpuBackend();
});

async function trainOneEpoch(dataset: Dataset) {
  const graph = getTemplate('solubility')!.build();
  const config = configFor(graph, dataset, { epochs: 1, batchSize: 16, validationFraction: 0.1, testFraction: 0.1 });
  expect(config.loss).toBe('binaryCrossentropy');
  const events: TrainingEvent[] = [];

  const { result, model } = await fitGraph({ graph, dataset, config, onProgress: (event) => events.push(event) });
  model.dispose();
  return { result, events };
}

describe('solubility model on cpu', () => {
  it('trains one epoch on generated sequences', async () => {
    const { result, events } = await trainOneEpoch(makeProteinSequences({ count: 40, seed: 5 }));

    expect(result.status).toBe('completed');
    expect(result.backend).toBe('cpu');
    const losses = events.flatMap((event) => (event.type === 'batch' ? [event.loss] : []));
    expect(losses).toHaveLength(2);
    for (const loss of losses) expect(loss).toBeGreaterThan(0);
    expect(Number.isFinite(result.history[0].val_loss)).toBe(true);
    expect(result.test?.count).toBe(4);
  });

  it.skipIf(!hasSolubilityFile)('trains one epoch on real sequences (skipped when ../shared/data is missing)', async () => {
    const parsed = datasetFromNpz(parseNpz(readFileSync(SOLUBILITY_FILE), { name: 'solubility.npz' }), 'solubility.npz');
    if (parsed.status !== 'ready') throw new Error(parsed.message);
    const slice = takeShuffled(parsed.dataset, 40, 7);

    const { result } = await trainOneEpoch(slice);

    expect(result.status).toBe('completed');
    expect(result.history[0].loss).toBeGreaterThan(0);
    expect(result.history[0].acc).toBeGreaterThanOrEqual(0);
  });
});
