/**
 * Live charts of a run: the loss (training and validation per epoch, plus the smoothed loss of
 * each reported batch) and the main metric (accuracy, or mean absolute error for regression).
 * The x axis counts epochs, so a batch halfway through epoch 2 sits at 1.5. An early stop is
 * marked with a vertical line.
 *
 * Each chart draws one data array, with a column per series, because recharts registers a
 * series' own data in an effect and redraws once more for each. Animation is off and the legend
 * is plain HTML, which keeps a redraw short while the data changes several times a second.
 */
import { memo, type ReactNode } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { BatchPoint, EpochPoint } from '../../store/training-store';
import { axisTickFormatter, axisWidth, epochTicks } from './axis';
import { formatMetric, mainMetric, metricName } from './format';

/** Maximum number of batch points drawn; longer runs are thinned evenly, so a redraw costs the same late in a run. */
export const MAX_BATCH_POINTS = 300;

export const SERIES_COLORS = {
  training: '#4f46e5',
  validation: '#ea580c',
  batches: '#a5b4fc',
} as const;

/** Fixed chart size, for tests in jsdom where nothing has a layout size; the app sizes charts to their box. */
export interface ChartSize {
  width: number;
  height: number;
}

/** One x position of a chart with the series that have a value there. */
export interface ChartRow {
  x: number;
  batch?: number;
  training?: number;
  validation?: number;
}

/** Returns every value the rows plot, for the scale of the value axis. */
function plottedValues(rows: readonly ChartRow[]): number[] {
  return rows.flatMap((row) => [row.batch, row.training, row.validation].filter((value): value is number => value !== undefined));
}

/** Keeps at most `limit` points, evenly spaced, always with the last one. */
export function thinPoints<T>(points: readonly T[], limit = MAX_BATCH_POINTS): T[] {
  if (points.length <= limit) return [...points];
  const step = points.length / limit;
  const thinned: T[] = [];
  for (let index = 0; index < limit - 1; index++) thinned.push(points[Math.floor(index * step)]);
  thinned.push(points[points.length - 1]);
  return thinned;
}

/**
 * Merges the series into rows sorted by x: smoothed batch losses at fractions of an epoch, and
 * the training and validation values of `key` at the end of each epoch. Non-finite values are
 * left out, so a NaN loss does not break the line before it.
 */
export function chartRows(epochs: readonly EpochPoint[], key: string, batches: readonly BatchPoint[] = []): ChartRow[] {
  const rows = new Map<number, ChartRow>();
  const row = (x: number) => {
    let found = rows.get(x);
    if (!found) {
      found = { x };
      rows.set(x, found);
    }
    return found;
  };
  for (const point of thinPoints(batches)) {
    if (Number.isFinite(point.smoothedLoss)) row(point.x).batch = point.smoothedLoss;
  }
  for (const point of epochs) {
    const training = point.logs[key];
    const validation = point.logs[`val_${key}`];
    if (Number.isFinite(training)) row(point.epoch).training = training;
    if (Number.isFinite(validation)) row(point.epoch).validation = validation;
  }
  return [...rows.values()].sort((a, b) => a.x - b.x);
}

function countOf(rows: readonly ChartRow[], series: 'batch' | 'training' | 'validation'): number {
  return rows.reduce((count, row) => count + (row[series] === undefined ? 0 : 1), 0);
}

interface LegendEntry {
  name: string;
  color: string;
}

interface ChartFrameProps {
  testId: string;
  title: string;
  legend: LegendEntry[];
  size?: ChartSize;
  counts: Record<string, number>;
  empty: boolean;
  /** When the first points appear: the loss has a point per batch, the other metrics per epoch. */
  firstPoints: 'batch' | 'epoch';
  children: ReactNode;
}

