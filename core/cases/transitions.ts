// Moving a case through its lifecycle. Every transition is checked against the state machine,
// written as an append-only case event (who, when, from, to, note), audited, and queues the
// case's workflows in the same transaction. Nothing is ever deleted; cancelled is a state.
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import type { Queryable, Store } from '../store/store.ts';
import { enqueue } from '../workflows/outbox.ts';
import { allowedActions, findTransition, TERMINAL, type CaseType } from './lifecycle.ts';
import { casePayload } from './payload.ts';

export interface TransitionInput {
  action: string;
  actor: string;
  note?: string;
  data?: { scheduledFor?: string; goals?: string[]; dueAt?: string; checkInEveryDays?: number };
  /** When the actor acts as the employee or the system (checked against the transition's `by`). */
  actingAs?: 'hr' | 'manager' | 'employee' | 'system';
  at?: Date;
}

interface CaseRow {
  id: number;
  type: CaseType;
  status: string;
  employee_id: string;
  workflows: string[];
  checkin_every_days: number | null;
}

const DAY = 86400000;

function isoDate(v: unknown, field: string): Date {
  const d = typeof v === 'string' ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v) : undefined;
  if (!d || Number.isNaN(d.getTime())) throw new AppraiseError('APPRAISE_CASE_MISSING_FIELD', `\`${field}\` must be a date such as 2026-12-31.`, { field });
  return d;
}

/** Applies one action to a case; returns the case's new status. */
export async function transitionCase(store: Store, caseId: number, input: TransitionInput): Promise<{ from: string; to: string }> {
  const at = input.at ?? new Date();
  try {
    return await store.transaction(async (tx) => {
      const c = await lockCase(tx, caseId);
      const t = findTransition(c.type, c.status, input.action);
      if (!t || (t.by === 'system' && input.actingAs !== 'system')) {
        const allowed = allowedActions(c.type, c.status);
        throw new AppraiseError('APPRAISE_CASE_ILLEGAL_TRANSITION',
          `A ${c.type} case that is ${c.status} cannot be ${input.action}d${allowed.length ? `; allowed: ${allowed.join(', ')}` : ' any further (it is closed)'}.`,
          { caseId, status: c.status, action: input.action, allowed });
      }
      if (t.by === 'employee' && input.actingAs && input.actingAs !== 'employee' && input.actingAs !== 'system') {
        throw new AppraiseError('APPRAISE_CASE_FORBIDDEN', `Only the employee can ${input.action} their ${c.type}.`, { caseId });
      }
      if (t.noteRequired && !input.note?.trim()) {
        throw new AppraiseError('APPRAISE_CASE_NOTE_REQUIRED', `To ${input.action} a ${c.type} case, say why in a note (--note).`, { caseId });
      }
      const sets: string[] = ['status = $2', 'updated_at = $3'];
      const params: unknown[] = [caseId, t.to, at.toISOString()];
      const set = (column: string, value: unknown) => {
        params.push(value);
        sets.push(`${column} = $${params.length}`);
      };
      const data = input.data ?? {};
      for (const field of t.requires ?? []) {
        if (data[field] === undefined || data[field] === null || (Array.isArray(data[field]) && (data[field] as unknown[]).length === 0)) {
          throw new AppraiseError('APPRAISE_CASE_MISSING_FIELD', `To ${input.action} a ${c.type} case, give \`${field}\`.`, { caseId, field });
        }
      }
      if (data.scheduledFor !== undefined && t.requires?.includes('scheduledFor')) set('scheduled_for', isoDate(data.scheduledFor, 'scheduledFor').toISOString());
      if (t.requires?.includes('goals')) {
        if (!Array.isArray(data.goals) || data.goals.some((g) => typeof g !== 'string' || !g.trim())) {
          throw new AppraiseError('APPRAISE_CASE_MISSING_FIELD', '`goals` must be a list of goal descriptions.', { caseId, field: 'goals' });
        }
        set('goals', JSON.stringify(data.goals));
      }
      if (t.requires?.includes('dueAt')) {
        const due = isoDate(data.dueAt, 'dueAt');
        if (due.getTime() <= at.getTime()) throw new AppraiseError('APPRAISE_CASE_MISSING_FIELD', '`dueAt` must be in the future.', { caseId, field: 'dueAt' });
        set('due_at', due.toISOString());
      }
      if (t.requires?.includes('checkInEveryDays')) {
        const n = data.checkInEveryDays;
        if (!Number.isInteger(n) || n! < 1 || n! > 90) throw new AppraiseError('APPRAISE_CASE_MISSING_FIELD', '`checkInEveryDays` must be a whole number of days from 1 to 90.', { caseId, field: 'checkInEveryDays' });
        set('checkin_every_days', n);
        set('next_checkin_at', new Date(at.getTime() + n! * DAY).toISOString());
      }
      if (t.to === 'active' && c.checkin_every_days && !t.requires?.includes('checkInEveryDays')) {
        set('next_checkin_at', new Date(at.getTime() + c.checkin_every_days * DAY).toISOString());
      }
      if (TERMINAL[c.type].includes(t.to)) set('closed_at', at.toISOString());
      await tx.query(`UPDATE cases SET ${sets.join(', ')} WHERE id = $1`, params);
      await tx.query(
        `INSERT INTO case_events (case_id, at, actor, event, from_status, to_status, note, data) VALUES ($1, $2, $3, 'transition', $4, $5, $6, $7::jsonb)`,
        [caseId, at.toISOString(), input.actor, c.status, t.to, input.note ?? null, JSON.stringify({ action: input.action, ...data })],
      );
      await tx.query(
        `INSERT INTO audit_log (at, actor, action, target, before, after) VALUES ($1, $2, 'case.transition', $3, $4::jsonb, $5::jsonb)`,
        [at.toISOString(), input.actor, `case:${caseId}`, JSON.stringify({ status: c.status }), JSON.stringify({ status: t.to, action: input.action, note: input.note ?? null })],
      );
      const event = `${c.type}.${t.to}`;
      const payload = await casePayload(tx, caseId, event);
      await enqueue(tx, c.workflows.map((workflow) => ({ caseId, workflow, event, payload, occurrence: at.toISOString() })));
      return { from: c.status, to: t.to };
    });
  } catch (e) {
    if ((e as { code?: string }).code === '23505' || /cases_one_pip_in_force/.test(String((e as Error).message))) {
      throw new AppraiseError('APPRAISE_CASE_PIP_IN_FORCE', 'The employee already has a PIP in force. Close it before another one starts.', { caseId });
    }
    throw e;
  }
}

