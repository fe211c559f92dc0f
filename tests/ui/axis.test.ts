import { describe, expect, it } from 'vitest';
import { axisTickFormatter, axisWidth, epochTicks } from '../../src/ui/training/axis';

describe('axisTickFormatter', () => {
  it('separates ticks of a narrow range', () => {
    const format = axisTickFormatter([0.6941, 0.6937, 0.6932]);
    const ticks = [0.6932, 0.6934, 0.6936, 0.6938, 0.694];
    const labels = ticks.map(format);
    expect(new Set(labels).size).toBe(ticks.length);
    expect(labels[0]).toBe('0.69320');
  });

  it('keeps few digits for a wide range', () => {
    const format = axisTickFormatter([2.31, 0.45, 1.2]);
    expect(format(0.5)).toBe('0.50');
    expect(format(2)).toBe('2.00');
  });

  it('drops decimals for large values', () => {
    expect(axisTickFormatter([1200, 3400])(2500)).toBe('2500');
  });

  it('handles one value and no values', () => {
    expect(axisTickFormatter([0.5])(0.55)).toBe('0.550');
    expect(axisTickFormatter([])(0.12345)).toBe('0.123');
    expect(axisTickFormatter([Number.NaN, 0.7])(0.7)).toBe('0.700');
  });

  it('same decimals, same function', () => {
    expect(axisTickFormatter([0.69, 0.61])).toBe(axisTickFormatter([0.68, 0.6]));
    expect(axisTickFormatter([0.69, 0.61])).not.toBe(axisTickFormatter([0.6941, 0.6932]));
  });
});

describe('axisWidth', () => {
  it('makes room for the longest label', () => {
    const values = [0.69575, 0.69345];
    const format = axisTickFormatter(values);
    expect(format(0.69575)).toBe('0.69575');
    expect(axisWidth(values, format)).toBeGreaterThanOrEqual(7 * 6.5);
    expect(axisWidth(values, format)).toBeGreaterThan(axisWidth([0.1, 0.9], axisTickFormatter([0.1, 0.9])));
  });

  it('narrowest width for short labels', () => {
    expect(axisWidth([0.2, 0.9], axisTickFormatter([0.2, 0.9]))).toBe(46);
    expect(axisWidth([], String)).toBe(46);
  });
});

describe('epochTicks', () => {
  it('round steps, at most 6 intervals', () => {
    expect(epochTicks(3)).toEqual([0, 1, 2, 3]);
    expect(epochTicks(10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(epochTicks(15)).toEqual([0, 5, 10, 15]);
    expect(epochTicks(60)).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(epochTicks(1000)).toEqual([0, 200, 400, 600, 800, 1000]);
  });

  it('same array for the same count', () => {
    expect(epochTicks(7)).toBe(epochTicks(7));
  });
});
