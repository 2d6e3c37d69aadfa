// Calendars the calendar suites share, built through the config API HR admins use.
import { calendarFor, type Calendar, type CalendarDefinition } from '../../core/calendar/index.ts';

export function calendarOf(def: CalendarDefinition): Calendar {
  return calendarFor({ calendars: { default: 'only', assign: [], definitions: { only: def } } }, {})!;
}

export const HOUR = 3600;

/** The example office: two ranges a day, Christmas off, Christmas Eve mornings only. */
export const EMEA: CalendarDefinition = {
  timezone: 'Europe/Berlin',
  hours: { 'mon-fri': ['08:00-12:00', '13:00-17:00'] },
  holidays: ['2026-12-25', '2026-12-26', { date: '2026-12-24', hours: ['08:00-12:00'] }],
};
