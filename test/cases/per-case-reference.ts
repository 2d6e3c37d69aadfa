// The act phase as it was written before it became set-based (one transaction and 4–8 queries
// per case), kept as the reference that test/cases/open-cases-batch.test.ts compares the
// set-based core/cases/open-cases.ts with, row for row. Not used by the product.
import type { Queryable, Store } from '../../core/store/store.ts';
import type { Decision } from '../../core/run/decide.ts';
import type { Policy } from '../../core/policy/types.ts';
import { parseDuration } from '../../core/policy/duration.ts';
import { enqueue, type Delivery } from '../../core/workflows/outbox.ts';
import { PIP_IN_FORCE } from '../../core/run/history.ts';
import { INITIAL_STATUS, type CaseType } from '../../core/cases/lifecycle.ts';
import { activeExemption } from '../../core/cases/exemptions.ts';
import { casePayload } from '../../core/cases/payload.ts';
import { coachingDueAt } from '../../core/cases/open-cases.ts';

interface ActOptions {
  asOf: Date;
  policies: ReadonlyMap<string, Policy>;
  /** Workflows fired for every case of a type, besides the rule's own. */
  defaultWorkflows: Record<CaseType, string[]>;
  coachingDueWithinDays?: number;
}

interface ActSummary {
  opened: Record<CaseType, number>;
  existing: number;
  suppressed: Record<string, number>;
  superseded: number;
  deliveries: number;
}

