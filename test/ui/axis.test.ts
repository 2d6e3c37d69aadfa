// The value axes of the charts, as a user reads them: tick labels on a 1-2-5 ladder in the unit of
// the range, a range that reaches every threshold drawn, and never a value the metric cannot take
// (issue 16: a first-response-time chart read "3h53m20s … 0s, -33m20s").
import { describe, expect, it } from 'vitest';
import { chartValue, valueAxis, type AxisRequest } from '../../ui/lib/axis.ts';

const MIN = 60;
const HOUR = 3600;
const DAY = 86_400;
const labels = (r: AxisRequest) => valueAxis(r).ticks.map((t) => t.label);

describe('time axes', () => {
  it('0–90 s reads in seconds', () => {
    expect(labels({ values: [0, 30, 90], unit: 'duration' })).toEqual(['0', '20 s', '40 s', '60 s', '80 s', '100 s']);
  });

  it('1 min–4 h reads in whole hours from 0', () => {
    expect(labels({ values: [MIN, HOUR, 4 * HOUR], unit: 'duration', range: [0, null] })).toEqual(['0', '1 h', '2 h', '3 h', '4 h', '5 h']);
  });

  it('0.2–3 days reads in days', () => {
    expect(labels({ values: [0.2 * DAY, 3 * DAY], unit: 'duration' })).toEqual(['0', '1 d', '2 d', '3 d', '4 d']);
  });

  it('a span within hours steps in minutes under the hour it starts from', () => {
    expect(labels({ values: [2 * HOUR, 2.4 * HOUR], unit: 'duration' })).toEqual(['1 h 50 min', '2 h', '2 h 10 min', '2 h 20 min', '2 h 30 min']);
  });

  it('the values of the issue read in hours, never below 0', () => {
    const axis = valueAxis({ values: [0, 14_000], unit: 'duration' });
    expect(axis.ticks.map((t) => t.label)).toEqual(['0', '1 h', '2 h', '3 h', '4 h', '5 h']);
    expect(axis.min).toBe(0);
  });

  it('one-minute values under a 4 h standard are drawn on a logarithmic axis that reaches the standard', () => {
    const axis = valueAxis({ values: [55, 60, 70], thresholds: [4 * HOUR], unit: 'duration' });
    expect(axis.scale).toBe('logarithmic');
    expect(axis.ticks.map((t) => t.label)).toEqual(['30 s', '1 min', '5 min', '10 min', '30 min', '1 h', '6 h']);
    expect(axis.min).toBeLessThan(55);
    expect(axis.max).toBeGreaterThan(4 * HOUR);
  });

  it('values that already fill a good part of the axis stay on a linear one', () => {
    expect(valueAxis({ values: [30 * MIN, 45 * MIN], thresholds: [4 * HOUR], unit: 'duration' }).scale).toBe('linear');
  });
});

describe('scores, ratios, percentages and counts', () => {
  it('CSAT 3.1–4.6 with a standard at 3.6: half steps from 3, not from 0', () => {
    const axis = valueAxis({ values: [3.1, 3.5, 4.6], thresholds: [3.6], unit: 'score', range: [1, 5] });
    expect(axis.ticks.map((t) => t.label)).toEqual(['3.0', '3.5', '4.0', '4.5', '5.0']);
    expect(axis.min).toBeLessThan(3.1);
  });

  it('a threshold far from the values is always on the axis', () => {
    const axis = valueAxis({ values: [25, 31], thresholds: [55], unit: 'score', range: [-100, 100] });
    expect(axis.ticks.map((t) => t.label)).toEqual(['20', '30', '40', '50', '60']);
    expect(axis.max).toBeGreaterThanOrEqual(55);
  });

  it('a ratio 0.6–0.95 reads as percentages and stops at 100%', () => {
    expect(labels({ values: [0.6, 0.95], unit: 'ratio', range: [0, 1] })).toEqual(['50%', '60%', '70%', '80%', '90%', '100%']);
    expect(valueAxis({ values: [0.97, 0.99], unit: 'ratio', range: [0, 1] }).max).toBe(1);
  });

  it('a percentage above 100 reads as one', () => {
    expect(labels({ values: [82, 131], thresholds: [100], unit: 'percent', range: [0, null] })).toEqual(['80%', '90%', '100%', '110%', '120%', '130%', '140%']);
  });

  it('counts step in whole numbers; bars start at zero', () => {
    expect(labels({ values: [0, 0, 0], unit: 'count', fromZero: true })).toEqual(['0', '1', '2', '3']);
    expect(labels({ values: [0, 4, 7, 12], unit: 'count', fromZero: true })).toEqual(['0', '5', '10', '15']);
    expect(labels({ values: [40, 52], unit: 'count' })).toEqual(['35', '40', '45', '50', '55']);
  });

  it('a score may be negative only where its declared range allows', () => {
    expect(labels({ values: [-12, 25, 31], thresholds: [50], unit: 'score', range: [-100, 100] })).toEqual(['-20', '0', '20', '40', '60']);
    expect(valueAxis({ values: [0.02, 0.3], unit: 'score', range: [0, 1] }).min).toBe(0);
  });

  it('never a negative tick for a duration, a count or a ratio near zero', () => {
    for (const [unit, values] of [['duration', [0, 2, 5]], ['count', [0, 1]], ['ratio', [0, 0.04]]] as const) {
      const axis = valueAxis({ values: [...values], unit });
      expect(axis.min).toBe(0);
      expect(axis.ticks.every((t) => t.value >= 0 && !t.label.startsWith('-'))).toBe(true);
    }
  });

  it('an empty chart shows the declared range', () => {
    expect(labels({ values: [null, null], unit: 'score', range: [1, 5] })).toEqual(['1', '2', '3', '4', '5']);
  });
});

describe('values in tooltips and legends', () => {
  it('reads times in their two largest units, ratios as percentages', () => {
    expect(chartValue(14_000, 'duration')).toBe('3 h 53 min');
    expect(chartValue(65.4, 'duration')).toBe('1 min 5 s');
    expect(chartValue(4 * HOUR, 'duration')).toBe('4 h');
    expect(chartValue(0.8234, 'ratio')).toBe('82.3%');
    expect(chartValue(3.6, 'score')).toBe('3.6');
  });
});