/** Draws the box around a chart, with data attributes that count the points of each series for tests and tools. */
function ChartFrame({ testId, title, legend, size, counts, empty, firstPoints, children }: ChartFrameProps) {
  const data = Object.fromEntries(Object.entries(counts).map(([name, count]) => [`data-${name}-points`, count]));
  return (
    <figure className={`chart${empty ? ' is-empty' : ''}`} data-testid={testId} {...data}>
      <figcaption className="chart__title">
        <span>{title}</span>
        <span className="chart__legend">
          {legend.map((entry) => (
            <span key={entry.name} className="chart__legend-entry">
              <span className="chart__swatch" style={{ background: entry.color }} />
              {entry.name}
            </span>
          ))}
        </span>
      </figcaption>
      <div className="chart__body" style={size ? { width: size.width, height: size.height } : undefined}>
        {empty && <p className="chart__empty">The curves appear after the first {firstPoints}.</p>}
        {/* Mounted while empty too, so that the first batch updates the chart instead of mounting it, which took 60 ms of main-thread CPU time in a Chromium trace on 2 shared cores. */}
        {children}
      </div>
    </figure>
  );
}

/*
 * Recharts keeps each axis and series setting in its own store and draws the chart again when one
 * changes, so the settings below are constants, or memoized, rather than new objects and functions
 * on every redraw. Axis intervals are 0 (draw every tick): the ticks are few, and the default
 * measures each label in the DOM to thin them on every redraw.
 */
const MARGIN = { top: 8, right: 12, bottom: 0, left: 0 };
const FILL_BOX = { width: '100%', height: '100%' };
const RESPONSIVE = { responsive: true, style: FILL_BOX, margin: MARGIN };
const AUTO_DOMAIN: [string, string] = ['auto', 'auto'];
const UNIT_DOMAIN: [number, number] = [0, 1];
const EPOCH_DOT = { r: 3 };

function chartProps(size?: ChartSize) {
  return size ? { width: size.width, height: size.height, margin: MARGIN } : RESPONSIVE;
}

const lossFormatter = (value: unknown) => (typeof value === 'number' ? value.toPrecision(4) : String(value));
const batchLabelFormatter = (label: unknown) => `epoch ${Number(label).toFixed(2).replace(/\.00$/, '')}`;
const epochLabelFormatter = (label: unknown) => `epoch ${String(label)}`;
const percentFormatter = (value: number) => `${Math.round(value * 100)}%`;
const METRIC_FORMATTERS = new Map<string, (value: unknown) => string>();

function metricFormatter(metric: string): (value: unknown) => string {
  let formatter = METRIC_FORMATTERS.get(metric);
  if (!formatter) {
    formatter = (value) => (typeof value === 'number' ? formatMetric(metric, value) : String(value));
    METRIC_FORMATTERS.set(metric, formatter);
  }
  return formatter;
}

/** Inputs of the charts of one run: plain arrays and numbers, so that memo skips a chart whose inputs did not change. */
interface RunChartProps {
  epochs: readonly EpochPoint[];
  totalEpochs: number;
  /** The epoch at which early stopping ended the run. */
  stoppedEpoch?: number;
  /** The epoch whose weights early stopping restored. */
  restoredEpoch?: number;
  size?: ChartSize;
}

// The best epoch comes before the early stop, so "best" reads to the left of its line and
// "early stop" to the right of its own: on neighbouring epochs the two do not overlap.
const EARLY_STOP_LABEL = { value: 'early stop', position: 'insideTopLeft', fontSize: 11, fill: '#dc2626' } as const;
const BEST_LABEL = { value: 'best', position: 'insideTopRight', fontSize: 11, fill: '#16a34a' } as const;

function stopMarks(stoppedEpoch?: number, restoredEpoch?: number): ReactNode {
  return (
    <>
      {stoppedEpoch !== undefined && (
        <ReferenceLine x={stoppedEpoch} stroke="#dc2626" strokeDasharray="4 3" label={EARLY_STOP_LABEL} />
      )}
      {restoredEpoch !== undefined && restoredEpoch !== stoppedEpoch && (
        <ReferenceLine x={restoredEpoch} stroke="#16a34a" strokeDasharray="2 3" label={BEST_LABEL} />
      )}
    </>
  );
}

const EPOCH_DOMAINS = new Map<number, [number, number]>();

function xAxis(totalEpochs: number): ReactNode {
  let domain = EPOCH_DOMAINS.get(totalEpochs);
  if (!domain) {
    domain = [0, totalEpochs];
    EPOCH_DOMAINS.set(totalEpochs, domain);
  }
  return <XAxis type="number" dataKey="x" domain={domain} ticks={epochTicks(totalEpochs)} interval={0} allowDecimals={false} fontSize={11} tickLine={false} />;
}

