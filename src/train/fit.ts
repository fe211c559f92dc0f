/**
 * The fit loop: epochs of shuffled batches with `trainOnBatch`, validation after each epoch,
 * early stopping, stop on request, a stop on a NaN or infinite loss, and one evaluation of the
 * test split at the end. It runs inside the training worker, and directly in Node tests.
 *
 * Each batch is built from the typed arrays, trained on and disposed, so the number of live
 * tensors stays the same from one epoch to the next.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../compile/training-config';
import type { Dataset } from '../data/dataset';
import { shuffledIndices, type SplitIndices } from '../data/split';
import type { Graph } from '../graph/types';
import { EarlyStopping } from './early-stopping';
import { evaluateExamples } from './evaluate';
import { estimateSecondsLeft, formatDuration, SmoothedValue, Throughput } from './progress';
import { prepareTraining, type PreparedTraining } from './setup';
import { trainingStepOf, type PendingStep } from './train-step';
import type { BackendName, EpochLogs, TestEvaluation, TrainingEvent, TrainingResult, TrainingStatus } from './types';

export { TrainingSetupError } from './setup';

export interface FitOptions {
  graph: Graph;
  dataset: Dataset;
  config: TrainingConfig;
  /** Example indices per split; by default the config's fractions and seed split the data set. */
  split?: SplitIndices;
  onProgress?: (event: TrainingEvent) => void;
  /** Aborting it stops training after the current batch; the model keeps the weights reached. */
  signal?: AbortSignal;
  /** Minimum time between two batch events; 0 reports every batch. The last batch of an epoch is always reported. */
  batchReportIntervalMs?: number;
}

export interface FitOutcome {
  result: TrainingResult;
  /** The trained model; the caller disposes it. */
  model: tf.LayersModel;
}

/**
 * Maximum time between two turns of the event loop. A worker handles its messages (a stop
 * request) only between tasks, and on the cpu and wasm backends a batch never leaves the task.
 */
const YIELD_INTERVAL_MS = 50;

/**
 * Training steps queued ahead of the one whose loss is read. Reading a loss waits for the backend;
 * with steps queued behind it, a GPU backend has work while the value comes back.
 */
const QUEUED_STEPS = 1;

const now = () => performance.now();
const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Trains the graph on the data set. Throws TrainingSetupError when training cannot start. */
export async function fitGraph(options: FitOptions): Promise<FitOutcome> {
  const prepared = await prepareTraining(options);
  try {
    const result = await new TrainingRun(prepared, options).run();
    return { result, model: prepared.model };
  } catch (error) {
    prepared.model.dispose();
    throw error;
  } finally {
    // The model is returned without its optimizer state: a new run compiles a new optimizer.
    prepared.optimizer.dispose();
  }
}

/** Returns the order of the training examples in one epoch, a shuffle that depends only on the seed and the epoch. */
export function epochOrder(train: Int32Array, seed: number, epoch: number): Int32Array {
  const permutation = shuffledIndices(train.length, (seed + Math.imul(epoch, 0x9e3779b9)) >>> 0);
  return permutation.map((position) => train[position]);
}

/** Formats logs for a message: `loss 0.3124, acc 0.8750`. */
export function formatLogs(logs: EpochLogs): string {
  return Object.entries(logs)
    .map(([name, value]) => `${name} ${Number.isFinite(value) ? value.toFixed(4) : String(value)}`)
    .join(', ');
}

/** A batch whose training step is queued on the backend. */
interface QueuedBatch {
  batch: number;
  /** Position in the epoch after this batch: the examples trained so far. */
  end: number;
  size: number;
  step: PendingStep;
}

interface Ending {
  status: TrainingStatus;
  message: string;
  stoppedEpoch?: number;
  restoredEpoch?: number;
}

