// Goals in the store: setting one (a manager or HR for their line, active at once; an employee
// for themself, proposed), moving it along its lifecycle, notes by hand, and reading them back
// scoped to what the caller may see. Every step is a goal_events row and an audit_log entry.
import type { Queryable, Store } from '../../store/store.ts';
import type { Principal } from '../../auth/tokens.ts';
import { canSee, visibleEmployees } from '../../auth/scope.ts';
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import { FieldError } from '../../cases/field-error.ts';
import { parseInstant } from '../../util/instant.ts';
import { orList } from '../../cases/lifecycle.ts';
import { checkMeasure, measureWords, type Measure, type Metrics } from './measure.ts';
import { goalActionsFrom, goalTransition, type GoalStatus } from './lifecycle.ts';

export interface GoalInput {
  employeeId?: string;
  team?: string;
  title: string;
  description?: string;
  startsAt?: string;
  dueAt: string;
  weight?: number;
  measure?: unknown;
}

export interface Goal {
  id: number;
  employeeId: string | null;
  team: string | null;
  caseId: number | null;
  source: 'manager' | 'employee' | 'pip';
  title: string;
  description: string | null;
  criterion: string | null;
  measure: Measure | null;
  /** The measure in words ("CSAT at least 4.3 (from at least 30 records)"). */
  measureWords: string | null;
  weight: number;
  startsAt: string;
  dueAt: string;
  status: GoalStatus;
  createdBy: string;
  createdAt: string;
  closedAt: string | null;
}

export interface GoalEvent { id: number; at: string; actor: string; event: string; fromStatus: string | null; toStatus: string | null; note: string | null; data: Record<string, unknown> }

interface GoalRow {
  id: number | string; employee_id: string | null; team: string | null; case_id: number | string | null; source: Goal['source'];
  title: string; description: string | null; criterion: string | null; measure: Measure | null; weight: number | string;
  starts_at: string | Date; due_at: string | Date; status: GoalStatus; created_by: string; created_at: string | Date; closed_at: string | Date | null;
}

const iso = (v: string | Date) => new Date(v).toISOString();

export function goalOf(r: GoalRow, metrics: Metrics): Goal {
  return {
    id: Number(r.id), employeeId: r.employee_id, team: r.team, caseId: r.case_id === null ? null : Number(r.case_id), source: r.source,
    title: r.title, description: r.description, criterion: r.criterion, measure: r.measure,
    measureWords: r.measure ? measureWords(metrics, r.measure) : null, weight: Number(r.weight),
    startsAt: iso(r.starts_at), dueAt: iso(r.due_at), status: r.status, createdBy: r.created_by, createdAt: iso(r.created_at),
    closedAt: r.closed_at ? iso(r.closed_at) : null,
  };
}

export const GOAL_COLUMNS = 'id, employee_id, team, case_id, source, title, description, criterion, measure, weight, starts_at, due_at, status, created_by, created_at, closed_at';

const invalid = (field: string, words: string, details: Record<string, unknown> = {}) =>
  new FieldError('APPRAISE_GOAL_INVALID', [field], (n) => `${n(field)}: ${words}`, details);

/** A title, within limits, or a coded error naming the field. */
export function checkTitle(v: unknown, field = 'title'): string {
  const t = typeof v === 'string' ? v.trim() : '';
  if (!t || t.length > 300) throw invalid(field, 'give the goal a title of at most 300 characters.');
  return t;
}

function dateField(v: unknown, field: string, fallback?: Date): Date {
  if (v === undefined && fallback) return fallback;
  if (typeof v !== 'string' || !v) throw invalid(field, 'give a date as YYYY-MM-DD.');
  try {
    return parseInstant(v, field);
  } catch (e) {
    if (!(e instanceof AppraiseError)) throw e;
    // Worded again with each surface's name for the field (the CLI's flag, the API's body field).
    throw new FieldError(e.code, [field], (n) => e.message.replace(field, n(field)), { value: v });
  }
}

/** Writes a goal event and its audit entry. */
export async function goalEvent(tx: Queryable, goalId: number, e: { at: Date; actor: string; event: string; from?: string | null; to?: string | null; note?: string | null; data?: Record<string, unknown> }): Promise<void> {
  await tx.query(`INSERT INTO goal_events (goal_id, at, actor, event, from_status, to_status, note, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)`,
    [goalId, e.at.toISOString(), e.actor, e.event, e.from ?? null, e.to ?? null, e.note ?? null, JSON.stringify(e.data ?? {})]);
  await tx.query(`INSERT INTO audit_log (at, actor, action, target, before, after) VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb)`,
    [e.at.toISOString(), e.actor, `goal.${e.event}`, `goal:${goalId}`, JSON.stringify(e.from ? { status: e.from } : null), JSON.stringify({ status: e.to ?? null, note: e.note ?? null, ...(e.data ?? {}) })]);
}

