import { describe, expect, it } from 'vitest';
import {
  AMINO_ACID_TOKENS,
  DEFAULT_PROTEIN_MOTIF,
  findMotif,
  listBuiltinDatasets,
  loadBuiltinDataset,
  makeBlobs,
  makeCircles,
  makeProteinSequences,
  makeSpiral,
  makeXor,
  registerBuiltinDataset,
} from '../../src/data/builtin';
import { labelBalance, type Dataset } from '../../src/data/dataset';
import { DataFileError } from '../../src/data/errors';

const POINT_SETS = [
  ['spiral', makeSpiral],
  ['xor', makeXor],
  ['circles', makeCircles],
  ['blobs', makeBlobs],
] as const;

function point(dataset: Dataset, i: number): [number, number] {
  return [dataset.features.data[i * 2], dataset.features.data[i * 2 + 1]];
}

describe('synthetic 2-D sets', () => {
  it.each(POINT_SETS)('%s has 2-D float features and class labels', (id, make) => {
    const dataset = make({ count: 300, seed: 2 });

    expect(dataset.count).toBe(300);
    expect(dataset.features).toMatchObject({ shape: [2], dtype: 'float32' });
    expect(dataset.features.data.length).toBe(600);
    expect(dataset.labels).toMatchObject({ shape: [], dtype: 'int32' });
    expect(dataset.task).toBe('classification');
    expect(dataset.source).toMatchObject({ kind: 'builtin', id });
    expect(dataset.features.data.every(Number.isFinite)).toBe(true);
    const classes = dataset.classNames!.length;
    expect(dataset.labels.data.every((label) => label >= 0 && label < classes)).toBe(true);
  });

  it.each(POINT_SETS)('%s repeats for the same seed and differs for another', (_, make) => {
    const a = make({ count: 50, seed: 9 });
    const b = make({ count: 50, seed: 9 });
    const c = make({ count: 50, seed: 10 });

    expect(Array.from(a.features.data)).toEqual(Array.from(b.features.data));
    expect(Array.from(a.labels.data)).toEqual(Array.from(b.labels.data));
    expect(Array.from(a.features.data)).not.toEqual(Array.from(c.features.data));
  });

  it('labels XOR points by the signs of their coordinates when noise is off', () => {
    const dataset = makeXor({ count: 200, noise: 0 });

    for (let i = 0; i < dataset.count; i++) {
      const [x, y] = point(dataset, i);
      expect(dataset.labels.data[i]).toBe(x > 0 !== y > 0 ? 1 : 0);
    }
  });

  it('puts circle points on radius 1 or 0.5 when noise is off', () => {
    const dataset = makeCircles({ count: 100, noise: 0 });

    for (let i = 0; i < dataset.count; i++) {
      const [x, y] = point(dataset, i);
      expect(Math.hypot(x, y)).toBeCloseTo(dataset.labels.data[i] === 1 ? 0.5 : 1, 5);
    }
  });

  it('spreads points more with more noise', () => {
    const spread = (noise: number) => {
      const dataset = makeCircles({ count: 400, noise });
      let sum = 0;
      for (let i = 0; i < dataset.count; i++) {
        const radius = dataset.labels.data[i] === 1 ? 0.5 : 1;
        sum += Math.abs(Math.hypot(...point(dataset, i)) - radius);
      }
      return sum / dataset.count;
    };

    expect(spread(0.2)).toBeGreaterThan(spread(0.02) * 3);
  });

  it('balances the classes of spiral, circles and blobs', () => {
    expect(labelBalance(makeSpiral({ count: 100 })).map((entry) => entry.count)).toEqual([50, 50]);
    expect(labelBalance(makeCircles({ count: 100 })).map((entry) => entry.count)).toEqual([50, 50]);
    expect(labelBalance(makeBlobs({ count: 100, classes: 4 })).map((entry) => entry.count)).toEqual([25, 25, 25, 25]);
  });

  it('centres each blob on the unit circle', () => {
    const dataset = makeBlobs({ count: 3000, classes: 3, noise: 0.1 });
    const sums = [[0, 0], [0, 0], [0, 0]];
    for (let i = 0; i < dataset.count; i++) {
      const [x, y] = point(dataset, i);
      sums[dataset.labels.data[i]][0] += x;
      sums[dataset.labels.data[i]][1] += y;
    }

    const centres = sums.map(([x, y]) => [x / 1000, y / 1000]);
    expect(centres[0][0]).toBeCloseTo(1, 1);
    expect(centres[0][1]).toBeCloseTo(0, 1);
    expect(centres[1][0]).toBeCloseTo(-0.5, 1);
    expect(centres[1][1]).toBeCloseTo(Math.sqrt(3) / 2, 1);
  });

  it.each([
    [() => makeSpiral({ count: 0 }), 'example count is 0'],
    [() => makeXor({ noise: -1 }), 'noise is -1'],
    [() => makeBlobs({ classes: 1 }), 'blob count is 1'],
  ])('rejects invalid options (%#)', (make, message) => {
    expect(make).toThrow(DataFileError);
    expect(make).toThrow(message);
  });
});