class TrainingRun {
  private readonly config: TrainingConfig;
  private readonly model: tf.LayersModel;
  private readonly split: SplitIndices;
  private readonly batchesPerEpoch: number;
  private readonly history: EpochLogs[] = [];
  private readonly smoothedLoss = new SmoothedValue();
  private readonly earlyStopping: EarlyStopping | null;
  private bestWeights: tf.Tensor[] | null = null;
  private validationSeconds: number;
  private lastYield = now();
  private lastBatchReport = Number.NEGATIVE_INFINITY;
  private readonly throughput = new Throughput();
  private readonly started = now();
  private readonly trainingStep: (x: tf.Tensor, y: tf.Tensor) => PendingStep;

  constructor(
    private readonly prepared: PreparedTraining,
    private readonly options: FitOptions,
  ) {
    this.config = prepared.config;
    this.model = prepared.model;
    this.split = prepared.split;
    this.batchesPerEpoch = Math.ceil(this.split.train.length / this.config.batchSize);
    this.earlyStopping = this.config.earlyStopping.enabled ? new EarlyStopping(this.config.earlyStopping) : null;
    this.validationSeconds = 0;
    this.trainingStep = trainingStepOf(this.model);
  }

  async run(): Promise<TrainingResult> {
    this.emit({
      type: 'start',
      backend: tf.getBackend() as BackendName,
      epochs: this.config.epochs,
      batchesPerEpoch: this.batchesPerEpoch,
      trainCount: this.split.train.length,
      validationCount: this.split.validation.length,
      testCount: this.split.test.length,
    });

    let ending: Ending | null = null;
    if (this.options.signal?.aborted) {
      ending = { status: 'stopped', message: 'Stopped on request before the first batch; the model keeps its initial weights.' };
    }
    try {
      for (let epoch = 1; epoch <= this.config.epochs && !ending; epoch++) {
        ending = await this.runEpoch(epoch);
      }
    } finally {
      tf.dispose(this.bestWeights ?? []);
      this.bestWeights = null;
    }

    const end = ending ?? { status: 'completed', message: this.completedMessage() };
    // A stop request ends the run at once, so the test pass (about 10 s for a large split on a
    // software GPU, measured once) is left out, and the message explains how to get it.
    const stopped = end.status === 'stopped';
    const test = end.status === 'diverged' || stopped ? undefined : await this.evaluateTest();
    let message = test ? `${end.message} Test split (${test.count} examples): ${formatLogs(test.logs)}.` : end.message;
    if (stopped && this.split.test.length > 0 && this.history.length > 0) message += ' The test split is evaluated only when a run is not stopped.';
    return {
      status: end.status,
      message,
      backend: tf.getBackend() as BackendName,
      epochsCompleted: this.history.length,
      ...(end.stoppedEpoch === undefined ? {} : { stoppedEpoch: end.stoppedEpoch }),
      ...(end.restoredEpoch === undefined ? {} : { restoredEpoch: end.restoredEpoch }),
      history: this.history,
      ...(test ? { test } : {}),
      seconds: (now() - this.started) / 1000,
    };
  }

  /** Trains and validates one epoch; returns how the run ends, or null to go on. */
  private async runEpoch(epoch: number): Promise<Ending | null> {
    const epochStarted = now();
    const trained = await this.trainEpoch(epoch);
    if ('ending' in trained) return trained.ending;

    if (this.split.validation.length > 0) this.emit({ type: 'evaluating', split: 'validation', epoch, count: this.split.validation.length });
    const validationStarted = now();
    const validationLogs = await evaluateExamples(this.model, this.prepared.batches, this.split.validation, this.config.batchSize, this.options.signal);
    if (!validationLogs) {
      // Stopped while validating, so the epoch keeps its training values and has no validation values.
      this.history.push({ ...trained.logs });
      this.emit({ type: 'epoch', epoch, epochs: this.config.epochs, logs: { ...trained.logs }, seconds: (now() - epochStarted) / 1000 });
      return {
        status: 'stopped',
        message: `Stopped on request while validating epoch ${epoch}; the model keeps the weights it reached. Epoch ${epoch} training: ${formatLogs(trained.logs)}.`,
      };
    }
    if (this.split.validation.length > 0) this.validationSeconds = (now() - validationStarted) / 1000;
    const logs: EpochLogs = { ...trained.logs };
    for (const [name, value] of Object.entries(validationLogs)) logs[`val_${name}`] = value;
    this.history.push(logs);

    const validationLoss = logs.val_loss;
    if (validationLoss !== undefined && !Number.isFinite(validationLoss)) {
      return this.diverge(`Training stopped after epoch ${epoch}: the validation loss became ${validationLoss}.`);
    }

    const step = this.earlyStopping?.update(epoch, logs);
    if (step?.improved && this.config.earlyStopping.restoreBestWeights) this.keepBestWeights();
    this.emit({
      type: 'epoch',
      epoch,
      epochs: this.config.epochs,
      logs,
      seconds: (now() - epochStarted) / 1000,
      ...(step ? { improved: step.improved } : {}),
    });

    if (step?.stop) return this.stopEarly(epoch);
    if (this.options.signal?.aborted) {
      return { status: 'stopped', message: `Stopped on request after epoch ${epoch}; the model keeps the weights it reached. Last epoch: ${formatLogs(logs)}.` };
    }
    return null;
  }

