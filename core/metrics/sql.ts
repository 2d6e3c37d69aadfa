// A declarative metric as ONE SQL query for all employees at once: one scan of the window's
// records, GROUP BY employee, then the formula's arithmetic per employee. Same value and samples
// as the reference evaluator (./aggregate.ts), whose semantics this follows rule for rule.
//
// Shape of the query (PGlite and PostgreSQL 15+ alike):
//   records of the formula's kinds in [from, to)        one index range scan, no join
//   → level 1: the payload fields read (`payload -> $n`), extracted once per record
//   → level 2: typed once per record (number, present, duration), see ./sql/rows.ts
//   → GROUP BY employee_id: each leaf is a conditional aggregate, `agg(…) FILTER (WHERE kind
//     AND where AND …)`, so leaves of several kinds or `where`s share the one scan
//   → per employee: leaf values as doubles, then add/sub/mul/div in LATERAL steps that give
//     JavaScript's answers where float8 operators would raise errors (./sql/float8.ts).
// Values are summed as exact numeric (a JSON number is numeric in jsonb), so a sum differs from
// the evaluator's left-to-right double sum only by rounding.
import { compileAggregate, quantileLevel, switchCase } from './aggregate/evaluate.ts';
import { LEAF_OPS } from './aggregate/compile.ts';
import { ignoredOf, type AggregateExpression, type AggregateParams, type AggregateResult, type ParamRef, type PointInTime } from './aggregate/types.ts';
import { typedFields } from './sql/typed-rows.ts';
import { leafFields } from './aggregate/reads.ts';
import type { FieldColumn } from '../records/layout.ts';
import type { Queryable } from '../store/store.ts';
import { Translation, type Columns, type LeafNode, type Resolved } from './sql/translation.ts';

export interface AggregateSqlOptions extends ScanOptions {
  /** The metric's own record kind, qualified (`sales.deal`): the kind of leaves without recordKind. */
  kind: string;
  /** A leaf's `recordKind` (local to the plugin: `quota`) as stored (`sales.quota`); default: as written. */
  qualifyKind?: (local: string) => string;
  /** The metric's params, validated: they choose the switch case and the quantile level now. */
  params?: AggregateParams;
  /** The window, half-open: from ≤ occurred_at < to. */
  from: Date;
  to: Date;
}

/** What the records scan reads, shared by every formula of a query. */
export interface ScanOptions {
  /** Only these employees; default every employee with records. */
  employees?: readonly string[];
  /**
   * Let PostgreSQL scan with parallel workers: the per-record levels are then fenced with a
   * volatile call instead of `OFFSET 0`, which rules parallel plans out. ~40% faster on
   * PostgreSQL with 2 cores; slower on PGlite (no workers, and the clock read costs). Default:
   * runAggregateSql sets it for a PostgreSQL store.
   */
  parallel?: boolean;
  /**
   * The typed tables of record kinds (core/records/), by stored kind. A query whose kinds all
   * have one, with a column for every field its formulas read, scans those instead of the
   * payloads: the same answers, without extracting and typing JSON per record.
   */
  layouts?: ReadonlyMap<string, TypedLayout>;
  /**
   * The run's as-of instant and view, as the evaluator's AggregateInput.pointInTime, with
   * `knownAt` by stored kind (`support.ticket`). Default: every value as stored, no open durations.
   */
  pointInTime?: PointInTime;
}

/** A kind's typed table and its columns. */
export interface TypedLayout {
  table: string;
  fields: readonly FieldColumn[];
}

/** One formula of a combined query: its expression, kinds, params and window. */
export type FormulaOptions = Omit<AggregateSqlOptions, keyof ScanOptions> & { expr: AggregateExpression };

export interface AggregateSql {
  /** Rows `(employee_id text, value double precision | null, samples integer, negative integer, open integer)`. */
  sql: string;
  params: unknown[];
  /** Per formula: false when, with its params, it reads no records (constants only). */
  readsRecords: boolean[];
}


/**
 * One query giving, for every employee with records of a kind the formula reads in the window,
 * the formula's value (null: no value) and sample count, exactly as evaluateAggregate would over
 * that employee's records. Employees without such records are absent from the result: treat an
 * absent employee as one with zero records (evaluate the formula on empty input). The SQL text
 * depends on the formula and params only, never on the number of employees.
 * Throws AggregateExpressionError for a malformed formula or unusable params, as the evaluator.
 */
export function aggregateSql(expr: AggregateExpression, options: AggregateSqlOptions): AggregateSql {
  const { employees, parallel, layouts, pointInTime, ...formula } = options;
  return aggregatesSql([{ ...formula, expr }], { employees, parallel, layouts, pointInTime }, () => ['value', 'samples', 'negative', 'open']);
}

/**
 * Several formulas in ONE scan of the records: the union of their kinds over the union of their
 * windows, each leaf's aggregate filtered to its own kind and window. Rows `(employee_id,
 * value0, samples0, value1, samples1, …)`; an employee's values for a formula that has none of
 * its records are the formula's values over no records, the same as being absent. Formulas of
 * constants only read nothing: their columns are NULL and 0 (evaluate them on empty input).
 * Worth it when the formulas read the same records: CSAT and NPS of one window read the same
 * surveys, and the per-record work (extracting and typing payload fields) dominates a query.
 */
