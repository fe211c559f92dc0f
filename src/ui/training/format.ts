/** Numbers of a training run written for people: metric values, names of log keys, throughput. */
import type { EpochLogs } from '../../train/types';

/** Names of the log keys tfjs writes, as the panel labels them. */
const METRIC_NAMES: Readonly<Record<string, string>> = {
  loss: 'loss',
  acc: 'accuracy',
  mae: 'mean absolute error',
  mse: 'mean squared error',
};

export function metricName(key: string): string {
  const validation = key.startsWith('val_');
  const name = METRIC_NAMES[key.replace(/^val_/, '')] ?? key;
  return validation ? `validation ${name}` : name;
}

/** Accuracy as a percentage ("71.2 %"), every other value with 4 significant digits. */
export function formatMetric(key: string, value: number | undefined): string {
  if (value === undefined) return '–';
  if (!Number.isFinite(value)) return String(value);
  if (key.replace(/^val_/, '') === 'acc') return `${(value * 100).toFixed(1)} %`;
  return value.toPrecision(4);
}

/** The metric key a run reports besides the loss: `acc` for classification, `mae` for regression. */
export function mainMetric(logs: readonly EpochLogs[]): string | null {
  const keys = new Set(logs.flatMap((entry) => Object.keys(entry)));
  if (keys.has('acc')) return 'acc';
  if (keys.has('mae')) return 'mae';
  return null;
}

export function formatRate(examplesPerSecond: number | null): string {
  if (examplesPerSecond === null || !Number.isFinite(examplesPerSecond)) return '';
  return examplesPerSecond >= 100 ? `${Math.round(examplesPerSecond).toLocaleString('en-US')} examples/s` : `${examplesPerSecond.toPrecision(2)} examples/s`;
}
