// Exemptions: HR exempts an employee from a policy or an outcome type (leave of absence,
// accommodation) with a justification and an expiry. An exempted decision is recorded as
// suppressed with that reason; an expired (or revoked) exemption no longer applies — at every
// run, scheduled or by hand, because it is checked against the run's as-of instant.
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import type { Queryable } from '../store/store.ts';
import { FieldError } from './field-error.ts';
import type { CaseType } from './lifecycle.ts';

export interface Exemption {
  id: number;
  employeeId: string;
  policyId?: string;
  outcome?: CaseType;
  reason: string;
  startsAt: string;
  until: string;
  createdBy: string;
  revokedAt?: string;
}

interface Row {
  id: number;
  employee_id: string;
  policy_id: string | null;
  outcome: CaseType | null;
  reason: string;
  starts_at: string | Date;
  until: string | Date;
  created_by: string;
  revoked_at: string | Date | null;
}

const toExemption = (r: Row): Exemption => ({
  id: Number(r.id),
  employeeId: r.employee_id,
  ...(r.policy_id ? { policyId: r.policy_id } : {}),
  ...(r.outcome ? { outcome: r.outcome } : {}),
  reason: r.reason,
  startsAt: new Date(r.starts_at).toISOString(),
  until: new Date(r.until).toISOString(),
  createdBy: r.created_by,
  ...(r.revoked_at ? { revokedAt: new Date(r.revoked_at).toISOString() } : {}),
});

export async function activeExemption(db: Queryable, employeeId: string, policyId: string, outcome: CaseType, at: Date): Promise<Exemption | undefined> {
  const r = await db.query<Row>(
    `SELECT * FROM exemptions
     WHERE employee_id = $1 AND revoked_at IS NULL AND starts_at <= $4 AND until > $4
       AND (policy_id IS NULL OR policy_id = $2) AND (outcome IS NULL OR outcome = $3)
     ORDER BY until DESC LIMIT 1`,
    [employeeId, policyId, outcome, at.toISOString()],
  );
  return r.rows[0] ? toExemption(r.rows[0]) : undefined;
}

export async function createExemption(db: Queryable, e: { employeeId: string; policyId?: string; outcome?: CaseType; reason: string; until: Date; startsAt?: Date; createdBy: string }): Promise<Exemption> {
  // The fields are named by each surface in its own words: `policyId` in the API, --policy in the CLI.
  if (!e.policyId && !e.outcome) {
    throw new FieldError('APPRAISE_USAGE', ['policyId', 'outcome'], (n) => `An exemption names a policy (${n('policyId')}) or an outcome (${n('outcome')}), or both.`);
  }
  if (!e.reason.trim()) throw new FieldError('APPRAISE_USAGE', ['reason'], (n) => `An exemption needs a justification (${n('reason')}).`);
  const starts = e.startsAt ?? new Date();
  if (e.until.getTime() <= starts.getTime()) {
    throw new FieldError('APPRAISE_USAGE', ['until'], (n) => `The exemption would end (${n('until')} ${e.until.toISOString()}) before it starts (${starts.toISOString()}); give a later date.`);
  }
  const employee = await db.query('SELECT 1 FROM employees WHERE id = $1', [e.employeeId]);
  if (!employee.rows.length) {
    throw new AppraiseError('APPRAISE_EMPLOYEE_NOT_FOUND', `There is no employee \`${e.employeeId}\`. Check the id, or import the employee first.`, { employeeId: e.employeeId });
  }
  const r = await db.query<Row>(
    `INSERT INTO exemptions (employee_id, policy_id, outcome, reason, starts_at, until, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
    [e.employeeId, e.policyId ?? null, e.outcome ?? null, e.reason, starts.toISOString(), e.until.toISOString(), e.createdBy],
  );
  await db.query(`INSERT INTO audit_log (actor, action, target, after) VALUES ($1, 'exemption.create', $2, $3::jsonb)`, [e.createdBy, `employee:${e.employeeId}`, JSON.stringify(toExemption(r.rows[0]))]);
  return toExemption(r.rows[0]);
}

export async function listExemptions(db: Queryable, employeeId?: string): Promise<Exemption[]> {
  const r = employeeId
    ? await db.query<Row>('SELECT * FROM exemptions WHERE employee_id = $1 ORDER BY id', [employeeId])
    : await db.query<Row>('SELECT * FROM exemptions ORDER BY id');
  return r.rows.map(toExemption);
}

/**
 * The exemptions in force at `at` for many employees at once (the act phase's batched form of
 * `activeExemption`): by employee, latest end first, so that `exemptionFor` picks the same one.
 */
export async function activeExemptions(db: Queryable, employeeIds: string[], at: Date, chunk = 2000): Promise<Map<string, Exemption[]>> {
  const byEmployee = new Map<string, Exemption[]>();
  const ids = [...new Set(employeeIds)];
  for (let i = 0; i < ids.length; i += chunk) {
    const r = await db.query<Row>(
      `SELECT * FROM exemptions
       WHERE employee_id = ANY($1::text[]) AND revoked_at IS NULL AND starts_at <= $2 AND until > $2
       ORDER BY employee_id, until DESC, id`,
      [ids.slice(i, i + chunk), at.toISOString()],
    );
    for (const row of r.rows) {
      const list = byEmployee.get(row.employee_id);
      if (list) list.push(toExemption(row));
      else byEmployee.set(row.employee_id, [toExemption(row)]);
    }
  }
  return byEmployee;
}

/** Of one employee's exemptions in force (latest end first), the one `activeExemption` would find for a policy and outcome. */
export function exemptionFor(inForce: readonly Exemption[] | undefined, policyId: string, outcome: CaseType): Exemption | undefined {
  return inForce?.find((e) => (e.policyId === undefined || e.policyId === policyId) && (e.outcome === undefined || e.outcome === outcome));
}
