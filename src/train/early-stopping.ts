/**
 * Early stopping as Keras's `EarlyStopping` callback decides it. After each epoch the monitored
 * value is compared with the best so far. Training stops once `patience` epochs in a row brought
 * no improvement larger than `minDelta`.
 */
import { monitorMode, type EarlyStoppingSettings } from '../compile/training-config';
import type { EpochLogs } from './types';

export interface EarlyStoppingStep {
  /** Whether this epoch is the new best; the caller then keeps a copy of the weights. */
  improved: boolean;
  stop: boolean;
}

export class EarlyStopping {
  private best: number;
  private wait = 0;
  private bestEpochSeen: number | null = null;
  private readonly mode: 'min' | 'max';

  constructor(private readonly settings: EarlyStoppingSettings) {
    this.mode = monitorMode(settings.monitor);
    this.best = this.mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }

  /** Records the logs of `epoch` (counted from 1). A missing or non-finite value counts as no improvement. */
  update(epoch: number, logs: EpochLogs): EarlyStoppingStep {
    const value = logs[this.settings.monitor];
    const improved = Number.isFinite(value) && this.isImprovement(value);
    if (improved) {
      this.best = value;
      this.bestEpochSeen = epoch;
      this.wait = 0;
      return { improved, stop: false };
    }

    this.wait += 1;
    // Keras never stops after the first epoch, whatever the patience.
    return { improved, stop: this.wait >= this.settings.patience && epoch > 1 };
  }

  get bestEpoch(): number | null {
    return this.bestEpochSeen;
  }

  get bestValue(): number {
    return this.best;
  }

  private isImprovement(value: number): boolean {
    const delta = this.settings.minDelta;
    return this.mode === 'min' ? value < this.best - delta : value > this.best + delta;
  }
}
