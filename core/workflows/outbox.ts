// The transactional outbox: a delivery is written in the same transaction as the case or the
// transition that causes it, so a crash never opens a case without its delivery, nor delivers
// for a case that was rolled back. Each delivery has a stable idempotency key that receivers
// use to drop duplicates.
import type { Queryable } from '../store/store.ts';
import { casePayloadSql } from '../cases/payload.ts';

export interface Delivery {
  caseId: number;
  workflow: string;
  /** case.opened, pip.approved, checkin.due, coaching.overdue, … */
  event: string;
  payload: Record<string, unknown>;
  config?: Record<string, unknown>;
  /** Distinguishes repeated events of one case (e.g. each check-in's due date). */
  occurrence?: string;
}

export function idempotencyKey(d: Pick<Delivery, 'caseId' | 'workflow' | 'event' | 'occurrence'>): string {
  return `case-${d.caseId}:${d.event}${d.occurrence ? `@${d.occurrence}` : ''}:${d.workflow}`;
}

/** Queues deliveries inside the caller's transaction; a key already queued is not queued twice. */
export async function enqueue(tx: Queryable, deliveries: Delivery[]): Promise<number> {
  let n = 0;
  for (const d of deliveries) {
    const r = await tx.query(
      `INSERT INTO outbox (idempotency_key, case_id, workflow, event, payload, config)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb) ON CONFLICT (idempotency_key) DO NOTHING`,
      [idempotencyKey(d), d.caseId, d.workflow, d.event, JSON.stringify(d.payload), JSON.stringify(d.config ?? {})],
    );
    n += r.affectedRows ?? 0;
  }
  return n;
}

/**
 * Queues many deliveries whose payload is their case's (`casePayload`), built by the store from
 * the case and its employee as they stand in the caller's transaction, in a few multi-row
 * statements (`chunk` deliveries each): the same rows as `enqueue` with that payload, ids in
 * the list's order, a key already queued not queued twice. Returns how many were queued.
 */
export async function enqueueCaseDeliveries(tx: Queryable, deliveries: Array<Omit<Delivery, 'payload'>>, chunk = 2000): Promise<number> {
  let n = 0;
  for (let i = 0; i < deliveries.length; i += chunk) {
    const batch = deliveries.slice(i, i + chunk);
    // Each case and employee by its key (LATERAL … OFFSET 0): never a scan of every case on file.
    const r = await tx.query(
      `INSERT INTO outbox (idempotency_key, case_id, workflow, event, payload, config)
       SELECT x.k, c.id, x.w, x.e, ${casePayloadSql('x.e')}, x.cf
       FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::jsonb[]) WITH ORDINALITY AS x(k, case_id, w, e, cf, n)
       CROSS JOIN LATERAL (SELECT * FROM cases c WHERE c.id = x.case_id OFFSET 0) c
       LEFT JOIN LATERAL (SELECT * FROM employees e WHERE e.id = c.employee_id OFFSET 0) e ON true
       ORDER BY x.n
       ON CONFLICT (idempotency_key) DO NOTHING`,
      [
        batch.map((d) => idempotencyKey(d)),
        batch.map((d) => d.caseId),
        batch.map((d) => d.workflow),
        batch.map((d) => d.event),
        batch.map((d) => JSON.stringify(d.config ?? {})),
      ],
    );
    n += r.affectedRows ?? 0;
  }
  return n;
}

/** A delivery about something other than a case (a dispute, a review, a digest); `caseId` when it also concerns one. */
export interface SubjectDelivery {
  /** `dispute-12`, `review-4`, `digest-e7@2026-12-05`: first part of its idempotency key. */
  subject: string;
  workflow: string;
  event: string;
  payload: Record<string, unknown>;
  config?: Record<string, unknown>;
  occurrence?: string;
  caseId?: number | null;
}

/** `<subject>:<event>[@occurrence]:<workflow>`, the case scheme with the subject in front. */
export function subjectIdempotencyKey(d: Pick<SubjectDelivery, 'subject' | 'workflow' | 'event' | 'occurrence'>): string {
  return `${d.subject}:${d.event}${d.occurrence ? `@${d.occurrence}` : ''}:${d.workflow}`;
}

/** Queues deliveries of non-case events inside the caller's transaction; a key already queued is not queued twice. */
export async function enqueueSubject(tx: Queryable, deliveries: SubjectDelivery[]): Promise<number> {
  let n = 0;
  for (const d of deliveries) {
    const r = await tx.query(
      `INSERT INTO outbox (idempotency_key, case_id, workflow, event, payload, config)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb) ON CONFLICT (idempotency_key) DO NOTHING`,
      [subjectIdempotencyKey(d), d.caseId ?? null, d.workflow, d.event, JSON.stringify(d.payload), JSON.stringify(d.config ?? {})],
    );
    n += r.affectedRows ?? 0;
  }
  return n;
}
