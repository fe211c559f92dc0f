/**
 * The training panel: settings, Train and Stop, the backend in use, progress, the live curves,
 * the outcome of the run with its test loss and accuracy, and the run history.
 */
import { startTransition, useEffect, useMemo, useRef, useState } from 'react';
import { formatDuration } from '../../train/progress';
import { formatCount } from '../../layers';
import { resolveSplit, useDataStore } from '../../store/data-store';
import { useGraphStructure, useInference } from '../../store/inference';
import { applyGraphFix } from '../../store/actions';
import {
  resolveTrainingConfig,
  selectShownRun,
  useTrainingStore,
  type BatchPoint,
  type EpochPoint,
  type RunRecord,
  type RunStatus,
  type TrainingNotice,
} from '../../store/training-store';
import { useUiStore } from '../../store/ui-store';
import { LossChart, MetricChart, type ChartSize } from './Charts';
import { cancelLongRun, confirmLongRun, startTraining, stopTraining } from './controller';
import { formatMetric, formatRate, metricName } from './format';
import { RunHistory } from './RunHistory';
import { TrainingSettings } from './TrainingSettings';

/** Folds the data and training panels down to their headers, to give the canvas the room, and back. */
function PanelsToggle() {
  const collapsed = useUiStore((state) => state.panelsCollapsed);
  return (
    <button
      type="button"
      className="button"
      aria-expanded={!collapsed}
      aria-controls="training-panel-slot"
      title={collapsed ? 'Show the data and training panels again' : 'Fold the data and training panels to give the canvas more room; training goes on'}
      onClick={() => useUiStore.getState().setPanelsCollapsed(!collapsed)}
      data-testid="panels-toggle"
    >
      {collapsed ? 'Show panels' : 'Hide panels'}
    </button>
  );
}

export function BackendBadge() {
  const backend = useTrainingStore((state) => state.backend);
  if (!backend) {
    return (
      <div className="backend-badge backend-badge--unknown" data-testid="backend-badge" title="tfjs loads in a worker once the page is idle; the first run picks WebGPU, WebGL, wasm or cpu">
        backend: picked at the first run
      </div>
    );
  }
  const reasons = [backend.fallbackReason, backend.softwareNote].filter(Boolean).join('. ');
  return (
    <div className={`backend-badge${reasons ? ' backend-badge--fallback' : ''}`} data-testid="backend-badge" title={reasons || undefined}>
      <strong>{backend.backend}</strong>
      {backend.softwareRenderer && <span className="backend-badge__software">software</span>}
      {reasons && <span className="backend-badge__reason">{reasons}</span>}
    </div>
  );
}

function EpochProgress({ run }: { run: RunRecord }) {
  const progress = run.progress;
  if (!progress) {
    return (
      <div className="progress" data-testid="epoch-progress">
        <span className="progress__text">Compiling the model…</span>
      </div>
    );
  }
  const done = (progress.epoch - 1 + progress.batch / Math.max(1, progress.batchesPerEpoch)) / Math.max(1, progress.epochs);
  const running = run.status === 'running';
  const parts = [`Epoch ${progress.epoch}/${progress.epochs}`];
  if (running && progress.evaluating === 'validation') parts.push(`validating on ${formatCount(progress.validationCount)} examples…`);
  else if (running && progress.evaluating === 'test') parts.push(`testing on ${formatCount(progress.testCount)} examples…`);
  else parts.push(`batch ${progress.batch}/${progress.batchesPerEpoch}`);
  const rate = formatRate(progress.examplesPerSecond);
  if (rate) parts.push(rate);
  if (running && progress.secondsLeft !== null) parts.push(`${formatDuration(progress.secondsLeft)} left`);

  return (
    <div className="progress" data-testid="epoch-progress">
      <span className="progress__text">{parts.join(' · ')}</span>
      <span className="progress__bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(done * 100)}>
        <span style={{ transform: `scaleX(${Math.min(1, done)})` }} />
      </span>
    </div>
  );
}

