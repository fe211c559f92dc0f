/**
 * Times `inferGraph` against building the same model symbolically with TensorFlow.js, on chains
 * and on DAGs with residual Add merges, of 10, 100 and 1,000 layers.
 */
import * as tf from '@tensorflow/tfjs';
import { inferGraph } from '../src/graph/infer';
import type { Graph, GraphEdge, GraphNode } from '../src/graph/types';
import { describeMachine, median, writeSection } from './machine';

const WIDTH = 16;

/** Input → Dense × (layers − 1), or residual blocks Dense → Dense → Add(skip) for a DAG. */
function makeGraph(layers: number, dag: boolean): Graph {
  const nodes: GraphNode[] = [{ id: 'n0', kind: 'InputLayer', name: 'input', params: { shape: [WIDTH] } }];
  const edges: GraphEdge[] = [];
  const connect = (source: string, target: string, targetInput = 0) => edges.push({ id: `e${edges.length}`, source, target, targetInput });
  let last = 'n0';
  let blockStart = 'n0';
  while (nodes.length < layers) {
    const id = `n${nodes.length}`;
    const position = nodes.length % 3;
    if (dag && position === 0) {
      nodes.push({ id, kind: 'Add', name: `add_${nodes.length}`, params: {} });
      connect(last, id, 0);
      connect(blockStart, id, 1);
      blockStart = id;
    } else {
      nodes.push({ id, kind: 'Dense', name: `dense_${nodes.length}`, params: { units: WIDTH, activation: 'relu' } });
      connect(last, id);
    }
    last = id;
  }
  return { nodes, edges };
}

/** The same model through the tfjs functional API: tf.input, layer.apply, tf.model. */
function buildWithTfjs(layers: number, dag: boolean): tf.LayersModel {
  const input = tf.input({ shape: [WIDTH] });
  let last = input;
  let blockStart = input;
  for (let i = 1; i < layers; i += 1) {
    if (dag && i % 3 === 0) {
      last = tf.layers.add().apply([last, blockStart]) as tf.SymbolicTensor;
      blockStart = last;
    } else {
      last = tf.layers.dense({ units: WIDTH, activation: 'relu' }).apply(last) as tf.SymbolicTensor;
    }
  }
  return tf.model({ inputs: input, outputs: last });
}

function time(run: () => void, repeats: number): number[] {
  const samples: number[] = [];
  for (let i = 0; i < repeats; i += 1) {
    const started = performance.now();
    run();
    samples.push(performance.now() - started);
  }
  return samples;
}

export async function benchInference(): Promise<string> {
  await tf.setBackend('cpu');
  const rows: string[] = [];
  for (const dag of [false, true]) {
    for (const layers of [10, 100, 1000]) {
      const graph = makeGraph(layers, dag);
      const check = inferGraph(graph);
      if (check.errors.length > 0) throw new Error(`benchmark graph is invalid: ${check.errors[0].message}`);

      const repeats = layers >= 1000 ? 9 : 25;
      time(() => inferGraph(graph), 10);
      const ours = median(time(() => inferGraph(graph), 51));
      const theirs = median(
        time(() => {
          const model = buildWithTfjs(layers, dag);
          model.dispose();
        }, repeats),
      );
      const ratio = theirs / ours;
      rows.push(`| ${dag ? 'DAG (residual Add)' : 'chain'} | ${layers} | ${ours.toFixed(3)} | ${theirs.toFixed(2)} | ${ratio.toFixed(0)}× |`);
      console.log(`${dag ? 'dag  ' : 'chain'} ${String(layers).padStart(4)} layers: inferGraph ${ours.toFixed(3)} ms, tfjs ${theirs.toFixed(2)} ms, ${ratio.toFixed(0)}× faster`);
    }
  }

  return [
    '## Shape inference against tfjs model building',
    '',
    `Command: \`npm run bench\`. Machine: ${describeMachine()}. Run: ${new Date().toISOString()}.`,
    '',
    '`inferGraph` on a graph of Dense(16, relu) layers against building the same model with the tfjs',
    'functional API (`tf.input`, `layer.apply`, `tf.model`) on the cpu backend, in the same process.',
    'Medians of 51 inference runs after 10 warm-up runs, and of 25 tfjs builds (9 at 1,000 layers).',
    'Target: at least 20× at 1,000 layers.',
    '',
    '| graph | layers | inferGraph median (ms) | tfjs median (ms) | inferGraph faster by |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeSection('inference', await benchInference());
}
