// Scheduled runs. Each published policy with a `schedule` (cron, UTC) triggers a run at each
// tick while the server or `npx appraise worker` is up. With several processes on one
// PostgreSQL database exactly one runs a given tick: the run's key (policy@instant) is unique,
// so every other process's insert fails and it skips. A run interrupted midway (its process
// died: its run lock is free) is marked interrupted and resumed under a new key; cases are
// idempotent per period, so nothing is duplicated.
import { Cron } from 'croner';
import type { Store } from '../store/store.ts';
import type { RunResult } from './run.ts';
import { markInterrupted } from './run-lock.ts';

export interface SchedulerOptions {
  /** Published policies with their schedules, re-read on every refresh. */
  schedules: () => Promise<Array<{ policyId: string; schedule: string }>>;
  /** Runs one policy for a tick; `runKey` makes the run unique across processes. */
  runPolicy: (policyId: string, asOf: Date, runKey: string) => Promise<RunResult | undefined>;
  refreshMs?: number;
  onError?: (e: unknown) => void;
  onRun?: (policyId: string, result: RunResult) => void;
}

export function runKeyOf(policyId: string, tick: Date): string {
  return `${policyId}@${tick.toISOString()}`;
}

/** Whether an error is "another process already took this run key". */
export function isRunKeyTaken(e: unknown): boolean {
  const m = String((e as Error)?.message ?? e);
  const code = (e as { code?: string })?.code;
  // Another process is running this policy right now (its tick, or a run by hand).
  return code === '23505' || code === 'APPRAISE_RUN_IN_PROGRESS' || /runs_run_key_key|duplicate key value/.test(m);
}

export function startScheduler(options: SchedulerOptions): () => void {
  const jobs = new Map<string, Cron>();
  let stopped = false;
  const fire = async (policyId: string, tick: Date) => {
    try {
      const result = await options.runPolicy(policyId, tick, runKeyOf(policyId, tick));
      if (result) options.onRun?.(policyId, result);
    } catch (e) {
      if (!isRunKeyTaken(e)) options.onError?.(e);
    }
  };
  const refresh = async () => {
    try {
      const wanted = new Map((await options.schedules()).map((s) => [s.policyId, s.schedule]));
      for (const [id, job] of jobs) {
        if (wanted.get(id) !== job.getPattern()) {
          job.stop();
          jobs.delete(id);
        }
      }
      for (const [id, schedule] of wanted) {
        if (jobs.has(id) || stopped) continue;
        jobs.set(id, new Cron(schedule, { timezone: 'UTC', protect: true }, (self: Cron) => {
          // The tick's own instant (to the minute), identical in every process.
          const tick = self.currentRun() ?? new Date();
          tick.setUTCSeconds(0, 0);
          return fire(id, tick);
        }));
      }
    } catch (e) {
      options.onError?.(e);
    }
  };
  void refresh();
  const timer = setInterval(() => void refresh(), options.refreshMs ?? 60_000);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
    for (const job of jobs.values()) job.stop();
    jobs.clear();
  };
}

/**
 * Runs whose process died mid-way (their run lock is free) are marked interrupted; scheduled
 * ones run again under a derived key. Returns the resumed keys.
 */
export async function resumeInterrupted(store: Store, rerun: (policyIds: string[], asOf: Date, runKey: string) => Promise<unknown>): Promise<string[]> {
  const resumed: string[] = [];
  for (const r of await markInterrupted(store)) {
    if (!r.runKey) continue;
    const key = `${r.runKey}#resume-${r.id}`;
    try {
      await rerun(r.policyIds, r.asOf, key);
      resumed.push(key);
    } catch (e) {
      if (!isRunKeyTaken(e)) throw e;
    }
  }
  return resumed;
}

/** The next run of a schedule after `from` (UTC, as the scheduler runs it); null when there is none or it does not parse. */
export function nextRunOf(cron: string, from: Date = new Date()): Date | null {
  try {
    return new Cron(cron, { timezone: 'UTC', paused: true }).nextRun(from);
  } catch {
    return null;
  }
}