const LOSS_LEGEND: LegendEntry[] = [
  { name: 'training', color: SERIES_COLORS.training },
  { name: 'validation', color: SERIES_COLORS.validation },
  { name: 'per batch, smoothed', color: SERIES_COLORS.batches },
];

const METRIC_LEGEND = LOSS_LEGEND.slice(0, 2);

function LossChartView({ epochs, batches, totalEpochs, stoppedEpoch, restoredEpoch, size }: RunChartProps & { batches: readonly BatchPoint[] }) {
  const rows = chartRows(epochs, 'loss', batches);
  const counts = { training: countOf(rows, 'training'), validation: countOf(rows, 'validation'), batch: countOf(rows, 'batch') };
  const values = plottedValues(rows);
  const tickFormatter = axisTickFormatter(values);

  return (
    <ChartFrame testId="chart-loss" title="Loss" legend={LOSS_LEGEND} size={size} counts={counts} empty={rows.length === 0} firstPoints="batch">
      <LineChart data={rows} {...chartProps(size)} title="Loss by epoch: training, validation and per batch; the arrow keys step through the points">
        <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
        {xAxis(totalEpochs)}
        <YAxis type="number" domain={AUTO_DOMAIN} interval={0} width={axisWidth(values, tickFormatter)} fontSize={11} tickFormatter={tickFormatter} />
        <Tooltip formatter={lossFormatter} labelFormatter={batchLabelFormatter} />
        <Line dataKey="batch" name="per batch, smoothed" stroke={SERIES_COLORS.batches} dot={false} strokeWidth={1.5} connectNulls isAnimationActive={false} />
        <Line dataKey="training" name="training" stroke={SERIES_COLORS.training} strokeWidth={2} dot={EPOCH_DOT} connectNulls isAnimationActive={false} />
        <Line dataKey="validation" name="validation" stroke={SERIES_COLORS.validation} strokeWidth={2} dot={EPOCH_DOT} connectNulls isAnimationActive={false} />
        {stopMarks(stoppedEpoch, restoredEpoch)}
      </LineChart>
    </ChartFrame>
  );
}

function MetricChartView({ epochs, totalEpochs, stoppedEpoch, restoredEpoch, size, regression }: RunChartProps & { regression: boolean }) {
  const metric = mainMetric(epochs.map((point) => point.logs)) ?? (regression ? 'mae' : 'acc');
  const rows = chartRows(epochs, metric);
  const accuracy = metric === 'acc';
  const counts = { training: countOf(rows, 'training'), validation: countOf(rows, 'validation') };
  const values = plottedValues(rows);
  const tickFormatter = accuracy ? percentFormatter : axisTickFormatter(values);
  const title = accuracy ? 'Accuracy' : metricName(metric).replace(/^./, (first) => first.toUpperCase());

  return (
    <ChartFrame testId="chart-accuracy" title={title} legend={METRIC_LEGEND} size={size} counts={counts} empty={rows.length === 0} firstPoints="epoch">
      <LineChart data={rows} {...chartProps(size)} title={`${title} by epoch: training and validation; the arrow keys step through the points`}>
        <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
        {xAxis(totalEpochs)}
        <YAxis
          type="number"
          domain={accuracy ? UNIT_DOMAIN : AUTO_DOMAIN}
          interval={0}
          width={axisWidth(values, tickFormatter)}
          fontSize={11}
          tickFormatter={tickFormatter}
        />
        <Tooltip formatter={metricFormatter(metric)} labelFormatter={epochLabelFormatter} />
        <Line dataKey="training" name="training" stroke={SERIES_COLORS.training} strokeWidth={2} dot={EPOCH_DOT} connectNulls isAnimationActive={false} />
        <Line dataKey="validation" name="validation" stroke={SERIES_COLORS.validation} strokeWidth={2} dot={EPOCH_DOT} connectNulls isAnimationActive={false} />
        {stopMarks(stoppedEpoch, restoredEpoch)}
      </LineChart>
    </ChartFrame>
  );
}

export const LossChart = memo(LossChartView);
export const MetricChart = memo(MetricChartView);
