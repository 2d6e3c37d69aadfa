// The `calendars` section of appraise.config.yaml: which working hours apply to whom. Checked
// when the config loads, each problem at the line and column of the setting to change; JSON
// Schema (schemas/config.schema.json) has already checked the types.
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { didYouMean } from '../util/did-you-mean.ts';
import { locate, type PathSegment, type YamlSource } from '../policy/yaml-source.ts';
import { compileCalendar, type CalendarDefinition, type CalendarProblem } from './calendar.ts';

/** People a rule assigns: every field it gives must equal the employee's. */
export interface AssignRule {
  team?: string;
  location?: string;
  department?: string;
  calendar: string;
}

export const MATCHED_FIELDS = ['team', 'location', 'department'] as const;

export interface CalendarsConfig {
  /** The calendar of people no rule of `assign` matches. */
  default: string;
  /** Tried in order; the first that matches an employee wins. */
  assign: AssignRule[];
  definitions: Record<string, CalendarDefinition>;
}

/** Problems of the section, with paths from the document's root. */
export function calendarsProblems(section: CalendarsConfig): CalendarProblem[] {
  const out: CalendarProblem[] = [];
  const names = Object.keys(section.definitions);
  for (const [name, def] of Object.entries(section.definitions)) {
    for (const p of compileCalendar(name, def).problems) out.push({ ...p, path: ['calendars', 'definitions', name, ...p.path] });
  }
  const undefinedName = (name: string, path: PathSegment[], what: string): void => {
    if (Object.hasOwn(section.definitions, name)) return;
    const known = names.length ? ` The calendars defined are ${names.map((n) => `\`${n}\``).join(', ')}.` : ' No calendar is defined yet: add it under `calendars.definitions`.';
    out.push({ code: 'APPRAISE_CALENDAR_UNDEFINED', path, message: `${what} names the calendar \`${name}\`, which \`calendars.definitions\` does not define.${didYouMean(name, names)}${known}` });
  };
  undefinedName(section.default, ['calendars', 'default'], '`calendars.default`');
  section.assign.forEach((rule, i) => {
    if (!MATCHED_FIELDS.some((f) => rule[f] !== undefined)) {
      out.push({ code: 'APPRAISE_CALENDAR_BAD_ASSIGN', path: ['calendars', 'assign', i], message: `Rule ${i + 1} of \`calendars.assign\` names no team, location or department, so it would take everyone. Add the one it is for (e.g. \`team: Tier 2 Americas\`), or set \`calendars.default\` instead.` });
    }
    undefinedName(rule.calendar, ['calendars', 'assign', i, 'calendar'], `Rule ${i + 1} of \`calendars.assign\``);
  });
  return out;
}

export function checkCalendars(section: CalendarsConfig | undefined, file: string, source?: YamlSource): Diagnostic[] {
  if (!section) return [];
  return calendarsProblems(section).map((p) => ({
    code: p.code,
    severity: 'error',
    message: p.message,
    file,
    ...(source ? locate(source, p.path, p.which) : { line: 0, column: 0 }),
  }));
}
