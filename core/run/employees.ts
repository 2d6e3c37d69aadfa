// Employees as the pipeline sees them, and who a policy applies to on the as-of date.
import type { Queryable } from '../store/store.ts';
import type { EmployeeFacts } from '../evaluate/facts.ts';
import type { Selector } from '../policy/types.ts';
import { parseDuration } from '../policy/duration.ts';

export interface Employee {
  id: string;
  name: string;
  email?: string;
  role?: string;
  team?: string;
  department?: string;
  location?: string;
  managerId?: string;
  /** YYYY-MM-DD */
  hireDate?: string;
  attributes: Record<string, unknown>;
}

interface Row {
  id: string;
  name: string;
  email: string | null;
  role: string | null;
  team: string | null;
  department: string | null;
  location: string | null;
  manager_id: string | null;
  hire_date: string | null;
  attributes: Record<string, unknown>;
}

const COLUMNS = `id, name, email, role, team, department, location, manager_id, to_char(hire_date, 'YYYY-MM-DD') AS hire_date, attributes`;

function toEmployee(e: Row): Employee {
  return {
    id: e.id,
    name: e.name,
    ...(e.email ? { email: e.email } : {}),
    ...(e.role ? { role: e.role } : {}),
    ...(e.team ? { team: e.team } : {}),
    ...(e.department ? { department: e.department } : {}),
    ...(e.location ? { location: e.location } : {}),
    ...(e.manager_id ? { managerId: e.manager_id } : {}),
    ...(e.hire_date ? { hireDate: e.hire_date } : {}),
    attributes: e.attributes ?? {},
  };
}

export async function loadEmployees(db: Queryable): Promise<Employee[]> {
  return (await db.query<Row>(`SELECT ${COLUMNS} FROM employees ORDER BY id`)).rows.map(toEmployee);
}

export async function loadEmployee(db: Queryable, id: string): Promise<Employee | undefined> {
  const row = (await db.query<Row>(`SELECT ${COLUMNS} FROM employees WHERE id = $1`, [id])).rows[0];
  return row ? toEmployee(row) : undefined;
}

export interface EmployeeSearch {
  /** Only these ids (a reporting line); all when absent. */
  ids?: string[];
  /** Part of the id, name or e-mail, any case. */
  q?: string;
  team?: string;
  department?: string;
  role?: string;
  limit: number;
  offset: number;
}

/** One page of employees matching a search, filtered and paged in SQL. */
export async function searchEmployees(db: Queryable, f: EmployeeSearch): Promise<{ employees: Employee[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replaceAll('?', `$${params.length}`));
  };
  if (f.ids) add('id = ANY(?::text[])', f.ids);
  if (f.q) add(`(lower(id) LIKE ? OR lower(name) LIKE ? OR lower(coalesce(email, '')) LIKE ?)`, `%${f.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (f.team) add('team = ?', f.team);
  if (f.department) add('department = ?', f.department);
  if (f.role) add('role = ?', f.role);
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = Number((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM employees ${w}`, params)).rows[0].n);
  const rows = (await db.query<Row>(`SELECT ${COLUMNS} FROM employees ${w} ORDER BY id LIMIT ${Math.floor(f.limit)} OFFSET ${Math.floor(f.offset)}`, params)).rows;
  return { employees: rows.map(toEmployee), total };
}

const hiredAt = new WeakMap<Employee, number>();

/** Whole days from the hire date to the as-of instant; undefined without a hire date. */
export function tenureDays(e: Employee, asOf: Date): number | undefined {
  if (!e.hireDate) return undefined;
  let ms = hiredAt.get(e);
  if (ms === undefined) {
    ms = Date.parse(`${e.hireDate}T00:00:00Z`);
    hiredAt.set(e, ms);
  }
  return Math.floor((asOf.getTime() - ms) / 86400000);
}

export function employeeFactsOf(e: Employee, asOf: Date): EmployeeFacts {
  return {
    id: e.id,
    tenureDays: tenureDays(e, asOf),
    role: e.role,
    team: e.team,
    department: e.department,
    location: e.location,
    managerId: e.managerId,
    attributes: e.attributes,
  };
}

export type SelectorResult = { applies: true } | { applies: false; reason: 'not-selected' | 'no-hire-date' };

/**
 * Whether a policy's `appliesTo` selects the employee. An employee whose hire date is unknown is
 * never selected by a tenure condition: a new hire must not be measured as a veteran.
 */
const inList = (list: string[] | undefined, v: string | undefined) => !list || (v !== undefined && list.includes(v));
/** Selector durations, parsed once (a run asks for every employee). */
const durations = new Map<string, number>();
const seconds = (d: string) => {
  let s = durations.get(d);
  if (s === undefined) durations.set(d, (s = parseDuration(d)!));
  return s;
};

const APPLIES: SelectorResult = Object.freeze({ applies: true });
const NOT_SELECTED: SelectorResult = Object.freeze({ applies: false, reason: 'not-selected' });
const NO_HIRE_DATE: SelectorResult = Object.freeze({ applies: false, reason: 'no-hire-date' });

export function selects(selector: Selector, e: Employee, asOf: Date): SelectorResult {
  if (!inList(selector.roles, e.role) || !inList(selector.teams, e.team) || !inList(selector.departments, e.department) || !inList(selector.locations, e.location)) {
    return NOT_SELECTED;
  }
  if (selector.attributes) {
    for (const k of Object.keys(selector.attributes)) if (e.attributes[k] !== selector.attributes[k]) return NOT_SELECTED;
  }
  if (selector.minTenure || selector.maxTenure) {
    const days = tenureDays(e, asOf);
    if (days === undefined) return NO_HIRE_DATE;
    const tenure = days * 86400;
    if (selector.minTenure && tenure < seconds(selector.minTenure)) return NOT_SELECTED;
    if (selector.maxTenure && tenure >= seconds(selector.maxTenure)) return NOT_SELECTED;
  }
  return APPLIES;
}
