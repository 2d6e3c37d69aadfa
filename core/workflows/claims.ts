// Claims on outbox rows, in two phases. A row is claimed (FOR UPDATE SKIP LOCKED, so several
// dispatchers on one PostgreSQL database never take the same row) only when a slot is free to
// attempt it at once, under a short pick-up lease; starting the attempt counts it and stretches
// the lease past the workflow's timeout. So a dispatcher that dies holds only the rows it was
// sending, and a claim it never started is taken over within seconds, not after a long lease.
// A claim whose attempt started and then expired was lost mid-attempt: its outcome is unknown.
import type { Queryable, Store } from '../store/store.ts';
import { deadError, lostAttemptError, type AttemptOutcome } from './outcome.ts';

export interface OutboxRow {
  id: number;
  idempotencyKey: string;
  workflow: string;
  event: string;
  payload: { case?: Record<string, unknown>; employee?: Record<string, unknown> } & Record<string, unknown>;
  config: Record<string, unknown>;
  /** Attempts started before this claim. */
  attempts: number;
  unknownAttempts: number;
}

// `now` is a JavaScript instant (whole milliseconds) and the store keeps microseconds: a row
// queued within the same millisecond counts as due, hence "before the end of that millisecond".
const DUE = `((status = 'pending' AND next_attempt_at < $NOW::timestamptz + interval '1 millisecond') OR (status = 'in_flight' AND claimed_until < $NOW))`;
const due = (param: number) => DUE.replaceAll('$NOW', `$${param}`);
/** Rows read per page, after the first, while looking for ones whose receiver has a free slot. */
const PAGE = 100;

export interface ClaimRequest {
  workerId: string;
  now: Date;
  /** At most this many rows. */
  limit: number;
  /** How long a claimed row may wait for its attempt to start. */
  pickupMs: number;
  maxAttempts: number;
  receiverOf: (workflow: string, config: Record<string, unknown>) => string;
  /** Free slots of a receiver now. */
  room: (receiver: string) => number;
}

/**
 * Claims due rows, oldest first, skipping those whose receiver has no free slot (so a backlog
 * for a hanging receiver never hides the deliveries behind it). Rows whose claim expired during
 * an attempt get that attempt recorded as unknown first; one that used its last attempt so is
 * marked dead instead of claimed.
 */
export async function claimDue(store: Store, r: ClaimRequest): Promise<OutboxRow[]> {
  const now = r.now.toISOString();
  return store.transaction(async (tx) => {
    // Locked as read (another dispatcher skips these rows and reads on); rows not chosen are free
    // again when this short transaction ends.
    const chosen: Array<Record<string, unknown>> = [];
    const taken = new Map<string, number>();
    for (let after = 0, size = r.limit; chosen.length < r.limit; size = PAGE) {
      // The first read takes exactly what is wanted, as a plain `LIMIT n SKIP LOCKED` would;
      // only when some rows wait for a busy receiver does it read on in bigger pages.
      const page = (await tx.query<Record<string, unknown>>(
        `SELECT id, workflow, config, status, claimed_by, attempt_started_at FROM outbox WHERE ${due(1)} AND id > $2 ORDER BY id LIMIT ${size} FOR UPDATE SKIP LOCKED`,
        [now, after],
      )).rows;
      for (const row of page) {
        const receiver = r.receiverOf(String(row.workflow), (row.config ?? {}) as Record<string, unknown>);
        const n = taken.get(receiver) ?? 0;
        if (n >= r.room(receiver)) continue;
        taken.set(receiver, n + 1);
        chosen.push(row);
        if (chosen.length >= r.limit) break;
      }
      if (page.length < size) break;
      after = Number(page[page.length - 1].id);
    }
    if (!chosen.length) return [];
    const rows = (await tx.query<Record<string, unknown>>(
      `UPDATE outbox SET status = 'in_flight', claimed_by = $2, claimed_until = $3, attempt_started_at = NULL WHERE id = ANY($1::bigint[])
       RETURNING id, idempotency_key, workflow, event, payload, config, attempts, unknown_attempts`,
      [chosen.map((x) => Number(x.id)), r.workerId, new Date(r.now.getTime() + r.pickupMs).toISOString()],
    )).rows;
    const before = new Map(chosen.map((x) => [Number(x.id), x]));
    const out: OutboxRow[] = [];
    for (const x of rows.sort((a, b) => Number(a.id) - Number(b.id))) {
      const row = toRow(x);
      const was = before.get(row.id)!;
      if (was.status === 'in_flight' && was.attempt_started_at) {
        const worker = String(was.claimed_by);
        const error = lostAttemptError(worker, row.attempts);
        await recordAttempt(tx, { id: row.id, attempt: row.attempts, worker, startedAt: was.attempt_started_at as Date, outcome: 'unknown', error });
        row.unknownAttempts++;
        if (row.attempts >= r.maxAttempts) {
          await tx.query(
            `UPDATE outbox SET status = 'dead', claimed_by = NULL, claimed_until = NULL, last_outcome = 'unknown', unknown_attempts = $2, last_error = $3 WHERE id = $1`,
            [row.id, row.unknownAttempts, deadError(error, row.attempts, row.unknownAttempts, row.idempotencyKey)],
          );
          continue;
        }
        await tx.query(`UPDATE outbox SET last_outcome = 'unknown', unknown_attempts = $2, last_error = $3 WHERE id = $1`, [row.id, row.unknownAttempts, error]);
      }
      out.push(row);
    }
    return out;
  });
}

