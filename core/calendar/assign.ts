// Whose hours are whose: the calendar of an employee, by the first `calendars.assign` rule that
// matches them, else `calendars.default`. Calendars compile once per definition and are shared.
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import { compileCalendar, type Calendar, type CalendarDefinition } from './calendar.ts';
import { MATCHED_FIELDS, type CalendarsConfig } from './calendars-config.ts';

export interface CalendarPerson {
  team?: string;
  location?: string;
  department?: string;
}

const compiled = new WeakMap<CalendarDefinition, Calendar>();

/** The compiled calendar of a definition; throws its first problem if the config was never checked. */
export function calendarNamed(section: CalendarsConfig, name: string): Calendar {
  const def = Object.hasOwn(section.definitions, name) ? section.definitions[name] : undefined;
  if (!def) throw new AppraiseError('APPRAISE_CALENDAR_UNDEFINED', `No calendar \`${name}\` is defined under \`calendars.definitions\`.`, { calendar: name });
  let cal = compiled.get(def);
  if (!cal) {
    const { calendar, problems } = compileCalendar(name, def);
    if (!calendar) throw new AppraiseError(problems[0].code, `Calendar \`${name}\`: ${problems[0].message}`, { calendar: name });
    compiled.set(def, (cal = calendar));
  }
  return cal;
}

/**
 * The calendar whose hours count for `employee`, or undefined when the config has no
 * `calendars` section (durations are then wall-clock time).
 */
export function calendarFor(config: { calendars?: CalendarsConfig }, employee: CalendarPerson): Calendar | undefined {
  const section = config.calendars;
  if (!section) return undefined;
  const rule = section.assign.find((r) => MATCHED_FIELDS.every((f) => r[f] === undefined || r[f] === employee[f]));
  return calendarNamed(section, rule?.calendar ?? section.default);
}
