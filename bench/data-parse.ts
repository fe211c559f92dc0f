/**
 * Time to read solubility.npz into a Dataset against a bare fflate `unzipSync` of the same
 * bytes, in Node, in the same run. Target: at most 2× the bare unzip. The file is read from
 * the data folder beside the repository; the benchmark reports a skip when it is missing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { datasetFromNpz } from '../src/data/dataset';
import { parseNpz } from '../src/data/npz';
import { describeMachine, median } from './machine';

const REPEATS = 9;

function time(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

export function benchDataParse(): string {
  const path = resolve(process.cwd(), '../shared/data/solubility.npz');
  if (!existsSync(path)) {
    console.log(`data parse: skipped, ${path} is missing`);
    return '## Reading solubility.npz\n\nSkipped: the data file was not found beside the repository.';
  }
  const bytes = new Uint8Array(readFileSync(path));

  // Warm-up runs of each, then alternate so that machine noise hits both alike.
  for (let i = 0; i < 3; i += 1) {
    unzipSync(bytes);
    datasetFromNpz(parseNpz(bytes), 'solubility.npz');
  }
  const unzip: number[] = [];
  const parse: number[] = [];
  for (let i = 0; i < REPEATS; i += 1) {
    unzip.push(time(() => unzipSync(bytes)));
    parse.push(time(() => datasetFromNpz(parseNpz(bytes), 'solubility.npz')));
  }
  const ratio = median(parse) / median(unzip);
  console.log(`data parse: unzipSync ${median(unzip).toFixed(1)} ms, parseNpz + datasetFromNpz ${median(parse).toFixed(1)} ms, ${ratio.toFixed(2)}×`);

  return [
    '## Reading solubility.npz',
    '',
    `Command: \`npm run bench\`. Machine: ${describeMachine()}. Run: ${new Date().toISOString()}.`,
    '',
    `solubility.npz (${(bytes.length / 2 ** 20).toFixed(2)} MiB, deflate-compressed, two int64 arrays) read into a Dataset`,
    '(`parseNpz`, which inflates in steps with size and CRC checks, then `datasetFromNpz`, which converts',
    `int64 to int32 and builds labels) against a bare fflate \`unzipSync\`, alternating, medians of ${REPEATS}, in Node.`,
    'Target: at most 2×.',
    '',
    '| fflate unzipSync (ms) | parse to Dataset (ms) | ratio |',
    '| ---: | ---: | ---: |',
    `| ${median(unzip).toFixed(1)} | ${median(parse).toFixed(1)} | ${ratio.toFixed(2)}× |`,
  ].join('\n');
}
