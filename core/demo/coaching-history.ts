// Historical coaching for the demo loader: the coaching rules of the shipped policies replayed on
// each person's own records at the scheduled run about a quarter before the as-of instant. The
// PIP rules need such completed coaching, which records alone cannot express.
import { periodOf } from '../run/period.ts';
import { DAY, HOUR, iso } from './calendar.ts';
import type { Collector } from './collector.ts';
import type { HistoricalCase, Plan } from './types.ts';

// The thresholds and minimum samples of rules/support-agents.policy.yaml (coaching-on-dip) and
// rules/sales-reps.policy.yaml (coaching-below-plan). If those files change, so should this.
const SUPPORT = { csatBelow: 4.0, csatMin: 20, fcrBelow: 0.6, fcrMin: 30, firstResponseAbove: 4 * 3600, firstResponseMin: 30 };
const SALES = { attainmentBelow: 70, winRateBelow: 0.15, winRateMin: 10 };
const WINDOW = 90 * DAY;
const MIN_TENURE = 30 * DAY;
/** history.coaching.completed looks back 180 days; a case must be inside to count. */
const HISTORY_WINDOW = 180 * DAY;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** support-agents runs monthly (1st, 06:00 UTC): the run of the month that began 100–130 days ago. */
function supportRunAt(asOfMs: number): number {
  const d = new Date(asOfMs - 100 * DAY);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) + 6 * HOUR;
}

/** sales-reps runs on the 2nd of each quarter at 06:00 UTC: the latest such run at least 90 days ago. */
function salesRunAt(asOfMs: number): number {
  const limit = asOfMs - WINDOW;
  const d = new Date(limit);
  let run = Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 2) + 6 * HOUR;
  if (run > limit) {
    const p = new Date(run);
    run = Date.UTC(p.getUTCFullYear(), p.getUTCMonth() - 3, 2) + 6 * HOUR;
  }
  return run;
}

function supportNeedsCoaching(out: Collector, from: number, to: number): boolean {
  let csatSum = 0, csatN = 0;
  for (const e of out.between('customer-feedback.survey', from, to)) {
    if (typeof e.payload.csat === 'number') {
      csatSum += e.payload.csat;
      csatN++;
    }
  }
  if (csatN >= SUPPORT.csatMin && csatSum / csatN < SUPPORT.csatBelow) return true;
  let resolved = 0, oneContact = 0;
  const waits: number[] = [];
  for (const e of out.between('support.ticket', from, to)) {
    if (e.seconds !== undefined) waits.push(e.seconds);
    if (e.payload.resolvedAt !== undefined && e.payload.contactsToResolve !== undefined) {
      resolved++;
      if (e.payload.contactsToResolve === 1) oneContact++;
    }
  }
  if (resolved >= SUPPORT.fcrMin && oneContact / resolved < SUPPORT.fcrBelow) return true;
  return waits.length >= SUPPORT.firstResponseMin && median(waits) > SUPPORT.firstResponseAbove;
}

function salesNeedsCoaching(out: Collector, from: number, to: number): boolean {
  let won = 0, quota = 0, wins = 0, closed = 0;
  for (const e of out.between('sales.deal', from, to)) {
    if (e.payload.stage === 'won') {
      won += e.payload.amount as number;
      wins++;
    }
    if (e.payload.stage !== 'open') closed++;
  }
  for (const e of out.between('sales.quota', from, to)) quota += e.payload.amount as number;
  if (quota > 0 && (100 * won) / quota < SALES.attainmentBelow) return true;
  return closed >= SALES.winRateMin && wins / closed < SALES.winRateBelow;
}

/** The completed coaching case (if any) of one support agent or sales rep. */
export function historicalCoaching(employeeId: string, plan: Plan, out: Collector, asOfMs: number): HistoricalCase | undefined {
  if (plan.level !== 'member') return undefined;
  let runAt: number;
  let policyId: string, ruleId: string;
  if (plan.track === 'support') {
    runAt = supportRunAt(asOfMs);
    if (!supportNeedsCoaching(out, runAt - WINDOW, runAt)) return undefined;
    [policyId, ruleId] = ['support-agents', 'coaching-on-dip'];
  } else if (plan.track === 'sales') {
    runAt = salesRunAt(asOfMs);
    if (!salesNeedsCoaching(out, runAt - WINDOW, runAt)) return undefined;
    [policyId, ruleId] = ['sales-reps', 'coaching-below-plan'];
  } else return undefined;
  if (runAt - plan.hireMs < MIN_TENURE || asOfMs - runAt > HISTORY_WINDOW - DAY) return undefined;
  return { employeeId, type: 'coaching', status: 'completed', policyId, ruleId, period: periodOf(new Date(runAt), 'quarter'), openedAt: iso(runAt) };
}
