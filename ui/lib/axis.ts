// Value axes a person can read. The range follows the values and every threshold drawn (so each
// threshold line is on the chart), with a little room, and never goes past what the metric can
// take (no negative durations, counts or ratios; a score's declared range). Ticks step on a 1-2-5
// ladder in the unit of the range: "20 s", "5 min", "2 h", "1 d", "3.5", "80%". When a threshold
// far above would flatten a time metric's values onto the floor, the axis is logarithmic.
// Pure, so that test/ui/axis.test.ts asserts the labels a user reads.

export interface AxisRequest {
  /** The values drawn; null where a period has no value. */
  values: ReadonlyArray<number | null | undefined>;
  /** Threshold lines drawn across the chart: the axis always reaches them. */
  thresholds?: readonly number[];
  /** The metric's unit: duration (seconds), ratio (0–1), percent, count, score, currency. */
  unit: string;
  /** The metric's declared [min, max], null where unbounded. */
  range?: readonly [number | null, number | null] | null;
  /** Bars start at zero: the axis includes 0 and adds no room below it. */
  fromZero?: boolean;
}

export interface Tick {
  value: number;
  label: string;
}

export interface Axis {
  scale: 'linear' | 'logarithmic';
  min: number;
  max: number;
  ticks: Tick[];
}

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;
const UNITS: ReadonlyArray<[number, string]> = [[DAY, 'd'], [HOUR, 'h'], [MINUTE, 'min'], [1, 's']];

/** Units whose values are never negative, whatever the metric declares. */
const NON_NEGATIVE = new Set(['duration', 'count', 'ratio']);
/** Room left above and below the values, as a share of their span. */
const ROOM = 0.03;
/** The number of steps between ticks aimed at (a 220-pixel chart reads 4–6 well). */
const TARGET_STEPS = 5;
/** On a time axis, values whose highest lies in this bottom share of a linear axis are drawn on a logarithmic one. */
const SQUEEZED = 0.15;

/** Steps of a time axis, in seconds: 1-2-5, and the halves and quarters of minutes and hours that clocks use. */
const DURATION_STEPS = [
  0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 20, 30,
  MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 20 * MINUTE, 30 * MINUTE,
  HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR,
  ...[1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000].map((d) => d * DAY),
];

/**
 * Tick values of a logarithmic time axis with their level: 0 are always candidates (1 s, 10 s,
 * 1 min, 10 min, 1 h, 1 d, 10 d…), 1 added when they fit (5 and 30 of a unit, 6 h), 2 the rest.
 */
const LOG_TICKS: ReadonlyArray<[number, number]> = [
  [0.1, 0], [0.2, 2], [0.5, 1], [1, 0], [2, 2], [5, 1], [10, 0], [20, 2], [30, 1],
  [MINUTE, 0], [2 * MINUTE, 2], [5 * MINUTE, 1], [10 * MINUTE, 0], [20 * MINUTE, 2], [30 * MINUTE, 1],
  [HOUR, 0], [2 * HOUR, 2], [6 * HOUR, 1], [12 * HOUR, 2],
  [DAY, 0], [2 * DAY, 2], [5 * DAY, 1], [10 * DAY, 0], [20 * DAY, 2], [50 * DAY, 1], [100 * DAY, 0], [200 * DAY, 2], [500 * DAY, 1], [1000 * DAY, 0],
];
const MAX_LOG_TICKS = 7;

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
/** Rounds away binary noise (0.1 × 3 = 0.30000000000000004). */
const clean = (v: number) => Number(v.toPrecision(12)) || 0;

/** A span to show when there is none: an empty chart, or one value. */
function defaultSpan(unit: string): number {
  switch (unit) {
    case 'duration': return MINUTE;
    case 'ratio': return 0.1;
    case 'count': return 5;
    case 'percent': case 'currency': return 10;
    default: return 1;
  }
}

/** The axis for a chart of `values` in `unit` with `thresholds` drawn across it. */
export function valueAxis(r: AxisRequest): Axis {
  const values = r.values.filter(finite);
  const thresholds = (r.thresholds ?? []).filter(finite);
  const floor = r.range?.[0] ?? (NON_NEGATIVE.has(r.unit) ? 0 : -Infinity);
  const ceiling = r.range?.[1] ?? Infinity;
  const shown = [...values, ...thresholds];
  let lo: number;
  let hi: number;
  if (shown.length) {
    lo = Math.min(...shown);
    hi = Math.max(...shown);
  } else {
    lo = Number.isFinite(floor) ? floor : 0;
    hi = Number.isFinite(ceiling) ? ceiling : lo + defaultSpan(r.unit);
  }
  if (r.fromZero) {
    lo = Math.min(lo, 0);
    hi = Math.max(hi, 0);
  }
  const span = hi - lo;
  if (span === 0) {
    const half = Math.abs(hi) * 0.1 || defaultSpan(r.unit) / 2;
    lo -= r.fromZero && lo === 0 ? 0 : half;
    hi += half;
  } else {
    if (!(r.fromZero && lo === 0)) lo -= span * ROOM;
    hi += span * ROOM;
  }
  lo = Math.max(lo, floor);
  hi = Math.min(hi, ceiling);
  if (!(hi > lo)) hi = lo + defaultSpan(r.unit);

  if (r.unit === 'duration' && values.length && Math.min(...shown) > 0) {
    const top = Math.max(...values);
    if ((top - lo) / (hi - lo) < SQUEEZED && hi / Math.min(...shown) >= 20) return logDurationAxis(Math.min(...shown), Math.max(...shown));
  }
  return linearAxis(lo, hi, floor, ceiling, r.unit);
}

