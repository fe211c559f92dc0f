/** Python source literals of JSON values, for the generated training script. */
import type { JsonValue } from './keras-export';

/** Writes a Python string literal. Every escape that JSON.stringify writes is also valid in Python. */
export function pythonString(text: string): string {
  return JSON.stringify(text);
}

/** Writes a Python number literal: integers and decimals as they are, `float("nan")` and `float("inf")` for the rest. */
export function pythonNumber(value: number): string {
  if (Number.isNaN(value)) return 'float("nan")';
  if (!Number.isFinite(value)) return value > 0 ? 'float("inf")' : '-float("inf")';
  return String(value);
}

/** Writes a JSON value as a Python literal. Lists become tuples, as Keras shapes and sizes are written. */
export function pythonLiteral(value: JsonValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'string') return pythonString(value);
  if (Array.isArray(value)) {
    const items = value.map(pythonLiteral);
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  const entries = Object.entries(value).map(([key, item]) => `${pythonString(key)}: ${pythonLiteral(item)}`);
  return `{${entries.join(', ')}}`;
}

/** Writes a Python list of strings, e.g. `["accuracy"]`. */
export function pythonStringList(items: readonly string[]): string {
  return `[${items.map(pythonString).join(', ')}]`;
}
