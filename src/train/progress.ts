/** Pure helpers behind progress reports: loss smoothing, time left and durations for people. */

/**
 * Exponential moving average with bias correction, as Adam corrects its moments: early values
 * are not pulled towards 0. `weight` is the share of the previous average in each step.
 */
export class SmoothedValue {
  private average = 0;
  private steps = 0;

  constructor(private readonly weight = 0.9) {}

  add(value: number): number {
    this.steps += 1;
    this.average = this.weight * this.average + (1 - this.weight) * value;
    return this.value;
  }

  get value(): number {
    return this.steps === 0 ? Number.NaN : this.average / (1 - this.weight ** this.steps);
  }
}

/**
 * Training throughput over a run: the examples of the finished epochs and of the current one,
 * over the time spent training them, validation left out. The first batches of an epoch alone
 * would give a rate that jumps at each new epoch.
 */
export class Throughput {
  private examplesBefore = 0;
  private secondsBefore = 0;

  /** Records a finished epoch of `examples` trained in `seconds`. */
  endEpoch(examples: number, seconds: number): void {
    this.examplesBefore += examples;
    this.secondsBefore += seconds;
  }

  /** Examples per second, with `examples` trained in the current epoch in `seconds` so far. */
  rate(examples: number, seconds: number): number {
    return (this.examplesBefore + examples) / (this.secondsBefore + seconds);
  }
}

export interface RemainingWork {
  /** Training examples still to go in the current epoch. */
  examplesLeftInEpoch: number;
  /** Epochs after the current one. */
  epochsAfter: number;
  trainCount: number;
  examplesPerSecond: number;
  /** Duration of one validation pass: measured after the first epoch, estimated before. */
  validationSeconds: number;
}

/** Estimates the seconds left in a run from the current throughput. */
export function estimateSecondsLeft(work: RemainingWork): number {
  if (!(work.examplesPerSecond > 0)) return Number.NaN;
  const examples = work.examplesLeftInEpoch + work.epochsAfter * work.trainCount;
  return examples / work.examplesPerSecond + (work.epochsAfter + 1) * work.validationSeconds;
}

/** Formats a duration in the unit a person reads best: "45 s", "2 min", "1.5 h". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'an unknown time';
  if (seconds < 1) return 'under 1 s';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${Math.round((seconds / 3600) * 10) / 10} h`;
}

/** Formats a duration to follow "will take": "about 2 min", or "under 1 s" where "about" would not fit. */
export function approximateDuration(seconds: number): string {
  return Number.isFinite(seconds) && seconds < 1 ? formatDuration(seconds) : `about ${formatDuration(seconds)}`;
}
