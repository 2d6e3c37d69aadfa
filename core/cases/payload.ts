// What a workflow receives about a case: the case, the employee, the outcome, the explanation
// and links — the same shape for every event, read inside the transaction that queues it.
import type { Queryable } from '../store/store.ts';

export async function casePayload(tx: Queryable, caseId: number, event: string): Promise<Record<string, unknown>> {
  const c = (await tx.query<Record<string, unknown>>(
    `SELECT c.*, e.name, e.email, e.role, e.team, e.department, e.location, e.manager_id
     FROM cases c LEFT JOIN employees e ON e.id = c.employee_id WHERE c.id = $1`,
    [caseId],
  )).rows[0];
  return {
    event,
    case: {
      id: Number(c.id),
      type: c.type,
      status: c.status,
      policyId: c.policy_id,
      policyVersion: c.policy_version,
      ruleId: c.rule_id,
      period: c.period,
      params: c.params,
      approval: c.approval,
      dueAt: c.due_at ? new Date(c.due_at as string).toISOString() : null,
      nextCheckInAt: c.next_checkin_at ? new Date(c.next_checkin_at as string).toISOString() : null,
      openedAt: new Date(c.opened_at as string).toISOString(),
    },
    employee: { id: c.employee_id, name: c.name, email: c.email, role: c.role, team: c.team, department: c.department, location: c.location, managerId: c.manager_id },
    outcome: c.type,
    explanation: c.explanation,
    links: { case: `/cases/${c.id}`, api: `/api/cases/${c.id}` },
  };
}

/**
 * `casePayload` as a SQL expression over a case row `c` (cases) and its employee `e` (employees,
 * LEFT JOINed), for statements that queue many deliveries at once without reading each case
 * into JavaScript and back: the same content, instants to the millisecond as toISOString writes
 * them. `event` is an SQL expression (a parameter or a column).
 */
export function casePayloadSql(event: string): string {
  const iso = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  return `jsonb_build_object(
    'event', ${event},
    'case', jsonb_build_object(
      'id', c.id, 'type', c.type, 'status', c.status, 'policyId', c.policy_id, 'policyVersion', c.policy_version,
      'ruleId', c.rule_id, 'period', c.period, 'params', c.params, 'approval', c.approval,
      'dueAt', ${iso('c.due_at')}, 'nextCheckInAt', ${iso('c.next_checkin_at')}, 'openedAt', ${iso('c.opened_at')}),
    'employee', jsonb_build_object(
      'id', c.employee_id, 'name', e.name, 'email', e.email, 'role', e.role, 'team', e.team,
      'department', e.department, 'location', e.location, 'managerId', e.manager_id),
    'outcome', c.type,
    'explanation', c.explanation,
    'links', jsonb_build_object('case', '/cases/' || c.id, 'api', '/api/cases/' || c.id))`;
}
