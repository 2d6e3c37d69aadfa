// A declarative metric for all employees of a request at once. (Fetches the window's records
// of every kind the formula reads in one query per kind and evaluates the formula per
// employee; the SQL translation replaces this with one GROUP BY.)
import type { Queryable } from '../store/store.ts';
import { aggregateRecordKinds, evaluateAggregate, type AggregateExpression, type AggregateRecord, type AggregateResult } from '../metrics/aggregate.ts';
import type { Window } from './plan.ts';

export async function computeDeclarative(
  db: Queryable,
  expr: AggregateExpression,
  kind: string,
  params: Record<string, unknown>,
  window: Window,
  employeeIds: string[],
): Promise<Map<string, AggregateResult>> {
  const byEmployee = new Map<string, Record<string, AggregateRecord[]>>();
  for (const k of aggregateRecordKinds(expr, kind)) {
    const rows = (await db.query<{ employee_id: string; occurred_at: string | Date; payload: Record<string, unknown> }>(
      `SELECT employee_id, occurred_at, payload FROM records
       WHERE kind = $1 AND occurred_at >= $2 AND occurred_at < $3 AND employee_id = ANY($4::text[])`,
      [k, window.from.toISOString(), window.to.toISOString(), employeeIds],
    )).rows;
    for (const r of rows) {
      const records = byEmployee.get(r.employee_id) ?? {};
      (records[k] ??= []).push({ occurredAt: String(r.occurred_at), payload: r.payload });
      byEmployee.set(r.employee_id, records);
    }
  }
  const out = new Map<string, AggregateResult>();
  for (const [id, records] of byEmployee) out.set(id, evaluateAggregate(expr, { kind, records }, params));
  return out;
}
