// The dispatcher: claims due deliveries (FOR UPDATE SKIP LOCKED, so several dispatchers on one
// PostgreSQL database never take the same row), runs each workflow's handler, and retries
// failures with exponential backoff and jitter up to a limit, then marks them dead with the
// last error. A claim is a lease: a dispatcher killed between claim and acknowledgement leaves
// a row whose lease expires and is claimed again (receivers dedupe by the idempotency key).
import { randomUUID } from 'node:crypto';
import type { Queryable, Store } from '../store/store.ts';
import type { WorkflowDelivery } from '../plugins/api.ts';
import type { ErrorCode } from '../diagnostics/codes.ts';

export type WorkflowRunner = (workflow: string, delivery: WorkflowDelivery) => Promise<void>;

export interface DispatcherOptions {
  workerId?: string;
  maxAttempts?: number;
  /** First retry delay; doubles each attempt up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long a claim lasts before another dispatcher may take the row again. */
  leaseMs?: number;
  batchSize?: number;
  run: WorkflowRunner;
  random?: () => number;
}

export interface DispatchResult {
  claimed: number;
  delivered: number;
  retried: number;
  dead: number;
}

interface OutboxRow {
  id: number;
  idempotency_key: string;
  workflow: string;
  event: string;
  payload: { case?: Record<string, unknown>; employee?: Record<string, unknown> } & Record<string, unknown>;
  config: Record<string, unknown>;
  attempts: number;
}

/** Errors that retrying cannot fix (a refused host): the delivery is dead at once. */
export class PermanentDeliveryError extends Error {
  readonly permanent = true;
}

/** The code the webhook plugin puts in front of a refusal; its message crosses thread boundaries. */
const HOST_NOT_ALLOWED: ErrorCode = 'APPRAISE_WORKFLOW_HOST_NOT_ALLOWED';

function isPermanent(e: unknown): boolean {
  return (e as { permanent?: boolean })?.permanent === true || String((e as Error)?.message).startsWith(HOST_NOT_ALLOWED);
}

/** Exponential backoff with equal jitter: half the delay fixed, half random. */
export function backoffMs(attempt: number, base: number, max: number, random: () => number = Math.random): number {
  const d = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(d / 2 + random() * (d / 2));
}

export async function claimDue(db: Queryable, workerId: string, leaseMs: number, batchSize: number, now: Date): Promise<OutboxRow[]> {
  const r = await db.query<OutboxRow>(
    `UPDATE outbox SET status = 'in_flight', claimed_by = $1, claimed_until = $2, attempts = attempts + 1
     WHERE id IN (
       SELECT id FROM outbox
       WHERE (status = 'pending' AND next_attempt_at <= $3) OR (status = 'in_flight' AND claimed_until < $3)
       ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED)
     RETURNING id, idempotency_key, workflow, event, payload, config, attempts`,
    [workerId, new Date(now.getTime() + leaseMs).toISOString(), now.toISOString(), batchSize],
  );
  return r.rows;
}

export async function dispatchOnce(store: Store, options: DispatcherOptions, now: Date = new Date()): Promise<DispatchResult> {
  const workerId = options.workerId ?? `dispatcher-${randomUUID()}`;
  const maxAttempts = options.maxAttempts ?? 8;
  const base = options.baseDelayMs ?? 1000;
  const max = options.maxDelayMs ?? 3_600_000;
  const claimed = await store.transaction((tx) => claimDue(tx, workerId, options.leaseMs ?? 60_000, options.batchSize ?? 20, now));
  const result: DispatchResult = { claimed: claimed.length, delivered: 0, retried: 0, dead: 0 };
  for (const row of claimed) {
    const delivery: WorkflowDelivery = {
      idempotencyKey: row.idempotency_key,
      event: row.event,
      case: row.payload.case ?? {},
      employee: row.payload.employee ?? {},
      config: row.config,
      attempt: Number(row.attempts),
    };
    try {
      await options.run(row.workflow, delivery);
      // Only the holder of the claim acknowledges; a lease taken over by another dispatcher wins.
      const ack = await store.query(`UPDATE outbox SET status = 'delivered', delivered_at = now(), claimed_until = NULL, last_error = NULL WHERE id = $1 AND claimed_by = $2 AND status = 'in_flight'`, [row.id, workerId]);
      if ((ack.affectedRows ?? 0) > 0) result.delivered++;
    } catch (e) {
      const message = (e as Error)?.message ?? String(e);
      if (isPermanent(e) || Number(row.attempts) >= maxAttempts) {
        await store.query(`UPDATE outbox SET status = 'dead', last_error = $3, claimed_until = NULL WHERE id = $1 AND claimed_by = $2`, [row.id, workerId, message]);
        result.dead++;
      } else {
        const next = new Date(now.getTime() + backoffMs(Number(row.attempts), base, max, options.random));
        await store.query(`UPDATE outbox SET status = 'pending', next_attempt_at = $3, last_error = $4, claimed_until = NULL WHERE id = $1 AND claimed_by = $2`, [row.id, workerId, next.toISOString(), message]);
        result.retried++;
      }
    }
  }
  return result;
}

/** A dead delivery tried again by hand: pending now, attempts counted on from where they were. */
export async function retryDelivery(store: Store, id: number, actor: string): Promise<boolean> {
  return store.transaction(async (tx) => {
    const r = await tx.query(`UPDATE outbox SET status = 'pending', next_attempt_at = now() WHERE id = $1 AND status = 'dead'`, [id]);
    if ((r.affectedRows ?? 0) === 0) return false;
    await tx.query(`INSERT INTO audit_log (actor, action, target) VALUES ($1, 'outbox.retry', $2)`, [actor, `outbox:${id}`]);
    return true;
  });
}

/** Polls until stopped. Returns a stop function that waits for the current round. */
export function startDispatcher(store: Store, options: DispatcherOptions & { intervalMs?: number; onError?: (e: unknown) => void }): () => Promise<void> {
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();
  const workerId = options.workerId ?? `dispatcher-${randomUUID()}`;
  const loop = async () => {
    while (!stopped) {
      current = dispatchOnce(store, { ...options, workerId }).catch((e) => options.onError?.(e));
      const r = await current;
      if (stopped) break;
      if (!(r as DispatchResult | undefined)?.claimed) await new Promise((res) => setTimeout(res, options.intervalMs ?? 1000));
    }
  };
  void loop();
  return async () => {
    stopped = true;
    await current;
  };
}
