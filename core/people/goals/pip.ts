// A PIP's goals as real goals: rows of the goals table linked by case_id (source 'pip'), each with
// a measure or a written criterion. They are written in the transaction of the transition that
// sets the plan (approve, plan, edit-goals), replace the previous plan's goals, and follow the
// end date when HR extends the PIP. cases.goals keeps each goal in words, so the case's record
// and older readers stay as they were. A plain string is still a goal: its written criterion.
import type { Queryable } from '../../store/store.ts';
import type { TransitionInput } from '../../cases/transitions.ts';
import { FieldError } from '../../cases/field-error.ts';
import { checkMeasure, measureWords, type Measure, type Metrics } from './measure.ts';
import { checkTitle, goalEvent, goalOf, GOAL_COLUMNS } from './goals.ts';
import { goalProgress, type GoalProgress, type ProgressDeps } from './progress.ts';

/** A PIP goal as the API and CLI take it: a string (a written criterion) or an object. */
export type PipGoalInput = string | { title?: string; measure?: unknown; criterion?: string; weight?: number };

export interface PipGoal {
  title: string;
  measure: Measure | null;
  criterion: string | null;
  weight: number;
}

const invalid = (field: string, words: string) => new FieldError('APPRAISE_GOAL_INVALID', [field], (n) => `${n(field)}: ${words}`);

/** Checks a plan's goals: each needs a measure (validated against the metrics) or a written criterion. */
export function checkPipGoals(metrics: Metrics, goals: readonly PipGoalInput[], field = 'data.goals'): PipGoal[] {
  return goals.map((g, i) => {
    const at = `${field}[${i}]`;
    if (typeof g === 'string') {
      // A plain string is a written criterion, as plans were written before goals had measures.
      const text = g.trim();
      if (!text || text.length > 500) throw invalid(at, 'a written goal has 1 to 500 characters.');
      return { title: text, measure: null, criterion: text, weight: 1 };
    }
    if (!g || typeof g !== 'object') throw invalid(at, 'a goal is a written criterion (text) or an object with a title and a measure or criterion.');
    const measure = g.measure === undefined || g.measure === null ? null : checkMeasure(metrics, g.measure, `${at}.measure`);
    const criterion = typeof g.criterion === 'string' && g.criterion.trim() ? g.criterion.trim().slice(0, 2000) : null;
    if (!measure && !criterion) throw invalid(at, 'give the goal a measure (a metric and a target) or a written criterion that says when it is met.');
    const title = g.title === undefined && measure ? measureWords(metrics, measure) : checkTitle(g.title, `${at}.title`);
    const weight = g.weight ?? 1;
    if (typeof weight !== 'number' || !(weight > 0) || weight > 100) throw invalid(`${at}.weight`, 'give a weight above 0 and at most 100.');
    return { title, measure, criterion, weight };
  });
}

/** How a PIP goal reads in cases.goals: its title, and its measure when the title does not say it. */
export function pipGoalWords(metrics: Metrics, g: PipGoal): string {
  const measure = g.measure ? measureWords(metrics, g.measure) : null;
  return measure && measure !== g.title ? `${g.title}: ${measure}` : g.title;
}

/**
 * A case transition with structured goals: the goals checked and in words for cases.goals, and
 * the goal rows written (or their end date moved, on `extend`) in the transition's transaction.
 */
export function withPipGoals(metrics: Metrics, input: Omit<TransitionInput, 'data'> & { data?: Omit<NonNullable<TransitionInput['data']>, 'goals'> & { goals?: PipGoalInput[] } }): TransitionInput {
  const { goals, ...rest } = input.data ?? {};
  const checked = Array.isArray(goals) && goals.length ? checkPipGoals(metrics, goals) : null;
  const data = { ...rest, ...(checked ? { goals: checked.map((g) => pipGoalWords(metrics, g)) } : goals !== undefined ? { goals: goals as string[] } : {}) };
  return {
    ...input,
    data,
    within: async (tx, caseId, at) => {
      const c = (await tx.query<{ employee_id: string; due_at: string | Date | null; type: string; status: string }>('SELECT employee_id, due_at, type, status FROM cases WHERE id = $1', [caseId])).rows[0];
      if (c.type !== 'pip') return;
      // A plan withdrawn or set aside leaves no goal open (succeeded and failed keep theirs, as HR judged them).
      if (PIP_ENDED_WITHOUT_JUDGEMENT.includes(c.status)) return closePipGoals(tx, caseId, input.actor, at, `The PIP was ${c.status}.`, c.status);
      if (!c.due_at) return;
      const due = new Date(c.due_at);
      if (checked) await replacePipGoals(tx, caseId, c.employee_id, checked, due, input.actor, at);
      else if (rest.dueAt) await tx.query(`UPDATE goals SET due_at = $2, updated_at = $3 WHERE case_id = $1 AND status = 'active'`, [caseId, due.toISOString(), at.toISOString()]);
    },
  };
}