export async function openCasesPerCase(store: Store, runId: number, decisions: Decision[], decisionIds: number[], opts: ActOptions): Promise<ActSummary> {
  const summary: ActSummary = { opened: { recognition: 0, coaching: 0, pip: 0 }, existing: 0, suppressed: {}, superseded: 0, deliveries: 0 };
  const fired = decisions.map((d, i) => ({ d, id: decisionIds[i] })).filter((x) => x.d.status === 'fired');
  // PIPs first, so that a PIP supersedes the coaching case the same run might otherwise open.
  fired.sort((a, b) => rank(a.d.outcome) - rank(b.d.outcome));
  for (const { d, id } of fired) {
    const policy = opts.policies.get(d.policyId);
    if (!policy) continue;
    const rule = policy.spec.rules.find((r) => r.id === d.ruleId)!;
    await store.transaction(async (tx) => {
      const suppress = async (reason: string, detail: string) => {
        await tx.query(
          `INSERT INTO suppressions (run_id, decision_id, employee_id, policy_id, rule_id, outcome, reason, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [runId, id, d.employeeId, d.policyId, d.ruleId, d.outcome, reason, detail],
        );
        summary.suppressed[reason] = (summary.suppressed[reason] ?? 0) + 1;
      };
      if ((policy.spec.mode ?? 'enforce') === 'audit') return suppress('audit', `${d.policyId} is in audit mode: decisions are recorded, no case is opened`);
      const exemption = await activeExemption(tx, d.employeeId, d.policyId, d.outcome, opts.asOf);
      if (exemption) return suppress('exemption', `exempt from ${exemption.policyId ?? 'every policy'}${exemption.outcome ? ` (${exemption.outcome})` : ''} until ${exemption.until}: ${exemption.reason}`);
      const existing = await tx.query<{ id: number }>('SELECT id FROM cases WHERE policy_id = $1 AND rule_id = $2 AND employee_id = $3 AND period = $4', [d.policyId, d.ruleId, d.employeeId, d.period]);
      if (existing.rows.length) {
        summary.existing++;
        return;
      }
      if (rule.cooldown) {
        const since = new Date(opts.asOf.getTime() - parseDuration(rule.cooldown)! * 1000);
        const recent = await tx.query<{ id: number; opened_at: string | Date }>(
          'SELECT id, opened_at FROM cases WHERE policy_id = $1 AND rule_id = $2 AND employee_id = $3 AND opened_at > $4 ORDER BY opened_at DESC LIMIT 1',
          [d.policyId, d.ruleId, d.employeeId, since.toISOString()],
        );
        if (recent.rows.length) {
          const r = recent.rows[0];
          return suppress('cooldown', `case ${r.id} of this rule was opened ${new Date(r.opened_at).toISOString().slice(0, 10)}, within the ${rule.cooldown} cooldown`);
        }
      }
      if (d.outcome === 'pip') {
        const inForce = await tx.query<{ id: number }>('SELECT id FROM cases WHERE employee_id = $1 AND type = $2 AND status = ANY($3::text[])', [d.employeeId, 'pip', PIP_IN_FORCE]);
        if (inForce.rows.length) return suppress('pip-in-force', `PIP case ${inForce.rows[0].id} is already in force for this employee`);
        const proposed = await tx.query<{ id: number }>(`SELECT id FROM cases WHERE employee_id = $1 AND type = 'pip' AND status = 'proposed' ORDER BY id`, [d.employeeId]);
        if (proposed.rows.length) return suppress('pip-proposed', `PIP case ${proposed.rows[0].id} for this employee still waits for HR's decision`);
      }
      const approval = rule.approval ?? (d.outcome === 'pip' ? 'required' : 'none');
      const status = INITIAL_STATUS[d.outcome](approval);
      const workflows = [...new Set([...(rule.then.workflows ?? []), ...opts.defaultWorkflows[d.outcome]])];
      const inserted = await tx.query<{ id: number }>(
        `INSERT INTO cases (type, status, employee_id, policy_id, policy_version, rule_id, period, run_id, decision_id, params, explanation, approval, workflows, opened_at, due_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12, $13::jsonb, $14, $15)
         ON CONFLICT (policy_id, rule_id, employee_id, period) DO NOTHING RETURNING id`,
        [d.outcome, status, d.employeeId, d.policyId, d.policyVersion, d.ruleId, d.period, runId, id, JSON.stringify(d.params), JSON.stringify(d.explanation), approval, JSON.stringify(workflows), opts.asOf.toISOString(), d.outcome === 'coaching' ? coachingDueAt(opts, policy) : null],
      );
      if (!inserted.rows.length) {
        summary.existing++;
        return;
      }
      const caseId = Number(inserted.rows[0].id);
      await tx.query(`INSERT INTO case_events (case_id, actor, event, to_status, note, data) VALUES ($1, $2, 'opened', $3, $4, $5::jsonb)`, [
        caseId, `system:run-${runId}`, status, `${d.policyId} v${d.policyVersion} rule ${d.ruleId} fired for ${d.period}`, JSON.stringify({ runId, decisionId: id }),
      ]);
      summary.opened[d.outcome]++;
      if (d.outcome === 'pip') summary.superseded += await supersedeCoaching(tx, caseId, d.employeeId, d.policyId, runId);
      const payload = await casePayload(tx, caseId, 'case.opened');
      const deliveries: Delivery[] = workflows.map((workflow) => ({ caseId, workflow, event: 'case.opened', payload }));
      summary.deliveries += await enqueue(tx, deliveries);
    });
  }
  return summary;
}

function rank(outcome: string): number {
  return outcome === 'pip' ? 0 : outcome === 'coaching' ? 1 : 2;
}

/** A PIP supersedes the employee's open coaching case of the same policy; recorded on both. */
async function supersedeCoaching(tx: Queryable, pipId: number, employeeId: string, policyId: string, runId: number): Promise<number> {
  const open = await tx.query<{ id: number; status: string }>(
    `SELECT id, status FROM cases WHERE employee_id = $1 AND policy_id = $2 AND type = 'coaching' AND status IN ('open', 'scheduled')`,
    [employeeId, policyId],
  );
  for (const c of open.rows) {
    await tx.query(`UPDATE cases SET status = 'superseded', superseded_by = $2, updated_at = now(), closed_at = now() WHERE id = $1`, [c.id, pipId]);
    await tx.query(`INSERT INTO case_events (case_id, actor, event, from_status, to_status, note, data) VALUES ($1, $2, 'transition', $3, 'superseded', $4, $5::jsonb)`, [
      c.id, `system:run-${runId}`, c.status, `superseded by PIP case ${pipId}`, JSON.stringify({ action: 'supersede', supersededBy: pipId }),
    ]);
  }
  return open.rows.length;
}