  /**
   * Trains on every batch of an epoch and returns the mean training logs, or how the run ends.
   * Up to QUEUED_STEPS batches are queued before the loss of the oldest is read, so a GPU backend
   * always has the next step waiting. The NaN check and the stop request act that many batches late.
   */
  private async trainEpoch(epoch: number): Promise<{ logs: EpochLogs } | { ending: Ending }> {
    const { batchSize } = this.config;
    const train = this.split.train;
    const order = epochOrder(train, this.config.seed, epoch);
    const names = this.model.metricsNames;
    const sums = new Array<number>(names.length).fill(0);
    const epochStarted = now();

    // Steps queued on the backend whose values are not read yet, oldest first.
    const queue: QueuedBatch[] = [];
    try {
      for (let batch = 1; batch <= this.batchesPerEpoch; batch++) {
        const start = (batch - 1) * batchSize;
        const end = Math.min(start + batchSize, train.length);
        const { x, y } = this.prepared.batches.build(order, start, end);
        queue.push({ batch, end, size: end - start, step: this.trainingStep(x, y) });
        const lastBatch = batch === this.batchesPerEpoch;
        while (queue.length > QUEUED_STEPS || (lastBatch && queue.length > 0)) {
          const ending = await this.finishOldest(queue, epoch, sums, epochStarted);
          if (ending) return { ending };
        }

        if (this.options.signal?.aborted) {
          // The queued steps have trained already. Reading and reporting them makes the progress
          // end on the last batch trained.
          while (queue.length > 0) {
            const ending = await this.finishOldest(queue, epoch, sums, epochStarted);
            if (ending) return { ending };
          }
          const message = `Stopped on request during epoch ${epoch} (batch ${batch} of ${this.batchesPerEpoch}); the model keeps the weights it reached.`;
          return { ending: { status: 'stopped', message } };
        }
        await this.yieldWhenDue();
      }
    } finally {
      // Not empty only when the epoch ends early; those steps still run on the backend.
      for (const left of queue) left.step.discard();
    }

    this.throughput.endEpoch(train.length, (now() - epochStarted) / 1000);
    const logs: EpochLogs = {};
    names.forEach((name, index) => (logs[name] = sums[index] / train.length));
    return { logs };
  }

  /**
   * Reads the values of the oldest queued batch, records them and reports the batch when a report
   * is due or no batch is queued after it. Returns the ending when its loss is not finite, else null.
   */
  private async finishOldest(queue: QueuedBatch[], epoch: number, sums: number[], epochStarted: number): Promise<Ending | null> {
    const done = queue.shift()!;
    const values = await done.step.values();
    const train = this.split.train;
    const loss = values[0];
    if (!Number.isFinite(loss)) {
      return this.diverge(`Training stopped at epoch ${epoch}, batch ${done.batch}: the loss became ${loss}.`);
    }
    values.forEach((value, index) => (sums[index] += value * done.size));

    const smoothedLoss = this.smoothedLoss.add(loss);
    const reportTime = now();
    if (queue.length === 0 || reportTime - this.lastBatchReport >= (this.options.batchReportIntervalMs ?? 0)) {
      this.lastBatchReport = reportTime;
      const examplesPerSecond = this.throughput.rate(done.end, (reportTime - epochStarted) / 1000);
      const secondsLeft = estimateSecondsLeft({
        examplesLeftInEpoch: train.length - done.end,
        epochsAfter: this.config.epochs - epoch,
        trainCount: train.length,
        examplesPerSecond,
        // Until a validation pass is timed, assume evaluation costs a third of training per example.
        validationSeconds: this.validationSeconds || this.split.validation.length / examplesPerSecond / 3,
      });
      this.emit({ type: 'batch', epoch, batch: done.batch, batchesPerEpoch: this.batchesPerEpoch, loss, smoothedLoss, examplesPerSecond, secondsLeft });
    }
    return null;
  }