function toRow(x: Record<string, unknown>): OutboxRow {
  return {
    id: Number(x.id),
    idempotencyKey: String(x.idempotency_key),
    workflow: String(x.workflow),
    event: String(x.event),
    payload: (x.payload ?? {}) as OutboxRow['payload'],
    config: (x.config ?? {}) as Record<string, unknown>,
    attempts: Number(x.attempts),
    unknownAttempts: Number(x.unknown_attempts ?? 0),
  };
}

/**
 * Starts the attempt of a row this worker claimed: counts it and extends the claim to `leaseMs`.
 * Returns the attempt's number, or undefined when the claim was taken over or released meanwhile.
 */
export async function startAttempt(db: Queryable, id: number, workerId: string, now: Date, leaseMs: number): Promise<number | undefined> {
  const r = await db.query<{ attempts: number }>(
    `UPDATE outbox SET attempts = attempts + 1, attempt_started_at = $3, claimed_until = $4
     WHERE id = $1 AND claimed_by = $2 AND status = 'in_flight' AND attempt_started_at IS NULL RETURNING attempts`,
    [id, workerId, new Date().toISOString(), new Date(now.getTime() + leaseMs).toISOString()],
  );
  return r.rows.length ? Number(r.rows[0].attempts) : undefined;
}

export interface AttemptRecord {
  id: number;
  attempt: number;
  worker: string;
  startedAt: Date | string;
  outcome: AttemptOutcome;
  error?: string;
}

export async function recordAttempt(db: Queryable, a: AttemptRecord): Promise<void> {
  await db.query(
    `INSERT INTO outbox_attempts (outbox_id, attempt, worker, started_at, outcome, error) VALUES ($1, $2, $3, $4, $5, $6)`,
    [a.id, a.attempt, a.worker, new Date(a.startedAt).toISOString(), a.outcome, a.error ?? null],
  );
}

export type AttemptEnd =
  | { status: 'delivered' }
  | { status: 'pending'; nextAttemptAt: Date; error: string }
  | { status: 'dead'; error: string };

/**
 * Records the end of an attempt, if this worker still holds that attempt's claim: the history
 * row, the last outcome, and the row's next status. Returns false when the claim was lost (the
 * one who took it over has recorded the attempt as unknown).
 */
export async function finishAttempt(store: Store, a: AttemptRecord, end: AttemptEnd): Promise<boolean> {
  return store.transaction(async (tx) => {
    const unknown = a.outcome === 'unknown' ? 1 : 0;
    const common = `claimed_by = NULL, claimed_until = NULL, last_outcome = $4, unknown_attempts = unknown_attempts + ${unknown}`;
    const guard = `WHERE id = $1 AND claimed_by = $2 AND status = 'in_flight' AND attempts = $3`;
    const base = [a.id, a.worker, a.attempt, a.outcome];
    const r =
      end.status === 'delivered'
        ? await tx.query(`UPDATE outbox SET status = 'delivered', delivered_at = now(), last_error = NULL, ${common} ${guard}`, base)
        : end.status === 'pending'
          ? await tx.query(`UPDATE outbox SET status = 'pending', next_attempt_at = $5, last_error = $6, ${common} ${guard}`, [...base, end.nextAttemptAt.toISOString(), end.error])
          : await tx.query(`UPDATE outbox SET status = 'dead', last_error = $5, ${common} ${guard}`, [...base, end.error]);
    if ((r.affectedRows ?? 0) === 0) return false;
    await recordAttempt(tx, a);
    return true;
  });
}

/** Puts back the rows this worker claimed but never started: another worker may take them now. */
export async function releaseUnattempted(db: Queryable, workerId: string): Promise<number> {
  const r = await db.query(
    `UPDATE outbox SET status = 'pending', claimed_by = NULL, claimed_until = NULL WHERE claimed_by = $1 AND status = 'in_flight' AND attempt_started_at IS NULL`,
    [workerId],
  );
  return r.affectedRows ?? 0;
}

/**
 * At start, for a dispatcher that keeps its id across restarts: whatever its previous run still
 * holds is given up at once, its unfinished attempts recorded as unknown (expiring the claims
 * makes the next claim do that bookkeeping).
 */
export async function expireOwnClaims(db: Queryable, workerId: string): Promise<number> {
  const r = await db.query(
    `UPDATE outbox SET claimed_until = '-infinity' WHERE claimed_by = $1 AND status = 'in_flight'`,
    [workerId],
  );
  return r.affectedRows ?? 0;
}
