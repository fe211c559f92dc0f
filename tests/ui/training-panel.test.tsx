// @vitest-environment jsdom
/**
 * The training panel in jsdom: settings validation, and progress, curves, outcomes and the run
 * history drawn from progress events fed into the store or sent by a fake trainer. The real
 * trainer is tested in tests/train.
 */
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeProteinSequences } from '../../src/data/builtin';
import { getTemplate } from '../../src/graph/templates';
import { DEFAULT_SPLIT_DRAFT, describeLoadedData, setLoadedData, useDataStore } from '../../src/store/data-store';
import {
  beginRun,
  defaultTrainingDraft,
  finishRun,
  receiveTrainingEvent,
  useTrainingStore,
  type RunSettings,
} from '../../src/store/training-store';
import type { Trainer } from '../../src/train/client';
import type { BackendChoice, EstimateOutcome, TrainingEvent, TrainingResult } from '../../src/train/types';
import { LONG_RUN_NOTICE_SECONDS, longRunNotice, setTrainerFactory } from '../../src/ui/training/controller';
import { describeBackendChoice } from '../../src/train/backend';
import { chartedEpochs, TrainingPanel } from '../../src/ui/training/TrainingPanel';
import { configFor } from '../train/helpers';
import { startWith } from './setup';

const CHART_SIZE = { width: 400, height: 200 };

function resetStores(): void {
  useDataStore.setState({ loaded: null, pending: null, busy: null, error: null, splitDraft: DEFAULT_SPLIT_DRAFT });
  useTrainingStore.setState({
    draft: defaultTrainingDraft(),
    phase: 'idle',
    backend: null,
    estimate: null,
    notice: null,
    runs: [],
    shownRunId: null,
    comparedRunIds: [],
  });
}

beforeEach(resetStores);
afterEach(resetStores);

/** Loads the solubility model and 60 generated protein sequences. */
function loadSolubility(): void {
  startWith(getTemplate('solubility')!.build());
  setLoadedData(describeLoadedData(makeProteinSequences({ count: 60 }), 'Synthetic proteins', []));
}

function runSettings(epochs = 3): RunSettings {
  const graph = getTemplate('solubility')!.build();
  const config = configFor(graph, makeProteinSequences({ count: 10 }), { epochs });
  return { config, datasetName: 'Synthetic proteins', exampleCount: 60, layers: 'Embedding → Dense', totalParams: 60_929 };
}

const START: TrainingEvent = { type: 'start', backend: 'webgpu', epochs: 3, batchesPerEpoch: 4, trainCount: 48, validationCount: 6, testCount: 6 };

function batch(epoch: number, index: number, loss: number): Extract<TrainingEvent, { type: 'batch' }> {
  return { type: 'batch', epoch, batch: index, batchesPerEpoch: 4, loss, smoothedLoss: loss, examplesPerSecond: 120, secondsLeft: 8 };
}

function epoch(index: number, loss: number, accuracy: number): TrainingEvent {
  return { type: 'epoch', epoch: index, epochs: 3, logs: { loss, acc: accuracy, val_loss: loss + 0.05, val_acc: accuracy - 0.05 }, seconds: 2 };
}

function result(overrides: Partial<TrainingResult> = {}): TrainingResult {
  return {
    status: 'completed',
    message: 'Trained 3 epochs in 6 s.',
    backend: 'webgpu',
    epochsCompleted: 3,
    history: [],
    test: { count: 6, logs: { loss: 0.52, acc: 0.8333 } },
    seconds: 6,
    ...overrides,
  };
}

/** Feeds a run of `epochs` epochs into the store and returns its id. */
function feedRun(epochs: number, finish?: Partial<TrainingResult>): number {
  const id = beginRun(runSettings());
  receiveTrainingEvent(id, START);
  const history = [];
  for (let index = 1; index <= epochs; index++) {
    for (let step = 1; step <= 4; step++) receiveTrainingEvent(id, batch(index, step, 0.7 - index * 0.1 - step * 0.01));
    const event = epoch(index, 0.7 - index * 0.1, 0.5 + index * 0.1);
    receiveTrainingEvent(id, event);
    history.push((event as Extract<TrainingEvent, { type: 'epoch' }>).logs);
  }
  if (finish) finishRun(id, result({ history, epochsCompleted: epochs, ...finish }));
  return id;
}

