/** Shapes and numbers written the way Keras `model.summary()` writes them. */
import type { Shape } from '../graph/types';

/** `[null, 196, 16]` → `(None, 196, 16)`; a rank-1 shape keeps Python's trailing comma. */
export function formatShape(shape: Shape): string {
  const dims = shape.map((dim) => (dim === null ? 'None' : String(dim)));
  if (dims.length === 1) return `(${dims[0]},)`;
  return `(${dims.join(', ')})`;
}

/** Several output shapes as Keras lists them: `[(None, 4), (None, 8)]`. */
export function formatShapes(shapes: Shape[]): string {
  if (shapes.length === 1) return formatShape(shapes[0]);
  return `[${shapes.map(formatShape).join(', ')}]`;
}

// One formatter for all counts: `toLocaleString` builds a new one on every call, which showed
// up in profiles of the summary of a 300-layer graph.
const COUNT_FORMAT = new Intl.NumberFormat('en-US');

/** 60929 → "60,929". */
export function formatCount(count: number): string {
  return COUNT_FORMAT.format(count);
}

/** A product written for display: [5, 16, 16] → "5 × 16 × 16". */
export function formatProduct(factors: number[]): string {
  return factors.map(formatCount).join(' × ');
}
