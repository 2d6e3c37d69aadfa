// persist: the run (as-of, trigger, policy versions, timings per phase, counts) and its
// decisions, inserted in batches. Runs and decisions are never updated after completion.
import { copyText, type Queryable, type Store } from '../store/store.ts';
import type { Decision } from './decide.ts';

const BATCH = 2000;
/** Rows per COPY: bounds the text held at once (explanations run to a few KB each). */
const COPY_BATCH = 10_000;

export async function startRun(store: Queryable, r: { trigger: string; asOf: Date; dryRun: boolean; runKey?: string; policyVersions: Array<{ policyId: string; version: number }>; owner?: string }): Promise<number> {
  const row = (await store.query<{ id: number }>(
    `INSERT INTO runs (trigger, as_of, dry_run, run_key, policy_versions, owner) VALUES ($1, $2, $3, $4, $5::jsonb, $6) RETURNING id`,
    [r.trigger, r.asOf.toISOString(), r.dryRun, r.runKey ?? null, JSON.stringify(r.policyVersions), r.owner ?? null],
  )).rows[0];
  return Number(row.id);
}

const COLUMNS = ['run_id', 'employee_id', 'policy_id', 'policy_version', 'period', 'rule_id', 'outcome', 'status', 'params', 'explanation'] as const;
const key = (employeeId: string, policyId: string, ruleId: string) => `${employeeId}\u0000${policyId}\u0000${ruleId}`;

/**
 * Inserts decisions; returns their ids in the same order (matched by key, not by row order). With
 * COPY (inside a transaction), one COPY of all of them: a run's explanations are tens of MB of
 * JSON at 100,000 employees, which parameter arrays carry several times slower.
 */
export async function insertDecisions(db: Queryable, runId: number, decisions: Decision[]): Promise<number[]> {
  if (db.copyRows && decisions.length > 0) {
    const { rows: before } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM decisions WHERE run_id = $1', [runId]);
    if (Number(before[0].n) === 0) {
      const line = (d: Decision) => [String(runId), d.employeeId, d.policyId, String(d.policyVersion), d.period, d.ruleId, d.outcome, d.status, JSON.stringify(d.params), JSON.stringify(d.explanation)].map(copyText).join('\t');
      for (let i = 0; i < decisions.length; i += COPY_BATCH) {
        await db.copyRows('decisions', COLUMNS, `${decisions.slice(i, i + COPY_BATCH).map(line).join('\n')}\n`);
      }
      const { rows } = await db.query<{ id: number; employee_id: string; policy_id: string; rule_id: string }>('SELECT id, employee_id, policy_id, rule_id FROM decisions WHERE run_id = $1', [runId]);
      const byKey = new Map(rows.map((r) => [key(r.employee_id, r.policy_id, r.rule_id), Number(r.id)]));
      return decisions.map((d) => byKey.get(key(d.employeeId, d.policyId, d.ruleId))!);
    }
  }
  const ids: number[] = [];
  for (let i = 0; i < decisions.length; i += BATCH) {
    const batch = decisions.slice(i, i + BATCH);
    const rows = (await db.query<{ id: number; employee_id: string; policy_id: string; rule_id: string }>(
      `INSERT INTO decisions (run_id, employee_id, policy_id, policy_version, period, rule_id, outcome, status, params, explanation)
       SELECT $1, e, p, v, per, r, o, s, pa, ex
       FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::jsonb[], $10::jsonb[])
         AS t(e, p, v, per, r, o, s, pa, ex)
       RETURNING id, employee_id, policy_id, rule_id`,
      [
        runId,
        batch.map((d) => d.employeeId),
        batch.map((d) => d.policyId),
        batch.map((d) => d.policyVersion),
        batch.map((d) => d.period),
        batch.map((d) => d.ruleId),
        batch.map((d) => d.outcome),
        batch.map((d) => d.status),
        batch.map((d) => JSON.stringify(d.params)),
        batch.map((d) => JSON.stringify(d.explanation)),
      ],
    )).rows;
    const byKey = new Map(rows.map((r) => [key(r.employee_id, r.policy_id, r.rule_id), Number(r.id)]));
    ids.push(...batch.map((d) => byKey.get(key(d.employeeId, d.policyId, d.ruleId))!));
  }
  return ids;
}

export async function finishRun(store: Store, runId: number, r: { status: 'completed' | 'failed'; timings: object; counts: object; summary: object; error?: string }): Promise<void> {
  await store.query(
    `UPDATE runs SET status = $2, finished_at = now(), timings = $3::jsonb, counts = $4::jsonb, summary = $5::jsonb, error = $6 WHERE id = $1`,
    [runId, r.status, JSON.stringify(r.timings), JSON.stringify(r.counts), JSON.stringify(r.summary), r.error ?? null],
  );
}
