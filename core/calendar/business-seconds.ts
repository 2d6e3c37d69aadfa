// Working time between two instants under a calendar. A moment is working time when the
// calendar's wall clock shows a time inside the hours of the day the range started on: so on the
// day clocks go forward a range 01:00–05:00 holds three hours, on the day they go back five.
// Days are visited one at a time and their ranges clipped; stretches of whole weeks with no
// holiday and no clock change are counted in one step, so a span of years costs about as much
// as its holidays.
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import { EARLIEST_INSTANT, LATEST_INSTANT, parseInstant } from '../util/instant.ts';
import { hoursOn, type Calendar } from './calendar.ts';
import { DAY_MS, zoneTimeline, type ZoneTimeline } from './zone-timeline.ts';

/** Epoch milliseconds, a Date, or an ISO 8601 instant with its zone (`2026-12-24T09:30:00Z`). */
export type Instant = number | string | Date;

function toMs(value: Instant, field: string): number {
  const ms = typeof value === 'number' ? value : value instanceof Date ? value.getTime() : parseInstant(value, field).getTime();
  if (!Number.isFinite(ms)) throw new AppraiseError('APPRAISE_DATE_INVALID', `${field} is not an instant: give epoch milliseconds or an ISO 8601 instant such as 2026-12-31T17:00:00Z.`, { field });
  // As anywhere in Appraise; it also bounds the zone offsets that must be read.
  if (ms < EARLIEST_INSTANT.getTime() || ms > LATEST_INSTANT.getTime()) {
    throw new AppraiseError('APPRAISE_DATE_OUT_OF_RANGE', `${field} must lie between 1900-01-01 and 9999-12-31, not ${new Date(ms).toISOString()}.`, { field });
  }
  return ms;
}

/**
 * The working seconds in [from, to) under `calendar` (fractional when the instants are).
 * When `to` is before `from` the result is negative (minus the working time from `to` to
 * `from`), as a wall-clock difference would be: a first response logged before the opening
 * stays visible as a negative duration instead of failing the import row.
 */
export function businessSeconds(from: Instant, to: Instant, calendar: Calendar): number {
  const a = toMs(from, 'businessSeconds: from');
  const b = toMs(to, 'businessSeconds: to');
  // `0 -` rather than unary minus: no working time is 0 either way round, never -0.
  if (b < a) return 0 - workingMs(b, a, calendar) / 1000;
  return workingMs(a, b, calendar) / 1000;
}

function workingMs(from: number, to: number, cal: Calendar): number {
  if (from === to) return 0;
  const tl = zoneTimeline(cal.timezone);
  // Offsets differ by at most ~26 hours and a range may run into the next day, so days a few
  // either side of the local dates of from and to can still hold moments inside [from, to).
  const last = tl.dayOf(to) + 2;
  let total = 0;
  // The next holiday's index in the ascending list; days only grow, so it only moves forward.
  let h = 0;
  for (let day = tl.dayOf(from) - 3; day <= last; ) {
    while (h < cal.holidayDays.length && cal.holidayDays[h] < day) h++;
    const weeks = wholeWeeks(day, from, to, cal.holidayDays[h] ?? Infinity, cal, tl);
    if (weeks > 0) {
      total += weeks * cal.weekMs;
      day += weeks * 7;
      continue;
    }
    const midnight = day * DAY_MS;
    for (const r of hoursOn(cal, day)) {
      total += tl.overlap(midnight + r.start * 60_000, midnight + r.end * 60_000, from, to);
    }
    day++;
  }
  return total;
}

/**
 * How many whole weeks from `day` on lie wholly inside [from, to) with one offset throughout
 * and no holiday (the next is on day `holiday`): each then holds exactly `weekMs`. Zero when
 * that is not so.
 */
function wholeWeeks(day: number, from: number, to: number, holiday: number, cal: Calendar, tl: ZoneTimeline): number {
  const midnight = day * DAY_MS;
  if (to - from < 9 * DAY_MS || cal.weekMs === 0) return 0;
  const o = tl.offsetAt(midnight);
  // The last range of the stretch may run a day past it; a day's margin either side for the offset.
  if (midnight - o < from) return 0;
  let weeks = Math.floor(((to + o) / DAY_MS - 2 - day) / 7);
  if (weeks <= 0) return 0;
  weeks = Math.min(weeks, Math.floor((holiday - day) / 7));
  if (weeks <= 0) return 0;
  const change = tl.nextChange(midnight - 2 * DAY_MS, midnight + (weeks * 7 + 3) * DAY_MS);
  if (change !== Infinity) weeks = Math.min(weeks, Math.floor((change / DAY_MS - 3 - day) / 7));
  return Math.max(weeks, 0);
}
