// Moving a case through its lifecycle. Every transition is checked against the state machine,
// written as an append-only case event (who, when, from, to, note), audited, and queues the
// case's workflows in the same transaction. Nothing is ever deleted; cancelled is a state.
import type { ErrorCode } from '../diagnostics/codes.ts';
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import type { Queryable, Store } from '../store/store.ts';
import { enqueue } from '../workflows/outbox.ts';
import { parseInstant } from '../util/instant.ts';
import { didYouMean } from '../util/did-you-mean.ts';
import { ACTION_WORDS, actionsOf, allowedActions, CASE_NOUN, findTransition, LIFECYCLES, orList, TERMINAL, type CaseAction, type CaseType } from './lifecycle.ts';
import { bodyFieldNames, FieldError, type FieldNames } from './field-error.ts';
import { casePayload } from './payload.ts';

export interface TransitionInput {
  action: string;
  actor: string;
  note?: string;
  data?: { scheduledFor?: string; goals?: string[]; dueAt?: string; checkInEveryDays?: number; support?: string };
  /** Work done in the transition's own transaction once the case is updated (a PIP's goal rows, core/people/goals/pip.ts). */
  within?: (tx: Queryable, caseId: number, at: Date) => Promise<void>;
  /** When the actor acts as the employee or the system (checked against the transition's `by`). */
  actingAs?: 'hr' | 'manager' | 'employee' | 'system';
  at?: Date;
  /** Added to the case in the workflows' payload (what plugins receive) and to the event's data: an overturn's dispute. */
  context?: Record<string, unknown>;
}

export interface CaseRow {
  id: number;
  type: CaseType;
  status: string;
  employee_id: string;
  workflows: string[];
  checkin_every_days: number | null;
  goals: string[] | null;
  due_at: string | Date | null;
  support: string | null;
}

type DataField = 'scheduledFor' | 'goals' | 'dueAt' | 'checkInEveryDays' | 'support';

const DAY = 86400000;

/** The API's names for the input: `note` and `action` at the top of the body, the rest in `data`. */
const API_NAMES = bodyFieldNames({ scheduledFor: 'data.scheduledFor', goals: 'data.goals', dueAt: 'data.dueAt', checkInEveryDays: 'data.checkInEveryDays', support: 'data.support' });

/** What each field holds, for "To start a PIP, give the due date (--due)". */
const FIELD_WHAT: Record<DataField, string> = {
  scheduledFor: 'the date of the coaching session',
  goals: 'the goals',
  dueAt: 'the due date',
  checkInEveryDays: 'the number of days between check-ins',
  support: 'the support offered (coaching, training, time)',
};

const fieldError = (code: ErrorCode, field: string, words: (n: FieldNames) => string, details: Record<string, unknown> = {}) =>
  new FieldError(code, [field], words, details, API_NAMES);

/** A date or instant field: YYYY-MM-DD or an ISO instant within the accepted range. */
function dateOf(v: unknown, field: DataField, caseId: number): Date {
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  try {
    return parseInstant(text, field);
  } catch (e) {
    if (!(e instanceof AppraiseError)) throw e;
    // parseInstant words the problem with the field's name; it is asked again for each
    // surface's name, so the CLI says --due where the API says `data.dueAt`.
    const words = (n: FieldNames) => {
      try {
        parseInstant(text, n(field));
      } catch (again) {
        return (again as Error).message;
      }
      return e.message;
    };
    throw fieldError(e.code, field, words, { caseId, value: text });
  }
}

const caseOf = (type: CaseType) => `a ${CASE_NOUN[type]}`;
const capital = (s: string) => s[0].toUpperCase() + s.slice(1);
const possibleNow = (type: CaseType, status: string) => {
  const allowed = allowedActions(type, status);
  return allowed.length ? `Possible now: ${orList(allowed)}.` : `It is closed: no action is possible.`;
};

/**
 * Why an action cannot be taken from a status, and what can: an action the type does not have at
 * all, an action only Appraise takes, or one that needs another status.
 */