/** Whether the principal may set or judge goals for an employee: HR and admin anyone, a manager their line (never themself). */
async function managesEmployee(db: Queryable, p: Principal, employeeId: string): Promise<boolean> {
  if (p.role === 'admin' || p.role === 'hr') return true;
  if (p.role !== 'manager' || p.employeeId === employeeId) return false;
  return canSee(await visibleEmployees(db, p), employeeId);
}

/** A team goal is set by HR, or by a manager whose line holds every member of the team. */
async function managesTeam(db: Queryable, p: Principal, team: string): Promise<boolean> {
  if (p.role === 'admin' || p.role === 'hr') return true;
  if (p.role !== 'manager') return false;
  const visible = await visibleEmployees(db, p);
  const members = (await db.query<{ id: string }>('SELECT id FROM employees WHERE team = $1', [team])).rows;
  return members.length > 0 && members.every((m) => m.id !== p.employeeId && canSee(visible, m.id));
}

const forbidden = (words: string) => new AppraiseError('APPRAISE_GOAL_FORBIDDEN', words);

/** Sets a goal: active when a manager or HR sets it, proposed when an employee proposes their own. */
export async function createGoal(store: Store, metrics: Metrics, p: Principal, input: GoalInput, at = new Date()): Promise<Goal> {
  if ((input.employeeId === undefined) === (input.team === undefined)) throw invalid('employeeId', 'a goal belongs to one employee (employeeId) or one team (team), not both or neither.');
  const title = checkTitle(input.title);
  const description = typeof input.description === 'string' && input.description.trim() ? input.description.trim().slice(0, 4000) : null;
  const startsAt = dateField(input.startsAt, 'startsAt', at);
  const dueAt = dateField(input.dueAt, 'dueAt');
  if (dueAt <= startsAt) throw invalid('dueAt', `the due date must come after the start (${startsAt.toISOString().slice(0, 10)}).`);
  const weight = input.weight ?? 1;
  if (typeof weight !== 'number' || !(weight > 0) || weight > 100) throw invalid('weight', 'give a weight above 0 and at most 100.');
  const measure = input.measure === undefined || input.measure === null ? null : checkMeasure(metrics, input.measure);
  let status: GoalStatus;
  let source: 'manager' | 'employee';
  if (input.team !== undefined) {
    const exists = await store.query('SELECT 1 FROM employees WHERE team = $1 LIMIT 1', [input.team]);
    if (!exists.rows.length) throw new AppraiseError('APPRAISE_GROUP_NOT_FOUND', `There is no team \`${input.team}\`.`, { field: 'team' });
    if (!(await managesTeam(store, p, input.team))) throw forbidden('Team goals are set by HR, or by a manager whose reporting line holds the whole team.');
    [status, source] = ['active', 'manager'];
  } else {
    const id = input.employeeId!;
    const exists = await store.query('SELECT 1 FROM employees WHERE id = $1', [id]);
    const visible = await visibleEmployees(store, p);
    if (!exists.rows.length || !canSee(visible, id)) throw new AppraiseError('APPRAISE_EMPLOYEE_NOT_FOUND', `There is no employee \`${id}\`.`, { field: 'employeeId' });
    if (p.employeeId === id && p.role !== 'viewer') [status, source] = ['proposed', 'employee'];
    else if (await managesEmployee(store, p, id)) [status, source] = ['active', 'manager'];
    else throw forbidden('Goals are set by the employee\'s manager or HR; employees propose their own.');
  }
  return store.transaction(async (tx) => {
    const r = await tx.query<GoalRow>(
      `INSERT INTO goals (employee_id, team, source, title, description, measure, weight, starts_at, due_at, status, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12, $12) RETURNING ${GOAL_COLUMNS}`,
      [input.employeeId ?? null, input.team ?? null, source, title, description, measure ? JSON.stringify(measure) : null, weight, startsAt.toISOString(), dueAt.toISOString(), status, p.name, at.toISOString()],
    );
    const goal = goalOf(r.rows[0], metrics);
    await goalEvent(tx, goal.id, { at, actor: p.name, event: 'created', to: status, data: { source, title } });
    return goal;
  });
}

/** A goal the principal may see (else a 404 that does not disclose it). */
export async function getGoal(db: Queryable, metrics: Metrics, p: Principal, id: number): Promise<Goal> {
  const r = (await db.query<GoalRow>(`SELECT ${GOAL_COLUMNS} FROM goals WHERE id = $1`, [id])).rows[0];
  const goal = r && goalOf(r, metrics);
  if (!goal || !(await seesGoal(db, p, goal))) throw new AppraiseError('APPRAISE_GOAL_NOT_FOUND', `There is no goal ${id}.`, { goalId: id });
  return goal;
}