describe('TrainingPanel settings', () => {
  it('starts from the default settings', () => {
    loadSolubility();
    render(<TrainingPanel chartSize={CHART_SIZE} />);

    expect((screen.getByTestId('training-epochs') as HTMLInputElement).value).toBe('10');
    expect((screen.getByTestId('training-optimizer') as HTMLSelectElement).value).toBe('adam');
    expect(screen.getByTestId('training-loss-reason').getAttribute('title')).toContain('so the loss is binary cross-entropy');
    expect((screen.getByTestId('train-start') as HTMLButtonElement).disabled).toBe(false);
  });

  it('rejects a learning rate that is not a number', () => {
    loadSolubility();
    render(<TrainingPanel chartSize={CHART_SIZE} />);
    fireEvent.change(screen.getByTestId('training-learningRate'), { target: { value: 'fast' } });

    expect(screen.getByTestId('training-errors').textContent).toContain("Learning rate 'fast' is not a number");
    expect(screen.getByTestId('training-learningRate').getAttribute('aria-invalid')).toBe('true');
    expect((screen.getByTestId('train-start') as HTMLButtonElement).disabled).toBe(true);
  });

  it('rejects zero epochs', () => {
    loadSolubility();
    render(<TrainingPanel chartSize={CHART_SIZE} />);
    fireEvent.change(screen.getByTestId('training-epochs'), { target: { value: '0' } });

    expect(screen.getByTestId('training-errors').textContent).toContain('Epochs must be at least 1, but got 0.');
    expect((screen.getByTestId('train-start') as HTMLButtonElement).disabled).toBe(true);
  });

  it('rejects a learning rate above 10', () => {
    loadSolubility();
    render(<TrainingPanel chartSize={CHART_SIZE} />);
    fireEvent.change(screen.getByTestId('training-learningRate'), { target: { value: '50' } });

    expect(screen.getByTestId('training-errors').textContent).toContain('LearningRate must be at most 10, but got 50');
  });

  it('rejects early stopping on accuracy without the metric', () => {
    loadSolubility();
    render(<TrainingPanel chartSize={CHART_SIZE} />);
    fireEvent.change(screen.getByTestId('training-loss'), { target: { value: 'meanSquaredError' } });
    fireEvent.click(screen.getByTestId('training-earlyStopping'));
    fireEvent.change(screen.getByTestId('training-monitor'), { target: { value: 'val_acc' } });

    expect(screen.getByTestId('training-errors').textContent).toContain('Early stopping watches val_acc, but the metrics are mae');
  });
});

