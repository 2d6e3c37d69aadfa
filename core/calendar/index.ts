// Business-hours calendars: working time per team or location, with its time zone and holidays.
//
//   calendarFor(config, employee)        → Calendar | undefined
//       The employee's calendar ({ team?, location?, department? }): the first rule of
//       `calendars.assign` whose every field equals the employee's, else `calendars.default`.
//       undefined when appraise.config.yaml has no `calendars` section: count wall-clock time.
//   businessSeconds(from, to, calendar)  → number
//       Working seconds in [from, to). Instants are epoch milliseconds, Dates, or ISO 8601
//       text with a zone (`2026-12-24T09:30:00Z`; a bare `YYYY-MM-DD` is midnight UTC, as
//       everywhere in Appraise); other text throws APPRAISE_DATE_INVALID, an instant outside
//       1900–9999 APPRAISE_DATE_OUT_OF_RANGE (both AppraiseError). `to` before `from`
//       gives minus the reverse, so bad data shows as a negative duration as it would in
//       wall-clock time. Exact to the millisecond (fractional seconds when the instants are).
//   describeCalendar(calendar)           → "Mon–Fri 08:00–12:00, 13:00–17:00 Europe/Berlin time, 3 holidays"
//
// What counts: a moment is working time when the calendar's wall clock then shows a time in one
// of the day's ranges. A range past midnight (22:00-06:00) belongs to the day it starts on. On
// a clock change the real elapsed time counts (01:00-05:00 holds 3 h when clocks go forward,
// 5 h when they go back; a skipped time holds nothing, a repeated one counts both times). A
// holiday removes the ranges starting that day, or replaces them with its own `hours`; a night
// range from the day before still runs into it.
//
// Costs (bench/calendar.ts): 1–2 µs a ticket from epoch ms, ~12 µs from ISO text (parsing),
// on a busy 2-core machine; whole weeks without holidays or clock changes count in one step.
// Each zone's offsets are read from Luxon once per 100 days of time and kept for the process.
export { businessSeconds, type Instant } from './business-seconds.ts';
export { calendarFor, type CalendarPerson } from './assign.ts';
export { describeCalendar } from './describe.ts';
export type { Calendar, CalendarDefinition, HolidayDefinition } from './calendar.ts';
export type { AssignRule, CalendarsConfig } from './calendars-config.ts';
