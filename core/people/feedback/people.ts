// Who is who for feedback: the employee a token acts as, whether someone is in a manager's line
// (the same reporting-line scope as cases: core/auth/scope.ts), and a manager's group, their
// direct reports, whose size decides whether upward feedback may be anonymous.
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import type { Principal } from '../../auth/tokens.ts';
import { canSee, visibleEmployees } from '../../auth/scope.ts';
import type { Queryable } from '../../store/store.ts';

/** Upward feedback may be anonymous only where the manager has at least this many direct reports. */
export const MIN_ANONYMOUS_GROUP = 5;

export interface Person {
  id: string;
  name: string;
  managerId: string | null;
}

export async function findPerson(db: Queryable, id: string, field = 'employeeId'): Promise<Person> {
  const r = await db.query<{ id: string; name: string; manager_id: string | null }>('SELECT id, name, manager_id FROM employees WHERE id = $1', [id]);
  if (!r.rows.length) throw new AppraiseError('APPRAISE_EMPLOYEE_NOT_FOUND', `There is no employee ${JSON.stringify(id)}. Check the id in the employee list.`, { field, employeeId: id });
  const p = r.rows[0];
  return { id: p.id, name: p.name, managerId: p.manager_id };
}

/** The employee the token acts as; feedback always comes from a person. */
export async function actingPerson(db: Queryable, p: Principal, doing: string): Promise<Person> {
  if (!p.employeeId) {
    throw new AppraiseError('APPRAISE_FEEDBACK_NO_EMPLOYEE', `The token "${p.name}" does not act as an employee, so it cannot ${doing}. Sign in with a token created with --employee <your id>.`);
  }
  return findPerson(db, p.employeeId);
}

export const isHr = (p: Principal): boolean => p.role === 'hr' || p.role === 'admin';

/** Whether `p` is above `employeeId` in the reporting line (HR and admin count as above everyone but themselves). */
export async function manages(db: Queryable, p: Principal, employeeId: string): Promise<boolean> {
  if (p.employeeId === employeeId) return false;
  if (isHr(p)) return true;
  if (p.role !== 'manager') return false;
  return canSee(await visibleEmployees(db, p), employeeId);
}

export async function directReports(db: Queryable, managerId: string): Promise<number> {
  const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM employees WHERE manager_id = $1', [managerId]);
  return Number(r.rows[0].n);
}

/** Refuses empty or blank text, naming the field. */
export function requireText(text: string | undefined, field: string, what: string): string {
  const t = (text ?? '').trim();
  if (!t) throw new AppraiseError('APPRAISE_FEEDBACK_EMPTY_TEXT', `Write ${what}: ${field} is empty.`, { field });
  return t;
}