function Notice({ notice }: { notice: TrainingNotice }) {
  return (
    <div className={`training-notice training-notice--${notice.tone}`} role="alert" data-testid="training-notice">
      <p>{notice.message}</p>
      {notice.errors && notice.errors.length > 0 && (
        <ul>
          {notice.errors.map((error, index) => (
            <li key={index}>
              {error.message}
              {error.fix && (
                <button type="button" className="fix-button" onClick={() => applyGraphFix(error.fix!)}>
                  {error.fix.label}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Shows the outcome of a finished run: its message (why it stopped), and the test loss and metric. */
function RunOutcome({ run }: { run: RunRecord }) {
  const result = run.result;
  if (!result) return null;
  let tone = 'info';
  if (result.status === 'completed') tone = 'success';
  if (result.status === 'diverged' || result.status === 'failed') tone = 'error';
  const test = result.test;
  return (
    <div className={`run-outcome run-outcome--${tone}`} data-testid="training-result" data-status={result.status}>
      {test && (
        <p className="run-outcome__test" data-testid="test-result">
          <span>Test ({test.count.toLocaleString('en-US')} examples):</span>
          {Object.entries(test.logs).map(([key, value]) => (
            <span key={key} className="run-outcome__metric" data-testid={`test-${key}`}>
              {metricName(key)} <strong>{formatMetric(key, value)}</strong>
            </span>
          ))}
        </p>
      )}
      <p className="run-outcome__message">{result.status === 'diverged' ? <strong>The loss became NaN. </strong> : null}{result.message}</p>
    </div>
  );
}

function LongRunQuestion() {
  const estimate = useTrainingStore((state) => state.estimate);
  if (!estimate) return null;
  return (
    <div className="training-notice training-notice--warning" role="alertdialog" aria-label="Long training run" data-testid="long-run-warning">
      <p>
        <strong>This run will be slow on the {estimate.backend} backend.</strong> {estimate.message} Lower the epochs, use fewer examples in the data panel, or train
        anyway.
      </p>
      <div className="training-notice__actions">
        <button type="button" className="button button--primary" onClick={() => void confirmLongRun()} data-testid="long-run-confirm">
          Train anyway
        </button>
        <button type="button" className="button" onClick={cancelLongRun} data-testid="long-run-cancel">
          Cancel
        </button>
      </div>
    </div>
  );
}

/** Shows the settings and the Train and Stop buttons, which redraw on edits but not on progress events. */
function Controls() {
  const phase = useTrainingStore((state) => state.phase);
  const draft = useTrainingStore((state) => state.draft);
  const splitDraft = useDataStore((state) => state.splitDraft);
  const loaded = useDataStore((state) => state.loaded);
  const graph = useGraphStructure();
  const inference = useInference();

  const resolution = useMemo(() => {
    const split = resolveSplit(splitDraft, loaded?.dataset.count);
    if (!split.ok) return null;
    return resolveTrainingConfig(draft, split.split, graph, inference, loaded?.shapes.labels);
  }, [draft, splitDraft, loaded, graph, inference]);

  const busy = phase !== 'idle';
  const canStart = !busy && resolution?.ok === true;
  let startTitle = 'Train the model on the loaded data';
  if (!resolution) startTitle = 'Fix the split settings in the data panel first';
  else if (!resolution.ok) startTitle = 'Fix the training settings first';

  // When a run starts, the progress line comes into view if it is out of it, so the settings stay
  // in sight where they fit. The runs a page opens with (after a reload) leave the panel as it is.
  const actions = useRef<HTMLDivElement>(null);
  const runCount = useTrainingStore((state) => state.runs.length);
  const shownRunCount = useRef(runCount);
  useEffect(() => {
    const started = runCount > shownRunCount.current;
    shownRunCount.current = runCount;
    if (started) actions.current?.scrollIntoView?.({ block: 'nearest' });
  }, [runCount]);

  return (
    <>
      <TrainingSettings resolution={resolution} disabled={busy} />
      <div className="training-actions" ref={actions}>
        <button type="button" className="button button--primary" onClick={() => void startTraining()} disabled={!canStart} title={startTitle} data-testid="train-start">
          {phase === 'preparing' ? 'Starting…' : 'Train'}
        </button>
        <button type="button" className="button" onClick={() => void stopTraining()} disabled={phase === 'idle' || phase === 'stopping'} data-testid="train-stop">
          {phase === 'stopping' ? 'Stopping…' : 'Stop'}
        </button>
        {phase === 'preparing' && <span className="muted">Loading TensorFlow.js and picking the backend…</span>}
        <ShownProgress />
      </div>
    </>
  );
}

function ShownProgress() {
  const run = useTrainingStore(selectShownRun);
  if (!run || !(run.status === 'running' || run.status === 'preparing' || run.progress)) return null;
  return <EpochProgress run={run} />;
}

const NO_EPOCHS: EpochPoint[] = [];
const NO_BATCHES: BatchPoint[] = [];

/**
 * Minimum time between two redraws of the charts while a run reports batches, in milliseconds.
 * A redraw of both charts is the page's largest cost during training. Where the GPU work shares
 * the CPU it slows training, so the charts redraw once a second, which keeps the per-batch line
 * moving. A new epoch, another run or the end of a run redraws at once.
 */
export const CHART_REDRAW_INTERVAL_MS = 1000;

/**
 * Returns the shown run as the charts draw it: updated at most every CHART_REDRAW_INTERVAL_MS,
 * and as a transition, so that React can split the redraw and keep the page responsive.
 */
function useChartedRun(): RunRecord | null {
  const run = useTrainingStore(selectShownRun);
  const [charted, setCharted] = useState(run);
  const lastDraw = useRef(0);

  useEffect(() => {
    if (run === charted) return;
    const urgent = run?.id !== charted?.id || run?.status !== charted?.status || run?.epochs !== charted?.epochs;
    const delay = urgent ? 0 : Math.max(0, lastDraw.current + CHART_REDRAW_INTERVAL_MS - performance.now());
    const timer = setTimeout(() => {
      lastDraw.current = performance.now();
      startTransition(() => setCharted(run));
    }, delay);
    return () => clearTimeout(timer);
  }, [run, charted]);

  return charted;
}

/** Statuses of a run that ended before its planned epochs. */
const ENDED_EARLY: readonly RunStatus[] = ['early-stopped', 'stopped', 'diverged'];

/**
 * Returns the epochs the charts' x axis spans: those planned while a run trains, and those it
 * reached once it ended early, so that 8 epochs of a planned 60 fill the chart.
 */
export function chartedEpochs(run: RunRecord | null): number {
  const planned = Math.max(1, run?.progress?.epochs ?? run?.settings.config.epochs ?? 1);
  if (!run || !ENDED_EARLY.includes(run.status)) return planned;
  const lastBatch = run.batches.at(-1)?.x ?? 0;
  return Math.min(planned, Math.max(1, run.epochs.length, Math.ceil(lastBatch)));
}

/** Shows the curves and the outcome of the shown run. */
function ShownRun({ chartSize }: { chartSize?: ChartSize }) {
  const run = useChartedRun();
  const totalEpochs = chartedEpochs(run);
  const marks = { stoppedEpoch: run?.result?.stoppedEpoch, restoredEpoch: run?.result?.restoredEpoch };
  return (
    <>
      <div className="training-charts">
        <LossChart epochs={run?.epochs ?? NO_EPOCHS} batches={run?.batches ?? NO_BATCHES} totalEpochs={totalEpochs} {...marks} size={chartSize} />
        <MetricChart
          epochs={run?.epochs ?? NO_EPOCHS}
          totalEpochs={totalEpochs}
          regression={run?.settings.config.metrics.includes('mae') ?? false}
          {...marks}
          size={chartSize}
        />
      </div>
      {run && <RunOutcome run={run} />}
    </>
  );
}

export interface TrainingPanelProps {
  /** Fixed chart size, for tests in jsdom; the app sizes the charts to their boxes. */
  chartSize?: ChartSize;
}

export function TrainingPanel({ chartSize }: TrainingPanelProps) {
  const notice = useTrainingStore((state) => state.notice);

  return (
    <section className="training-panel" aria-label="Training" data-testid="training-panel">
      <header className="workspace-header">
        <h2 className="panel__title">Training</h2>
        <div className="workspace-header__actions">
          <BackendBadge />
          <PanelsToggle />
        </div>
      </header>
      <Controls />
      {notice && <Notice notice={notice} />}
      <LongRunQuestion />
      <ShownRun chartSize={chartSize} />
      <RunHistory chartSize={chartSize} />
    </section>
  );
}
