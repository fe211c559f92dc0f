/** Graphs, data sets and settings shared by the training tests. */
import * as tf from '@tensorflow/tfjs';
import { defaultTrainingConfig, type TrainingConfig, type TrainingConfigOverrides } from '../../src/compile/training-config';
import type { Dataset } from '../../src/data/dataset';
import { inferGraph } from '../../src/graph/infer';
import type { Graph } from '../../src/graph/types';
import { datasetShapesOf } from '../../src/train/dataset-shapes';
import { chain } from '../helpers/graph-builders';

let cpuReady: Promise<boolean> | null = null;

/** Selects tfjs's pure-JS cpu backend once per test file. */
export function selectCpuBackend(): Promise<boolean> {
  cpuReady ??= tf.setBackend('cpu');
  return cpuReady;
}

/** Input (2) → Dense 16 relu → Dense `classes` softmax: a small classifier of 2-D points. */
export function pointClassifier(classes: number): Graph {
  return chain([2], [
    { kind: 'Dense', params: { units: 16, activation: 'relu' } },
    { kind: 'Dense', params: { units: classes, activation: 'softmax' } },
  ]);
}

/** Returns the default settings for a graph and data set, with `overrides`. */
export function configFor(graph: Graph, dataset: Dataset, overrides: TrainingConfigOverrides = {}): TrainingConfig {
  return defaultTrainingConfig(graph, inferGraph(graph), datasetShapesOf(dataset).labels, overrides);
}
