/**
 * The app's own training loop (`fitGraph`, as the worker runs it) on the main thread of a bare
 * page, with no editor, charts or worker around it. Against the hand-written script it shows what
 * the loop itself costs; against the app, what the page and the worker cost.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { defaultTrainingConfig } from '../../src/compile/training-config';
import { makeProteinSequences } from '../../src/data/builtin';
import { inferGraph } from '../../src/graph/infer';
import { getTemplate } from '../../src/graph/templates';
import { datasetShapesOf } from '../../src/train/dataset-shapes';
import { fitGraph } from '../../src/train/fit';

interface AppLoopOptions {
  backend: string;
  /** Examples in all; the default 80/10/10 split divides them as the app does. */
  count: number;
  batchSize: number;
}

async function runAppLoop(options: AppLoopOptions): Promise<{ seconds: number; backend: string }> {
  const started = performance.now();
  await tf.setBackend(options.backend);
  await tf.ready();
  const graph = getTemplate('solubility')!.build();
  const dataset = makeProteinSequences({ count: options.count });
  const config = defaultTrainingConfig(graph, inferGraph(graph), datasetShapesOf(dataset).labels, { epochs: 1, batchSize: options.batchSize });
  const { model } = await fitGraph({ graph, dataset, config, batchReportIntervalMs: 250 });
  const seconds = (performance.now() - started) / 1000;
  model.dispose();
  return { seconds, backend: tf.getBackend() };
}

(window as unknown as { runAppLoop: typeof runAppLoop }).runAppLoop = runAppLoop;