async function lockCase(tx: Queryable, caseId: number): Promise<CaseRow> {
  const r = await tx.query<CaseRow>('SELECT id, type, status, employee_id, workflows, checkin_every_days FROM cases WHERE id = $1 FOR UPDATE', [caseId]);
  if (!r.rows[0]) throw new AppraiseError('APPRAISE_CASE_NOT_FOUND', `There is no case ${caseId}. \`npx appraise cases\` lists them.`, { caseId });
  return r.rows[0];
}

/** A PIP check-in: a note on progress; moves the next check-in date on. Not a state change. */
export async function recordCheckIn(store: Store, caseId: number, input: { actor: string; note: string; at?: Date }): Promise<void> {
  const at = input.at ?? new Date();
  await store.transaction(async (tx) => {
    const c = await lockCase(tx, caseId);
    if (c.type !== 'pip' || !['active', 'extended'].includes(c.status)) {
      throw new AppraiseError('APPRAISE_CASE_ILLEGAL_TRANSITION', `Check-ins are recorded on active PIPs; this ${c.type} case is ${c.status}.`, { caseId });
    }
    if (!input.note.trim()) throw new AppraiseError('APPRAISE_CASE_NOTE_REQUIRED', 'A check-in needs a note on progress.', { caseId });
    await tx.query(`UPDATE cases SET next_checkin_at = $2, updated_at = $3 WHERE id = $1`, [caseId, new Date(at.getTime() + (c.checkin_every_days ?? 14) * DAY).toISOString(), at.toISOString()]);
    await tx.query(`INSERT INTO case_events (case_id, at, actor, event, note) VALUES ($1, $2, $3, 'checkin', $4)`, [caseId, at.toISOString(), input.actor, input.note]);
    await tx.query(`INSERT INTO audit_log (at, actor, action, target, after) VALUES ($1, $2, 'case.checkin', $3, $4::jsonb)`, [at.toISOString(), input.actor, `case:${caseId}`, JSON.stringify({ note: input.note })]);
  });
}

/**
 * Time-driven events, so follow-ups are automated: a PIP check-in that is due and coaching
 * scheduled more than a day ago and not completed each queue the case's workflows once per
 * occurrence (the due date is part of the idempotency key).
 */
export async function queueDueEvents(store: Store, now: Date = new Date()): Promise<number> {
  return store.transaction(async (tx) => {
    let n = 0;
    const checkins = await tx.query<{ id: number; workflows: string[]; next_checkin_at: string | Date }>(
      `SELECT id, workflows, next_checkin_at FROM cases WHERE type = 'pip' AND status IN ('active', 'extended') AND next_checkin_at <= $1`,
      [now.toISOString()],
    );
    for (const c of checkins.rows) {
      const payload = await casePayload(tx, Number(c.id), 'pip.checkin-due');
      n += await enqueue(tx, c.workflows.map((workflow) => ({ caseId: Number(c.id), workflow, event: 'pip.checkin-due', payload, occurrence: new Date(c.next_checkin_at).toISOString() })));
    }
    const overdue = await tx.query<{ id: number; workflows: string[]; scheduled_for: string | Date }>(
      `SELECT id, workflows, scheduled_for FROM cases WHERE type = 'coaching' AND status = 'scheduled' AND scheduled_for < $1`,
      [new Date(now.getTime() - DAY).toISOString()],
    );
    for (const c of overdue.rows) {
      const payload = await casePayload(tx, Number(c.id), 'coaching.overdue');
      n += await enqueue(tx, c.workflows.map((workflow) => ({ caseId: Number(c.id), workflow, event: 'coaching.overdue', payload, occurrence: new Date(c.scheduled_for).toISOString() })));
    }
    return n;
  });
}
