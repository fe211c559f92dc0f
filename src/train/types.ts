/**
 * Messages between the training worker and the page: backend choices, progress events and
 * results. Plain data only (numbers, strings, typed arrays), never tensors, so that every value
 * survives `postMessage`. No tfjs import, so the page can use these types without loading tfjs.
 */
import type { GraphError } from '../graph/types';

export const BACKEND_NAMES = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface BackendChoice {
  backend: BackendName;
  /** Reason a faster backend was not used, in plain words; absent when the first choice worked. */
  fallbackReason?: string;
  /** The software renderer (e.g. SwiftShader) a GPU backend runs on when the browser found no usable GPU. */
  softwareRenderer?: string;
  /** The meaning of running on that renderer, in plain words, for the badge. */
  softwareNote?: string;
}

/**
 * Values at the end of an epoch, keyed as Keras and tfjs key them: `loss`, `acc`, `mae`, and the
 * same with `val_` for the validation split.
 */
export type EpochLogs = Record<string, number>;

/** Epochs and batches count from 1 in every event, as Keras prints "Epoch 1/10". */
export type TrainingEvent =
  | { type: 'backend'; choice: BackendChoice }
  | {
      type: 'start';
      backend: BackendName;
      epochs: number;
      batchesPerEpoch: number;
      trainCount: number;
      validationCount: number;
      testCount: number;
    }
  | {
      type: 'batch';
      epoch: number;
      batch: number;
      batchesPerEpoch: number;
      /** Training loss of this batch. */
      loss: number;
      /** Exponential moving average of the batch losses over the run, with bias correction. */
      smoothedLoss: number;
      /** Training throughput over the run so far, validation left out. */
      examplesPerSecond: number;
      /** Estimate of the time left in the run, validation included. */
      secondsLeft: number;
    }
  | {
      /** Sent before the validation split is evaluated after an epoch, and before the test split at the end. */
      type: 'evaluating';
      split: 'validation' | 'test';
      epoch: number;
      count: number;
    }
  | {
      type: 'epoch';
      epoch: number;
      epochs: number;
      logs: EpochLogs;
      /** Wall time of the epoch, validation included. */
      seconds: number;
      /** Whether early stopping counted this epoch as the best so far; absent when early stopping is off. */
      improved?: boolean;
    };

/**
 * Outcome of a run: all epochs done, stopped by early stopping, stopped on request, stopped
 * because the loss stopped being finite, or failed before or during training.
 */
export type TrainingStatus = 'completed' | 'early-stopped' | 'stopped' | 'diverged' | 'failed';

export interface TestEvaluation {
  count: number;
  /** `loss` and the metrics on the test split, e.g. `{ loss: 0.61, acc: 0.67 }`. */
  logs: EpochLogs;
}

export interface TrainingResult {
  status: TrainingStatus;
  /** One or two sentences for the training panel, e.g. why and when training stopped. */
  message: string;
  backend: BackendName | null;
  epochsCompleted: number;
  /** The epoch at which early stopping ended the run. */
  stoppedEpoch?: number;
  /** Epoch whose weights the model has after early stopping restored the best weights. */
  restoredEpoch?: number;
  history: EpochLogs[];
  /** Evaluation of the test split once after training; absent without a test split or after divergence. */
  test?: TestEvaluation;
  /** Errors in the graph or data that kept training from starting, in the form inference reports them. */
  errors?: GraphError[];
  seconds: number;
}

/** Estimated duration of a run, measured by timing a few training batches before it starts. */
export interface RunEstimate {
  backend: BackendName;
  batchesPerEpoch: number;
  secondsPerBatch: number;
  /** One epoch of training plus its validation pass. */
  secondsPerEpoch: number;
  secondsTotal: number;
  /** e.g. "One epoch will take about 2 min on the cpu backend (10 epochs: about 20 min)." */
  message: string;
}

/** One weight of the trained model, copied out of tfjs. */
export interface WeightValues {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** A trained model in the TensorFlow.js Layers format: `model.json` content plus the weights file. */
export interface ModelExport {
  modelTopology: object;
  weightSpecs: { name: string; shape: number[]; dtype: string }[];
  weightData: ArrayBuffer;
}

export type EstimateOutcome =
  | { status: 'ready'; estimate: RunEstimate }
  | { status: 'failed'; message: string; errors: GraphError[] };

export interface InitOptions {
  /** Backends to try, in order; defaults to webgpu, webgl, wasm, cpu. */
  backends?: BackendName[];
}

export interface TrainOptions {
  /** Minimum time between two batch events sent to the page; defaults to 50 ms. */
  batchReportIntervalMs?: number;
}
