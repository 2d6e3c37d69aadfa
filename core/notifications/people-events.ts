// Events outside cases that people hear about: a review's self-assessment coming due, and a
// dispute resolved. They go through the same outbox as case events (retries, idempotency, dead
// letters), to the workflows of notifications.people.workflows. Keys:
//   review-<id>:review.self-assessment-due@<due instant>:<workflow>   (a moved deadline reminds again)
//   dispute-<id>:dispute.resolved:<workflow>                          (a dispute is resolved once)
import type { Queryable, Store } from '../store/store.ts';
import { casePayload } from '../cases/payload.ts';
import { enqueueSubject } from '../workflows/outbox.ts';

const DAY = 86_400_000;

async function employeePayload(db: Queryable, id: string): Promise<Record<string, unknown>> {
  const e = (await db.query<Record<string, unknown>>('SELECT id, name, email, role, team, department, location, manager_id FROM employees WHERE id = $1', [id])).rows[0];
  return e
    ? { id: e.id, name: e.name, email: e.email, role: e.role, team: e.team, department: e.department, location: e.location, managerId: e.manager_id }
    : { id };
}

export interface ResolvedDispute {
  id: number;
  employeeId: string;
  subjectType: string;
  subjectId: number;
  /** What was disputed, in words ("PIP #12"). */
  about: string;
  outcome: 'upheld' | 'amended' | 'overturned';
  note: string;
  resolvedAt: Date;
}

/** Queues `dispute.resolved` inside the resolving transaction. */
export async function queueDisputeResolved(tx: Queryable, workflows: readonly string[], d: ResolvedDispute): Promise<number> {
  if (!workflows.length) return 0;
  const onCase = d.subjectType === 'case';
  const base = onCase ? await casePayload(tx, d.subjectId, 'dispute.resolved') : { event: 'dispute.resolved', employee: await employeePayload(tx, d.employeeId), links: { review: `/reviews/${d.subjectId}` } };
  const payload = {
    ...base,
    dispute: { id: d.id, subjectType: d.subjectType, subjectId: d.subjectId, about: d.about, outcome: d.outcome, note: d.note, resolvedAt: d.resolvedAt.toISOString() },
  };
  return enqueueSubject(tx, workflows.map((workflow) => ({ subject: `dispute-${d.id}`, workflow, event: 'dispute.resolved', payload, caseId: onCase ? d.subjectId : null })));
}

/**
 * Queues `review.self-assessment-due` for each open review whose self-assessment is due within
 * `days` days (and not past): once per review and due date. Run by the worker with the other
 * time-driven events.
 */
export async function queueReviewReminders(store: Store, workflows: readonly string[], days: number, now: Date = new Date()): Promise<number> {
  if (!workflows.length) return 0;
  return store.transaction(async (tx) => {
    const due = await tx.query<{ id: number; employee_id: string; self_due_at: string | Date; cycle_id: string; title: string }>(
      `SELECT r.id, r.employee_id, r.self_due_at, r.cycle_id, c.title FROM reviews r JOIN review_cycles c ON c.id = r.cycle_id
       WHERE r.status = 'open' AND c.status = 'open' AND r.self_due_at > $1 AND r.self_due_at <= $2`,
      [now.toISOString(), new Date(now.getTime() + days * DAY).toISOString()],
    );
    let n = 0;
    for (const r of due.rows) {
      const selfDueAt = new Date(r.self_due_at).toISOString();
      const payload = {
        event: 'review.self-assessment-due',
        employee: await employeePayload(tx, r.employee_id),
        review: { id: Number(r.id), cycleId: r.cycle_id, cycleTitle: r.title, selfDueAt },
        links: { review: `/reviews/${r.id}` },
      };
      n += await enqueueSubject(tx, workflows.map((workflow) => ({ subject: `review-${r.id}`, workflow, event: 'review.self-assessment-due', payload, occurrence: selfDueAt })));
    }
    return n;
  });
}