function refusal(type: CaseType, status: string, action: string, caseId: number): AppraiseError {
  const details = { caseId, status, action, allowed: allowedActions(type, status) };
  const mine = LIFECYCLES[type].filter((t) => t.action === action);
  if (!mine.length) {
    return new AppraiseError('APPRAISE_CASE_UNKNOWN_ACTION',
      `\`${action}\` is not an action on ${caseOf(type)}.${didYouMean(action, actionsOf(type))} The actions on ${caseOf(type)} are ${orList(actionsOf(type), 'and')}. ${possibleNow(type, status)}`,
      details);
  }
  const words = ACTION_WORDS[action as CaseAction];
  if (mine.every((t) => t.by === 'system')) {
    const via = mine.find((t) => t.onlyVia)?.onlyVia;
    return new AppraiseError('APPRAISE_CASE_ILLEGAL_TRANSITION', via ? `${via} ${possibleNow(type, status)}` : `Only Appraise itself can ${words.to(caseOf(type))}. ${possibleNow(type, status)}`, details);
  }
  const from = [...new Set(mine.filter((t) => t.by !== 'system').flatMap((t) => t.from))];
  const why = TERMINAL[type].includes(status) ? '' : ` (only one in status ${orList(from)} can be)`;
  return new AppraiseError('APPRAISE_CASE_ILLEGAL_TRANSITION',
    `${capital(caseOf(type))} in status ${status} cannot be ${words.done}${why}. ${possibleNow(type, status)}`,
    details);
}

/** Applies one action to a case; returns the case's new status. */
export async function transitionCase(store: Store, caseId: number, input: TransitionInput): Promise<{ from: string; to: string }> {
  try {
    return await store.transaction((tx) => applyTransition(tx, caseId, input));
  } catch (e) {
    if ((e as { code?: string }).code === '23505' || /cases_one_pip_in_force/.test(String((e as Error).message))) {
      throw new AppraiseError('APPRAISE_CASE_PIP_IN_FORCE', 'The employee already has a PIP in force. Close it before another one starts.', { caseId });
    }
    throw e;
  }
}

/** `transitionCase` inside the caller's transaction (a dispute's resolution overturns its case with it). */
export async function applyTransition(tx: Queryable, caseId: number, input: TransitionInput): Promise<{ from: string; to: string }> {
  const at = input.at ?? new Date();
  const c = await lockCase(tx, caseId);
  const t = findTransition(c.type, c.status, input.action);
  if (!t || (t.by === 'system' && input.actingAs !== 'system')) throw refusal(c.type, c.status, input.action, caseId);
  const words = ACTION_WORDS[t.action];
  if (t.by === 'employee' && input.actingAs && input.actingAs !== 'employee' && input.actingAs !== 'system') {
    throw new AppraiseError('APPRAISE_CASE_FORBIDDEN', `Only the employee can ${words.to(`their ${CASE_NOUN[c.type]}`)}.`, { caseId });
  }
  if (t.requiresPlan && (!c.goals?.length || !c.due_at)) {
    throw new AppraiseError('APPRAISE_CASE_PLAN_INCOMPLETE', `This ${CASE_NOUN[c.type]} has no plan yet (goals, end date, check-ins and support), so it cannot be ${words.done}. HR sets the plan first.`, { caseId });
  }
  if (t.noteRequired && !input.note?.trim()) {
    throw fieldError('APPRAISE_CASE_NOTE_REQUIRED', 'note', (n) => `To ${words.to(caseOf(c.type))}, give a note saying why (${n('note')}).`, { caseId });
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
      throw fieldError('APPRAISE_CASE_MISSING_FIELD', field, (n) => `To ${words.to(caseOf(c.type))}, give ${FIELD_WHAT[field]} (${n(field)}).`, { caseId });
    }
  }
  if (data.scheduledFor !== undefined && t.requires?.includes('scheduledFor')) set('scheduled_for', dateOf(data.scheduledFor, 'scheduledFor', caseId).toISOString());
  if (t.requires?.includes('goals')) {
    if (!Array.isArray(data.goals) || data.goals.some((g) => typeof g !== 'string' || !g.trim())) {
      throw fieldError('APPRAISE_CASE_MISSING_FIELD', 'goals', (n) => `${n('goals')} must be a list of goals, none of them empty.`, { caseId });
    }
    set('goals', JSON.stringify(data.goals));
  }
  if (t.requires?.includes('dueAt')) {
    const due = dateOf(data.dueAt, 'dueAt', caseId);
    if (due.getTime() <= at.getTime()) {
      throw fieldError('APPRAISE_CASE_MISSING_FIELD', 'dueAt', (n) => `${n('dueAt')} must be in the future, not ${String(data.dueAt)}.`, { caseId });
    }
    set('due_at', due.toISOString());
  }
  if (t.requires?.includes('checkInEveryDays')) {
    const n = data.checkInEveryDays;
    if (!Number.isInteger(n) || n! < 1 || n! > 90) {
      throw fieldError('APPRAISE_CASE_MISSING_FIELD', 'checkInEveryDays', (name) => `${name('checkInEveryDays')} must be a whole number of days from 1 to 90, not ${String(n)}.`, { caseId });
    }
    set('checkin_every_days', n);
    // Check-ins are due once the plan runs; a plan set before it starts waits for `start`.
    if (t.to === 'active' || t.to === 'extended' || t.to === 'paused') set('next_checkin_at', new Date(at.getTime() + n! * DAY).toISOString());
  }
  if (t.requires?.includes('support')) {
    const support = typeof data.support === 'string' ? data.support.trim() : '';
    if (!support || support.length > 2000) {
      throw fieldError('APPRAISE_CASE_MISSING_FIELD', 'support', (n) => `${n('support')} must say what support is offered, in at most 2000 characters.`, { caseId });
    }
    set('support', support);
  }
  if (t.to === 'active' && c.checkin_every_days && !t.requires?.includes('checkInEveryDays')) {
    set('next_checkin_at', new Date(at.getTime() + c.checkin_every_days * DAY).toISOString());
  }
  if (TERMINAL[c.type].includes(t.to)) set('closed_at', at.toISOString());
  await tx.query(`UPDATE cases SET ${sets.join(', ')} WHERE id = $1`, params);
  await input.within?.(tx, caseId, at);
  await tx.query(
    `INSERT INTO case_events (case_id, at, actor, event, from_status, to_status, note, data) VALUES ($1, $2, $3, 'transition', $4, $5, $6, $7::jsonb)`,
    [caseId, at.toISOString(), input.actor, c.status, t.to, input.note ?? null, JSON.stringify({ action: input.action, ...data, ...input.context })],
  );
  await tx.query(
    `INSERT INTO audit_log (at, actor, action, target, before, after) VALUES ($1, $2, 'case.transition', $3, $4::jsonb, $5::jsonb)`,
    [at.toISOString(), input.actor, `case:${caseId}`, JSON.stringify({ status: c.status }), JSON.stringify({ status: t.to, action: input.action, note: input.note ?? null })],
  );
  const event = t.event ?? `${c.type}.${t.to}`;
  const payload = withContext(await casePayload(tx, caseId, event), input.context);
  // An event a case has once (an overturn) is delivered once, however often it is asked for.
  await enqueue(tx, c.workflows.map((workflow) => ({ caseId, workflow, event, payload, ...(t.event ? {} : { occurrence: at.toISOString() }) })));
  return { from: c.status, to: t.to };
}

