// `businessSeconds(from, to)` in a mapping's expressions: working time under the calendar of the
// row's employee (appraise.config.yaml `calendars`, core/calendar/). The employee of a record is
// looked up in the store (their team, location, department choose the calendar); an employee
// row uses its own fields. Without calendars configured, a mapping that asks for working time
// is refused before any row is read: silently counting wall-clock time would be a wrong answer.
import { businessSeconds, calendarFor, type Calendar, type CalendarsConfig } from '../calendar/index.ts';
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import type { Queryable } from '../store/store.ts';
import type { ExpressionFunctions } from './expressions.ts';
import type { Mapping } from './mapping.ts';

/** Whether some expression of the mapping calls businessSeconds. */
export function usesBusinessSeconds(mapping: Mapping): boolean {
  return (['fields', 'payload', 'attributes', 'let'] as const).some((s) => [...mapping[s].values()].some((v) => 'expr' in v.source && /\bbusinessSeconds\s*\(/.test(v.source.expr.text)));
}

type Person = { team?: string; location?: string; department?: string };

/**
 * The functions a records import's expressions call, per row: the calendar of the row's
 * employee. Undefined when the mapping does not need one.
 */
export async function recordCalendarFunctions(db: Queryable, mapping: Mapping | undefined, calendars: CalendarsConfig | undefined): Promise<((field: (name: string) => unknown) => ExpressionFunctions) | undefined> {
  if (!mapping || !usesBusinessSeconds(mapping)) return undefined;
  requireCalendars(mapping, calendars);
  const { rows } = await db.query<{ id: string; team: string | null; location: string | null; department: string | null }>('SELECT id, team, location, department FROM employees');
  const people = new Map(rows.map((r) => [r.id, r]));
  const byEmployee = new Map<string, Calendar>();
  return (field) => {
    const id = field('employeeId');
    const person = typeof id === 'string' ? people.get(id) : undefined;
    if (!person) return {}; // an unknown employee: the row is refused for that anyway
    let cal = byEmployee.get(person.id);
    if (!cal) byEmployee.set(person.id, (cal = calendarFor({ calendars }, clean(person))!));
    return working(cal);
  };
}

/** The same for an employees import: the row's own team, location and department. */
export function employeeCalendarFunctions(mapping: Mapping | undefined, calendars: CalendarsConfig | undefined): ((field: (name: string) => unknown) => ExpressionFunctions) | undefined {
  if (!mapping || !usesBusinessSeconds(mapping)) return undefined;
  requireCalendars(mapping, calendars);
  return (field) => {
    const text = (k: string) => (typeof field(k) === 'string' ? (field(k) as string) : undefined);
    return working(calendarFor({ calendars }, clean({ team: text('team'), location: text('location'), department: text('department') }))!);
  };
}

function working(cal: Calendar): ExpressionFunctions {
  return { businessSeconds: (from, to) => businessSeconds(from.getTime(), to.getTime(), cal) };
}

function clean(p: { team?: string | null; location?: string | null; department?: string | null }): Person {
  const out: Person = {};
  if (p.team) out.team = p.team;
  if (p.location) out.location = p.location;
  if (p.department) out.department = p.department;
  return out;
}

function requireCalendars(mapping: Mapping, calendars: CalendarsConfig | undefined): asserts calendars {
  if (!calendars) {
    throw new AppraiseError('APPRAISE_IMPORT_BAD_MAPPING', `The mapping ${mapping.file ?? ''} counts working time (businessSeconds), but appraise.config.yaml defines no \`calendars\`. Define the working hours (see README, Business hours), or use seconds(from, to) for wall-clock time.`);
  }
}
