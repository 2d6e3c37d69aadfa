// A declarative metric for all employees of a request at once: the formula translated to one
// SQL query with one GROUP BY (core/metrics/sql.ts), proven equal to the in-memory evaluator.
// Employees with no records in the window are absent; the caller gives them the formula's value
// over no records. Without `employeeIds` every employee's value is computed (cheaper than an
// id filter when the request covers most of the organisation; the caller ignores the rest).
import type { Queryable } from '../store/store.ts';
import type { AggregateExpression, AggregateResult } from '../metrics/aggregate.ts';
import { runAggregateSql } from '../metrics/sql.ts';
import type { Window } from './plan.ts';

export function computeDeclarative(
  db: Queryable & { kind?: 'pglite' | 'postgres' },
  expr: AggregateExpression,
  kind: string,
  params: Record<string, unknown>,
  window: Window,
  employeeIds: string[] | undefined,
): Promise<Map<string, AggregateResult>> {
  return runAggregateSql(db, expr, { kind, params, from: window.from, to: window.to, ...(employeeIds ? { employees: employeeIds } : {}) });
}
