// The instants a review period covers: `2026-Q4` is [2026-10-01, 2027-01-01) in UTC, as
// core/run/period.ts names the period a run belongs to.
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import { periodOf, type Cycle } from '../../run/period.ts';

export interface PeriodRange {
  period: string;
  cycle: Cycle;
  from: Date;
  to: Date;
}

export function periodRange(period: string): PeriodRange {
  let m: RegExpExecArray | null;
  const utc = (y: number, month: number, day = 1) => new Date(Date.UTC(y, month, day));
  if ((m = /^(\d{4})-Q([1-4])$/.exec(period))) {
    const y = Number(m[1]);
    const q = Number(m[2]) - 1;
    return { period, cycle: 'quarter', from: utc(y, q * 3), to: utc(y, q * 3 + 3) };
  }
  if ((m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period))) {
    const y = Number(m[1]);
    const mo = Number(m[2]) - 1;
    return { period, cycle: 'month', from: utc(y, mo), to: utc(y, mo + 1) };
  }
  if ((m = /^(\d{4})$/.exec(period))) return { period, cycle: 'year', from: utc(Number(m[1]), 0), to: utc(Number(m[1]) + 1, 0) };
  if ((m = /^(\d{4})-W(\d{2})$/.exec(period))) {
    // ISO week 1 holds the year's first Thursday; its Monday is the start.
    const jan4 = utc(Number(m[1]), 0, 4);
    const monday = new Date(jan4.getTime() - ((jan4.getUTCDay() || 7) - 1) * 86400000 + (Number(m[2]) - 1) * 7 * 86400000);
    const range = { period, cycle: 'week' as const, from: monday, to: new Date(monday.getTime() + 7 * 86400000) };
    if (periodOf(monday, 'week') === period) return range;
  }
  throw new AppraiseError('APPRAISE_REVIEW_BAD_PERIOD',
    `\`${period}\` is not a review period. Write a quarter (2026-Q4), a month (2026-11), an ISO week (2026-W48) or a year (2026).`,
    { field: 'period', value: period });
}