  private async yieldWhenDue(): Promise<void> {
    if (now() - this.lastYield < YIELD_INTERVAL_MS) return;
    await yieldToEventLoop();
    this.lastYield = now();
  }

  /** Keeps a copy of the weights of the best epoch; the optimizer replaces variables' data, so clones stay intact. */
  private keepBestWeights(): void {
    tf.dispose(this.bestWeights ?? []);
    this.bestWeights = this.model.getWeights().map((weight) => weight.clone());
  }

  /** Puts the best epoch's weights back, if early stopping kept them; returns that epoch. */
  private restoreBestWeights(): number | undefined {
    const bestEpoch = this.earlyStopping?.bestEpoch;
    if (!this.bestWeights || bestEpoch === null || bestEpoch === undefined) return undefined;
    this.model.setWeights(this.bestWeights);
    return bestEpoch;
  }

  private stopEarly(epoch: number): Ending {
    const { monitor, patience } = this.config.earlyStopping;
    const bestEpoch = this.earlyStopping!.bestEpoch;
    const restoredEpoch = this.config.earlyStopping.restoreBestWeights ? this.restoreBestWeights() : undefined;
    const best = bestEpoch === null ? '' : ` (best ${monitor} ${this.earlyStopping!.bestValue.toFixed(4)} at epoch ${bestEpoch})`;
    const restored = restoredEpoch === undefined ? ' The model keeps the weights of the last epoch.' : ` Restored the weights of epoch ${restoredEpoch}.`;
    return {
      status: 'early-stopped',
      stoppedEpoch: epoch,
      ...(restoredEpoch === undefined ? {} : { restoredEpoch }),
      message: `Early stopping ended training at epoch ${epoch}: ${monitor} did not improve for ${patience} ${patience === 1 ? 'epoch' : 'epochs'}${best}.${restored}`,
    };
  }

  private diverge(what: string): Ending {
    const { name, learningRate } = this.config.optimizer;
    const restoredEpoch = this.restoreBestWeights();
    const weights =
      restoredEpoch === undefined
        ? 'The weights now hold invalid values.'
        : `Restored the weights of epoch ${restoredEpoch}, the best before the loss broke down.`;
    return {
      status: 'diverged',
      ...(restoredEpoch === undefined ? {} : { restoredEpoch }),
      message: `${what} ${weights} Lower the learning rate (${name} at ${learningRate}; try ${learningRate / 10}), or check the data for extreme values.`,
    };
  }

  private completedMessage(): string {
    const last = this.history[this.history.length - 1];
    const epochs = this.history.length;
    return `Trained ${epochs} ${epochs === 1 ? 'epoch' : 'epochs'} in ${formatDuration((now() - this.started) / 1000)}: ${formatLogs(last)}.`;
  }

  private async evaluateTest(): Promise<TestEvaluation | undefined> {
    const test = this.split.test;
    if (test.length === 0) return undefined;
    this.emit({ type: 'evaluating', split: 'test', epoch: this.history.length, count: test.length });
    const logs = (await evaluateExamples(this.model, this.prepared.batches, test, this.config.batchSize)) ?? {};
    return { count: test.length, logs };
  }

  private emit(event: TrainingEvent): void {
    this.options.onProgress?.(event);
  }
}
