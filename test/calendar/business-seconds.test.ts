// Working time between two instants, hand-checked at the edges a service desk meets: nights,
// weekends, night shifts past midnight, clock changes, holidays, and spans of months.
import { describe, expect, it } from 'vitest';
import { businessSeconds } from '../../core/calendar/index.ts';
import { calendarOf, EMEA, HOUR } from './calendars.ts';

const emea = calendarOf(EMEA);
// Nights Monday to Friday, in UTC so only the midnight rule is at stake.
const nights = calendarOf({ timezone: 'UTC', hours: { 'mon-fri': ['22:00-06:00'] } });

describe('office hours (Europe/Berlin, 08–12 and 13–17 on weekdays)', () => {
  it('overnight and over the weekend: Friday 16:00 to Monday 09:00 is the last hour of Friday and the first of Monday', () => {
    expect(businessSeconds('2026-11-13T16:00:00+01:00', '2026-11-16T09:00:00+01:00', emea)).toBe(2 * HOUR);
  });

  it('a weekend alone holds no working time', () => {
    expect(businessSeconds('2026-11-14T09:00:00+01:00', '2026-11-15T18:00:00+01:00', emea)).toBe(0);
  });

  it('the lunch break is not working time', () => {
    expect(businessSeconds('2026-11-16T11:30:00+01:00', '2026-11-16T13:30:00+01:00', emea)).toBe(HOUR);
  });

  it('hours are wall-clock times of the calendar\'s zone, whatever zone the instants are written in', () => {
    // 07:00Z is 08:00 in Berlin in winter.
    expect(businessSeconds('2026-11-16T07:00:00Z', '2026-11-16T08:00:00Z', emea)).toBe(HOUR);
    expect(businessSeconds(Date.parse('2026-11-16T07:00:00Z'), new Date('2026-11-16T08:00:00Z'), emea)).toBe(HOUR);
  });

  it('a span of three months is its weekdays times eight hours (the clock change on Sunday 29 March costs nothing)', () => {
    // Q1 2026 has 22 + 20 + 22 weekdays.
    expect(businessSeconds('2026-01-01T00:00:00+01:00', '2026-04-01T00:00:00+02:00', emea)).toBe(64 * 8 * HOUR);
  });

  it('a year: 261 weekdays, less Christmas Day and the afternoon of Christmas Eve', () => {
    expect(businessSeconds('2026-01-01T00:00:00+01:00', '2027-01-01T00:00:00+01:00', emea)).toBe((261 * 8 - 8 - 4) * HOUR);
  });

  it('from == to is no time; to before from is minus the reverse', () => {
    expect(businessSeconds('2026-11-16T10:00:00Z', '2026-11-16T10:00:00Z', emea)).toBe(0);
    expect(businessSeconds('2026-11-16T09:00:00+01:00', '2026-11-13T16:00:00+01:00', emea)).toBe(-2 * HOUR);
    expect(Object.is(businessSeconds('2026-11-15T09:00:00+01:00', '2026-11-14T09:00:00+01:00', emea), 0)).toBe(true);
  });

  it('seconds are exact below the minute', () => {
    expect(businessSeconds('2026-11-16T08:00:00.250+01:00', '2026-11-16T08:00:10+01:00', emea)).toBe(9.75);
  });

  it('Error: an instant without a zone, or not an instant, is refused with APPRAISE_DATE_INVALID; one before 1900 with APPRAISE_DATE_OUT_OF_RANGE', () => {
    expect(() => businessSeconds('2026-11-16 08:00', '2026-11-16T09:00:00Z', emea)).toThrow(expect.objectContaining({ code: 'APPRAISE_DATE_INVALID' }));
    expect(() => businessSeconds(Number.NaN, 0, emea)).toThrow(expect.objectContaining({ code: 'APPRAISE_DATE_INVALID' }));
    expect(() => businessSeconds(Date.UTC(1899, 11, 31), 0, emea)).toThrow(expect.objectContaining({ code: 'APPRAISE_DATE_OUT_OF_RANGE' }));
  });
});

describe('holidays', () => {
  it('a whole holiday removes the day; Christmas (Friday) to Monday morning is nothing', () => {
    expect(businessSeconds('2026-12-24T17:00:00+01:00', '2026-12-28T08:00:00+01:00', emea)).toBe(0);
  });

  it('a holiday with shorter hours counts only those: Christmas Eve is a morning', () => {
    expect(businessSeconds('2026-12-24T00:00:00+01:00', '2026-12-25T00:00:00+01:00', emea)).toBe(4 * HOUR);
  });

  it('a holiday removes the night range that starts on it, but not the one that started the night before', () => {
    const withHoliday = calendarOf({ timezone: 'UTC', hours: { 'mon-fri': ['22:00-06:00'] }, holidays: ['2026-11-19'] });
    // Wednesday's night runs into Thursday (counted), Thursday's night is the holiday's (not).
    expect(businessSeconds('2026-11-18T12:00:00Z', '2026-11-20T12:00:00Z', withHoliday)).toBe(8 * HOUR);
    expect(businessSeconds('2026-11-18T12:00:00Z', '2026-11-20T12:00:00Z', nights)).toBe(16 * HOUR);
  });
});

