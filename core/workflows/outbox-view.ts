// The outbox as people read it: `GET /api/outbox`, `GET /api/outbox/:id` and `npx appraise
// outbox` show the same fields and the same sentences. What matters most is said plainly: a
// delivery with an attempt that ended without an answer (time-out, connection lost after
// sending, worker gone mid-attempt) may have been delivered, whatever its status says.
import type { Queryable } from '../store/store.ts';
import type { AttemptOutcome } from './outcome.ts';

export const DELIVERY_STATUSES = ['pending', 'in_flight', 'delivered', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface DeliveryView {
  id: number;
  idempotencyKey: string;
  caseId: number | null;
  workflow: string;
  event: string;
  status: DeliveryStatus;
  /** Attempts started so far. */
  attempts: number;
  /** How the last finished attempt ended; null before the first one ends. */
  lastOutcome: AttemptOutcome | null;
  /** Attempts that ended without an answer: each may have reached the receiver. */
  unknownAttempts: number;
  /** Not known to be delivered, and at least one attempt may have reached the receiver. */
  mayHaveBeenDelivered: boolean;
  /** Where the delivery stands, in one or two sentences. */
  summary: string;
  /** When a pending delivery is tried next; null for any other status. */
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string | null;
  deliveredAt: string | null;
}

export interface AttemptView {
  attempt: number;
  /** Null only for attempts recorded before their start time was kept. */
  startedAt: string | null;
  /** When it ended, or, for a worker that died mid-attempt, when that was noticed. */
  finishedAt: string | null;
  outcome: AttemptOutcome;
  /** The receiver's HTTP status when the attempt's error names one (`… answered 503`); a 2xx is not recorded. */
  httpStatus: number | null;
  error: string | null;
  /** The dispatcher (worker) that made the attempt. */
  worker: string;
}

export interface DeliveryDetail extends DeliveryView {
  /** The attempt running now (started, not yet finished), if any. */
  underWay: { attempt: number; worker: string; startedAt: string } | null;
  /** Every finished attempt, oldest first. */
  history: AttemptView[];
}

/** What each outcome means, in a few words. */
export const OUTCOME_WORDS: Record<AttemptOutcome, string> = {
  delivered: 'delivered',
  failed: 'failed (not delivered)',
  refused: 'refused (never sent)',
  unknown: 'unknown (may have been delivered)',
};

const iso = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(v as string).toISOString());

const COLUMNS = `id, idempotency_key, case_id, workflow, event, status, attempts, last_outcome, unknown_attempts, next_attempt_at, last_error, created_at, delivered_at, claimed_by, attempt_started_at`;

/** The sentence that says where a delivery stands; it starts "May have been delivered" whenever that is so. */
export function summarize(d: Omit<DeliveryView, 'summary' | 'mayHaveBeenDelivered'>): string {
  const { attempts, unknownAttempts: unknown, idempotencyKey: key } = d;
  const noAnswer = unknown < attempts ? `${unknown} of ${attempts} attempts ended without an answer`
    : attempts === 1 ? 'its attempt ended without an answer' : `all ${attempts} attempts ended without an answer`;
  switch (d.status) {
    case 'delivered': {
      const when = `Delivered${attempts > 1 ? ` on attempt ${attempts}` : ''}${d.deliveredAt ? ` at ${d.deliveredAt}` : ''}.`;
      if (!unknown) return when;
      return `${when} ${unknown === 1 ? 'An earlier attempt' : `${unknown} earlier attempts`} ended without an answer, so the receiver may have got it more than once, under the one Idempotency-Key ${key}.`;
    }
    case 'dead':
      if (unknown) return `May have been delivered: ${noAnswer} before it was given up. Look for Idempotency-Key ${key} at the receiver before retrying it by hand.`;
      if (d.lastOutcome === 'refused') return 'Not delivered: it was refused (before sending, or by a receiver that will refuse it again, such as a revoked chat webhook), so trying again cannot help. Fix what the last error names, then retry it by hand.';
      return `Not delivered: ${attempts === 1 ? 'its only attempt' : `all ${attempts} attempts`} failed. Retry it by hand once the receiver works.`;
    case 'pending':
      if (attempts === 0) return `Waiting for its first attempt${d.nextAttemptAt ? `, due ${d.nextAttemptAt}` : ''}.`;
      if (unknown) {
        // Slack and Teams keep no idempotency key: a retry after an unanswered post can show twice.
        const dedupe = /^(slack|teams)\.post$/.test(d.workflow) ? '; the chat service keeps no such key, so the channel may show it twice' : ', by which the receiver drops duplicates';
        return `May have been delivered: ${noAnswer}. It will be tried again${d.nextAttemptAt ? ` at ${d.nextAttemptAt}` : ''} with the same Idempotency-Key ${key}${dedupe}.`;
      }
      return `Not delivered yet: ${attempts === 1 ? 'its first attempt' : `${attempts} attempts`} failed. It will be tried again${d.nextAttemptAt ? ` at ${d.nextAttemptAt}` : ''}.`;
    case 'in_flight':
    default:
      return `Being attempted now.${unknown ? ` It may have been delivered already: ${noAnswer}.` : ''}`;
  }
}

