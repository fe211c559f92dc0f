/**
 * The text form of examples in the data panel: integer data in full, and trailing zeros hidden
 * (and counted) only for token sequences padded with zeros.
 */
import { describe, expect, it } from 'vitest';
import { makeProteinSequences } from '../../src/data/builtin';
import type { Dataset } from '../../src/data/dataset';
import { exampleText, isPaddedTokenSequence, labelText } from '../../src/ui/data/ExamplePreview';

function intDataset(rows: number[][], labels: number[][] | null = null): Dataset {
  const width = rows[0].length;
  const labelData = labels ? Int32Array.from(labels.flat()) : new Int32Array(rows.length);
  return {
    name: 'test',
    features: { shape: [width], dtype: 'int32', data: Int32Array.from(rows.flat()) },
    labels: { shape: labels ? [labels[0].length] : [], dtype: 'int32', data: labelData },
    count: rows.length,
    task: 'classification',
    source: { kind: 'builtin', id: 'test' },
  };
}

describe('exampleText', () => {
  it('shows trailing zeros of integer data', () => {
    expect(exampleText(Int32Array.from([0, 0, 0]), 'int32')).toBe('0 0 0');
    expect(exampleText(Int32Array.from([1, 1, 0]), 'int32')).toBe('1 1 0');
    expect(exampleText(Int32Array.from([-12, -6, 0]), 'int32')).toBe('-12 -6 0');
  });

  it('counts hidden padding zeros', () => {
    const tokens = Int32Array.from([5, 3, 2, ...new Array(37).fill(0)]);

    expect(exampleText(tokens, 'int32', 12, true)).toBe('5 3 2 … then 37 zeros of padding');
  });

  it('counts tokens and padding of a long sequence', () => {
    const tokens = Int32Array.from([...Array.from({ length: 20 }, (_, i) => i + 1), 0, 0]);

    expect(exampleText(tokens, 'int32', 12, true)).toBe('1 2 3 4 5 6 7 8 9 10 11 12 … (20 tokens, then 2 zeros of padding)');
  });

  it('counts values of long data without padding', () => {
    const values = Int32Array.from({ length: 14 }, () => 0);

    expect(exampleText(values, 'int32')).toBe('0 0 0 0 0 0 0 0 0 0 0 0 … (14 values)');
  });
});

describe('isPaddedTokenSequence', () => {
  it('accepts the protein sequences', () => {
    expect(isPaddedTokenSequence(makeProteinSequences({ count: 20, length: 60 }))).toBe(true);
  });

  it('rejects 0 and 1 flags', () => {
    expect(isPaddedTokenSequence(intDataset([[0, 0, 0], [1, 1, 0]]))).toBe(false);
  });

  it('rejects negative values', () => {
    expect(isPaddedTokenSequence(intDataset([[-12, -6, 0], [3, 2, 0]]))).toBe(false);
  });

  it('rejects zeros before a token', () => {
    expect(isPaddedTokenSequence(intDataset([[12, 0, 5], [3, 2, 0]]))).toBe(false);
  });

  it('rejects features of two axes', () => {
    const dataset = intDataset([[3, 2, 0, 0]]);

    expect(isPaddedTokenSequence({ ...dataset, features: { ...dataset.features, shape: [2, 2] } as Dataset['features'] })).toBe(false);
  });
});

describe('labelText', () => {
  it('shows one-hot labels in full', () => {
    const dataset = intDataset([[1, 2]], [[0, 1, 0]]);

    expect(labelText(dataset, 0)).toBe('0 1 0');
  });
});
