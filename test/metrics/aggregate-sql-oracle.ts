// The oracle of the SQL translation's tests: records written straight into a store, the same
// records handed to the reference evaluator per employee, and the comparison of the two.
import { expect } from 'vitest';
import { aggregateRecordKinds, evaluateAggregate, type AggregateExpression, type AggregateParams, type AggregateRecord, type AggregateResult, type PointInTime } from '../../core/metrics/aggregate.ts';
import { runAggregateSql, runAggregatesSql, type AggregateSqlOptions } from '../../core/metrics/sql.ts';
import type { Queryable } from '../../core/store/store.ts';
import { payloadInstants } from '../../core/metrics/aggregate/instants.ts';

export interface TestRecord {
  /** Stored (qualified) kind. */
  kind: string;
  employee: string;
  /** UTC, `YYYY-MM-DDTHH:mm:ss.ffffffZ`, so that strings compare as instants. */
  at: string;
  /** A payload, or raw JSON text for what JSON.stringify cannot write (1e400). */
  payload: Record<string, unknown> | string;
  /** Stored with its timestamps precomputed, as an import stores it (default: as before migration 004). */
  instants?: boolean;
}

/** `at` of a Date, in TestRecord's form. */
export const utc = (d: Date): string => `${d.toISOString().slice(0, 23)}000Z`;

/** Replaces every record of the store with these, in one statement. */
export async function putRecords(db: Queryable, records: readonly TestRecord[]): Promise<void> {
  await db.query('DELETE FROM records');
  if (records.length === 0) return;
  await db.query(
    `INSERT INTO records (kind, employee_id, occurred_at, payload, external_id, instants)
     SELECT k, e, t::timestamptz, p::jsonb, 'r' || n, i::jsonb FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS u(k, e, t, p, i, n)`,
    [
      records.map((r) => r.kind),
      records.map((r) => r.employee),
      records.map((r) => r.at),
      records.map((r) => (typeof r.payload === 'string' ? r.payload : JSON.stringify(r.payload))),
      records.map((r) => (r.instants ? JSON.stringify(payloadInstants(typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload)) : null)),
    ],
  );
}

export interface Case {
  expr: AggregateExpression;
  /** The metric's own kind, qualified. */
  kind: string;
  qualifyKind: (local: string) => string;
  params: AggregateParams;
  from: Date;
  to: Date;
  /** The point in time, `knownAt` by stored kind (as SQL takes it). */
  pointInTime?: PointInTime;
}

/** The point in time as the evaluator takes it: `knownAt` by the kind names the formula uses. */
function evaluatorPointInTime(c: Case, keys: readonly string[]): PointInTime | undefined {
  const pit = c.pointInTime;
  if (!pit?.knownAt) return pit;
  const knownAt = Object.fromEntries(keys.flatMap((key) => {
    const stored = key === c.kind ? key : c.qualifyKind(key);
    return pit.knownAt![stored] ? [[key, pit.knownAt![stored]]] : [];
  }));
  return { ...pit, knownAt };
}

/**
 * What the evaluator gives each employee: their records of the window, read back as the engine
 * reads rows (JSON.parse of the payload), under the kind names the formula uses.
 */
export function evaluatorResults(c: Case, records: readonly TestRecord[], employees: readonly string[]): Map<string, AggregateResult> {
  const [from, to] = [utc(c.from), utc(c.to)];
  const keys = aggregateRecordKinds(c.expr, c.kind);
  const out = new Map<string, AggregateResult>();
  for (const employee of employees) {
    const byKind: Record<string, AggregateRecord[]> = {};
    for (const key of keys) {
      const stored = key === c.kind ? key : c.qualifyKind(key);
      byKind[key] = records
        .filter((r) => r.kind === stored && r.employee === employee && r.at >= from && r.at < to)
        .map((r) => ({ occurredAt: r.at, payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : JSON.parse(JSON.stringify(r.payload)) }));
    }
    const pointInTime = evaluatorPointInTime(c, keys);
    out.set(employee, evaluateAggregate(c.expr, { kind: c.kind, records: byKind, ...(pointInTime ? { pointInTime } : {}) }, c.params));
  }
  return out;
}

