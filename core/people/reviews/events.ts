// Every step of a review is an append-only review event and an audit-log entry, written in the
// transaction that makes the change.
import type { Queryable } from '../../store/store.ts';

export interface ReviewEventInput {
  reviewId: number | null;
  cycleId: string;
  at: Date;
  actor: string;
  event: 'opened' | 'transition' | 'extended' | 'amended' | 'dispute';
  from?: string | null;
  to?: string | null;
  note?: string | null;
  data?: Record<string, unknown>;
}

export async function recordReviewEvent(tx: Queryable, e: ReviewEventInput, audit: { action: string; before?: unknown; after?: unknown }): Promise<void> {
  await tx.query(
    `INSERT INTO review_events (review_id, cycle_id, at, actor, event, from_status, to_status, note, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)`,
    [e.reviewId, e.cycleId, e.at.toISOString(), e.actor, e.event, e.from ?? null, e.to ?? null, e.note ?? null, JSON.stringify(e.data ?? {})],
  );
  await tx.query(
    `INSERT INTO audit_log (at, actor, action, target, before, after) VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb)`,
    [e.at.toISOString(), e.actor, audit.action, e.reviewId === null ? `review-cycle:${e.cycleId}` : `review:${e.reviewId}`,
      audit.before === undefined ? null : JSON.stringify(audit.before), audit.after === undefined ? null : JSON.stringify(audit.after)],
  );
}
