// A case as the subject of a dispute. The dispute's steps go on the case's timeline
// (case_events `dispute`), where the employee sees them. What each resolution does to a case:
// - uphold: nothing changes; HR's note is on the timeline.
// - amend: the case stands, with HR's note as its correction on the timeline. A PIP's plan may
//   change with it, through its own lifecycle (so the same checks apply, and its workflows hear
//   of it): an approved PIP takes new goals or end date as a revised plan; a running one
//   (active, extended) a later end date (extended) and new goals (paused until the employee
//   acknowledges them). Any other case takes only the note.
// - overturn: the case closes as `overturned` (lifecycle.ts), counts in no history.* fact, and
//   its workflows get one `case.overturned` delivery carrying the dispute; a PIP's open goals
//   are cancelled.
import { enqueue } from '../../workflows/outbox.ts';
import { casePayload } from '../../cases/payload.ts';
import { CASE_NOUN, type CaseType } from '../../cases/lifecycle.ts';
import { applyTransition, lockCase, withContext, type CaseRow } from '../../cases/transitions.ts';
import type { Queryable } from '../../store/store.ts';
import { asAmendmentError, disputeFieldError } from './field-names.ts';
import { closePipGoals } from '../goals/pip.ts';
import type { AmendmentChange, DisputeStep, DisputeSubject } from './subject.ts';

/** The plan fields an amendment may change, and the statuses of a PIP that take them. */
const AMENDABLE = ['goals', 'dueAt'];
const PLAN_STATUSES = ['approved', 'active', 'extended'];

const iso = (v: string | Date | null) => (v ? new Date(v).toISOString() : null);

/** What a dispute's resolution tells the case's workflows. */
const disputeContext = (step: DisputeStep) => ({ dispute: { id: step.disputeId, resolution: step.step, note: step.note, ...step.data } });

export const caseSubject: DisputeSubject = {
  type: 'case',

  noun: (id) => `case #${id}`,

  async load(tx, id) {
    const c = await lockCase(tx, id);
    return {
      employeeId: c.employee_id,
      ...(c.status === 'overturned' ? { closedToDisputes: `${CASE_NOUN[c.type]} #${id} is already overturned.` } : {}),
    };
  },

  async record(tx, id, step) {
    await tx.query(
      `INSERT INTO case_events (case_id, at, actor, event, note, data) VALUES ($1, $2, $3, 'dispute', $4, $5::jsonb)`,
      [id, step.at.toISOString(), step.actor, step.note, JSON.stringify({ disputeId: step.disputeId, step: step.step, ...step.data })],
    );
  },

  async overturn(tx, id, step) {
    await applyTransition(tx, id, { action: 'overturn', actor: step.actor, note: step.note ?? undefined, actingAs: 'system', at: step.at, context: disputeContext(step) });
    // An overturned PIP leaves no goal open on the employee's page.
    await closePipGoals(tx, id, step.actor, step.at, 'The PIP was overturned after a dispute.', 'overturned');
  },

  async amend(tx, id, step, amendment) {
    const c = await lockCase(tx, id);
    const given = Object.keys(amendment ?? {}).filter((k) => amendment![k] !== undefined);
    let change: AmendmentChange = null;
    if (given.length) {
      const unknown = given.find((k) => !AMENDABLE.includes(k));
      if (unknown) {
        throw disputeFieldError('APPRAISE_DISPUTE_BAD_AMENDMENT', `amendment.${unknown}`,
          (n) => `${n(`amendment.${unknown}`)}: an amendment of a case changes only a PIP's goals or end date; say any other correction in the note.`, { caseId: id });
      }
      if (c.type !== 'pip' || !PLAN_STATUSES.includes(c.status)) {
        throw disputeFieldError('APPRAISE_DISPUTE_BAD_AMENDMENT', `amendment.${given[0]}`,
          (n) => `${n(`amendment.${given[0]}`)}: only an approved or running PIP takes a new plan, and this is ${c.type === 'pip' ? `a PIP in status ${c.status}` : `a ${CASE_NOUN[c.type]}`}. Amend it with the note alone, or overturn it.`,
          { caseId: id, status: c.status });
      }
      try {
        change = await amendPlan(tx, c, step, amendment as { goals?: string[]; dueAt?: string });
      } catch (e) {
        throw asAmendmentError(e);
      }
    }
    const payload = withContext(await casePayload(tx, id, 'case.amended'), disputeContext(step));
    // One delivery per dispute: the dispute id tells repeated amendments of one case apart.
    await enqueue(tx, c.workflows.map((workflow) => ({ caseId: id, workflow, event: 'case.amended', payload, occurrence: `dispute-${step.disputeId}` })));
    return change;
  },

  async titles(db, ids) {
    const r = await db.query<{ id: number; type: CaseType }>('SELECT id, type FROM cases WHERE id = ANY($1::bigint[])', [ids]);
    return new Map(r.rows.map((c) => [Number(c.id), `${CASE_NOUN[c.type][0].toUpperCase()}${CASE_NOUN[c.type].slice(1)} #${c.id}`]));
  },
};

/** A PIP's plan changed through its lifecycle's own actions, with HR's note and the dispute. */
async function amendPlan(tx: Queryable, c: CaseRow, step: DisputeStep, a: { goals?: string[]; dueAt?: string }): Promise<AmendmentChange> {
  const base = { actor: step.actor, note: step.note ?? undefined, actingAs: 'system' as const, at: step.at, context: { dispute: { id: step.disputeId } } };
  const before = { goals: c.goals, dueAt: iso(c.due_at) };
  if (c.status === 'approved') {
    await applyTransition(tx, c.id, {
      ...base, action: 'plan',
      data: { goals: a.goals ?? c.goals ?? undefined, dueAt: a.dueAt ?? iso(c.due_at) ?? undefined, checkInEveryDays: c.checkin_every_days ?? undefined, support: c.support ?? undefined },
    });
  } else {
    // A later end date first (active or extended → extended), then new goals (→ paused).
    if (a.dueAt !== undefined) await applyTransition(tx, c.id, { ...base, action: 'extend', data: { dueAt: a.dueAt } });
    if (a.goals !== undefined) await applyTransition(tx, c.id, { ...base, action: 'edit-goals', data: { goals: a.goals } });
  }
  const after = await lockCase(tx, c.id);
  return { before, after: { goals: after.goals, dueAt: iso(after.due_at) } };
}
