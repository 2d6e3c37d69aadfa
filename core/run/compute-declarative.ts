// Declarative metrics for all employees of a request at once: each formula translated to SQL
// with one GROUP BY (core/metrics/sql.ts), proven equal to the in-memory evaluator. Requests
// that read the same records share one scan: the formulas of one record kind whose windows
// overlap or touch (CSAT of this quarter and the last, NPS, CSAT of the last 30 days) are one
// query over the union of their windows. Employees with no records of a formula are absent from
// its result; the caller gives them the formula's value over no records.
import type { Queryable } from '../store/store.ts';
import { aggregateRecordKinds, type AggregateExpression, type AggregateResult, type PointInTime } from '../metrics/aggregate.ts';
import { runAggregateSql, runAggregatesSql, type FormulaOptions, type TypedLayout } from '../metrics/sql.ts';
import { storedLayouts } from '../records/typed-tables.ts';
import { formulaOf } from '../metrics/formula.ts';
import type { MetricRequest, Window } from './plan.ts';

type Db = Queryable & { kind?: 'pglite' | 'postgres' };

export function computeDeclarative(
  db: Db,
  expr: AggregateExpression,
  kind: string,
  params: Record<string, unknown>,
  window: Window,
  employeeIds: string[] | undefined,
  pointInTime?: PointInTime,
): Promise<Map<string, AggregateResult>> {
  return storedLayouts(db).then((layouts) =>
    runAggregateSql(db, expr, { kind, params, from: window.from, to: window.to, layouts, ...(employeeIds ? { employees: employeeIds } : {}), ...(pointInTime ? { pointInTime } : {}) }),
  );
}

/** Requests that one query computes: they read common record kinds over one span of time. */
interface Scan {
  requests: MetricRequest[];
  kinds: Set<string>;
  from: number;
  to: number;
}

/**
 * Requests sharing a scan, chosen greedily in plan order: a request joins the first scan that
 * reads one of its kinds over a span its window overlaps or touches. The union then holds at
 * most the records the separate queries would read, and usually far fewer (each read once).
 */
export function scansOf(requests: readonly MetricRequest[]): MetricRequest[][] {
  const scans: Scan[] = [];
  for (const request of requests) {
    const kinds = aggregateRecordKinds(request.metric.aggregate as AggregateExpression, request.metric.recordKind);
    const from = request.window.from.getTime();
    const to = request.window.to.getTime();
    const scan = scans.find((s) => from <= s.to && to >= s.from && kinds.some((k) => s.kinds.has(k)));
    if (!scan) {
      scans.push({ requests: [request], kinds: new Set(kinds), from, to });
      continue;
    }
    scan.requests.push(request);
    for (const k of kinds) scan.kinds.add(k);
    scan.from = Math.min(scan.from, from);
    scan.to = Math.max(scan.to, to);
  }
  return scans.map((s) => s.requests);
}

/**
 * Every declarative request's results by employee id (only employees the request covers), or
 * the error that stopped it. A scan that fails is retried request by request, so that one
 * formula's error (unusable params, say) costs only its own facts.
 */
export async function computeDeclarativeRequests(
  db: Db,
  requests: readonly MetricRequest[],
  employeeCount: number,
  pointInTime?: PointInTime,
): Promise<Map<MetricRequest, Map<string, AggregateResult> | Error>> {
  const out = new Map<MetricRequest, Map<string, AggregateResult> | Error>();
  if (!requests.length) return out;
  const layouts = await storedLayouts(db);
  for (const scan of scansOf(requests)) {
    try {
      const results = await runScan(db, scan, employeeCount, layouts, pointInTime);
      scan.forEach((r, i) => out.set(r, results[i]));
    } catch (e) {
      if (scan.length === 1) {
        out.set(scan[0], e as Error);
        continue;
      }
      for (const r of scan) {
        try {
          out.set(r, (await runScan(db, [r], employeeCount, layouts, pointInTime))[0]);
        } catch (error) {
          out.set(r, error as Error);
        }
      }
    }
  }
  return out;
}

async function runScan(
  db: Db,
  scan: readonly MetricRequest[],
  employeeCount: number,
  layouts: ReadonlyMap<string, TypedLayout>,
  pointInTime: PointInTime | undefined,
): Promise<Array<Map<string, AggregateResult>>> {
  const ids = new Set(scan.flatMap((r) => [...r.employeeIds]));
  // An id filter pays only when it leaves out most of the organisation.
  const employees = ids.size * 2 < employeeCount ? [...ids] : undefined;
  const formulas: FormulaOptions[] = scan.map((r) => ({
    expr: formulaOf(r.metric, r.params),
    kind: r.metric.recordKind,
    params: r.params,
    from: r.window.from,
    to: r.window.to,
  }));
  const results = await runAggregatesSql(db, formulas, { layouts, ...(employees ? { employees } : {}), ...(pointInTime ? { pointInTime } : {}) });
  return results.map((byEmployee, i) => {
    const covered = scan[i].employeeIds;
    for (const id of byEmployee.keys()) if (!covered.has(id)) byEmployee.delete(id);
    return byEmployee;
  });
}
