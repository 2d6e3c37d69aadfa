// The dispatcher: attempts due deliveries side by side, up to a cap overall and a smaller cap
// per receiver, so one slow or hanging receiver never holds up the others. Each row is claimed
// right before it is attempted (see claims.ts), within the workflow's own timeout. Failures are
// retried with exponential backoff and jitter up to a limit, then marked dead with the last
// error; every retry carries the same idempotency key, so receivers drop duplicates. An attempt
// that ended without an answer is recorded as outcome "unknown", and a delivery with such an
// attempt is never marked dead without saying it may have been delivered.
import { randomUUID } from 'node:crypto';
import type { Store } from '../store/store.ts';
import type { WorkflowDelivery } from '../plugins/api.ts';
import { claimDue, expireOwnClaims, finishAttempt, releaseUnattempted, startAttempt, type AttemptEnd, type OutboxRow } from './claims.ts';
import { deadError, describeError, outcomeOf, type AttemptOutcome } from './outcome.ts';
import { ReceiverSlots } from './receivers.ts';
import { redactSecrets } from '../config/secrets.ts';

/**
 * Runs a workflow for one delivery: resolves when it was delivered, rejects otherwise. A runner
 * may also say where a delivery goes (deliveries to one receiver share its slots) and how long
 * one attempt of a workflow may take (the claim outlasts it).
 */
export interface WorkflowRunner {
  (workflow: string, delivery: WorkflowDelivery): Promise<void>;
  receiverOf?(workflow: string, config: Record<string, unknown>): string;
  timeoutMsOf?(workflow: string): number;
}

export interface DispatcherOptions {
  workerId?: string;
  maxAttempts?: number;
  /** First retry delay; doubles each attempt up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** The shortest claim of a started attempt; it always outlasts the attempt's timeout by 10 s. */
  leaseMs?: number;
  /** How long a claimed row may wait for its attempt to start before another dispatcher may take it. */
  pickupMs?: number;
  /** Attempts at once, over all receivers. */
  concurrency?: number;
  /** Attempts at once to one receiver. */
  perReceiver?: number;
  /** @deprecated Use {@link DispatcherOptions.concurrency}: claims are never bigger than the free slots. */
  batchSize?: number;
  /** One attempt's time limit when the runner does not say (its own `timeoutMsOf`). */
  timeoutMs?: number;
  run: WorkflowRunner;
  random?: () => number;
}

export interface DispatchResult {
  claimed: number;
  delivered: number;
  retried: number;
  dead: number;
  /** Attempts that ended without an answer (they may have been delivered). */
  unknown: number;
}

const LEASE_MARGIN_MS = 10_000;
/** Past its timeout plus this, an attempt whose runner ignores the timeout is given up on. */
const BACKSTOP_GRACE_MS = 2_000;

/** Exponential backoff with equal jitter: half the delay fixed, half random. */
export function backoffMs(attempt: number, base: number, max: number, random: () => number = Math.random): number {
  const d = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(d / 2 + random() * (d / 2));
}

function backstop<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error(`the attempt ran past its time limit of ${ms} ms`), { kind: 'timeout' })), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** One dispatcher's slots and settings; `fill` claims what it can attempt now and starts it. */
class Dispatcher {
  readonly slots: ReceiverSlots;
  readonly workerId: string;
  stopped = false;

  constructor(
    private readonly store: Store,
    private readonly o: DispatcherOptions,
  ) {
    this.workerId = o.workerId ?? `dispatcher-${randomUUID()}`;
    this.slots = new ReceiverSlots(o.concurrency ?? o.batchSize ?? undefined, o.perReceiver ?? undefined);
  }

  get maxAttempts(): number {
    return this.o.maxAttempts ?? 8;
  }

  private receiverOf(row: Pick<OutboxRow, 'workflow' | 'config'>): string {
    return this.o.run.receiverOf?.(row.workflow, row.config) ?? row.workflow;
  }

  /** Claims as many due rows as there are free slots and starts them; resolves to their attempts. */
  async fill(now: Date, result: DispatchResult): Promise<Array<Promise<void>>> {
    const limit = this.slots.free();
    if (limit === 0 || this.stopped) return [];
    const rows = await claimDue(this.store, {
      workerId: this.workerId,
      now,
      limit,
      pickupMs: this.o.pickupMs ?? 10_000,
      maxAttempts: this.maxAttempts,
      receiverOf: (workflow, config) => this.receiverOf({ workflow, config }),
      room: (receiver) => this.slots.room(receiver),
    });
    result.claimed += rows.length;
    return rows.map((row) => {
      const receiver = this.receiverOf(row);
      this.slots.take(receiver);
      return this.attempt(row, now, result).finally(() => this.slots.give(receiver));
    });
  }