function toView(r: Record<string, unknown>): DeliveryView {
  const base = {
    id: Number(r.id),
    idempotencyKey: String(r.idempotency_key),
    caseId: r.case_id === null || r.case_id === undefined ? null : Number(r.case_id),
    workflow: String(r.workflow),
    event: String(r.event),
    status: String(r.status) as DeliveryStatus,
    attempts: Number(r.attempts),
    lastOutcome: (r.last_outcome ?? null) as AttemptOutcome | null,
    unknownAttempts: Number(r.unknown_attempts ?? 0),
    // Only a pending delivery has a next attempt; the column keeps its last value otherwise.
    nextAttemptAt: r.status === 'pending' ? iso(r.next_attempt_at) : null,
    lastError: (r.last_error ?? null) as string | null,
    createdAt: iso(r.created_at),
    deliveredAt: iso(r.delivered_at),
  };
  return { ...base, mayHaveBeenDelivered: base.status !== 'delivered' && base.unknownAttempts > 0, summary: summarize(base) };
}

/** The HTTP status an attempt's error names (`POST host/path answered 503`), if any. */
export function httpStatusOf(outcome: AttemptOutcome, error: string | null): number | null {
  if (outcome === 'delivered' || !error) return null;
  const m = /\banswered (\d{3})\b/.exec(error);
  return m ? Number(m[1]) : null;
}

export interface ListOptions {
  /** Only these statuses (all when empty). */
  statuses?: readonly DeliveryStatus[];
  limit: number;
  offset?: number;
  /** Newest first (the API) or oldest first (the CLI's queue order). */
  order?: 'newest' | 'oldest';
}

export async function listDeliveries(db: Queryable, o: ListOptions): Promise<{ deliveries: DeliveryView[]; total: number }> {
  const statuses = [...(o.statuses ?? [])];
  const where = statuses.length ? 'WHERE status = ANY($1::text[])' : '';
  const params = statuses.length ? [statuses] : [];
  const total = Number((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox ${where}`, params)).rows[0].n);
  const rows = (await db.query<Record<string, unknown>>(
    `SELECT ${COLUMNS} FROM outbox ${where} ORDER BY id ${o.order === 'oldest' ? 'ASC' : 'DESC'} LIMIT ${Math.trunc(o.limit)} OFFSET ${Math.trunc(o.offset ?? 0)}`,
    params,
  )).rows;
  return { deliveries: rows.map(toView), total };
}

/** One delivery with its attempts, or undefined when there is no such id. */
export async function getDelivery(db: Queryable, id: number): Promise<DeliveryDetail | undefined> {
  const row = (await db.query<Record<string, unknown>>(`SELECT ${COLUMNS} FROM outbox WHERE id = $1`, [id])).rows[0];
  if (!row) return undefined;
  const attempts = (await db.query<Record<string, unknown>>(
    `SELECT attempt, worker, started_at, finished_at, outcome, error FROM outbox_attempts WHERE outbox_id = $1 ORDER BY attempt, id`,
    [id],
  )).rows;
  const view = toView(row);
  const history: AttemptView[] = attempts.map((a) => {
    const outcome = String(a.outcome) as AttemptOutcome;
    const error = (a.error ?? null) as string | null;
    return { attempt: Number(a.attempt), startedAt: iso(a.started_at), finishedAt: iso(a.finished_at), outcome, httpStatus: httpStatusOf(outcome, error), error, worker: String(a.worker) };
  });
  const underWay = view.status === 'in_flight' && row.attempt_started_at
    ? { attempt: view.attempts, worker: String(row.claimed_by), startedAt: iso(row.attempt_started_at)! }
    : null;
  return { ...view, underWay, history };
}
