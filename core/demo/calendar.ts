// Time in the demo: the generated horizon before the as-of instant, the weekly and seasonal
// rhythm of customer contacts, working hours at each site, and calendar quarters (sales quotas).
import type { Random } from './random.ts';
import type { ActivityWindow, Plan } from './types.ts';

export const HOUR = 3_600_000;
export const DAY = 86_400_000;
/** How far back records go: three 90-day windows (this quarter, last quarter, and one before). */
export const HORIZON_DAYS = 270;

// Contacts per weekday, Sunday first; Mondays carry the weekend's backlog. Normalised so the
// weekly mean is 1 and the volume targets stay per-day averages.
const WEEKDAY_RAW = [0.3, 1.25, 1.12, 1.05, 1.0, 0.92, 0.42];
const WEEKDAY_MEAN = WEEKDAY_RAW.reduce((a, b) => a + b, 0) / 7;
export const WEEKDAY_FACTOR = WEEKDAY_RAW.map((w) => w / WEEKDAY_MEAN);

// Sales close on working days only.
export const WORKDAY_FACTOR = [0, 1.4, 1.4, 1.4, 1.4, 1.4, 0];

/** Day of the week of a UTC midnight (0 Sunday), without a Date: 1970-01-01 was a Thursday. */
export function weekday(dayMs: number): number {
  return (((Math.floor(dayMs / DAY) + 4) % 7) + 7) % 7;
}

const seasonCache = new Map<number, number>();

/** Seasonal swing: a winter peak (mid January), a summer trough, quiet public holidays. */
export function seasonFactor(dayMs: number): number {
  let f = seasonCache.get(dayMs);
  if (f === undefined) {
    f = computeSeason(dayMs);
    seasonCache.set(dayMs, f);
  }
  return f;
}

function computeSeason(dayMs: number): number {
  const d = new Date(dayMs);
  const month = d.getUTCMonth();
  const date = d.getUTCDate();
  if ((month === 11 && date >= 24 && date <= 26) || (month === 0 && date === 1)) return 0.35;
  const dayOfYear = (dayMs - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY;
  return 1 + 0.12 * Math.cos((2 * Math.PI * (dayOfYear - 15)) / 365.25);
}

// Local hours 7:00–20:59, weighted towards mid-morning and early afternoon.
const HOUR_WEIGHTS = [2, 6, 10, 12, 11, 9, 8, 10, 11, 10, 8, 5, 3, 2];

/** An instant during the working day `dayMs` (midnight UTC) at a site `utcOffset` hours from UTC. */
export function workingInstant(rng: Random, dayMs: number, utcOffset: number): number {
  const localHour = 7 + rng.weightedIndex(HOUR_WEIGHTS);
  return dayMs + (localHour - utcOffset) * HOUR + Math.floor(rng.float() * 3600) * 1000;
}

export function startOfDay(ms: number): number {
  return ms - (((ms % DAY) + DAY) % DAY);
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const datePrefixCache = new Map<number, string>();

/**
 * `2026-03-05T10:00:00.000Z`, truncated to whole seconds (exports carry seconds). The same text
 * as Date#toISOString for years 0–9999, built from a per-day cache: it is the generator's
 * hottest function (several calls per record).
 */
export function iso(ms: number): string {
  const day = Math.floor(ms / DAY);
  let prefix = datePrefixCache.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY).toISOString().slice(0, 11);
    datePrefixCache.set(day, prefix);
  }
  const s = Math.floor((ms - day * DAY) / 1000);
  return `${prefix}${TWO_DIGITS[Math.floor(s / 3600)]}:${TWO_DIGITS[Math.floor(s / 60) % 60]}:${TWO_DIGITS[s % 60]}.000Z`;
}

export function dateOnly(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Midnight UTC of the first day of the calendar quarter containing `ms`. */
export function quarterStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1);
}

export function nextQuarterStart(ms: number): number {
  const d = new Date(quarterStart(ms));
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 3, 1);
}

/** Starts of the calendar quarters that begin in [fromMs, toMs). */
export function quarterStartsBetween(fromMs: number, toMs: number): number[] {
  const out: number[] = [];
  let q = quarterStart(fromMs);
  if (q < fromMs) q = nextQuarterStart(q);
  for (; q < toMs; q = nextQuarterStart(q)) out.push(q);
  return out;
}

/** `2026Q3`: a compact quarter label for external ids. */
export function quarterLabel(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
}

/** Vacation blocks [start, end) of a person with some tenure: one or two breaks of a week or so. */
export function vacations(rng: Random, plan: Plan, w: ActivityWindow): Array<[number, number]> {
  if (w.asOfMs - plan.hireMs < 200 * DAY) return [];
  const out: Array<[number, number]> = [];
  const blocks = rng.int(1, 2);
  for (let i = 0; i < blocks; i++) {
    const start = startOfDay(w.horizonStartMs + rng.float() * (w.asOfMs - w.horizonStartMs));
    out.push([start, start + rng.int(5, 10) * DAY]);
  }
  return out;
}

export function onVacation(day: number, blocks: Array<[number, number]>): boolean {
  for (const [a, b] of blocks) if (day >= a && day < b) return true;
  return false;
}
