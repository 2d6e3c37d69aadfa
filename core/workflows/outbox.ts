// The transactional outbox: a delivery is written in the same transaction as the case or the
// transition that causes it, so a crash never opens a case without its delivery, nor delivers
// for a case that was rolled back. Each delivery has a stable idempotency key that receivers
// use to drop duplicates.
import type { Queryable } from '../store/store.ts';

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