export function aggregatesSql(
  formulas: readonly FormulaOptions[],
  scan: ScanOptions,
  columns: (i: number) => Columns = (i) => [`value${i}`, `samples${i}`, `negative${i}`, `open${i}`],
): AggregateSql {
  const roots = formulas.map((f) => {
    compileAggregate(f.expr); // malformed formulas throw here, with the path of the problem
    const qualify = f.qualifyKind ?? ((k: string) => k);
    const root = resolve(f.expr, '', f.params ?? {}, f.kind, qualify, f);
    const leaves: LeafNode[] = [];
    const collect = (n: Resolved): void => {
      if (n.t === 'leaf') leaves.push(n);
      else if (n.t !== 'const') n.args.forEach(collect);
    };
    collect(root);
    return { root, leaves };
  });
  const all = roots.flatMap((r) => r.leaves);
  if (all.length === 0) {
    // Constants only: the values do not depend on records, so every employee is "absent".
    const cols = formulas.map((_, i) => columns(i)).map(([v, n, a, b]) => `NULL::float8 AS ${v}, 0 AS ${n}, 0 AS ${a}, 0 AS ${b}`);
    return { sql: `SELECT NULL::text AS employee_id, ${cols.join(', ')} WHERE false`, params: [], readsRecords: formulas.map(() => false) };
  }
  const from = new Date(Math.min(...all.map((l) => l.from.getTime())));
  const to = new Date(Math.max(...all.map((l) => l.to.getTime())));
  const kinds = [...new Set(all.map((l) => l.kind))];
  const typed = typedLayouts(kinds, all, scan.layouts, scan.pointInTime);
  const translated = new Translation(scan, kinds, from, to, typed).query(roots, columns);
  return { ...translated, readsRecords: roots.map((r) => r.leaves.length > 0) };
}

/** Runs aggregateSql: one query, results by employee id (absent: no records, see above). */
export async function runAggregateSql(
  db: Queryable & { kind?: 'pglite' | 'postgres' },
  expr: AggregateExpression,
  options: AggregateSqlOptions,
): Promise<Map<string, AggregateResult>> {
  const { sql, params } = aggregateSql(expr, { parallel: db.kind === 'postgres', ...options });
  const { rows } = await db.query<Record<string, string | number | null>>(sql, params);
  return new Map(rows.map((r) => [r.employee_id as string, resultOf(r.value, r.samples, r.negative, r.open)]));
}

/**
 * Runs aggregatesSql: one query, each formula's results by employee id. An employee absent from
 * a formula's map has no records of it: evaluate the formula on empty input (as runAggregateSql).
 */
export async function runAggregatesSql(
  db: Queryable & { kind?: 'pglite' | 'postgres' },
  formulas: readonly FormulaOptions[],
  scan: ScanOptions,
): Promise<Array<Map<string, AggregateResult>>> {
  const { sql, params, readsRecords } = aggregatesSql(formulas, { parallel: db.kind === 'postgres', ...scan });
  const { rows } = await db.query<Record<string, string | number | null>>(sql, params);
  return formulas.map((_, i) => {
    const out = new Map<string, AggregateResult>();
    if (!readsRecords[i]) return out; // every employee "absent": the value over no records
    for (const r of rows) out.set(r.employee_id as string, resultOf(r[`value${i}`], r[`samples${i}`], r[`negative${i}`], r[`open${i}`]));
    return out;
  });
}


function resultOf(value: string | number | null, samples: string | number | null, negative: string | number | null, open: string | number | null): AggregateResult {
  const ignored = ignoredOf(Number(negative), Number(open));
  const result = { value: value === null ? null : Number(value), samples: Number(samples) };
  return ignored ? { ...result, ignored } : result;
}


/** The kinds' typed layouts when every leaf reads only typed fields of its kind; else undefined. */
function typedLayouts(kinds: string[], leaves: LeafNode[], layouts: ScanOptions['layouts'], pit: PointInTime | undefined): TypedLayout[] | undefined {
  if (!layouts) return undefined;
  const chosen = kinds.map((k) => layouts.get(k));
  if (chosen.some((l) => l === undefined)) return undefined;
  for (const leaf of leaves) {
    const fields = new Set<string>();
    leafFields(leaf.expr, leaf.op, fields);
    // The instant fields the as-of view reads to know whether a derived field is known yet.
    const knownAt = pit && pit.view !== 'latest' ? pit.knownAt?.[leaf.kind] : undefined;
    if (knownAt) for (const f of [...fields]) if (Object.hasOwn(knownAt, f)) fields.add(knownAt[f]);
    const typed = typedFields(layouts.get(leaf.kind)!.fields);
    for (const f of fields) if (!typed.has(f)) return undefined;
  }
  return chosen as TypedLayout[];
}

function resolve(e: AggregateExpression, path: string, params: AggregateParams, kind: string, qualify: (k: string) => string, w: { from: Date; to: Date }): Resolved {
  const rec = e as Record<string, unknown>;
  if ('const' in e) return { t: 'const', value: e.const };
  if ('switch' in e) {
    const name = switchCase(e.switch, e.default, new Map(Object.entries(e.cases)), params, path);
    return resolve(e.cases[name], `${path}/cases/${name}`, params, kind, qualify, w);
  }
  for (const op of ['add', 'sub', 'mul', 'div'] as const) {
    if (Object.hasOwn(rec, op)) {
      const args = rec[op] as AggregateExpression[];
      return { t: op, args: args.map((a, i) => resolve(a, `${path}/${op}/${i}`, params, kind, qualify, w)) };
    }
  }
  const op = LEAF_OPS.find((o) => Object.hasOwn(rec, o))!;
  const leaf = rec as LeafNode['expr'];
  const q = op === 'quantile' ? quantileLevel(rec.q as number | ParamRef, params, path) : 0; // throws as the evaluator would
  return { t: 'leaf', op, expr: leaf, kind: leaf.recordKind === undefined ? kind : qualify(leaf.recordKind), q, from: w.from, to: w.to };
}
