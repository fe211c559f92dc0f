/**
 * The long property run: inference against tfjs on many random graphs (default 10,000).
 * Usage: npm run test:property -- [count] [seed]
 */
import fc from 'fast-check';
import { selectCpuBackend } from '../tests/helpers/tfjs-reference';
import { checkAgreement } from '../tests/property/check-agreement';
import { randomGraph } from '../tests/property/random-graphs';

const runs = Number(process.argv[2] ?? 10_000);
const seed = process.argv[3] === undefined ? Date.now() : Number(process.argv[3]);

await selectCpuBackend();
let built = 0;
let valid = 0;
const started = performance.now();
const result = await fc.check(
  fc.asyncProperty(fc.gen(), async (g) => {
    const graph = randomGraph(g);
    const agreement = await checkAgreement(graph);
    if (agreement.built) built += 1;
    if (agreement.inferenceValid) valid += 1;
    if (agreement.problems.length > 0) throw new Error(`${agreement.problems.join('\n')}\n${JSON.stringify(graph)}`);
  }),
  { numRuns: runs, seed },
);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`seed ${seed}: ${runs} graphs in ${seconds} s, built by tfjs ${built}, valid by inference ${valid}`);
if (result.failed) {
  console.error(fc.defaultReportMessage(result));
  process.exit(1);
}
