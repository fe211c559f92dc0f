/**
 * The hand-written TensorFlow.js script the app's training is measured against: the solubility
 * model built with the layers API, trained on the main thread with `model.fit` for one epoch,
 * then evaluated on the test split, with no app code involved. Its time runs from choosing the
 * backend to the test result, as the app's runs from pressing Train.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';

interface BaselineOptions {
  backend: string;
  trainCount: number;
  validationCount: number;
  testCount: number;
  batchSize: number;
}

/** Token sequences like the solubility data: length 200, tokens 1–20, random labels. */
function randomSequences(count: number): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const tokens = new Int32Array(count * 200);
  for (let i = 0; i < tokens.length; i += 1) tokens[i] = 1 + Math.floor(Math.random() * 20);
  const labels = new Float32Array(count);
  for (let i = 0; i < count; i += 1) labels[i] = Math.random() < 0.5 ? 0 : 1;
  return { x: tf.tensor2d(tokens, [count, 200], 'int32'), y: tf.tensor2d(labels, [count, 1]) };
}

async function runBaseline(options: BaselineOptions): Promise<{ seconds: number; backend: string }> {
  // The app starts its backend when Train is pressed, so the script's time includes it too.
  const started = performance.now();
  await tf.setBackend(options.backend);
  await tf.ready();
  const train = randomSequences(options.trainCount);
  const validation = randomSequences(options.validationCount);
  const test = randomSequences(options.testCount);

  const model = tf.sequential({
    layers: [
      tf.layers.embedding({ inputDim: 21, outputDim: 16, maskZero: true, inputShape: [200] }),
      tf.layers.conv1d({ filters: 16, kernelSize: 5, activation: 'relu' }),
      tf.layers.maxPooling1d({ poolSize: 4 }),
      tf.layers.conv1d({ filters: 16, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling1d({ poolSize: 2 }),
      tf.layers.conv1d({ filters: 16, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling1d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 256, activation: 'relu' }),
      tf.layers.dense({ units: 64, activation: 'relu' }),
      tf.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  await model.fit(train.x, train.y, {
    epochs: 1,
    batchSize: options.batchSize,
    shuffle: true,
    validationData: [validation.x, validation.y],
  });
  const evaluation = model.evaluate(test.x, test.y, { batchSize: options.batchSize }) as tf.Scalar[];
  await Promise.all(evaluation.map((scalar) => scalar.data()));
  const seconds = (performance.now() - started) / 1000;

  tf.dispose([train.x, train.y, validation.x, validation.y, test.x, test.y, ...evaluation]);
  model.dispose();
  return { seconds, backend: tf.getBackend() };
}

(window as unknown as { runBaseline: typeof runBaseline }).runBaseline = runBaseline;
