// "Needs my action": which open cases wait for whom, and for what. Each step is data: a case
// type, the statuses it is taken from, the side of the lifecycle that takes it (`by` in
// lifecycle.ts; test/cases/queue.test.ts checks every step against the lifecycles) and, where
// the status alone does not say it, a condition on the case's plan or dates. A principal's queue
// is the steps of their side as one SQL predicate, so the store filters, counts, orders and pages
// it; no case is read into JavaScript to decide whether it belongs.
import type { Role } from '../auth/tokens.ts';
import { TERMINAL, type CaseType } from './lifecycle.ts';

/** What a case waits for, as the list names it (a lifecycle action, `close` for succeed/fail, or a check-in). */
export type QueueStep = 'approve' | 'plan' | 'close' | 'check-in' | 'start' | 'schedule' | 'complete' | 'deliver' | 'acknowledge';

export type QueueSide = 'hr' | 'manager' | 'employee';

/** A manager's queue lists a running PIP's check-in this long before it is due; HR's only once it is overdue. */
export const CHECKIN_SOON_DAYS = 7;

/** Turns a value into a bound parameter of the statement being built (`$3`). */
export type Param = (value: unknown) => string;

export interface StepDef {
  step: QueueStep;
  side: QueueSide;
  type: CaseType;
  statuses: string[];
  /** The lifecycle actions that take the step (`check-in` is recordCheckIn, not a transition). */
  actions: string[];
  /** More than the status: an SQL condition on the case row `c`. */
  when?: (now: () => string, param: Param) => string;
}

/** A PIP holds its plan once it has goals and an end date: what `acknowledge` needs (transitions.ts). */
const PLAN_SET = `coalesce(jsonb_typeof(c.goals) = 'array' AND c.goals <> '[]'::jsonb AND c.due_at IS NOT NULL, false)`;

/** The steps in the order a case's next step is named when several apply (a PIP past its end before its check-in). */
export const QUEUE_STEPS: readonly StepDef[] = [
  // HR: decisions only HR takes.
  { step: 'approve', side: 'hr', type: 'pip', statuses: ['proposed'], actions: ['approve', 'reject'] },
  { step: 'plan', side: 'hr', type: 'pip', statuses: ['approved'], actions: ['plan'], when: () => `NOT ${PLAN_SET}` },
  { step: 'close', side: 'hr', type: 'pip', statuses: ['active', 'extended'], actions: ['succeed', 'fail', 'extend'], when: (now) => `c.due_at < ${now()}` },
  { step: 'check-in', side: 'hr', type: 'pip', statuses: ['active', 'extended'], actions: ['check-in'], when: (now) => `c.next_checkin_at < ${now()}` },
  // Managers: the work with their people.
  { step: 'start', side: 'manager', type: 'pip', statuses: ['acknowledged'], actions: ['start'] },
  {
    step: 'check-in', side: 'manager', type: 'pip', statuses: ['active', 'extended'], actions: ['check-in'],
    when: (now, param) => `c.next_checkin_at < ${now()}::timestamptz + ${param(CHECKIN_SOON_DAYS)}::int * interval '1 day'`,
  },
  { step: 'schedule', side: 'manager', type: 'coaching', statuses: ['open'], actions: ['schedule'] },
  { step: 'complete', side: 'manager', type: 'coaching', statuses: ['scheduled'], actions: ['complete'] },
  { step: 'deliver', side: 'manager', type: 'recognition', statuses: ['open'], actions: ['deliver'] },
  // Employees: what they acknowledge.
  { step: 'acknowledge', side: 'employee', type: 'pip', statuses: ['approved'], actions: ['acknowledge'], when: () => PLAN_SET },
  { step: 'acknowledge', side: 'employee', type: 'pip', statuses: ['paused'], actions: ['acknowledge'] },
  { step: 'acknowledge', side: 'employee', type: 'recognition', statuses: ['delivered'], actions: ['acknowledge'] },
];

