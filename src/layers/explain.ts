/** The arithmetic behind a parameter count, written out for display. */
import { formatCount, formatProduct } from './format';
import type { WeightSpec } from './types';

export function weightSize(weight: WeightSpec): number {
  let size = 1;
  for (const dim of weight.shape) size *= dim;
  return size;
}

/**
 * Writes a count as the sum of its weight shapes, e.g.
 * "kernel 5 × 16 × 16 + bias 16 = 1,296". Returns "no weights" for a layer without any.
 */
export function explainParams(weights: WeightSpec[]): string {
  if (weights.length === 0) return 'no weights';
  const terms = weights.map((weight) => {
    const factors = weight.shape.length === 0 ? '1' : formatProduct(weight.shape);
    const note = weight.trainable ? '' : ' (non-trainable)';
    return `${weight.name} ${factors}${note}`;
  });
  const total = weights.reduce((sum, weight) => sum + weightSize(weight), 0);
  return `${terms.join(' + ')} = ${formatCount(total)}`;
}
