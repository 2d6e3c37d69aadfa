// A dispute's lifecycle: open → upheld | amended | overturned (HR, always with a note), or
// withdrawn (by the one who raised it). One open dispute per subject (and section) at a time.
// Each step is one transaction: the dispute row, its event, the step on the subject's own
// record (a case's timeline), what the resolution does to the subject, and the audit log.
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import type { Queryable, Store } from '../../store/store.ts';
import type { Role } from '../../auth/tokens.ts';
import { visibleEmployees } from '../../auth/scope.ts';
import { disputeFieldError } from './field-names.ts';
import { subjectOf } from './subjects.ts';
import { queueDisputeResolved } from '../../notifications/people-events.ts';
import { RESOLVED_STATUS, type AmendmentChange, type DisputeStatus, type DisputeStep, type Resolution, type SubjectType } from './subject.ts';

/** Who takes a step: their name (kept on the record), role, and the employee they are. */
export interface Actor {
  name: string;
  role: Role;
  employeeId?: string;
}

export interface RaiseInput {
  subjectType: SubjectType | string;
  subjectId: number;
  section?: string | null;
  reason: string;
  at?: Date;
}

export interface ResolveInput {
  resolution: Resolution;
  note: string;
  /** The subject's fields an amendment changes (a PIP: goals, dueAt). */
  amendment?: Record<string, unknown>;
  at?: Date;
}

const MAX_TEXT = 4000;

interface Row {
  id: number;
  subject_type: SubjectType;
  subject_id: number;
  section: string | null;
  employee_id: string;
  status: DisputeStatus;
  reason: string;
  raised_by: string;
  raised_by_employee: string | null;
}

function text(value: string | undefined, field: 'reason' | 'note', what: string): string {
  const t = value?.trim() ?? '';
  if (!t) throw disputeFieldError('APPRAISE_DISPUTE_NOTE_REQUIRED', field, (n) => `${what} (${n(field)}).`);
  if (t.length > MAX_TEXT) throw disputeFieldError('APPRAISE_DISPUTE_NOTE_REQUIRED', field, (n) => `${n(field)} is ${t.length} characters long; keep it within ${MAX_TEXT}.`);
  return t;
}

/** Whether `actor` manages `employeeId` (anywhere up the chain of managers). */
async function manages(db: Queryable, actor: Actor, employeeId: string): Promise<boolean> {
  if (!actor.employeeId || actor.employeeId === employeeId) return false;
  const line = await visibleEmployees(db, { tokenId: 0, name: actor.name, role: 'manager', employeeId: actor.employeeId });
  return line !== 'all' && line.includes(employeeId);
}

async function lockDispute(tx: Queryable, id: number): Promise<Row> {
  const r = await tx.query<Row>('SELECT * FROM disputes WHERE id = $1 FOR UPDATE', [id]);
  if (!r.rows[0]) throw new AppraiseError('APPRAISE_DISPUTE_NOT_FOUND', `There is no dispute ${id}. \`npx appraise disputes list\` lists them.`, { disputeId: id });
  return { ...r.rows[0], id: Number(r.rows[0].id), subject_id: Number(r.rows[0].subject_id) };
}

async function writeStep(tx: Queryable, d: Pick<Row, 'id' | 'subject_type' | 'subject_id' | 'section'>, from: DisputeStatus | null, step: DisputeStep, audit: string): Promise<void> {
  const to = step.step === 'raised' ? 'open' : step.step;
  await tx.query(
    `INSERT INTO dispute_events (dispute_id, at, actor, event, from_status, to_status, note, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)`,
    [d.id, step.at.toISOString(), step.actor, step.step, from, to, step.note, JSON.stringify(step.data ?? {})],
  );
  await tx.query(
    `INSERT INTO audit_log (at, actor, action, target, before, after, data) VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::jsonb)`,
    [step.at.toISOString(), step.actor, audit, `dispute:${d.id}`, JSON.stringify(from ? { status: from } : null), JSON.stringify({ status: to, note: step.note }),
      JSON.stringify({ subject: `${d.subject_type}:${d.subject_id}`, section: d.section, ...step.data })],
  );
  await subjectOf(d.subject_type).record(tx, d.subject_id, step);
}