  private async attempt(row: OutboxRow, now: Date, result: DispatchResult): Promise<void> {
    if (this.stopped) return; // left claimed but unstarted: released by stop()
    const timeoutMs = this.o.run.timeoutMsOf?.(row.workflow) ?? this.o.timeoutMs ?? 30_000;
    const attempt = await startAttempt(this.store, row.id, this.workerId, now, Math.max(this.o.leaseMs ?? 60_000, timeoutMs + LEASE_MARGIN_MS));
    if (attempt === undefined) return;
    const startedAt = new Date();
    const delivery: WorkflowDelivery = {
      idempotencyKey: row.idempotencyKey,
      event: row.event,
      case: row.payload.case ?? {},
      employee: row.payload.employee ?? {},
      config: row.config,
      attempt,
    };
    let outcome: AttemptOutcome = 'delivered';
    let error: string | undefined;
    try {
      await backstop(Promise.resolve().then(() => this.o.run(row.workflow, delivery)), timeoutMs + BACKSTOP_GRACE_MS);
    } catch (e) {
      outcome = outcomeOf(e);
      // Stored and shown to admins: never with a credential in it (an SMTP password echoed back).
      error = redactSecrets(describeError(e, outcome));
    }
    const unknownAttempts = row.unknownAttempts + (outcome === 'unknown' ? 1 : 0);
    let end: AttemptEnd;
    if (outcome === 'delivered') end = { status: 'delivered' };
    else if (outcome === 'refused' || attempt >= this.maxAttempts) end = { status: 'dead', error: deadError(error!, attempt, unknownAttempts, row.idempotencyKey) };
    else {
      // Backoff counts from the end of the attempt (on the caller's clock, which tests move on).
      const ended = now.getTime() + (Date.now() - startedAt.getTime());
      end = { status: 'pending', error: error!, nextAttemptAt: new Date(ended + backoffMs(attempt, this.o.baseDelayMs ?? 1000, this.o.maxDelayMs ?? 3_600_000, this.o.random)) };
    }
    const held = await finishAttempt(this.store, { id: row.id, attempt, worker: this.workerId, startedAt, outcome, ...(error ? { error } : {}) }, end);
    if (!held) return;
    if (outcome === 'unknown') result.unknown++;
    if (end.status === 'delivered') result.delivered++;
    else if (end.status === 'dead') result.dead++;
    else result.retried++;
  }
}

const emptyResult = (): DispatchResult => ({ claimed: 0, delivered: 0, retried: 0, dead: 0, unknown: 0 });

/** One round: claims what the slots allow, attempts it all side by side, and waits for the outcomes. */
export async function dispatchOnce(store: Store, options: DispatcherOptions, now: Date = new Date()): Promise<DispatchResult> {
  const result = emptyResult();
  await Promise.all(await new Dispatcher(store, options).fill(now, result));
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

/**
 * Dispatches until stopped: claims whenever a slot is free (at once when an attempt ends, else
 * every `intervalMs`). Returns a stop function that stops claiming, puts back claims it never
 * started, and waits for the attempts under way (each bounded by its workflow's timeout).
 */
export function startDispatcher(store: Store, options: DispatcherOptions & { intervalMs?: number; onError?: (e: unknown) => void }): () => Promise<void> {
  const d = new Dispatcher(store, options);
  const running = new Set<Promise<void>>();
  const onError = (e: unknown) => options.onError?.(e);
  // Set when an attempt ends (a slot is free) or on stop; the loop then claims without waiting.
  let woken = false;
  let wake: () => void = () => {
    woken = true;
  };
  const signal = () => wake();
  const loop = async () => {
    // Claims an earlier run of this same worker id still holds are given up at once.
    await expireOwnClaims(store, d.workerId).catch(onError);
    while (!d.stopped) {
      woken = false;
      let started = 0;
      try {
        const attempts = await d.fill(new Date(), emptyResult());
        started = attempts.length;
        for (const a of attempts) {
          const tracked: Promise<void> = a.catch(onError).finally(() => {
            running.delete(tracked);
            signal();
          });
          running.add(tracked);
        }
      } catch (e) {
        onError(e);
      }
      if (d.stopped) break;
      if ((started > 0 && d.slots.free() > 0) || woken) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.intervalMs ?? 1000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = () => {
        woken = true;
      };
    }
  };
  const done = loop();
  return async () => {
    d.stopped = true;
    signal();
    await done;
    await releaseUnattempted(store, d.workerId).catch(onError);
    await Promise.allSettled([...running]);
  };
}