/** Candidate steps for a span: the time ladder, or 1-2-5 × 10^k (whole numbers for counts). */
function stepsFor(unit: string, span: number): number[] {
  if (unit === 'duration') return DURATION_STEPS;
  const k = Math.floor(Math.log10(span));
  const steps: number[] = [];
  for (let e = k - 2; e <= k + 1; e++) for (const m of [1, 2, 5]) steps.push(clean(m * 10 ** e));
  return unit === 'count' ? steps.filter((s) => s >= 1) : steps;
}

function linearAxis(lo: number, hi: number, floor: number, ceiling: number, unit: string): Axis {
  let best: { step: number; min: number; max: number; miss: number } | undefined;
  for (const step of stepsFor(unit, hi - lo)) {
    const min = Math.floor(lo / step + 1e-9) * step;
    const max = Math.ceil(hi / step - 1e-9) * step;
    const steps = Math.round((max - min) / step);
    if (steps < 2 && best) continue;
    const miss = Math.abs(steps - TARGET_STEPS);
    // On a tie the larger step: fewer labels.
    if (!best || miss <= best.miss) best = { step, min, max, miss };
  }
  const { step } = best!;
  const min = clean(Math.max(best!.min, floor));
  const max = clean(Math.min(best!.max, ceiling));
  const label = tickLabeller(unit, step, max);
  const ticks: Tick[] = [];
  for (let i = Math.ceil(min / step - 1e-9); i <= Math.floor(max / step + 1e-9); i++) {
    const value = clean(i * step);
    ticks.push({ value, label: label(value) });
  }
  return { scale: 'linear', min, max, ticks };
}

function logDurationAxis(lo: number, hi: number): Axis {
  const low = lo / 1.2;
  const high = hi * 1.2;
  for (const level of [2, 1, 0]) {
    const candidates = LOG_TICKS.filter(([, l]) => l <= level).map(([v]) => v);
    const min = [...candidates].reverse().find((v) => v <= low) ?? candidates[0];
    const max = candidates.find((v) => v >= high) ?? candidates.at(-1)!;
    const ticks = candidates.filter((v) => v >= min && v <= max);
    if (ticks.length <= MAX_LOG_TICKS || level === 0) {
      return { scale: 'logarithmic', min, max, ticks: ticks.map((value) => ({ value, label: durationLabel(value, largestUnit(value)) })) };
    }
  }
  throw new Error('unreachable: level 0 always returns');
}

function largestUnit(seconds: number): number {
  return UNITS.find(([u]) => seconds >= u)?.[0] ?? 1;
}

/** Decimals that show a step exactly: 0.5 → 1, 0.05 → 2, 20 → 0. */
function decimalsOf(step: number): number {
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}

const numberFormats = new Map<number, Intl.NumberFormat>();
function fixed(v: number, decimals: number): string {
  let f = numberFormats.get(decimals);
  if (!f) numberFormats.set(decimals, (f = new Intl.NumberFormat('en-GB', { minimumFractionDigits: decimals, maximumFractionDigits: decimals })));
  return f.format(v);
}

/** How the ticks of one axis read: all with the decimals of its step, times in the unit of its range. */
function tickLabeller(unit: string, step: number, max: number): (v: number) => string {
  switch (unit) {
    case 'duration': {
      // The unit of the range: the largest whose double the axis passes (0–100 s in seconds, 0–5 h in hours).
      const top = UNITS.find(([u]) => max > 2 * u)?.[0] ?? 1;
      return (v) => durationLabel(v, top);
    }
    case 'ratio': return (v) => `${fixed(v * 100, decimalsOf(step * 100))}%`;
    case 'percent': return (v) => `${fixed(v, decimalsOf(step))}%`;
    default: return (v) => fixed(v, decimalsOf(step));
  }
}

/** A time in seconds from the unit `top` down, zero parts left out: `2 h 30 min`, `90 s`, `0`. */
function durationLabel(seconds: number, top: number): string {
  if (seconds === 0) return '0';
  const parts: string[] = [];
  let rest = Math.abs(seconds);
  for (const [u, name] of UNITS) {
    if (u > top) continue;
    if (u === 1) {
      const s = clean(Math.round(rest * 10) / 10);
      if (s) parts.push(`${fixed(s, Number.isInteger(s) ? 0 : 1)} ${name}`);
      break;
    }
    const n = Math.floor(rest / u + 1e-9);
    if (n) parts.push(`${fixed(n, 0)} ${name}`);
    rest = clean(rest - n * u);
  }
  return `${seconds < 0 ? '−' : ''}${parts.join(' ') || '0'}`;
}

/**
 * A value as the chart's tooltips and legend read it: a time in its two largest units
 * (`3 h 53 min`, `1 min 5 s`), a ratio as a percentage, a score with at most two decimals.
 */
export function chartValue(v: number, unit: string): string {
  if (unit === 'duration') {
    const top = largestUnit(Math.abs(v));
    const next = UNITS[UNITS.findIndex(([u]) => u === top) + 1]?.[0];
    // Two parts at most: rounded to the second unit (to a tenth of a second below 10 s).
    const grain = next ?? (Math.abs(v) < 10 ? 0.1 : 1);
    const rounded = clean(Math.round(v / grain) * grain);
    return durationLabel(rounded, largestUnit(Math.abs(rounded)));
  }
  const shown = unit === 'ratio' ? v * 100 : v;
  const rounded = clean(Math.round(shown * (unit === 'ratio' ? 10 : 100)) / (unit === 'ratio' ? 10 : 100));
  const decimals = Number.isInteger(rounded) ? 0 : Number.isInteger(clean(rounded * 10)) ? 1 : 2;
  return unit === 'ratio' || unit === 'percent' ? `${fixed(rounded, decimals)}%` : fixed(rounded, decimals);
}