/** Opens a dispute; the employee whose record it is, or one of their managers, raises it. */
export async function raiseDispute(store: Store, actor: Actor, input: RaiseInput): Promise<number> {
  const subject = subjectOf(input.subjectType);
  const reason = text(input.reason, 'reason', 'Say why you dispute it');
  const at = input.at ?? new Date();
  const section = input.section?.trim() || null;
  try {
    return await store.transaction((tx) => openDispute(tx, actor, input, reason, section, at));
  } catch (e) {
    // Two raised at once: the unique index lets one through; the other hears what the first did.
    if ((e as { code?: string }).code === '23505' || /disputes_one_open/.test(String((e as Error).message))) {
      throw new AppraiseError('APPRAISE_DISPUTE_ALREADY_OPEN', `A dispute about ${subject.noun(input.subjectId, section)} was raised just now and is open. Wait for HR's decision before raising another.`, { subjectId: input.subjectId });
    }
    throw e;
  }
}

async function openDispute(tx: Queryable, actor: Actor, input: RaiseInput, reason: string, section: string | null, at: Date): Promise<number> {
  const subject = subjectOf(input.subjectType);
  const s = await subject.load(tx, input.subjectId, section);
  const noun = subject.noun(input.subjectId, section);
  const raisedAs = actor.role === 'viewer' ? undefined
    : actor.employeeId === s.employeeId ? 'employee' : (await manages(tx, actor, s.employeeId)) ? 'manager' : undefined;
  if (!raisedAs) {
    throw new AppraiseError('APPRAISE_DISPUTE_FORBIDDEN', `Only the employee whose ${noun} it is, or their manager, can dispute it.`, { subjectType: subject.type, subjectId: input.subjectId });
  }
  if (s.closedToDisputes) throw new AppraiseError('APPRAISE_DISPUTE_NOT_DISPUTABLE', `${s.closedToDisputes} It cannot be disputed again.`, { subjectType: subject.type, subjectId: input.subjectId });
  const open = await tx.query<{ id: number }>(
    `SELECT id FROM disputes WHERE subject_type = $1 AND subject_id = $2 AND coalesce(section, '') = $3 AND status = 'open'`,
    [subject.type, input.subjectId, section ?? ''],
  );
  if (open.rows[0]) {
    const id = Number(open.rows[0].id);
    throw new AppraiseError('APPRAISE_DISPUTE_ALREADY_OPEN', `Dispute ${id} about ${noun} is still open. Wait for HR's decision on it before raising another.`, { disputeId: id });
  }
  const r = await tx.query<{ id: number }>(
    `INSERT INTO disputes (subject_type, subject_id, section, employee_id, reason, raised_by, raised_by_employee, raised_as, raised_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [subject.type, input.subjectId, section, s.employeeId, reason, actor.name, actor.employeeId ?? null, raisedAs, at.toISOString()],
  );
  const id = Number(r.rows[0].id);
  await writeStep(tx, { id, subject_type: subject.type, subject_id: input.subjectId, section }, null,
    { disputeId: id, step: 'raised', actor: actor.name, note: reason, at, section, data: { raisedAs } }, 'dispute.raise');
  return id;
}

/**
 * HR ends an open dispute: uphold, amend or overturn, with a note; never on their own record or
 * their own dispute. `notify`: the workflows that hear `dispute.resolved` (the config's
 * notifications.people.workflows), queued in the same transaction.
 */
export async function resolveDispute(store: Store, actor: Actor, id: number, input: ResolveInput, o: { notify?: readonly string[] } = {}): Promise<DisputeStatus> {
  const note = text(input.note, 'note', `Say why you ${input.resolution} it: the employee reads this`);
  const at = input.at ?? new Date();
  return store.transaction(async (tx) => {
    const d = await lockDispute(tx, id);
    if (actor.role !== 'hr' && actor.role !== 'admin') {
      throw new AppraiseError('APPRAISE_DISPUTE_FORBIDDEN', 'Only HR (the hr or admin role) resolves a dispute.', { disputeId: id });
    }
    if (actor.employeeId === d.employee_id || d.raised_by === actor.name) {
      throw new AppraiseError('APPRAISE_DISPUTE_FORBIDDEN', `Dispute ${id} is about your own record or was raised by you: another person with the hr or admin role resolves it.`, { disputeId: id });
    }
    if (d.status !== 'open') {
      throw new AppraiseError('APPRAISE_DISPUTE_CLOSED', `Dispute ${id} is already ${d.status}; a closed dispute does not change. The employee or their manager can raise a new one.`, { disputeId: id, status: d.status });
    }
    if (input.amendment && Object.keys(input.amendment).length && input.resolution !== 'amend') {
      throw disputeFieldError('APPRAISE_DISPUTE_BAD_AMENDMENT', 'amendment', (n) => `${n('amendment')} goes with amend, not ${input.resolution}.`, { disputeId: id });
    }
    const subject = subjectOf(d.subject_type);
    const s = await subject.load(tx, d.subject_id, d.section);
    const status = RESOLVED_STATUS[input.resolution];
    const step: DisputeStep = { disputeId: id, step: status, actor: actor.name, note, at, section: d.section, data: { reason: d.reason } };
    if (input.resolution === 'overturn' && s.closedToDisputes) {
      throw new AppraiseError('APPRAISE_DISPUTE_NOT_DISPUTABLE', `${s.closedToDisputes} Uphold or amend the dispute instead.`, { disputeId: id });
    }
    let change: AmendmentChange = null;
    // The step goes on the subject's record before what it does there (the overturn's status change).
    await writeStep(tx, d, 'open', { ...step, data: {} }, `dispute.${input.resolution}`);
    if (input.resolution === 'overturn') await subject.overturn(tx, d.subject_id, step);
    if (input.resolution === 'amend') change = await subject.amend(tx, d.subject_id, step, input.amendment);
    await tx.query(
      `UPDATE disputes SET status = $2, resolution_note = $3, amendment = $4::jsonb, closed_by = $5, closed_at = $6 WHERE id = $1`,
      [id, status, note, change ? JSON.stringify(change) : null, actor.name, at.toISOString()],
    );
    // A case by its kind ("coaching case #12"), as its timeline names it.
    const title = d.section === null ? (await subject.titles(tx, [d.subject_id])).get(d.subject_id) : undefined;
    await queueDisputeResolved(tx, o.notify ?? [], {
      id, employeeId: d.employee_id, subjectType: d.subject_type, subjectId: d.subject_id,
      about: title ? (title.startsWith('PIP') ? title : title[0].toLowerCase() + title.slice(1)) : subject.noun(d.subject_id, d.section),
      outcome: status as 'upheld' | 'amended' | 'overturned', note, resolvedAt: at,
    });
    return status;
  });
}

/** The one who raised an open dispute takes it back; the subject stands as it is. */
export async function withdrawDispute(store: Store, actor: Actor, id: number, input: { note?: string; at?: Date } = {}): Promise<void> {
  const at = input.at ?? new Date();
  const note = input.note?.trim() ? text(input.note, 'note', '') : null;
  await store.transaction(async (tx) => {
    const d = await lockDispute(tx, id);
    const raiser = d.raised_by_employee ? actor.employeeId === d.raised_by_employee : actor.name === d.raised_by;
    if (!raiser) throw new AppraiseError('APPRAISE_DISPUTE_FORBIDDEN', `Only ${d.raised_by}, who raised dispute ${id}, can withdraw it.`, { disputeId: id });
    if (d.status !== 'open') {
      throw new AppraiseError('APPRAISE_DISPUTE_CLOSED', `Dispute ${id} is already ${d.status}, so it cannot be withdrawn.`, { disputeId: id, status: d.status });
    }
    await writeStep(tx, d, 'open', { disputeId: id, step: 'withdrawn', actor: actor.name, note, at, section: d.section }, 'dispute.withdraw');
    await tx.query(`UPDATE disputes SET status = 'withdrawn', closed_by = $2, closed_at = $3 WHERE id = $1`, [id, actor.name, at.toISOString()]);
  });
}
