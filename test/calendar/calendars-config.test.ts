// The `calendars` section of appraise.config.yaml: each mistake an HR admin can make is refused
// at the line and column of the setting to change, with a code and what to do; a good section
// loads, and each employee gets the calendar the rules give them.
import { describe, expect, it } from 'vitest';
import { configFromText } from '../../core/config/config.ts';
import { businessSeconds, calendarFor, describeCalendar } from '../../core/calendar/index.ts';
import { HOUR } from './calendars.ts';

const load = (text: string) => configFromText('appraise.config.yaml', text);

const EXAMPLE = `calendars:
  default: emea
  assign:
    - { team: Tier 2 Americas, calendar: americas }
    - { location: Tokyo, calendar: apac }
  definitions:
    emea:
      timezone: Europe/Berlin
      hours:
        mon-fri: ["08:00-12:00", "13:00-17:00"]
      holidays: ["2026-12-25", "2026-12-26", { date: "2026-12-24", hours: ["08:00-12:00"] }]
    americas: { timezone: America/New_York, hours: { mon-fri: ["09:00-17:00"] }, holidays: [] }
    apac: { timezone: Asia/Tokyo, hours: { mon-fri: ["09:00-18:00"], sat: ["09:00-12:00"] } }
`;

/** A config whose one calendar `c` has these lines (indented under it). */
const withCalendar = (lines: string) => `calendars:\n  default: c\n  definitions:\n    c:\n${lines}`;

function errorsOf(text: string) {
  const { config, diagnostics } = load(text);
  expect(config).toBeUndefined();
  return diagnostics.map((d) => ({ code: d.code, line: d.line, column: d.column, message: d.message }));
}