describe('synthetic proteins', () => {
  const dataset = makeProteinSequences({ count: 500, seed: 3 });
  const length = 200;

  it('has the layout of the solubility set', () => {
    expect(dataset.features).toMatchObject({ shape: [200], dtype: 'int32' });
    expect(dataset.features.data.length).toBe(500 * 200);
    expect(dataset.labels).toMatchObject({ shape: [], dtype: 'int32' });
    expect(dataset.classNames).toEqual(['motif absent', 'motif present']);
  });

  it('holds tokens 1 to 20 followed only by padding', () => {
    const lengths = new Set<number>();
    for (let i = 0; i < dataset.count; i++) {
      const sequence = Array.from(dataset.features.data.subarray(i * length, (i + 1) * length));
      const firstPad = sequence.indexOf(0) === -1 ? length : sequence.indexOf(0);
      lengths.add(firstPad);
      expect(sequence.slice(0, firstPad).every((token) => token >= 1 && token <= AMINO_ACID_TOKENS)).toBe(true);
      expect(sequence.slice(firstPad).every((token) => token === 0)).toBe(true);
      expect(firstPad).toBeGreaterThanOrEqual(60);
    }
    expect(lengths.size).toBeGreaterThan(50);
  });

  it('labels 1 exactly the sequences that contain the motif', () => {
    for (let i = 0; i < dataset.count; i++) {
      const sequence = dataset.features.data.subarray(i * length, (i + 1) * length);
      expect(findMotif(sequence, DEFAULT_PROTEIN_MOTIF) >= 0 ? 1 : 0).toBe(dataset.labels.data[i]);
    }
  });

  it('gives about half of the sequences the motif', () => {
    const positives = labelBalance(dataset)[1].count;

    expect(positives).toBeGreaterThan(200);
    expect(positives).toBeLessThan(300);
  });

  it('repeats for the same seed', () => {
    const again = makeProteinSequences({ count: 500, seed: 3 });

    expect(Array.from(again.features.data)).toEqual(Array.from(dataset.features.data));
  });

  it('accepts a custom motif and length', () => {
    const motif = [1, 2, 3, 4, 5, 6];
    const short = makeProteinSequences({ count: 100, length: 20, motif, seed: 4 });

    expect(short.features.shape).toEqual([20]);
    for (let i = 0; i < short.count; i++) {
      const sequence = short.features.data.subarray(i * 20, (i + 1) * 20);
      expect(findMotif(sequence, motif) >= 0 ? 1 : 0).toBe(short.labels.data[i]);
    }
  });

  it.each([
    [{ motif: [0, 1] }, 'token 0'],
    [{ motif: [21] }, 'token 21'],
    [{ length: 3 }, 'needs from 1 to 3'],
  ])('rejects options %j', (options, message) => {
    expect(() => makeProteinSequences(options)).toThrow(message);
  });
});

describe('built-in registry', () => {
  it('lists every set with a name and description', () => {
    const entries = listBuiltinDatasets();

    expect(entries.map((entry) => entry.id)).toEqual(expect.arrayContaining(['spiral', 'xor', 'circles', 'blobs', 'proteins', 'mnist', 'penguins']));
    for (const entry of entries) {
      expect(entry.name.length).toBeGreaterThan(0);
      expect(entry.description.length).toBeGreaterThan(20);
    }
  });

  it('loads a set by id with options', async () => {
    const dataset = await loadBuiltinDataset('blobs', { count: 30, classes: 5, seed: 1 });

    expect(dataset.count).toBe(30);
    expect(dataset.classNames).toHaveLength(5);
    expect(dataset.source).toEqual({ kind: 'builtin', id: 'blobs', options: { count: 30, noise: 0.2, seed: 1, classes: 5 } });
  });

  it('rejects an unknown id with the known ids', async () => {
    await expect(loadBuiltinDataset('cifar10')).rejects.toThrow(/no built-in data set 'cifar10'.*'spiral'.*'mnist'.*'penguins'/);
  });

  it('rejects a second entry with the same id', () => {
    const entry = { id: 'xor', name: 'XOR', description: 'again', synthetic: true, load: async () => makeXor() };

    expect(() => registerBuiltinDataset(entry)).toThrow(/already registered/);
  });
});
