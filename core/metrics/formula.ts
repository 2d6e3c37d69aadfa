// The formula a declarative metric runs for one fact: its `aggregate` with the params that
// rewrite it applied (a target table, then `where`). Compute calls this once per request and
// hands the result to both the SQL translation and the reference evaluator, so the two still
// see the same formula and their parity holds.
import type { AggregateExpression } from './aggregate/types.ts';
import { restrictOwnKind, whereFilter } from './where.ts';
import { applyTargetTable, targetTableParams, type TargetTable } from './targets.ts';

export interface FormulaMetric {
  aggregate?: unknown;
  recordKind: string;
  paramsSchema?: Record<string, unknown>;
}

const cache = new WeakMap<object, Map<string, AggregateExpression>>();

/** The metric's formula for these params (memoised per metric and params). */
export function formulaOf(metric: FormulaMetric, params: Readonly<Record<string, unknown>>): AggregateExpression {
  const base = metric.aggregate as AggregateExpression;
  const tables = targetTableParams(metric.paramsSchema).filter(([name]) => params[name] !== undefined);
  if (params.where === undefined && tables.length === 0) return base;
  let byParams = cache.get(metric);
  if (!byParams) cache.set(metric, (byParams = new Map()));
  const key = JSON.stringify([params.where, tables.map(([name]) => params[name])]);
  let expr = byParams.get(key);
  if (!expr) {
    expr = base;
    for (const [name, spec] of tables) expr = applyTargetTable(expr, spec, params[name] as TargetTable, name);
    if (params.where !== undefined) expr = restrictOwnKind(expr, metric.recordKind, whereFilter(params.where));
    byParams.set(key, expr);
  }
  return expr;
}