async function seesGoal(db: Queryable, p: Principal, g: Goal): Promise<boolean> {
  const visible = await visibleEmployees(db, p);
  if (visible === 'all') return true;
  if (g.employeeId) return canSee(visible, g.employeeId);
  const members = (await db.query<{ id: string }>('SELECT id FROM employees WHERE team = $1', [g.team])).rows;
  return members.some((m) => canSee(visible, m.id));
}

/** An employee's goals and those of their team, oldest due first. */
export async function listGoals(db: Queryable, metrics: Metrics, employeeId: string, o: { statuses?: readonly string[] } = {}): Promise<Goal[]> {
  const r = await db.query<GoalRow>(
    `SELECT ${GOAL_COLUMNS} FROM goals
     WHERE (employee_id = $1 OR team = (SELECT team FROM employees WHERE id = $1)) AND ($2::text[] IS NULL OR status = ANY($2::text[]))
     ORDER BY due_at, id`,
    [employeeId, o.statuses ? [...o.statuses] : null],
  );
  return r.rows.map((row) => goalOf(row, metrics));
}

export async function goalEvents(db: Queryable, goalId: number): Promise<GoalEvent[]> {
  const r = await db.query<{ id: number; at: string | Date; actor: string; event: string; from_status: string | null; to_status: string | null; note: string | null; data: Record<string, unknown> }>(
    'SELECT id, at, actor, event, from_status, to_status, note, data FROM goal_events WHERE goal_id = $1 ORDER BY id', [goalId]);
  return r.rows.map((e) => ({ id: Number(e.id), at: iso(e.at), actor: e.actor, event: e.event, fromStatus: e.from_status, toStatus: e.to_status, note: e.note, data: e.data }));
}

/** Applies an action (accept, decline, met, missed, cancel, note) to a goal. */
export async function actOnGoal(store: Store, metrics: Metrics, p: Principal, id: number, input: { action: string; note?: string }, at = new Date()): Promise<Goal> {
  const goal = await getGoal(store, metrics, p, id);
  const t = goalTransition(goal.status, input.action);
  if (!t) {
    const possible = goalActionsFrom(goal.status);
    throw new AppraiseError('APPRAISE_GOAL_ILLEGAL_TRANSITION',
      `A goal in status ${goal.status} cannot take \`${input.action}\`. ${possible.length ? `Possible now: ${orList(possible)}.` : 'It is closed: only its record remains.'}`,
      { goalId: id, status: goal.status, action: input.action, allowed: possible });
  }
  if (goal.source === 'pip' && t.action !== 'note') {
    throw new AppraiseError('APPRAISE_GOAL_ILLEGAL_TRANSITION', 'A PIP goal follows its PIP: HR revises the plan or closes the PIP; only notes are added here.', { goalId: id, caseId: goal.caseId });
  }
  const owner = goal.employeeId !== null && goal.employeeId === p.employeeId;
  const mayManage = goal.employeeId ? await managesEmployee(store, p, goal.employeeId) : await managesTeam(store, p, goal.team!);
  // The owner may withdraw only their own proposal; cancelling an agreed goal is the manager's.
  const ownerMay = t.by === 'owner' && owner && (t.action === 'note' || goal.status === 'proposed');
  if (!mayManage && !ownerMay) {
    throw forbidden(owner ? 'Your manager or HR decides on this goal; you may add notes and withdraw a goal you proposed.' : 'Only the employee\'s manager or HR may act on this goal.');
  }
  const note = input.note?.trim();
  if (t.noteRequired && !note) throw invalid('note', `to ${t.action === 'note' ? 'record progress' : `${t.action} a goal`}, give a note saying why.`);
  return store.transaction(async (tx) => {
    if (t.to) {
      const closed = t.to !== 'proposed' && t.to !== 'active' ? at.toISOString() : null;
      await tx.query(`UPDATE goals SET status = $2, updated_at = $3, closed_at = $4 WHERE id = $1`, [id, t.to, at.toISOString(), closed]);
    } else {
      await tx.query('UPDATE goals SET updated_at = $2 WHERE id = $1', [id, at.toISOString()]);
    }
    await goalEvent(tx, id, { at, actor: p.name, event: t.to ? 'transition' : 'note', from: goal.status, to: t.to ?? goal.status, note: note ?? null, data: { action: t.action } });
    return { ...goal, status: t.to ?? goal.status, closedAt: t.to && t.to !== 'active' ? at.toISOString() : goal.closedAt };
  });
}
