/** Assertions shared by the layer tests: inference against tfjs, and errors as (node, code) pairs. */
import { expect } from 'vitest';
import type { Graph } from '../../src/graph/types';
import { compareWithTfjs, type ReferenceResult } from './tfjs-reference';

/** Asserts that inference finds no error, tfjs builds the graph, and both agree per layer. */
export async function expectAgreement(graph: Graph): Promise<ReferenceResult> {
  const result = await compareWithTfjs(graph);
  expect(result.inference.errors).toEqual([]);
  expect(result.built, result.built ? '' : result.error).toBe(true);
  if (!result.built) return result;
  for (const layer of result.layers) {
    expect(layer.ours.outputShape, layer.name).toEqual(layer.tfjs.outputShape);
    expect(layer.ours.trainable, layer.name).toBe(layer.tfjs.trainable);
    expect(layer.ours.nonTrainable, layer.name).toBe(layer.tfjs.nonTrainable);
  }
  return result;
}

/** Lists the errors of a comparison as [nodeId, code] pairs, for one-line assertions. */
export function errorsOf(result: ReferenceResult): [string, string][] {
  return result.inference.errors.map((error) => [error.nodeId, error.code]);
}
