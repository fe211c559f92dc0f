/** A one-line description of the machine a benchmark ran on, and a section writer for BENCHMARKS.md. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

export function describeMachine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  const memory = (os.totalmem() / 2 ** 30).toFixed(0);
  return `${cpus.length} × ${model}, ${memory} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Replaces the section between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->` in
 * BENCHMARKS.md (appending it when missing), so each benchmark rewrites only its own results.
 */
export function writeSection(name: string, body: string, file = 'BENCHMARKS.md'): void {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\nMedians of repeated runs; ratios compare two things measured in the same run.\n';
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next = from >= 0 && to > from ? current.slice(0, from) + block + current.slice(to + end.length) : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}
