// A sales rep's deals and quotas: deals close on working days with the end-of-quarter push, won
// with a chance that follows the rep's quality on the day; one quota per quarter, set per segment
// (none in the quarter a rep joins, half in their first full quarter).
import { ACCOUNT_PREFIXES, ACCOUNT_SUFFIXES, SALES_SEGMENTS } from './catalogue.ts';
import { DAY, WORKDAY_FACTOR, dateOnly, iso, nextQuarterStart, onVacation, quarterLabel, quarterStartsBetween, startOfDay, vacations, weekday, workingInstant } from './calendar.ts';
import type { Collector } from './collector.ts';
import { quality } from './plans.ts';
import type { Random } from './random.ts';
import type { ActivityWindow, Plan } from './types.ts';

// Tuned so that, at the as-of date, the median rep reaches about 90% of quota, a quarter fall
// under 70% (coaching) and a quarter reach 120% (recognition, with the win rate and rank).
const BASE_WIN_RATE = 0.27;
const WIN_LOGIT_PER_SD = 0.25;
const AMOUNT_SPREAD = 0.3;
/** An average rep's expected won value as a share of the quota, before steering. */
const PLANNED_ATTAINMENT = 0.97;
/** How much being behind plan (by a whole quota) raises the chance to win, in logits: discounts help a little. */
const CHASING = 0.8;
/** How much being ahead of plan lowers it: deals are let slip into the next quarter. */
const SANDBAGGING = 2.5;

const logit = (p: number) => Math.log(p / (1 - p));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

interface QuarterOfDay {
  /** Start of the next quarter (the end of this one). */
  end: number;
  length: number;
  /** The end-of-quarter push: deals close late in a quarter more than early. */
  push: number;
}

const quarterCache = new Map<number, QuarterOfDay>();

function quarterOf(day: number): QuarterOfDay {
  let q = quarterCache.get(day);
  if (q === undefined) {
    const end = nextQuarterStart(day);
    const start = new Date(end);
    const length = end - Date.UTC(start.getUTCFullYear(), start.getUTCMonth() - 3, 1);
    const toEnd = (end - day) / DAY;
    q = { end, length, push: toEnd <= 14 ? 1.5 : toEnd >= 78 ? 0.7 : 1 };
    quarterCache.set(day, q);
  }
  return q;
}

function account(rng: Random): string {
  return `${rng.pick(ACCOUNT_PREFIXES)} ${rng.pick(ACCOUNT_SUFFIXES)}${rng.chance(0.3) ? ` ${rng.pick(['Inc.', 'Ltd', 'GmbH', 'S.A.', 'Group'])}` : ''}`;
}

function roundTo(x: number, step: number): number {
  return Math.max(step, Math.round(x / step) * step);
}

/** A segment's full quarterly quota: an average rep's expected won value over the planned attainment. */
function fullQuota(segmentIndex: number, scale: number): number {
  const segment = SALES_SEGMENTS[segmentIndex];
  const expectedWon = segment.closedPer90 * scale * BASE_WIN_RATE * segment.dealMedian * Math.exp((AMOUNT_SPREAD * AMOUNT_SPREAD) / 2);
  return roundTo(expectedWon / PLANNED_ATTAINMENT, 1000);
}

export function salesActivity(rng: Random, plan: Plan, w: ActivityWindow, out: Collector): void {
  const segment = SALES_SEGMENTS[plan.segment];
  const perDay = (segment.closedPer90 * w.scale * plan.volume) / 90;
  const quota = fullQuota(plan.segment, w.scale);
  // Reps steer towards their number: behind plan they chase and discount, well ahead they let
  // deals slip into next quarter. This keeps attainment from being pure luck of the draw.
  let quarter = 0;
  let wonThisQuarter = 0;
  const sizeMedian = segment.dealMedian * Math.exp(0.08 * plan.skill);
  const off = vacations(rng, plan, w);
  const start = Math.max(startOfDay(w.horizonStartMs), startOfDay(plan.hireMs) + 21 * DAY);
  for (let day = start; day < w.asOfMs; day += DAY) {
    if (onVacation(day, off)) continue;
    const ramp = Math.min(1, 0.3 + (day - plan.hireMs) / DAY / 150);
    // A rep in a dip has lost their pipeline too (a key account gone, a territory cut).
    const dip = plan.dipFromMs !== undefined && day >= plan.dipFromMs ? 0.5 : 1;
    const n = rng.poisson(perDay * WORKDAY_FACTOR[weekday(day)] * quarterOf(day).push * ramp * dip);
    for (let i = 0; i < n; i++) {
      const closed = workingInstant(rng, day, plan.utcOffset);
      if (closed < w.horizonStartMs || closed >= w.asOfMs) continue;
      const q = quarterOf(day);
      if (q.end !== quarter) {
        quarter = q.end;
        wonThisQuarter = 0;
      }
      const elapsed = 1 - (q.end - closed) / q.length;
      const gap = Math.max(-1, Math.min(1, elapsed - wonThisQuarter / quota));
      const steer = gap > 0 ? CHASING * gap : SANDBAGGING * gap;
      const won = rng.chance(sigmoid(logit(BASE_WIN_RATE) + WIN_LOGIT_PER_SD * quality(plan, closed, w.asOfMs) + steer));
      const engaged = closed - Math.round(rng.logNormal(segment.cycleDays, 0.5) * 86400) * 1000;
      const amount = roundTo(rng.logNormal(sizeMedian, AMOUNT_SPREAD), 100);
      if (won) wonThisQuarter += amount;
      out.add('sales.deal', closed, {
        stage: won ? 'won' : 'lost',
        amount,
        engagedAt: iso(engaged),
        closedAt: iso(closed),
        product: rng.pick(segment.products),
        account: account(rng),
      });
    }
  }
  // The open pipeline: engaged recently, not closed yet; the record's time is the engagement.
  const open = rng.poisson(segment.closedPer90 * w.scale * plan.volume * 0.3);
  const openFrom = Math.max(start, w.asOfMs - Math.round(segment.cycleDays * 1.5) * DAY);
  for (let i = 0; i < open && openFrom < w.asOfMs; i++) {
    const engaged = workingInstant(rng, startOfDay(openFrom + rng.float() * (w.asOfMs - openFrom)), plan.utcOffset);
    if (engaged < w.horizonStartMs || engaged >= w.asOfMs) continue;
    out.add('sales.deal', engaged, {
      stage: 'open',
      amount: roundTo(rng.logNormal(sizeMedian, AMOUNT_SPREAD), 100),
      engagedAt: iso(engaged),
      product: rng.pick(segment.products),
      account: account(rng),
    });
  }
  for (const q of quarterStartsBetween(w.horizonStartMs, w.asOfMs)) {
    if (q < plan.hireMs) continue;
    const firstFull = q - plan.hireMs < 92 * DAY;
    out.add('sales.quota', q, { amount: firstFull ? roundTo(quota / 2, 1000) : quota, periodEnd: dateOnly(nextQuarterStart(q) - DAY) }, { key: quarterLabel(q) });
  }
}
