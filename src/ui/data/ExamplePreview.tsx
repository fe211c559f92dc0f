/**
 * A few examples of the loaded data set with their labels: images drawn on a small canvas (MNIST
 * digits, one-hot sequences as a heat map), token sequences and feature vectors as text.
 */
import { useEffect, useRef } from 'react';
import type { Dataset } from '../../data';

/** Number of examples the panel shows. */
export const PREVIEW_COUNT = 6;

/** Side, in CSS pixels, of the box an image preview is scaled into. */
const PREVIEW_BOX = 56;

/** Picks how an example of this shape is shown: as an image of `rows × columns` pixels, or as text. */
export function previewKind(shape: readonly number[]): { kind: 'image'; rows: number; columns: number; channels: number } | { kind: 'text' } {
  const [rows, columns, channels = 1] = shape;
  const imageLike = (shape.length === 2 || (shape.length === 3 && (channels === 1 || channels === 3))) && rows >= 4 && columns >= 4;
  return imageLike ? { kind: 'image', rows, columns, channels } : { kind: 'text' };
}

/**
 * Checks whether the examples are sequences of one-hot rows, each row all zeros but for at most
 * one 1, as peptides are often stored. The first example decides. Such data reads better as the
 * indices of the ones.
 */
function isOneHotSequence(dataset: Dataset): boolean {
  const shape = dataset.features.shape;
  if (shape.length !== 2 || dataset.count === 0) return false;
  const [rows, columns] = shape;
  const values = exampleValues(dataset, 0);
  for (let row = 0; row < rows; row++) {
    let ones = 0;
    for (let column = 0; column < columns; column++) {
      const value = values[row * columns + column];
      if (value !== 0 && value !== 1) return false;
      ones += value;
    }
    if (ones > 1) return false;
  }
  return true;
}

/** Converts one-hot rows to the 1-based index of their 1, with 0 for an all-zero (padding) row. */
function oneHotIndices(values: ArrayLike<number>, columns: number): Int32Array {
  const indices = new Int32Array(values.length / columns);
  for (let row = 0; row < indices.length; row++) {
    for (let column = 0; column < columns; column++) {
      if (values[row * columns + column] === 1) indices[row] = column + 1;
    }
  }
  return indices;
}

function exampleValues(dataset: Dataset, index: number): ArrayLike<number> {
  const size = dataset.features.data.length / dataset.count;
  return dataset.features.data.subarray(index * size, (index + 1) * size);
}

/** Number of examples `isPaddedTokenSequence` inspects, so that a large data set costs no more than this. */
const MAX_INSPECTED_EXAMPLES = 1000;

/**
 * Checks whether the examples are token sequences padded with zeros at the end, as the protein
 * sequences are. Such features are int32 of one axis with no negative value. Some value is above
 * 1, so they are not 0/1 flags, and each example has zeros only in one run at the end. Only such
 * data hides its trailing zeros in the preview. The first MAX_INSPECTED_EXAMPLES examples decide.
 */
export function isPaddedTokenSequence(dataset: Dataset): boolean {
  const { features, count } = dataset;
  if (features.dtype !== 'int32' || features.shape.length !== 1 || count === 0) return false;
  const length = features.shape[0];
  let largest = 0;
  for (let example = 0; example < Math.min(count, MAX_INSPECTED_EXAMPLES); example++) {
    let paddingStarted = false;
    for (let i = example * length; i < (example + 1) * length; i++) {
      const value = features.data[i];
      if (value < 0) return false;
      if (value === 0) paddingStarted = true;
      else if (paddingStarted) return false;
      largest = Math.max(largest, value);
    }
  }
  return largest > 1;
}

/**
 * Writes an example as text: integers in full, floats rounded to two decimals, at most `limit`
 * values. With `padding`, trailing zeros are padding of a token sequence: they are left out and
 * counted, e.g. "5 3 2 … then 197 zeros of padding".
 */
