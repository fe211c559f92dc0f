/**
 * Every run of this session with its settings and results. Picking a run shows its curves in the
 * main charts; ticking "compare" overlays its validation curve with those of other runs, e.g. a
 * baseline against the same model with dropout or L2.
 */
import { memo, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { describeLoss } from '../../compile/training-config';
import { formatCount } from '../../layers';
import { removeRun, showRun, toggleComparedRun, useTrainingStore, type RunRecord, type RunStatus } from '../../store/training-store';
import { axisTickFormatter, axisWidth } from './axis';
import type { ChartSize } from './Charts';
import { formatMetric, mainMetric } from './format';

/** Colours of compared runs, in the order they were ticked. */
const COMPARE_COLORS = ['#4f46e5', '#ea580c', '#16a34a', '#db2777', '#0891b2', '#ca8a04', '#7c3aed', '#475569'];

const STATUS_WORDS: Readonly<Record<RunStatus, string>> = {
  preparing: 'starting',
  running: 'running',
  completed: 'completed',
  'early-stopped': 'stopped early',
  stopped: 'stopped',
  diverged: 'loss became NaN',
  failed: 'failed',
};

/** Describes the settings of a run in one line: "adam 0.001 · batch 32 · 10 epochs · binary cross-entropy". */
export function describeRunSettings(run: RunRecord): string {
  const { config } = run.settings;
  const parts = [`${config.optimizer.name} ${config.optimizer.learningRate}`, `batch ${config.batchSize}`, `${config.epochs} ${config.epochs === 1 ? 'epoch' : 'epochs'}`, describeLoss(config.loss)];
  if (config.earlyStopping.enabled) parts.push(`early stopping on ${config.earlyStopping.monitor} (patience ${config.earlyStopping.patience})`);
  return parts.join(' · ');
}

function bestValidation(run: RunRecord): string | null {
  const metric = mainMetric(run.epochs.map((point) => point.logs));
  if (!metric) return null;
  const key = `val_${metric}`;
  const values = run.epochs.map((point) => point.logs[key]).filter((value) => Number.isFinite(value));
  if (values.length === 0) return null;
  const best = metric === 'acc' ? Math.max(...values) : Math.min(...values);
  return `best validation ${metric === 'acc' ? 'accuracy' : metric} ${formatMetric(key, best)}`;
}

function testSummary(run: RunRecord): string | null {
  const test = run.result?.test;
  if (!test) return null;
  const metric = mainMetric([test.logs]);
  return metric ? `test ${metric === 'acc' ? 'accuracy' : metric} ${formatMetric(metric, test.logs[metric])}` : `test loss ${formatMetric('loss', test.logs.loss)}`;
}

type CompareKey = 'val_loss' | 'val_acc' | 'val_mae';

function CompareChartView({ runs, metric, size }: { runs: RunRecord[]; metric: CompareKey; size?: ChartSize }) {
  const epochs = Math.max(1, ...runs.map((run) => run.settings.config.epochs));
  const series = runs.map((run) => ({
    run,
    points: run.epochs.flatMap((point) => (Number.isFinite(point.logs[metric]) ? [{ x: point.epoch, y: point.logs[metric] }] : [])),
  }));
  const accuracy = metric === 'val_acc';
  const values = series.flatMap(({ points }) => points.map((point) => point.y));
  const tickFormatter = accuracy ? (value: number) => `${Math.round(value * 100)}%` : axisTickFormatter(values);
  const margin = { top: 6, right: 12, bottom: 0, left: 0 };
  const sizing = size ? { width: size.width, height: size.height, margin } : { responsive: true, style: { width: '100%', height: '100%' }, margin };

  return (
    <figure className="chart chart--compare" data-testid="chart-compare" data-series={series.length}>
      <div className="chart__body" style={size ? { width: size.width, height: size.height } : undefined}>
        <LineChart {...sizing} title="Validation curves of the runs shown, by epoch; the arrow keys step through the points">
          <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
          <XAxis type="number" dataKey="x" domain={[0, epochs]} allowDecimals={false} fontSize={11} tickLine={false} />
          <YAxis type="number" domain={accuracy ? [0, 1] : ['auto', 'auto']} width={axisWidth(values, tickFormatter)} fontSize={11} tickFormatter={tickFormatter} />
          <Tooltip formatter={(value) => (typeof value === 'number' ? formatMetric(metric, value) : String(value))} labelFormatter={(label) => `epoch ${label}`} />
          <Legend iconSize={10} wrapperStyle={{ fontSize: 11 }} />
          {series.map(({ run, points }, index) => (
            <Line
              key={run.id}
              data={points}
              dataKey="y"
              name={run.name}
              stroke={COMPARE_COLORS[index % COMPARE_COLORS.length]}
              strokeWidth={2}
              dot={{ r: 2.5 }}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </div>
    </figure>
  );
}

const CompareChart = memo(CompareChartView);

function RunRowView({ run, shown, compared, busy }: { run: RunRecord; shown: boolean; compared: boolean; busy: boolean }) {
  const running = run.status === 'preparing' || run.status === 'running';
  const results = [bestValidation(run), testSummary(run)].filter(Boolean).join(' · ');
  return (
    <li className={`run${shown ? ' is-shown' : ''}`} data-testid={`run-${run.id}`}>
      <div className="run__head">
        <button type="button" className="run__name" onClick={() => showRun(run.id)} aria-pressed={shown} title="Show this run in the charts above">
          {run.name}
        </button>
        <span className={`run__status run__status--${run.status}`}>{STATUS_WORDS[run.status]}</span>
        {run.backend && <span className="run__backend">{run.backend.backend}</span>}
        <label className="run__compare">
          <input type="checkbox" checked={compared} onChange={() => toggleComparedRun(run.id)} data-testid={`run-compare-${run.id}`} />
          compare
        </label>
        <button type="button" className="run__remove" onClick={() => removeRun(run.id)} disabled={running && busy} aria-label={`Remove ${run.name}`} title="Remove from the history">
          ×
        </button>
      </div>
      <p className="run__detail">
        {run.settings.datasetName} · {formatCount(run.settings.totalParams)} params · {run.settings.layers}
      </p>
      <p className="run__detail">{describeRunSettings(run)}</p>
      {results && <p className="run__detail run__results">{results}</p>}
    </li>
  );
}

/** A row redraws only when its run changes, so a running run does not redraw the finished ones. */
const RunRow = memo(RunRowView);

export function RunHistory({ chartSize }: { chartSize?: ChartSize }) {
  const runs = useTrainingStore((state) => state.runs);
  const shownRunId = useTrainingStore((state) => state.shownRunId);
  const comparedRunIds = useTrainingStore((state) => state.comparedRunIds);
  const busy = useTrainingStore((state) => state.phase !== 'idle');
  const [metric, setMetric] = useState<CompareKey>('val_loss');

  if (runs.length === 0) return null;
  const compared = comparedRunIds.flatMap((id) => runs.filter((run) => run.id === id));
  const regression = compared.some((run) => run.settings.config.metrics.includes('mae'));

  return (
    <section className="runs" aria-label="Run history" data-testid="run-history">
      <h3 className="training-subtitle">Runs</h3>
      <ol className="runs__list" reversed>
        {[...runs].reverse().map((run) => (
          <RunRow key={run.id} run={run} shown={run.id === shownRunId} compared={comparedRunIds.includes(run.id)} busy={busy} />
        ))}
      </ol>
      {compared.length > 0 ? (
        <div className="runs__compare">
          <div className="runs__compare-head">
            <span>Validation curves of {compared.length === 1 ? '1 run' : `${compared.length} runs`}</span>
            <select value={metric} onChange={(event) => setMetric(event.target.value as CompareKey)} aria-label="Compared quantity" data-testid="compare-metric">
              <option value="val_loss">validation loss</option>
              <option value={regression ? 'val_mae' : 'val_acc'}>{regression ? 'validation mean absolute error' : 'validation accuracy'}</option>
            </select>
          </div>
          <CompareChart runs={compared} metric={metric} size={chartSize} />
        </div>
      ) : (
        runs.length > 1 && <p className="data-note">Tick “compare” on two or more runs to overlay their validation curves.</p>
      )}
    </section>
  );
}