/** A payload whose case carries `context` (workflow plugins receive the case and the employee). */
export function withContext(payload: Record<string, unknown>, context: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...payload, case: { ...(payload.case as Record<string, unknown>), ...context } };
}

/** Reads a case and locks it until the transaction ends; a missing one is APPRAISE_CASE_NOT_FOUND. */
export async function lockCase(tx: Queryable, caseId: number): Promise<CaseRow> {
  const r = await tx.query<CaseRow>('SELECT id, type, status, employee_id, workflows, checkin_every_days, goals, due_at, support FROM cases WHERE id = $1 FOR UPDATE', [caseId]);
  if (!r.rows[0]) throw new AppraiseError('APPRAISE_CASE_NOT_FOUND', `There is no case ${caseId}. \`npx appraise cases\` lists them.`, { caseId });
  return r.rows[0];
}

/** A PIP check-in: a note on progress; moves the next check-in date on. Not a state change. */
/** `data` is kept on the check-in event (each PIP goal's progress at that date, core/people/goals/pip.ts). */
export async function recordCheckIn(store: Store, caseId: number, input: { actor: string; note: string; at?: Date; data?: Record<string, unknown> }): Promise<void> {
  const at = input.at ?? new Date();
  await store.transaction(async (tx) => {
    const c = await lockCase(tx, caseId);
    if (c.type !== 'pip' || !['active', 'extended'].includes(c.status)) {
      throw new AppraiseError('APPRAISE_CASE_ILLEGAL_TRANSITION',
        `Check-ins are recorded on a PIP in status active or extended, and this is ${caseOf(c.type)} in status ${c.status}. ${possibleNow(c.type, c.status)}`,
        { caseId, status: c.status, action: 'check-in', allowed: allowedActions(c.type, c.status) });
    }
    if (!input.note.trim()) throw fieldError('APPRAISE_CASE_NOTE_REQUIRED', 'note', (n) => `A check-in needs a note on progress (${n('note')}).`, { caseId });
    await tx.query(`UPDATE cases SET next_checkin_at = $2, updated_at = $3 WHERE id = $1`, [caseId, new Date(at.getTime() + (c.checkin_every_days ?? 14) * DAY).toISOString(), at.toISOString()]);
    await tx.query(`INSERT INTO case_events (case_id, at, actor, event, note, data) VALUES ($1, $2, $3, 'checkin', $4, $5::jsonb)`, [caseId, at.toISOString(), input.actor, input.note, JSON.stringify(input.data ?? {})]);
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