describe('TrainingPanel progress', () => {
  it('shows epoch, batch, speed and time left', () => {
    const id = beginRun(runSettings());
    receiveTrainingEvent(id, START);
    receiveTrainingEvent(id, batch(1, 3, 0.69));
    render(<TrainingPanel chartSize={CHART_SIZE} />);

    expect(screen.getByTestId('epoch-progress').textContent).toBe('Epoch 1/3 · batch 3/4 · 120 examples/s · 8 s left');
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('25');
  });

  it('progress names the evaluated split', () => {
    const id = beginRun(runSettings());
    receiveTrainingEvent(id, START);
    receiveTrainingEvent(id, batch(1, 4, 0.69));
    render(<TrainingPanel chartSize={CHART_SIZE} />);
    const progress = () => screen.getByTestId('epoch-progress').textContent;

    act(() => receiveTrainingEvent(id, { type: 'evaluating', split: 'validation', epoch: 1, count: 6 }));
    expect(progress()).toBe('Epoch 1/3 · validating on 6 examples… · 120 examples/s · 8 s left');
    act(() => receiveTrainingEvent(id, epoch(1, 0.6, 0.6)));
    expect(progress()).toContain('batch 4/4');
    act(() => receiveTrainingEvent(id, { type: 'evaluating', split: 'test', epoch: 1, count: 6 }));
    expect(progress()).toContain('testing on 6 examples…');
    act(() => receiveTrainingEvent(id, batch(2, 1, 0.6)));
    expect(progress()).toContain('batch 1/4');
  });

  it('draws both loss curves and the batch line', async () => {
    feedRun(2);
    render(<TrainingPanel chartSize={CHART_SIZE} />);

    const loss = screen.getByTestId('chart-loss');
    await waitFor(() => expect(loss.getAttribute('data-training-points')).toBe('2'));
    expect(loss.getAttribute('data-validation-points')).toBe('2');
    expect(loss.getAttribute('data-batch-points')).toBe('8');
    expect(loss.querySelectorAll('.recharts-line').length).toBe(3);
    const accuracy = screen.getByTestId('chart-accuracy');
    expect(accuracy.getAttribute('data-validation-points')).toBe('2');
  });

  it('follows events after the first render', async () => {
    const id = beginRun(runSettings());
    receiveTrainingEvent(id, START);
    render(<TrainingPanel chartSize={CHART_SIZE} />);

    act(() => {
      receiveTrainingEvent(id, batch(1, 4, 0.6));
      receiveTrainingEvent(id, epoch(1, 0.6, 0.6));
    });

    await waitFor(() => expect(screen.getByTestId('chart-loss').getAttribute('data-validation-points')).toBe('1'));
    expect(screen.getByTestId('epoch-progress').textContent).toContain('batch 4/4');
  });

  it('shows the test loss and accuracy', async () => {
    feedRun(3, {});
    render(<TrainingPanel chartSize={CHART_SIZE} />);

    const test = await screen.findByTestId('test-result');
    expect(test.textContent).toContain('Test (6 examples):');
    expect(within(test).getByTestId('test-acc').textContent).toBe('accuracy 83.3 %');
    expect(within(test).getByTestId('test-loss').textContent).toBe('loss 0.5200');
  });

  it('marks the early stopping epoch', async () => {
    feedRun(3, { status: 'early-stopped', stoppedEpoch: 3, restoredEpoch: 1, message: 'Early stopping ended training at epoch 3.' });
    render(<TrainingPanel chartSize={CHART_SIZE} />);

    await waitFor(() => expect(screen.getByTestId('chart-loss').querySelectorAll('.recharts-reference-line').length).toBe(2));
    expect(screen.getByTestId('chart-loss').textContent).toContain('early stop');
    expect(screen.getByTestId('training-result').getAttribute('data-status')).toBe('early-stopped');
  });

  it('epoch axis after an early end', () => {
    const id = beginRun(runSettings());
    receiveTrainingEvent(id, { ...START, epochs: 60 } as TrainingEvent);
    for (let index = 1; index <= 8; index++) {
      receiveTrainingEvent(id, batch(index, 4, 0.5));
      receiveTrainingEvent(id, epoch(index, 0.5, 0.5));
    }
    const latestRun = () => useTrainingStore.getState().runs.at(-1)!;
    expect(chartedEpochs(latestRun())).toBe(60);

    finishRun(id, result({ status: 'early-stopped', stoppedEpoch: 8, epochsCompleted: 8, message: 'Early stopping ended training at epoch 8.' }));
    expect(chartedEpochs(latestRun())).toBe(8);
  });

  it('says when the loss became NaN', async () => {
    feedRun(1, { status: 'diverged', test: undefined, message: 'Training stopped at epoch 2, batch 1: the loss became NaN. Lower the learning rate.' });
    render(<TrainingPanel chartSize={CHART_SIZE} />);

    const outcome = await screen.findByTestId('training-result');
    expect(outcome.textContent).toContain('The loss became NaN.');
    expect(outcome.textContent).toContain('Lower the learning rate');
    expect(screen.queryByTestId('test-result')).toBeNull();
  });
});