describe('calendars in appraise.config.yaml', () => {
  it('the example loads, and each employee gets the calendar of the first rule that matches, else the default', () => {
    const { config, diagnostics } = load(EXAMPLE);
    expect(diagnostics).toEqual([]);
    expect(calendarFor(config!, { team: 'Tier 2 Americas', location: 'Tokyo' })!.name).toBe('americas');
    expect(calendarFor(config!, { team: 'Tier 1', location: 'Tokyo' })!.name).toBe('apac');
    expect(calendarFor(config!, { team: 'Tier 1', location: 'Lisbon', department: 'Support' })!.name).toBe('emea');
    expect(calendarFor(config!, {})!.name).toBe('emea');
    // The Americas calendar counts New York's day: 14:00Z to 22:00Z is 09:00 to 17:00 there.
    expect(businessSeconds('2026-11-16T14:00:00Z', '2026-11-16T23:00:00Z', calendarFor(config!, { team: 'Tier 2 Americas' })!)).toBe(8 * HOUR);
  });

  it('a rule with several fields matches only people who have all of them', () => {
    const { config } = load(EXAMPLE.replace('{ location: Tokyo, calendar: apac }', '{ location: Tokyo, department: Sales, calendar: apac }'));
    expect(calendarFor(config!, { location: 'Tokyo' })!.name).toBe('emea');
    expect(calendarFor(config!, { location: 'Tokyo', department: 'Sales' })!.name).toBe('apac');
  });

  it('without a calendars section there is no calendar: durations stay wall-clock time', () => {
    const { config } = load('policies:\n  dirs: [rules]\n');
    expect(calendarFor(config!, { team: 'Tier 1' })).toBeUndefined();
  });

  it('a calendar reads in plain words for explanations', () => {
    const { config } = load(EXAMPLE);
    expect(describeCalendar(calendarFor(config!, {})!)).toBe('Mon–Fri 08:00–12:00, 13:00–17:00 Europe/Berlin time, 3 holidays');
    expect(describeCalendar(calendarFor(config!, { location: 'Tokyo' })!)).toBe('Mon–Fri 09:00–18:00; Sat 09:00–12:00 Asia/Tokyo time, no holidays');
    const nights = load(withCalendar('      timezone: UTC\n      hours: { sat-sun: ["22:00-06:00"], tue: ["00:00-24:00"] }\n      holidays: ["2026-12-25"]\n')).config!;
    expect(describeCalendar(calendarFor(nights, {})!)).toBe('Tue 00:00–24:00; Sat, Sun 22:00–06:00 UTC time, 1 holiday');
  });

  it('Error: an unknown time zone, at the zone', () => {
    expect(errorsOf(withCalendar('      timezone: Europe/Berln\n      hours: { mon-fri: ["09:00-17:00"] }\n'))).toEqual([
      { code: 'APPRAISE_CALENDAR_UNKNOWN_ZONE', line: 5, column: 17, message: expect.stringMatching(/`Europe\/Berln` is not a time zone\. Use an IANA zone name such as `Europe\/Berlin`/) },
    ]);
  });

  it('Error: a time that does not exist, an empty range and a malformed one, each at its range', () => {
    expect(errorsOf(withCalendar('      timezone: UTC\n      hours:\n        mon: ["09:00-25:00"]\n        tue: ["08:00-08:00"]\n        wed: ["9-17"]\n'))).toEqual([
      { code: 'APPRAISE_CALENDAR_BAD_RANGE', line: 7, column: 15, message: expect.stringMatching(/`25:00` in `09:00-25:00` is not a time of day: use 00:00 to 23:59/) },
      { code: 'APPRAISE_CALENDAR_BAD_RANGE', line: 8, column: 15, message: expect.stringMatching(/`08:00-08:00` is empty.*a whole day is `00:00-24:00`/) },
      { code: 'APPRAISE_CALENDAR_BAD_RANGE', line: 9, column: 15, message: expect.stringMatching(/`9-17` is not a range of hours\. Write it as `08:00-12:00`/) },
    ]);
  });

  it('Error: overlapping ranges in a day, reported once for all the weekdays that share them', () => {
    expect(errorsOf(withCalendar('      timezone: UTC\n      hours:\n        mon-fri: ["08:00-12:00", "11:00-17:00"]\n'))).toEqual([
      { code: 'APPRAISE_CALENDAR_OVERLAP', line: 7, column: 34, message: expect.stringMatching(/`11:00-17:00` overlaps `08:00-12:00` on Monday\. Merge them/) },
    ]);
  });

  it("Error: a night range that runs into the next day's hours, and a holiday's hours that overlap the night before", () => {
    expect(errorsOf(withCalendar('      timezone: UTC\n      hours:\n        sun: ["22:00-07:00"]\n        mon: ["06:00-14:00"]\n'))).toEqual([
      { code: 'APPRAISE_CALENDAR_OVERLAP', line: 7, column: 15, message: expect.stringMatching(/`22:00-07:00` on Sunday runs past midnight into `06:00-14:00` on Monday/) },
    ]);
    // 2026-11-16 is a Monday; Sunday night runs until 06:00.
    expect(errorsOf(withCalendar('      timezone: UTC\n      hours:\n        sun: ["22:00-06:00"]\n      holidays: [{ date: "2026-11-16", hours: ["05:00-09:00"] }]\n'))).toEqual([
      { code: 'APPRAISE_CALENDAR_OVERLAP', line: 7, column: 15, message: expect.stringMatching(/`22:00-06:00` on the Sunday before it runs past midnight into `05:00-09:00` on the holiday 2026-11-16/) },
    ]);
  });

  it('Error: a weekday key that is not one, and a weekday given twice, at the key', () => {
    expect(errorsOf(withCalendar('      timezone: UTC\n      hours:\n        mon-fry: ["08:00-12:00"]\n        mon-fri: ["08:00-12:00"]\n        fri: ["13:00-17:00"]\n'))).toEqual([
      { code: 'APPRAISE_CALENDAR_BAD_WEEKDAY', line: 7, column: 9, message: expect.stringMatching(/`fry` in `mon-fry` is not a weekday.*Did you mean `fri`\?/) },
      { code: 'APPRAISE_CALENDAR_BAD_WEEKDAY', line: 9, column: 9, message: expect.stringMatching(/Friday is given twice, in `mon-fri` and in `fri`/) },
    ]);
  });

  it('Error: a holiday that is not a date, or no real one, or listed twice', () => {
    expect(errorsOf(withCalendar('      timezone: UTC\n      hours: { mon-fri: ["09:00-17:00"] }\n      holidays:\n        - christmas\n        - { date: "2026-02-30", hours: ["09:00-12:00"] }\n        - 2026-12-25\n        - "2026-12-25"\n'))).toEqual([
      { code: 'APPRAISE_CALENDAR_BAD_HOLIDAY', line: 8, column: 11, message: expect.stringMatching(/`christmas` is not a date\. Write a holiday as `YYYY-MM-DD`/) },
      { code: 'APPRAISE_CALENDAR_BAD_HOLIDAY', line: 9, column: 19, message: expect.stringMatching(/`2026-02-30` is not a date/) },
      { code: 'APPRAISE_CALENDAR_BAD_HOLIDAY', line: 11, column: 11, message: expect.stringMatching(/2026-12-25 is listed twice among the holidays/) },
    ]);
  });

  it('Error: an assign rule or the default naming an undefined calendar, with the names defined', () => {
    const text = EXAMPLE.replace('default: emea', 'default: europe').replace('calendar: apac', 'calendar: apak');
    expect(errorsOf(text)).toEqual([
      { code: 'APPRAISE_CALENDAR_UNDEFINED', line: 2, column: 12, message: expect.stringMatching(/`calendars\.default` names the calendar `europe`, which `calendars\.definitions` does not define\. The calendars defined are `emea`, `americas`, `apac`\./) },
      { code: 'APPRAISE_CALENDAR_UNDEFINED', line: 5, column: 36, message: expect.stringMatching(/Rule 2 of `calendars\.assign` names the calendar `apak`.*Did you mean `apac`\?/) },
    ]);
  });

  it('Error: an assign rule for nobody in particular', () => {
    expect(errorsOf(EXAMPLE.replace('{ location: Tokyo, calendar: apac }', '{ calendar: apac }'))).toEqual([
      { code: 'APPRAISE_CALENDAR_BAD_ASSIGN', line: 5, column: 7, message: expect.stringMatching(/Rule 2 of `calendars\.assign` names no team, location or department/) },
    ]);
  });

  it('Error: a missing default, or a holiday of the wrong type, is a schema error at its place', () => {
    expect(errorsOf('calendars:\n  definitions:\n    c: { timezone: UTC, hours: {} }\n')).toEqual([
      expect.objectContaining({ code: 'APPRAISE_SCHEMA_MISSING_FIELD', line: 1, column: 1, message: expect.stringMatching(/missing the required field `default`/) }),
    ]);
    expect(errorsOf(withCalendar('      timezone: UTC\n      hours: {}\n      holidays: [20261225]\n'))).toEqual([
      expect.objectContaining({ code: 'APPRAISE_SCHEMA_WRONG_TYPE', line: 7, column: 18 }),
    ]);
  });
});