/** Employees with at least one record in the window of a kind the formula reads (any switch case). */
export function employeesWithRecords(c: Case, records: readonly TestRecord[]): Set<string> {
  const [from, to] = [utc(c.from), utc(c.to)];
  const kinds = new Set(aggregateRecordKinds(c.expr, c.kind).map((k) => (k === c.kind ? k : c.qualifyKind(k))));
  return new Set(records.filter((r) => kinds.has(r.kind) && r.at >= from && r.at < to).map((r) => r.employee));
}

export function sqlOptions(c: Case, employees?: readonly string[]): AggregateSqlOptions {
  return { kind: c.kind, qualifyKind: c.qualifyKind, params: c.params, from: c.from, to: c.to, employees, ...(c.pointInTime ? { pointInTime: c.pointInTime } : {}) };
}

/** Values equal to `tolerance` (relative above 1), samples exactly; null only with null. */
export function expectSameResult(actual: AggregateResult, expected: AggregateResult, label: string, tolerance = 1e-9): void {
  expect(actual.samples, `${label}: samples`).toBe(expected.samples);
  expect(actual.ignored, `${label}: records left out`).toEqual(expected.ignored);
  if (expected.value === null || actual.value === null) {
    expect(actual.value, `${label}: value`).toBe(expected.value);
    return;
  }
  const allowed = tolerance * Math.max(1, Math.abs(expected.value));
  expect(Math.abs(actual.value - expected.value), `${label}: value ${actual.value} vs ${expected.value}`).toBeLessThanOrEqual(allowed);
}

/**
 * Runs the formula as SQL over the stored records and checks every employee against the
 * evaluator: the same value and samples, an employee absent from the result being evaluated on
 * no records (the contract); and no employee returned without records to read.
 */
export async function expectSqlMatchesEvaluator(
  db: Queryable,
  c: Case,
  records: readonly TestRecord[],
  employees: readonly string[],
  label: string,
  { tolerance = 1e-9, parallel, layouts }: { tolerance?: number; parallel?: boolean; layouts?: AggregateSqlOptions['layouts'] } = {},
): Promise<void> {
  const sql = await runAggregateSql(db, c.expr, { ...sqlOptions(c), ...(parallel === undefined ? {} : { parallel }), ...(layouts ? { layouts } : {}) });
  const expected = evaluatorResults(c, records, employees);
  const empty = evaluateAggregate(c.expr, { kind: c.kind, records: {} }, c.params);
  const withRecords = employeesWithRecords(c, records);
  for (const employee of sql.keys()) expect(withRecords.has(employee), `${label}: ${employee} returned without records`).toBe(true);
  for (const employee of employees) {
    expectSameResult(sql.get(employee) ?? empty, expected.get(employee)!, `${label} / ${employee}`, tolerance);
  }
}

/**
 * Runs several formulas in one combined query (one scan) and checks each formula's results
 * against the evaluator for every employee, exactly (tolerance 0).
 */
export async function expectCombinedMatchesEvaluator(
  db: Queryable,
  cases: readonly Case[],
  records: readonly TestRecord[],
  employees: readonly string[],
  label: (i: number) => string,
  layouts?: AggregateSqlOptions['layouts'],
): Promise<void> {
  // One scan shares one point in time: the first case's.
  const pointInTime = cases[0]?.pointInTime;
  const combined = await runAggregatesSql(db, cases.map(({ pointInTime: _, ...c }) => c), { ...(layouts ? { layouts } : {}), ...(pointInTime ? { pointInTime } : {}) });
  cases = cases.map((c) => ({ ...c, pointInTime }));
  cases.forEach((c, i) => {
    const expected = evaluatorResults(c, records, employees);
    const empty = evaluateAggregate(c.expr, { kind: c.kind, records: {} }, c.params);
    for (const employee of employees) expectSameResult(combined[i].get(employee) ?? empty, expected.get(employee)!, `${label(i)} / ${employee}`, 0);
  });
}