describe('TrainingPanel run history', () => {
  it('overlays the validation curves of two runs', async () => {
    const first = feedRun(2, {});
    const second = feedRun(3, {});
    render(<TrainingPanel chartSize={CHART_SIZE} />);

    fireEvent.click(screen.getByTestId(`run-compare-${first}`));
    fireEvent.click(screen.getByTestId(`run-compare-${second}`));

    const compare = await screen.findByTestId('chart-compare');
    expect(compare.getAttribute('data-series')).toBe('2');
    expect(compare.querySelectorAll('.recharts-line').length).toBe(2);
  });

  it('keeps the settings of each run', () => {
    feedRun(1, {});
    render(<TrainingPanel chartSize={CHART_SIZE} />);

    const row = screen.getByTestId('run-1');
    expect(row.textContent).toContain('adam 0.001 · batch 32 · 3 epochs · binary cross-entropy');
    expect(row.textContent).toContain('test accuracy 83.3 %');
  });
});

/** Creates a trainer that returns at once and sends a fixed sequence of events. */
function fakeTrainer(choice: BackendChoice, estimate?: EstimateOutcome): Trainer & { trainCalls: number } {
  const trainer = {
    trainCalls: 0,
    preload: async () => {},
    init: async () => choice,
    async train(_graph: unknown, _dataset: unknown, config: { epochs: number }, onProgress: (event: TrainingEvent) => void) {
      trainer.trainCalls += 1;
      onProgress({ type: 'backend', choice });
      onProgress({ ...START, epochs: config.epochs } as TrainingEvent);
      onProgress(batch(1, 4, 0.6));
      onProgress(epoch(1, 0.6, 0.7));
      return result({ backend: choice.backend, history: [{ loss: 0.6, acc: 0.7, val_loss: 0.65, val_acc: 0.65 }], epochsCompleted: 1 });
    },
    stop: async () => {},
    estimate: async () => estimate ?? { status: 'failed' as const, message: 'not expected', errors: [] },
    getWeights: async () => [],
    exportModel: async () => null,
    terminate: () => {},
  };
  return trainer;
}

