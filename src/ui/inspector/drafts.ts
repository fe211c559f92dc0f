/**
 * Text drafts of inspector fields. A field shows what the person typed, even when it is not a
 * valid value yet; the graph only ever receives valid values. When the value changes from
 * outside (undo, a fix, another node), the draft is rewritten from it.
 */
import { useEffect, useRef } from 'react';
import type { ParamValue } from '../../graph/types';

/** Parsed draft, `undefined` when empty and not nullable, or the raw text when it is no number. */
export type Parsed = ParamValue | undefined | string;

export function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** Calls `reset` when `value` changes to something other than what the draft parses to. */
export function useResetOnExternalChange(value: unknown, parsedDraft: unknown, reset: () => void): void {
  const previous = useRef(value);
  useEffect(() => {
    if (sameValue(previous.current, value)) return;
    previous.current = value;
    if (!sameValue(parsedDraft, value)) reset();
  });
}

export function formatNumber(value: unknown): string {
  return typeof value === 'number' ? String(value) : '';
}

/**
 * Reads a number field. Empty is `null` where the parameter allows it, and `undefined`
 * (missing) otherwise. Text that is no number stays text, so validation can quote it.
 */
export function parseNumber(text: string, allowNull: boolean): Parsed {
  const trimmed = text.trim();
  if (trimmed === '') return allowNull ? null : undefined;
  const number = Number(trimmed);
  return Number.isNaN(number) ? trimmed : number;
}

/** `[28, 28, 1]` → `"28, 28, 1"`; unknown sizes are written `None`, as Keras prints them. */
export function formatShapeText(value: unknown): string {
  if (!Array.isArray(value)) return '';
  return value.map((dim) => (dim === null ? 'None' : String(dim))).join(', ');
}

/** `"28, 28, 1"` → `[28, 28, 1]`; `None`, `?` or an empty entry is an unknown size. */
export function parseShapeText(text: string, allowNull: boolean): Parsed {
  const trimmed = text.trim();
  if (trimmed === '') return allowNull ? null : undefined;
  const entries = trimmed.replace(/^[([]|[)\]]$/g, '').split(',');
  // A trailing comma as in Python's `(200,)` adds no axis.
  if (entries.length > 1 && entries[entries.length - 1].trim() === '') entries.pop();
  return entries.map((entry) => {
    const part = entry.trim();
    if (part === '' || part === '?' || part.toLowerCase() === 'none' || part.toLowerCase() === 'null') return null;
    const number = Number(part);
    return Number.isNaN(number) ? (part as unknown as number) : number;
  });
}
