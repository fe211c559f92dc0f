/**
 * Reading untrusted JSON text for import: parsing (also of a model encoded a second time as a
 * JSON string), limits on size and depth, keys that could reach an object prototype, and small
 * type guards. Nothing here is specific to Keras.
 */
import type { JsonObject, JsonValue } from './keras-export';

/**
 * Larger texts are rejected before parsing. A topology of a few hundred layers takes about 1 MiB
 * (an estimate), so only a file of weights or other data comes near this.
 */
export const MAX_TEXT_LENGTH = 64 * 1024 * 1024;

/** Deeper nesting is rejected; a model nested 16 levels deep stays well below it. */
export const MAX_JSON_DEPTH = 256;

/**
 * Keys that no Keras or TensorFlow.js file contains and that can reach `Object.prototype` when
 * code copies them onto a plain object.
 */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export type ParseResult = { ok: true; value: JsonValue } | { ok: false; errors: string[] };

/**
 * Parses JSON text and checks the result for forbidden keys and excessive depth. A text whose
 * whole content is a JSON string (a model config stored with `json.dumps` twice) is parsed again.
 */
export function parseJsonText(text: string): ParseResult {
  if (text.length > MAX_TEXT_LENGTH) {
    const count = text.length.toLocaleString('en-US');
    return fail(`The file has ${count} characters, more than the ${MAX_TEXT_LENGTH / 2 ** 20} Mi characters a model or project file may have; check that it is a model topology, not weights`);
  }

  const first = parseOnce(text.replace(/^\uFEFF/, ''));
  if (!first.ok) return first;

  let value = first.value;
  if (typeof value === 'string') {
    const second = parseOnce(value);
    if (!second.ok) return fail(`The file holds a JSON string, but that string is not valid JSON itself (${second.reason})`);
    value = second.value;
  }

  const problem = findUnsafeStructure(value);
  return problem ? fail(problem) : { ok: true, value };
}

function parseOnce(text: string): { ok: true; value: JsonValue } | { ok: false; errors: string[]; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // Python's json module writes NaN and Infinity, which JSON does not allow.
    const hint = /\b(NaN|-?Infinity)\b/.test(text) ? '; it contains NaN or Infinity, which JSON does not allow, so replace them with numbers or null' : '';
    return { ok: false, reason, errors: [`The file is not valid JSON (${reason})${hint}`] };
  }
}

/** Walks the value without recursion, so that a deeply nested file cannot overflow the stack. */
function findUnsafeStructure(root: JsonValue): string | null {
  const stack: { value: JsonValue; path: string; depth: number }[] = [{ value: root, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_JSON_DEPTH) {
      return `The file nests objects and lists more than ${MAX_JSON_DEPTH} levels deep (at ${path || 'the top level'}), far more than any model needs`;
    }

    if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, path: `${path}[${i}]`, depth: depth + 1 }));
      continue;
    }
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) {
        return `The file contains the key "${key}" at ${path || 'the top level'}, which no Keras or TensorFlow.js model has; remove it`;
      }
      stack.push({ value: value[key], path: path ? `${path}.${key}` : key, depth: depth + 1 });
    }
  }
  return null;
}

function fail(message: string): { ok: false; errors: string[] } {
  return { ok: false, errors: [message] };
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returns an own property of a JSON object, never one inherited from `Object.prototype`. */
export function own(object: JsonObject, key: string): JsonValue | undefined {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** Returns the value of the first of `keys` that the object has as an own property. */
export function firstOwn(object: JsonObject, keys: readonly string[]): JsonValue | undefined {
  for (const key of keys) {
    const value = own(object, key);
    if (value !== undefined) return value;
  }
  return undefined;
}

export function ownString(object: JsonObject, key: string): string | undefined {
  const value = own(object, key);
  return typeof value === 'string' ? value : undefined;
}

export function ownObject(object: JsonObject, key: string): JsonObject | undefined {
  const value = own(object, key);
  return isObject(value) ? value : undefined;
}
