// One run of a policy at a time, and no run left `running` by a process that died. A run holds
// a store lock per policy (a second run of the same policy is refused at once, with the run it
// would collide with) and a lock on its own id for as long as its process lives; the lock
// vanishes with the process (kill -9, a crash), which is how a later start tells that the run
// was interrupted rather than still going.
import { hostname } from 'node:os';
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import type { Release, Store } from '../store/store.ts';
import { thisCommand } from '../store/store.ts';

export const runLockKey = (runId: number) => `run:${runId}`;
const policyLockKey = (policyId: string) => `run-policy:${policyId}`;

/** Who runs a run, as stored in `runs.owner`: host, pid and command. */
export function runOwner(): string {
  return `${hostname()} pid ${process.pid} (${thisCommand()})`;
}

/** Locks every policy of a run, or refuses with the run already in progress. */
export async function lockPolicies(store: Store, policyIds: string[]): Promise<Release> {
  const held: Release[] = [];
  const releaseAll = async () => {
    for (const r of held.reverse()) await r();
  };
  for (const id of [...new Set(policyIds)].sort()) {
    const release = await store.tryLock(policyLockKey(id));
    if (release) {
      held.push(release);
      continue;
    }
    await releaseAll();
    const running = (await store.query<{ id: number; owner: string | null; started_at: string | Date }>(
      `SELECT id, owner, started_at FROM runs WHERE status = 'running' AND policy_versions @> $1::jsonb ORDER BY id DESC LIMIT 1`,
      [JSON.stringify([{ policyId: id }])],
    )).rows[0];
    throw new AppraiseError(
      'APPRAISE_RUN_IN_PROGRESS',
      `A run of ${id} is already in progress${running ? ` (run ${running.id}, started ${new Date(running.started_at).toISOString().replace('T', ' ').slice(0, 16)} UTC${running.owner ? ` by ${running.owner}` : ''})` : ''}. Wait for it to finish; its results will be the same.`,
      { policyId: id, ...(running ? { runId: Number(running.id) } : {}) },
    );
  }
  return releaseAll;
}

export interface InterruptedRun {
  id: number;
  runKey: string | null;
  asOf: Date;
  policyIds: string[];
}

/**
 * Marks `interrupted` every run left `running` by a process that is gone. What such a run had
 * written stays as it was: decisions are kept (and read only from completed runs), and each
 * case it opened was opened whole, with its first event and deliveries, in one transaction.
 */
export async function markInterrupted(store: Store): Promise<InterruptedRun[]> {
  const running = (await store.query<{ id: number; run_key: string | null; as_of: string | Date; policy_versions: Array<{ policyId: string }> }>(
    `SELECT id, run_key, as_of, policy_versions FROM runs WHERE status = 'running' ORDER BY id`,
  )).rows;
  const out: InterruptedRun[] = [];
  for (const r of running) {
    const release = await store.tryLock(runLockKey(Number(r.id)));
    if (!release) continue; // its process is alive and still running it
    try {
      const marked = await store.query(
        `UPDATE runs SET status = 'interrupted', finished_at = now(),
           error = 'interrupted: the process running it stopped before it finished; decisions it stored are kept but not counted, and cases it opened stay open'
         WHERE id = $1 AND status = 'running'`,
        [r.id],
      );
      if ((marked.affectedRows ?? 0) > 0) out.push({ id: Number(r.id), runKey: r.run_key, asOf: new Date(r.as_of), policyIds: r.policy_versions.map((p) => p.policyId) });
    } finally {
      await release();
    }
  }
  return out;
}
