import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectCpuBackend } from '../helpers/tfjs-reference';
import { checkAgreement } from './check-agreement';
import { randomGraph } from './random-graphs';

/** Graphs per `npm test` run; `npm run test:property` runs ten times as many. */
const RUNS = 1000;

describe('inference against tfjs on random graphs', () => {
  it(`agrees on ${RUNS} random graphs`, async () => {
    await selectCpuBackend();
    let built = 0;
    let valid = 0;
    await fc.assert(
      fc.asyncProperty(fc.gen(), async (g) => {
        const graph = randomGraph(g);
        const agreement = await checkAgreement(graph);
        if (agreement.built) built += 1;
        if (agreement.inferenceValid) valid += 1;
        expect(agreement.problems, JSON.stringify(graph)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
    console.info(`random graphs: ${RUNS}, built by tfjs: ${built}, valid by inference: ${valid}`);
    // A generator that only made broken graphs would prove nothing.
    expect(valid).toBeGreaterThan(RUNS * 0.2);
    expect(built).toBeGreaterThan(RUNS * 0.2);
  }, 600_000);
});