/** The PIP statuses that end it without HR judging its goals: its open goals are cancelled. */
export const PIP_ENDED_WITHOUT_JUDGEMENT = ['cancelled', 'rejected', 'overturned'];

/** Cancels a PIP's open goals, each with an event saying why (a revised plan, a withdrawn or overturned PIP). */
export async function closePipGoals(tx: Queryable, caseId: number, actor: string, at: Date, note: string, action: string): Promise<void> {
  const open = (await tx.query<{ id: number; status: string }>(`SELECT id, status FROM goals WHERE case_id = $1 AND status IN ('proposed', 'active')`, [caseId])).rows;
  for (const o of open) {
    await tx.query(`UPDATE goals SET status = 'cancelled', closed_at = $2, updated_at = $2 WHERE id = $1`, [o.id, at.toISOString()]);
    await goalEvent(tx, Number(o.id), { at, actor, event: 'transition', from: o.status, to: 'cancelled', note, data: { action, caseId } });
  }
}

async function replacePipGoals(tx: Queryable, caseId: number, employeeId: string, goals: PipGoal[], due: Date, actor: string, at: Date): Promise<void> {
  await closePipGoals(tx, caseId, actor, at, 'Replaced by the revised plan of the PIP.', 'replaced');
  for (const g of goals) {
    const r = await tx.query<{ id: number }>(
      `INSERT INTO goals (employee_id, case_id, source, title, criterion, measure, weight, starts_at, due_at, status, created_by, created_at, updated_at)
       VALUES ($1, $2, 'pip', $3, $4, $5::jsonb, $6, $7, $8, 'active', $9, $7, $7) RETURNING id`,
      [employeeId, caseId, g.title, g.criterion, g.measure ? JSON.stringify(g.measure) : null, g.weight, at.toISOString(), due.toISOString(), actor],
    );
    await goalEvent(tx, Number(r.rows[0].id), { at, actor, event: 'created', to: 'active', data: { source: 'pip', caseId, title: g.title } });
  }
}

/** One PIP goal and its progress at a date, as a check-in or an outcome proposal keeps it. */
export interface PipGoalSnapshot {
  goalId: number | null;
  title: string;
  measureWords: string | null;
  criterion: string | null;
  progress: Pick<GoalProgress, 'state' | 'final' | 'value' | 'samples' | 'minSamples' | 'target' | 'direction' | 'unit' | 'window' | 'words'>;
}

/**
 * Each goal of a PIP's plan with its progress as of `asOf`. A PIP planned before goals were rows
 * (cases.goals holds only words) shows each of its goals as a written criterion.
 */
export async function pipGoalSnapshot(db: Queryable, deps: ProgressDeps, caseId: number, asOf: Date): Promise<PipGoalSnapshot[]> {
  const rows = (await db.query<Parameters<typeof goalOf>[0]>(`SELECT ${GOAL_COLUMNS} FROM goals WHERE case_id = $1 AND status <> 'cancelled' ORDER BY id`, [caseId])).rows;
  if (!rows.length) {
    const words = (await db.query<{ goals: string[] | null }>('SELECT goals FROM cases WHERE id = $1', [caseId])).rows[0]?.goals ?? [];
    return words.map((w) => ({ goalId: null, title: w, measureWords: null, criterion: w, progress: { state: 'by-hand', final: false, value: null, samples: 0, minSamples: null, target: null, direction: null, unit: null, window: null, words: `Judged by hand against: ${w}` } }));
  }
  const goals = rows.map((r) => goalOf(r, deps.metrics));
  const progress = await goalProgress(db, deps, goals, asOf);
  return goals.map((g) => {
    const { state, final, value, samples, minSamples, target, direction, unit, window, words } = progress.get(g.id)!;
    return { goalId: g.id, title: g.title, measureWords: g.measureWords, criterion: g.criterion, progress: { state, final, value, samples, minSamples, target, direction, unit, window, words } };
  });
}
