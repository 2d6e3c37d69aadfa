// businessSeconds against a slow reference on random spans: the reference walks minute by minute,
// reads each minute's wall clock from Luxon and asks whether that time lies in a range of its day
// (or in a range of the day before that runs past midnight). The calendars put ranges across
// the clock changes, holidays beside them, and nights across weekends.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { businessSeconds, type CalendarDefinition } from '../../core/calendar/index.ts';
import { calendarOf, EMEA } from './calendars.ts';

const DEFINITIONS: Record<string, CalendarDefinition> = {
  emea: EMEA,
  'night desk': {
    timezone: 'America/New_York',
    hours: { 'mon-fri': ['22:00-06:00'], sat: ['06:00-09:00', '10:00-14:00'], sun: ['00:30-03:30'] },
    holidays: ['2026-03-09', { date: '2026-11-02', hours: ['23:00-07:00'] }, { date: '2026-07-03', hours: [] }],
  },
  'small hours': {
    timezone: 'Europe/Berlin',
    hours: { 'mon-sun': ['00:30-03:30', '23:00-00:30'] },
    holidays: ['2026-03-28', { date: '2026-10-25', hours: ['01:00-04:00'] }],
  },
  // Clocks move by half an hour at 02:00 local.
  'lord howe': { timezone: 'Australia/Lord_Howe', hours: { 'fri-mon': ['01:00-03:00', '09:00-17:00'] }, holidays: ['2026-04-06'] },
};

const WEEKDAY_KEYS: Record<string, number[]> = { 'mon-fri': [1, 2, 3, 4, 5], sat: [6], sun: [7], 'mon-sun': [1, 2, 3, 4, 5, 6, 7], 'fri-mon': [5, 6, 7, 1] };

function minutesOf(range: string): [number, number] {
  const [s, e] = range.split('-').map((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5)));
  return [s, e <= s ? e + 1440 : e];
}

function rangesOn(def: CalendarDefinition, date: DateTime): Array<[number, number]> {
  const iso = date.toISODate();
  for (const h of def.holidays ?? []) {
    if (h === iso) return [];
    if (typeof h === 'object' && h.date === iso) return (h.hours ?? []).map(minutesOf);
  }
  return Object.entries(def.hours).filter(([key]) => WEEKDAY_KEYS[key].includes(date.weekday)).flatMap(([, list]) => list.map(minutesOf));
}

/** Working seconds in [from, to), both on whole minutes, one minute at a time. */
function reference(def: CalendarDefinition, from: number, to: number): number {
  let minutes = 0;
  const QUARTER = 15 * 60_000;
  for (let q = Math.floor(from / QUARTER) * QUARTER; q < to; q += QUARTER) {
    // These zones change offset only on whole quarter hours, so a quarter's minutes share the
    // wall clock of its first minute plus k.
    const wall = DateTime.fromMillis(q, { zone: def.timezone });
    const today = rangesOn(def, wall);
    const yesterday = rangesOn(def, wall.minus({ days: 1 }));
    for (let k = 0; k < 15; k++) {
      const t = q + k * 60_000;
      if (t < from || t >= to) continue;
      const m = wall.hour * 60 + wall.minute + k;
      if (today.some(([s, e]) => s <= m && m < e) || yesterday.some(([, e]) => m < e - 1440)) minutes++;
    }
  }
  return minutes * 60;
}

const START = Date.parse('2026-01-01T00:00:00Z');
const YEAR_MINUTES = 365 * 1440;
const names = Object.keys(DEFINITIONS);

describe('businessSeconds equals a minute-by-minute count', () => {
  it('on random spans of up to two weeks, both ways round', () => {
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.integer({ min: 0, max: YEAR_MINUTES }), fc.integer({ min: 0, max: 14 * 1440 }), (name, start, length) => {
        const from = START + start * 60_000;
        const to = from + length * 60_000;
        const cal = calendarOf(DEFINITIONS[name]);
        const expected = reference(DEFINITIONS[name], from, to);
        expect(businessSeconds(from, to, cal)).toBe(expected);
        expect(businessSeconds(to, from, cal)).toBe(0 - expected);
      }),
      { numRuns: 40 },
    );
  });

  it('on random spans around the clock changes of 2026', () => {
    const CHANGES: Array<[string, string]> = [
      ['emea', '2026-03-29T01:00:00Z'], ['emea', '2026-10-25T01:00:00Z'],
      ['small hours', '2026-03-29T01:00:00Z'], ['small hours', '2026-10-25T01:00:00Z'],
      ['night desk', '2026-03-08T07:00:00Z'], ['night desk', '2026-11-01T06:00:00Z'],
      ['lord howe', '2026-04-04T15:00:00Z'], ['lord howe', '2026-10-03T15:30:00Z'],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...CHANGES), fc.integer({ min: -3 * 1440, max: 1440 }), fc.integer({ min: 0, max: 4 * 1440 }), ([name, change], start, length) => {
        const from = Date.parse(change) + start * 60_000;
        const to = from + length * 60_000;
        expect(businessSeconds(from, to, calendarOf(DEFINITIONS[name]))).toBe(reference(DEFINITIONS[name], from, to));
      }),
      { numRuns: 60 },
    );
  });

  it('far in the future (a placeholder year), where the clock changes of 400 years before are reused', () => {
    for (const name of ['small hours', 'night desk', 'lord howe']) {
      for (const from of ['2731-03-18T00:00:00Z', '2731-10-20T00:00:00Z', '9998-03-20T00:00:00Z', '9998-10-22T00:00:00Z', '9998-04-01T00:00:00Z']) {
        const a = Date.parse(from);
        const b = a + 14 * 1440 * 60_000;
        expect(businessSeconds(a, b, calendarOf(DEFINITIONS[name])), `${name} from ${from}`).toBe(reference(DEFINITIONS[name], a, b));
      }
    }
  });

  it('on random spans of several months (whole weeks counted at once)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.integer({ min: 0, max: 200 * 1440 }), fc.integer({ min: 60 * 1440, max: 160 * 1440 }), (name, start, length) => {
        const from = START + start * 60_000;
        const to = from + length * 60_000;
        expect(businessSeconds(from, to, calendarOf(DEFINITIONS[name]))).toBe(reference(DEFINITIONS[name], from, to));
      }),
      { numRuns: 6 },
    );
  });
});
