/**
 * Real model files written by Keras or TensorFlow.js, with the totals that TensorFlow.js 4.22
 * reports when it loads them (or that their weights manifest gives).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importModelJson } from '../../src/compile/keras-import';
import { inferGraph } from '../../src/graph/infer';

const modelsDir = path.resolve(process.cwd(), '../shared/models');
const exists = existsSync(modelsDir);

interface RealModel {
  file: string;
  totalParams: number;
  nonTrainableParams: number;
  layers: number;
}

const models: RealModel[] = [
  { file: 'cnn-batchnorm-same-padding-mnist.json', totalParams: 2_230_506, nonTrainableParams: 3_456, layers: 21 },
  { file: 'cnn-keras3-batchInputShape.json', totalParams: 814_378, nonTrainableParams: 0, layers: 8 },
  { file: 'dense-autoencoder-tfjs-saved.json', totalParams: 487_220, nonTrainableParams: 0, layers: 11 },
  { file: 'functional-embedding-bidirectional-lstm.json', totalParams: 98_177, nonTrainableParams: 0, layers: 4 },
  { file: 'keras209-sequential-list-config-embedding-lstm.json', totalParams: 2_691_713, nonTrainableParams: 0, layers: 4 },
  { file: 'lstm-name-gender.json', totalParams: 3_210_242, nonTrainableParams: 0, layers: 7 },
  { file: 'single-dense-celsius.json', totalParams: 2, nonTrainableParams: 0, layers: 2 },
  { file: 'tfjs-e2e-embedding-gru-gobackwards.json', totalParams: 2_300, nonTrainableParams: 0, layers: 3 },
];

function read(file: string): string {
  return readFileSync(path.join(modelsDir, file), 'utf8');
}

describe('real model files', () => {
  for (const model of models) {
    it.skipIf(!exists)(`${model.file} totals ${model.totalParams}${exists ? '' : ' (skipped: ../shared/models is missing)'}`, () => {
      const result = importModelJson(read(model.file));
      if (!result.ok) throw new Error(result.errors.join(' | '));
      const inference = inferGraph(result.graph);
      expect(inference.errors).toEqual([]);
      expect(inference.totalParams).toBe(model.totalParams);
      expect(inference.nonTrainableParams).toBe(model.nonTrainableParams);
      expect(result.graph.nodes).toHaveLength(model.layers);
    });
  }

  it.skipIf(!exists)(`siamese Lambda file is rejected naming Lambda${exists ? '' : ' (skipped: ../shared/models is missing)'}`, () => {
    const result = importModelJson(read('functional-keras3-siamese-bilstm-lambda.json'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      "Layers 'lambda', 'lambda_1' and 'lambda_2' are Lambda layers (Python code), which Layerlab cannot run; remove them or replace them with built-in layers",
    ]);
  });

  it.skipIf(!exists)(`GRU without reset_after counts as tfjs does${exists ? '' : ' (skipped: ../shared/models is missing)'}`, () => {
    const result = importModelJson(read('tfjs-e2e-embedding-gru-gobackwards.json'));
    if (!result.ok) throw new Error(result.errors.join(' | '));
    const gru = result.graph.nodes.find((node) => node.kind === 'GRU')!;
    expect(gru.params).toMatchObject({ units: 4, goBackwards: true, resetAfter: false, recurrentActivation: 'hard_sigmoid' });
    const embedding = result.graph.nodes.find((node) => node.kind === 'Embedding')!;
    expect(embedding.params.maskZero).toBeUndefined();
  });

  it.skipIf(!exists)(`bare-list Sequential gets an InputLayer${exists ? '' : ' (skipped: ../shared/models is missing)'}`, () => {
    const result = importModelJson(read('keras209-sequential-list-config-embedding-lstm.json'));
    if (!result.ok) throw new Error(result.errors.join(' | '));
    expect(result.graph.nodes.map((node) => node.name)).toEqual(['embedding_3_input', 'embedding_3', 'lstm_3', 'dense_3']);
    expect(result.graph.nodes[0].params).toEqual({ shape: [34], dtype: 'float32' });
  });

  it.skipIf(!exists)(`Bidirectional LSTM keeps its wrapped layer${exists ? '' : ' (skipped: ../shared/models is missing)'}`, () => {
    const result = importModelJson(read('functional-embedding-bidirectional-lstm.json'));
    if (!result.ok) throw new Error(result.errors.join(' | '));
    const wrapper = result.graph.nodes.find((node) => node.kind === 'Bidirectional')!;
    expect(wrapper.params.layer).toMatchObject({ kind: 'LSTM', params: { units: 64 } });
    expect(wrapper.params.mergeMode).toBe('concat');
  });
});