describe('TrainingPanel with a trainer', () => {
  it('trains and names the fallback backend with its reason', async () => {
    const reason = 'WebGPU is not available in this browser (navigator.gpu gave no adapter); using webgl';
    const trainer = fakeTrainer({ backend: 'webgl', fallbackReason: reason });
    setTrainerFactory(() => trainer);
    loadSolubility();
    render(<TrainingPanel chartSize={CHART_SIZE} />);

    fireEvent.click(screen.getByTestId('train-start'));

    await screen.findByTestId('test-result');
    expect(trainer.trainCalls).toBe(1);
    const badge = screen.getByTestId('backend-badge');
    expect(badge.textContent).toContain('webgl');
    expect(badge.textContent).toContain('navigator.gpu gave no adapter');
    expect(useTrainingStore.getState().phase).toBe('idle');
  });

  it('asks before a long run on the cpu backend', async () => {
    const estimate: EstimateOutcome = {
      status: 'ready',
      estimate: {
        backend: 'cpu',
        batchesPerEpoch: 500,
        secondsPerBatch: 2,
        secondsPerEpoch: 1000,
        secondsTotal: 10_000,
        message: 'One epoch will take about 17 min on the cpu backend (10 epochs: about 2.8 h).',
      },
    };
    const trainer = fakeTrainer({ backend: 'cpu', fallbackReason: 'WebGPU is not available here; using cpu' }, estimate);
    setTrainerFactory(() => trainer);
    loadSolubility();
    useDataStore.setState({ splitDraft: { ...DEFAULT_SPLIT_DRAFT, batchSize: '2' } });
    render(<TrainingPanel chartSize={CHART_SIZE} />);

    fireEvent.click(screen.getByTestId('train-start'));

    const warning = await screen.findByTestId('long-run-warning');
    expect(warning.textContent).toContain('about 2.8 h');
    expect(trainer.trainCalls).toBe(0);
    fireEvent.click(screen.getByTestId('long-run-confirm'));
    await screen.findByTestId('test-result');
    expect(trainer.trainCalls).toBe(1);
  });

  it('long run on a software GPU', async () => {
    const choice = describeBackendChoice('webgpu', [], 'SwiftShader');
    const trainer = fakeTrainer(choice);
    trainer.train = async (_graph, _dataset, _config, onProgress) => {
      onProgress({ type: 'backend', choice });
      onProgress(START);
      // Early batches include compiling, so their estimate is not trusted yet.
      onProgress({ ...batch(1, 2, 0.69), batchesPerEpoch: 50, secondsLeft: 4000 });
      expect(useTrainingStore.getState().notice).toBeNull();
      onProgress({ ...batch(1, 10, 0.69), batchesPerEpoch: 50, secondsLeft: 3060 });
      await finished;
      return result({ backend: 'webgpu', status: 'stopped', message: 'Stopped on request during epoch 1 (batch 11 of 50).' });
    };
    let finish: () => void = () => {};
    const finished = new Promise<void>((resolve) => (finish = resolve));
    setTrainerFactory(() => trainer);
    loadSolubility();
    render(<TrainingPanel chartSize={CHART_SIZE} />);

    fireEvent.click(screen.getByTestId('train-start'));

    const notice = await screen.findByTestId('training-notice');
    expect(notice.textContent).toBe(
      'At this speed the run needs about 51 min more on the webgpu backend, which runs on SwiftShader, a software renderer (the browser found no usable GPU); the progress line keeps the time left. ' +
        'For a shorter run, stop it and lower the epochs, or tick "Use only" in the data panel to train on fewer examples.',
    );
    const badge = screen.getByTestId('backend-badge');
    expect(badge.textContent).toContain('software');
    expect(badge.getAttribute('title')).toContain('WebGPU runs on SwiftShader, a software renderer that uses the CPU');

    // Once the run has ended, the notice is cleared.
    act(() => finish());
    await waitFor(() => expect(screen.queryByTestId('training-notice')).toBeNull());
  });

  it('no notice for a short run', () => {
    const event: TrainingEvent = { ...batch(2, 1, 0.6), secondsLeft: LONG_RUN_NOTICE_SECONDS - 1 };
    expect(longRunNotice(event, { backend: 'webgpu' })).toBeNull();
    expect(longRunNotice({ ...event, secondsLeft: LONG_RUN_NOTICE_SECONDS + 60 }, { backend: 'webgpu' })?.message).toMatch(/^At this speed the run needs about 6 min more on the webgpu backend; the progress line keeps the time left\. For a shorter run/);
  });

  it('stops the run on request', async () => {
    let release: () => void = () => {};
    const trainer = fakeTrainer({ backend: 'webgpu' });
    trainer.train = async (_graph, _dataset, _config, onProgress) => {
      onProgress(START);
      await new Promise<void>((resolve) => (release = resolve));
      return result({ status: 'stopped', message: 'Stopped on request during epoch 1 (batch 2 of 4).', test: undefined });
    };
    trainer.stop = async () => release();
    setTrainerFactory(() => trainer);
    loadSolubility();
    render(<TrainingPanel chartSize={CHART_SIZE} />);

    fireEvent.click(screen.getByTestId('train-start'));
    await waitFor(() => expect((screen.getByTestId('train-stop') as HTMLButtonElement).disabled).toBe(false));
    await waitFor(() => expect(useTrainingStore.getState().phase).toBe('running'));
    fireEvent.click(screen.getByTestId('train-stop'));

    const outcome = await screen.findByTestId('training-result');
    expect(outcome.getAttribute('data-status')).toBe('stopped');
    expect(outcome.textContent).toContain('Stopped on request');
    await waitFor(() => expect(useTrainingStore.getState().phase).toBe('idle'));
  });

  it('refuses to start when the data does not fit', async () => {
    const trainer = fakeTrainer({ backend: 'webgpu' });
    setTrainerFactory(() => trainer);
    loadSolubility();
    setLoadedData(describeLoadedData(makeProteinSequences({ count: 20, length: 50 }), 'Short proteins', []));
    render(<TrainingPanel chartSize={CHART_SIZE} />);

    fireEvent.click(screen.getByTestId('train-start'));

    const notice = await screen.findByTestId('training-notice');
    expect(notice.textContent).toContain('Short proteins does not fit the model');
    expect(notice.textContent).toContain('Set shape to 50');
    expect(trainer.trainCalls).toBe(0);
  });
});
