/**
 * Reads the real solubility and hemolytic data sets from ../shared/data next to the repository.
 * Those files are licensed CC BY-NC 3.0 and never copied into the repository; without the
 * folder, these tests are skipped and say so.
 */

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { datasetFromNpz, describeDataset, labelBalance, type Dataset } from '../../src/data/dataset';
import { parseNpz } from '../../src/data/npz';
import { splitDataset } from '../../src/data/split';

const DATA_FOLDER = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const SOLUBILITY = `${DATA_FOLDER}solubility.npz`;
const HEMOLYTIC = `${DATA_FOLDER}hemolytic.npz`;
const hasSolubility = existsSync(SOLUBILITY);
const hasHemolytic = existsSync(HEMOLYTIC);

if (!hasSolubility || !hasHemolytic) {
  console.warn(`Skipping the real-data tests: ${DATA_FOLDER} with solubility.npz and hemolytic.npz is missing.`);
}

function loadDataset(file: string): Dataset {
  const fileName = file.slice(DATA_FOLDER.length);
  const result = datasetFromNpz(parseNpz(readFileSync(file), { name: fileName }), fileName);
  if (result.status !== 'ready') throw new Error(result.message);
  expect(result.convention).toBe('positives-negatives');
  return result.dataset;
}

describe('real data sets', () => {
  it.skipIf(!hasSolubility)('reads solubility.npz (skipped when ../shared/data is missing)', () => {
    const dataset = loadDataset(SOLUBILITY);

    expect(dataset.count).toBe(18453);
    expect(dataset.features.shape).toEqual([200]);
    expect(dataset.features.dtype).toBe('int32');
    expect(dataset.features.data).toBeInstanceOf(Int32Array);
    expect(describeDataset(dataset)).toEqual({ features: '(18453, 200) int32', labels: '(18453,) int32' });
    expect(labelBalance(dataset)).toEqual([
      { classIndex: 0, className: 'negative', count: 9668 },
      { classIndex: 1, className: 'positive', count: 8785 },
    ]);
    expect(Array.from(dataset.labels.data.subarray(8784, 8786))).toEqual([1, 0]);
    // Tokens are 0 (padding) and amino acids 1 to 20; the first sequence starts 13 17 15 16 1.
    expect(dataset.features.data.every((token) => token >= 0 && token <= 20)).toBe(true);
    expect(Array.from(dataset.features.data.subarray(0, 5))).toEqual([13, 17, 15, 16, 1]);

    const { train, validation, test } = splitDataset(dataset, { seed: 0 });
    expect([train.count, validation.count, test.count]).toEqual([14763, 1845, 1845]);
  });

  it.skipIf(!hasHemolytic)('reads hemolytic.npz (skipped when ../shared/data is missing)', () => {
    const dataset = loadDataset(HEMOLYTIC);

    expect(dataset.count).toBe(634);
    expect(dataset.features.shape).toEqual([200, 20]);
    expect(dataset.features.dtype).toBe('float32');
    expect(dataset.features.data).toBeInstanceOf(Float32Array);
    expect(labelBalance(dataset).map((entry) => entry.count)).toEqual([317, 317]);
    // The features are one-hot: every value is 0 or 1 and each position contains at most one 1.
    expect(dataset.features.data.every((value) => value === 0 || value === 1)).toBe(true);
    for (let position = 0; position < 634 * 200; position += 997) {
      const row = dataset.features.data.subarray(position * 20, position * 20 + 20);
      expect(Array.from(row).reduce((sum, value) => sum + value, 0)).toBeLessThanOrEqual(1);
    }
  });
});
