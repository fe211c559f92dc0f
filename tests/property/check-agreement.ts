/**
 * The agreement between inference and TensorFlow.js on one graph, as a list of disagreements
 * (empty when they agree). Shared by the property test and the long property run.
 */
import { inferGraph } from '../../src/graph/infer';
import { formatShape } from '../../src/layers/format';
import type { Graph, Shape } from '../../src/graph/types';
import { buildWithTfjs, upstreamIds } from './random-graphs';

export interface Agreement {
  /** Whether tfjs built the model; counted so a run can show it tested valid graphs. */
  built: boolean;
  inferenceValid: boolean;
  problems: string[];
}

/**
 * tfjs's output shapes as a list. tfjs 4.22 writes some unknown sizes as negative numbers
 * (Cropping2D computes None − crop, Reshape keeps -1); Keras writes None, and so do we.
 */
function shapesOf(outputShape: Shape | Shape[]): Shape[] {
  const shapes = Array.isArray(outputShape[0]) ? (outputShape as Shape[]) : [outputShape as Shape];
  return shapes.map((shape) => shape.map((dim) => (dim !== null && dim < 0 ? null : dim)));
}

export async function checkAgreement(graph: Graph): Promise<Agreement> {
  const inference = inferGraph(graph);
  const build = await buildWithTfjs(graph);
  const problems: string[] = [];
  const inferenceValid = inference.errors.length === 0;

  if (inferenceValid && !build.ok) {
    problems.push(`inference found no error but tfjs rejected the graph: ${build.message}`);
  }

  if (build.ok && inferenceValid) {
    for (const node of graph.nodes) {
      if (node.sharedWith) continue;
      const layer = build.model.getLayer(node.name);
      const ours = inference.nodes.get(node.id)!;
      const theirs = shapesOf(layer.outputShape as Shape | Shape[]);
      const trainable = layer.trainableWeights.reduce((sum, w) => sum + w.shape.reduce((a: number, b) => a * (b ?? 0), 1), 0);
      const nonTrainable = layer.nonTrainableWeights.reduce((sum, w) => sum + w.shape.reduce((a: number, b) => a * (b ?? 0), 1), 0);
      if (JSON.stringify(ours.outputShapes) !== JSON.stringify(theirs)) {
        problems.push(`${node.name}: shape ${ours.outputShapes?.map(formatShape).join(', ')} but tfjs ${theirs.map(formatShape).join(', ')}`);
      }
      if (ours.trainableParams !== trainable) problems.push(`${node.name}: ${ours.trainableParams} trainable but tfjs ${trainable}`);
      if (ours.nonTrainableParams !== nonTrainable) problems.push(`${node.name}: ${ours.nonTrainableParams} non-trainable but tfjs ${nonTrainable}`);
    }
  }

  if (!build.ok && build.failingNode !== null) {
    // Inference may stop at an earlier node (it is stricter, e.g. Dense on rank 3), so an error
    // on the rejected node or anywhere upstream of it accounts for the rejection.
    const upstream = upstreamIds(graph, build.failingNode);
    if (!inference.errors.some((error) => upstream.has(error.nodeId))) {
      const name = graph.nodes.find((node) => node.id === build.failingNode)?.name;
      problems.push(`tfjs rejected ${name} (${build.message}) but inference reports no error there or upstream`);
    }
  }

  if (build.ok) build.model.dispose();
  return { built: build.ok, inferenceValid, problems };
}
