/**
 * Graph → `tf.LayersModel`. The graph is first written as a Keras model config, which
 * TensorFlow.js deserialises with its own layer classes, so the compiled model and a Keras or
 * tfjs export of the same graph cannot drift apart.
 */
import * as tf from '@tensorflow/tfjs';
import type { Graph } from '../graph/types';
import { graphToKerasModel } from './keras-export';

/** Builds the model of a graph. Throws tfjs's own error when tfjs rejects the graph. */
export async function compileGraph(graph: Graph, modelName = 'model'): Promise<tf.LayersModel> {
  const topology = graphToKerasModel(graph, modelName);
  return tf.models.modelFromJSON({ modelTopology: topology as unknown as tf.io.ModelJSON['modelTopology'] });
}
