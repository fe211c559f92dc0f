/**
 * Compares inference with TensorFlow.js, the reference: builds the graph with tfjs and returns,
 * per node, our output shape and counts beside tfjs's. Tests assert on the pairs.
 */
import * as tf from '@tensorflow/tfjs';
import { compileGraph } from '../../src/compile/compile';
import { inferGraph, type Inference } from '../../src/graph/infer';
import type { Graph, Shape } from '../../src/graph/types';

export interface LayerComparison {
  nodeId: string;
  name: string;
  ours: { outputShape: Shape[] | null; trainable: number; nonTrainable: number };
  tfjs: { outputShape: Shape[]; trainable: number; nonTrainable: number };
}

export type ReferenceResult =
  | { built: true; inference: Inference; layers: LayerComparison[]; model: tf.LayersModel }
  | { built: false; inference: Inference; error: string };

let backendReady: Promise<void> | null = null;

/** Selects tfjs's pure-JS cpu backend once; shape checks need no faster one. */
export function selectCpuBackend(): Promise<void> {
  backendReady ??= tf.setBackend('cpu').then(() => undefined);
  return backendReady;
}

function countOf(weights: tf.LayerVariable[]): number {
  return weights.reduce((sum, weight) => sum + weight.shape.reduce((a: number, b) => a * (b ?? 0), 1), 0);
}

/** Normalises tfjs `outputShape` (one shape or a list of shapes) to a list of shapes. */
function outputShapesOf(layer: tf.layers.Layer): Shape[] {
  const shape = layer.outputShape as Shape | Shape[];
  return Array.isArray(shape[0]) ? (shape as Shape[]) : [shape as Shape];
}

export async function compareWithTfjs(graph: Graph): Promise<ReferenceResult> {
  await selectCpuBackend();
  const inference = inferGraph(graph);
  let model: tf.LayersModel;
  try {
    model = await compileGraph(graph);
  } catch (error) {
    return { built: false, inference, error: error instanceof Error ? error.message : String(error) };
  }

  const layers: LayerComparison[] = [];
  for (const node of graph.nodes) {
    if (node.sharedWith) continue;
    const layer = model.getLayer(node.name);
    const ours = inference.nodes.get(node.id);
    layers.push({
      nodeId: node.id,
      name: node.name,
      ours: { outputShape: ours?.outputShapes ?? null, trainable: ours?.trainableParams ?? 0, nonTrainable: ours?.nonTrainableParams ?? 0 },
      tfjs: { outputShape: outputShapesOf(layer), trainable: countOf(layer.trainableWeights), nonTrainable: countOf(layer.nonTrainableWeights) },
    });
  }
  return { built: true, inference, layers, model };
}