export function exampleText(values: ArrayLike<number>, dtype: 'float32' | 'int32', limit = 12, padding = false): string {
  let length = values.length;
  if (padding) {
    while (length > 0 && values[length - 1] === 0) length -= 1;
  }
  const zeros = values.length - length;
  const paddingNote = `then ${zeros} ${zeros === 1 ? 'zero' : 'zeros'} of padding`;
  const format = (value: number) => (dtype === 'int32' ? String(value) : value.toFixed(2));
  const leading = Array.from({ length: Math.min(length, limit) }, (_, i) => format(Number(values[i]))).join(' ');

  if (length <= limit) {
    if (zeros === 0) return leading;
    return `${leading} … ${paddingNote}`.trim();
  }
  const unit = padding ? 'tokens' : 'values';
  const padded = zeros > 0 ? `, ${paddingNote}` : '';
  return `${leading} … (${length} ${unit}${padded})`;
}

export function labelText(dataset: Dataset, index: number): string {
  const size = dataset.labels.data.length / dataset.count;
  if (size !== 1) return exampleText(dataset.labels.data.subarray(index * size, (index + 1) * size), dataset.labels.dtype, 4);
  const value = dataset.labels.data[index];
  if (dataset.task === 'classification') return dataset.classNames?.[value] ?? String(value);
  return Number(value).toPrecision(4);
}

function ExampleImage({ values, rows, columns, channels }: { values: ArrayLike<number>; rows: number; columns: number; channels: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  // A long thin example (a one-hot sequence of 200 × 20) reads better lying down.
  const transpose = rows > columns * 3;
  const width = transpose ? rows : columns;
  const height = transpose ? columns : rows;
  const scale = Math.min(PREVIEW_BOX / height, (PREVIEW_BOX * 3) / width, 4);

  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    let low = Infinity;
    let high = -Infinity;
    for (let i = 0; i < values.length; i++) {
      low = Math.min(low, values[i]);
      high = Math.max(high, values[i]);
    }
    const range = high > low ? high - low : 1;
    const image = context.createImageData(width, height);
    for (let row = 0; row < rows; row++) {
      for (let column = 0; column < columns; column++) {
        const source = (row * columns + column) * channels;
        const target = ((transpose ? column * width + row : row * width + column) * 4) | 0;
        for (let channel = 0; channel < 3; channel++) {
          const value = (values[source + (channels === 3 ? channel : 0)] - low) / range;
          // Ink dark on a light ground, as digits are drawn on paper.
          image.data[target + channel] = Math.round(255 * (1 - value));
        }
        image.data[target + 3] = 255;
      }
    }
    context.putImageData(image, 0, 0);
  }, [values, rows, columns, channels, width, height, transpose]);

  return (
    <canvas
      ref={canvas}
      className="example__image"
      width={width}
      height={height}
      style={{ width: Math.round(width * scale), height: Math.round(height * scale) }}
      aria-hidden="true"
    />
  );
}

export function ExamplePreview({ dataset }: { dataset: Dataset }) {
  const count = Math.min(PREVIEW_COUNT, dataset.count);
  const oneHot = isOneHotSequence(dataset);
  const shape = oneHot ? { kind: 'text' as const } : previewKind(dataset.features.shape);
  const examples = Array.from({ length: count }, (_, index) => index);
  const columns = dataset.features.shape[1];
  const padded = !oneHot && isPaddedTokenSequence(dataset);

  return (
    <ul className={`examples examples--${shape.kind}`} aria-label="First examples" data-testid="data-examples">
      {oneHot && <li className="data-note">One-hot rows, shown as the position of each row's 1 (0 for an empty row).</li>}
      {examples.map((index) => {
        const values = exampleValues(dataset, index);
        return (
          <li key={index} className="example">
            {shape.kind === 'image' ? (
              <ExampleImage values={values} rows={shape.rows} columns={shape.columns} channels={shape.channels} />
            ) : (
              <code className="example__values">{oneHot ? exampleText(oneHotIndices(values, columns), 'int32', 12, true) : exampleText(values, dataset.features.dtype, 12, padded)}</code>
            )}
            <span className="example__label" title="Label">
              {labelText(dataset, index)}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
