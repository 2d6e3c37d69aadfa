// `policies.noticeDays`: a version that goes in force is not enforced until the notice period
// has passed; until then it runs as in audit mode (decisions recorded, no case opened). The
// period counts from when the version went in force (a publish, an approval or a rollback
// each put a new version in force, so none of them skips it), and ends at the first UTC
// midnight after the days have passed: the notice then names a whole day, and no run on that
// day enforces earlier than the notice says.

import { dayWords } from './words.ts';

const DAY_MS = 86_400_000;

export const NOTICE_PERIOD_REASON = 'notice-period';

/** A version in its notice period, as runs report it. */
export interface NoticePeriod {
  enforcedFrom: string;
  noticeDays: number;
  /** "enforced from 20 Dec 2026, after the 14-day notice period". */
  words: string;
}

/** The instant a version that went in force at `inForceAt` is enforced from. */
export function enforcedFromOf(inForceAt: string, noticeDays: number): string {
  if (!noticeDays) return new Date(inForceAt).toISOString();
  const end = Date.parse(inForceAt) + noticeDays * DAY_MS;
  return new Date(Math.ceil(end / DAY_MS) * DAY_MS).toISOString();
}

/** Whether a run as of `asOf` is still inside the notice period that ends at `enforcedFrom`. */
export function inNoticePeriod(asOf: Date, enforcedFrom: string | undefined): boolean {
  return enforcedFrom !== undefined && asOf.getTime() < Date.parse(enforcedFrom);
}

/** "enforced from 20 Dec 2026, after the 14-day notice period" (the day in UTC, as the engine counts days). */
export function noticePeriodWords(enforcedFrom: string, noticeDays: number): string {
  return `enforced from ${dayWords(enforcedFrom)}, after the ${noticeDays}-day notice period`;
}