/**
 * The sides whose steps wait for a role. Mirrors who may take what (`mayTake` in
 * core/server/routes/cases.ts) except that HR's queue holds HR's own decisions only: HR and
 * admins may also take a manager's steps, but those wait for the manager.
 */
export function sidesOf(role: Role): QueueSide[] {
  if (role === 'admin' || role === 'hr') return ['hr', 'employee'];
  if (role === 'manager') return ['manager', 'employee'];
  if (role === 'employee') return ['employee'];
  return [];
}

/** Statuses and types come from the constant tables above, never from a request; still checked before they become SQL text. */
const literal = (s: string) => {
  if (!/^[a-z-]+$/.test(s)) throw new Error(`not a status or type: ${s}`);
  return `'${s}'`;
};
const inList = (values: readonly string[]) => values.map(literal).join(', ');

/** The SQL condition that a case waits for a principal at `step` (`me`: their employee id as SQL); the caller scopes the rows to what they may see. */
function stepSql(def: StepDef, me: string | undefined, now: () => string, param: Param): string | undefined {
  // Nobody acts on their own case except as its employee; only the employee acknowledges.
  let whose: string;
  if (def.side === 'employee') {
    if (!me) return undefined;
    whose = `c.employee_id = ${me}`;
  } else {
    whose = me ? `c.employee_id <> ${me}` : 'true';
  }
  const when = def.when ? ` AND (${def.when(now, param)})` : '';
  return `(c.type = ${literal(def.type)} AND c.status IN (${inList(def.statuses)})${when} AND ${whose})`;
}

export interface QueueSql {
  /** True for a case that waits for the principal. */
  needsAction: string;
  /** The step a case waits for from the principal (a QueueStep), or NULL. */
  nextStep: string;
}

/**
 * The queue of `principal` at the instant `now` gives as SQL (a parameter, bound once when a step
 * needs it: a statement must use every parameter it is given).
 */
export function queueSql(principal: { role: Role; employeeId?: string }, now: () => string, param: Param): QueueSql {
  const sides = sidesOf(principal.role);
  const defs = QUEUE_STEPS.filter((d) => sides.includes(d.side) && (d.side !== 'employee' || principal.employeeId));
  if (!defs.length) return { needsAction: 'false', nextStep: 'NULL::text' };
  const me = principal.employeeId ? param(principal.employeeId) : undefined;
  const steps = defs.map((d) => ({ d, sql: stepSql(d, me, now, param)! }));
  return {
    needsAction: `(${steps.map((s) => s.sql).join(' OR ')})`,
    nextStep: `CASE ${steps.map((s) => `WHEN ${s.sql} THEN ${literal(s.d.step)}`).join(' ')} ELSE NULL END`,
  };
}

const CLOSED = `(${(Object.entries(TERMINAL) as Array<[CaseType, string[]]>).map(([type, statuses]) => `(c.type = ${literal(type)} AND c.status IN (${inList(statuses)}))`).join(' OR ')})`;

/**
 * When a case's next step is due: a running PIP at its next check-in or its end, whichever comes
 * first; any other open case at its due date (a PIP's end, a coaching case's due-by), else its
 * coaching session, else its next check-in (the dashboard's order). A closed case is due never.
 */
export const DUE_BY_SQL = `CASE WHEN ${CLOSED} THEN NULL
  WHEN c.type = 'pip' AND c.status IN ('active', 'extended') THEN least(c.next_checkin_at, c.due_at)
  ELSE coalesce(c.due_at, c.scheduled_for, c.next_checkin_at) END`;

/** PIPs before coaching before recognition, when the dates do not decide. */
export const TYPE_RANK_SQL = `CASE c.type WHEN 'pip' THEN 0 WHEN 'coaching' THEN 1 ELSE 2 END`;

/**
 * The queue's order, most urgent first: overdue, then by due date (an overdue case is the
 * earliest due, so one ascending date does both; a case with no due date comes after every
 * dated one), then PIPs before coaching before recognition, then the longest waiting.
 */
export const URGENCY_ORDER = `due_by ASC NULLS LAST, ${TYPE_RANK_SQL}, c.id ASC`;
