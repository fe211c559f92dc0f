/** Ticks and tick labels of the axes of the training charts. */

/** Recharts' default number of ticks on an axis. */
const TICK_COUNT = 5;

/** Digits after the point, at most; a loss axis never needs more. */
const MAX_DECIMALS = 6;

const threeDigits = (value: number) => value.toPrecision(3);

/**
 * Returns a tick formatter for an axis over `values` that gives neighbouring ticks different
 * labels: the decimals follow the spacing of the ticks, not the size of the values. A loss that
 * moves from 0.6941 to 0.6932 gets ticks 0.69320 … 0.69420 rather than 0.693 twice.
 */

export function axisTickFormatter(values: readonly number[]): (value: number) => string {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return threeDigits;
  const range = Math.max(...finite) - Math.min(...finite);
  // With one value (or equal values) the axis spans about a tenth of it either side.
  const step = range > 0 ? range / (TICK_COUNT - 1) : Math.abs(finite[0]) / 10 || 1;
  const decimals = Math.min(MAX_DECIMALS, Math.max(0, 1 - Math.floor(Math.log10(step))));
  return fixedFormatter(decimals);
}

const FIXED_FORMATTERS = new Map<number, (value: number) => string>();

/**
 * Returns the same function for the same number of decimals, so a chart redrawn with new data
 * keeps its axis settings: recharts stores a changed setting and draws the chart once more.
 */
function fixedFormatter(decimals: number): (value: number) => string {
  let formatter = FIXED_FORMATTERS.get(decimals);
  if (!formatter) {
    formatter = (value) => value.toFixed(decimals);
    FIXED_FORMATTERS.set(decimals, formatter);
  }
  return formatter;
}

/** Width of one character of an 11 px tick label, in pixels, with some room to spare. */
const CHARACTER_WIDTH = 6.5;
/** Room between the labels and the axis line, in pixels. */
const AXIS_PADDING = 14;
const MIN_AXIS_WIDTH = 46;

/**
 * Returns the width a value axis needs for its tick labels, so that a label such as 0.69575 is
 * not cut to .69575. The ticks lie near the extremes of the values, so those are measured.
 */
export function axisWidth(values: readonly number[], format: (value: number) => string): number {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return MIN_AXIS_WIDTH;
  const longest = Math.max(...[Math.min(...finite), Math.max(...finite)].map((value) => format(value).length));
  return Math.max(MIN_AXIS_WIDTH, Math.ceil(longest * CHARACTER_WIDTH + AXIS_PADDING));
}

/** Steps between epoch ticks, in epochs: 1, 2, 5, 10, 20, 50 and so on. */
function niceStep(least: number): number {
  for (let power = 1; ; power *= 10) {
    for (const step of [1, 2, 5]) if (step * power >= least) return step * power;
  }
}

/** Maximum number of intervals between epoch ticks. Every tick is drawn, so even a narrow chart must fit them. */
const MAX_EPOCH_INTERVALS = 6;

const EPOCH_TICKS = new Map<number, number[]>();

/** Returns the ticks of an axis of `epochs` epochs, from 0 at a round step. The same count gives the same array. */
export function epochTicks(epochs: number): number[] {
  const known = EPOCH_TICKS.get(epochs);
  if (known) return known;
  const step = niceStep(epochs / MAX_EPOCH_INTERVALS);
  const ticks: number[] = [];
  for (let epoch = 0; epoch <= epochs; epoch += step) ticks.push(epoch);
  EPOCH_TICKS.set(epochs, ticks);
  return ticks;
}