describe('a night shift, 22:00–06:00, belongs to the day it starts on', () => {
  it('across midnight', () => {
    expect(businessSeconds('2026-11-19T23:00:00Z', '2026-11-20T05:00:00Z', nights)).toBe(6 * HOUR);
  });

  it("across a weekend: Friday's night is worked into Saturday; Sunday night's hours are nobody's", () => {
    expect(businessSeconds('2026-11-20T22:00:00Z', '2026-11-23T07:00:00Z', nights)).toBe(8 * HOUR);
    expect(businessSeconds('2026-11-22T23:00:00Z', '2026-11-23T06:00:00Z', nights)).toBe(0);
    expect(businessSeconds('2026-11-23T22:00:00Z', '2026-11-24T02:00:00Z', nights)).toBe(4 * HOUR);
  });
});

describe('clock changes: a range holds the real elapsed time of its wall-clock hours', () => {
  const sundays = (timezone: string) => calendarOf({ timezone, hours: { sun: ['01:00-04:00'] } });

  it('Europe/Berlin: 01:00–04:00 holds 2 h when clocks go forward (29 March) and 4 h when they go back (25 October)', () => {
    const cal = sundays('Europe/Berlin');
    expect(businessSeconds('2026-03-28T12:00:00Z', '2026-03-30T00:00:00Z', cal)).toBe(2 * HOUR);
    expect(businessSeconds('2026-10-24T12:00:00Z', '2026-10-26T00:00:00Z', cal)).toBe(4 * HOUR);
    // A normal Sunday in between.
    expect(businessSeconds('2026-06-06T12:00:00Z', '2026-06-08T00:00:00Z', cal)).toBe(3 * HOUR);
  });

  it('America/New_York: 2 h on 8 March, 4 h on 1 November', () => {
    const cal = sundays('America/New_York');
    expect(businessSeconds('2026-03-07T12:00:00Z', '2026-03-09T12:00:00Z', cal)).toBe(2 * HOUR);
    expect(businessSeconds('2026-10-31T12:00:00Z', '2026-11-02T12:00:00Z', cal)).toBe(4 * HOUR);
  });

  it('a span starting in the repeated hour counts from that moment: 01:30 the second time (EST) to the end is 2.5 h', () => {
    const cal = sundays('America/New_York');
    expect(businessSeconds('2026-11-01T01:30:00-05:00', '2026-11-01T12:00:00-05:00', cal)).toBe(2.5 * HOUR);
    // The first 01:30 (EDT) is an hour earlier: both 01:30–02:00 count.
    expect(businessSeconds('2026-11-01T01:30:00-04:00', '2026-11-01T12:00:00-05:00', cal)).toBe(3.5 * HOUR);
  });

  it('hours that do not exist on the day clocks go forward hold nothing', () => {
    const skipped = calendarOf({ timezone: 'Europe/Berlin', hours: { sun: ['02:00-03:00'], sat: ['02:15-02:45'] } });
    expect(businessSeconds('2026-03-28T12:00:00Z', '2026-03-30T00:00:00Z', skipped)).toBe(0);
    expect(businessSeconds('2026-03-20T12:00:00Z', '2026-03-23T00:00:00Z', skipped)).toBe(1.5 * HOUR);
  });

  it('a night shift across the change: Saturday 22:00 to Sunday 06:00 is 7 h in March and 9 h in October (Berlin)', () => {
    const cal = calendarOf({ timezone: 'Europe/Berlin', hours: { sat: ['22:00-06:00'] } });
    expect(businessSeconds('2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z', cal)).toBe(7 * HOUR);
    expect(businessSeconds('2026-10-24T00:00:00Z', '2026-10-26T00:00:00Z', cal)).toBe(9 * HOUR);
  });

  it('weekday office hours over a clock change are unaffected, and a week either side counts alike', () => {
    const ny = calendarOf({ timezone: 'America/New_York', hours: { 'mon-fri': ['09:00-17:00'] } });
    expect(businessSeconds('2026-03-02T00:00:00-05:00', '2026-03-16T00:00:00-04:00', ny)).toBe(80 * HOUR);
    expect(businessSeconds('2026-10-26T00:00:00-04:00', '2026-11-09T00:00:00-05:00', ny)).toBe(80 * HOUR);
  });
});
