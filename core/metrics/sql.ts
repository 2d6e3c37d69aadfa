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
import { LEAF_OPS, type LeafOp } from './aggregate/compile.ts';
import { ignoredOf, type AggregateExpression, type AggregateField, type AggregateFilter, type AggregateParams, type AggregateResult, type LeafOptions, type ParamRef, type PointInTime, type SecondsField } from './aggregate/types.ts';
import { add, div, finiteOrNull, mul, numericToFloat8, sub } from './sql/float8.ts';
import { SqlParams } from './sql/params.ts';
import { RowColumns } from './sql/rows.ts';
import { REASON_NEGATIVE, REASON_OPEN, type FieldReadings, type ReadingsClock } from './sql/readings.ts';
import { instantOf } from './aggregate/timestamps.ts';
import { TypedColumns, typedFields } from './sql/typed-rows.ts';
import { leafFields } from './aggregate/reads.ts';
import { quoteIdent, tableColumns, type FieldColumn } from '../records/layout.ts';
import type { Queryable } from '../store/store.ts';

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

/** A leaf of the formula as the params resolved it. */
interface LeafNode {
  t: 'leaf';
  op: LeafOp;
  expr: Record<string, unknown> & LeafOptions;
  kind: string;
  /** quantile: the level, from the params. */
  q: number;
  /** The formula's window. */
  from: Date;
  to: Date;
}
type Resolved = { t: 'const'; value: number } | LeafNode | { t: 'add' | 'sub' | 'mul' | 'div'; args: Resolved[] };

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

/** The output columns of one formula: value, samples, and the ignored counts (negative, open). */
type Columns = [string, string, string, string];

function resultOf(value: string | number | null, samples: string | number | null, negative: string | number | null, open: string | number | null): AggregateResult {
  const ignored = ignoredOf(Number(negative), Number(open));
  const result = { value: value === null ? null : Number(value), samples: Number(samples) };
  return ignored ? { ...result, ignored } : result;
}

/** A kind's point in time for its readings; undefined when there is none. */
function clockOf(kind: string, pit: PointInTime | undefined): ReadingsClock | undefined {
  if (!pit) return undefined;
  const { s, u } = instantOf(pit.asOf);
  return { asOfMicros: (BigInt(s) * 1000000n + BigInt(u)).toString(), cut: pit.view !== 'latest', knownAt: pit.knownAt?.[kind] ?? {} };
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

class Translation {
  private readonly p = new SqlParams();
  /** Over payloads: each kind's readings, sharing the scan's per-record levels. */
  private readonly rows = new RowColumns(this.p);
  private readonly rowsByKind = new Map<string, RowColumns>();
  /** Over typed tables: each kind's readings, its columns aliased `k<i>_` when the scan unites several kinds. */
  private readonly typedRows?: Map<string, TypedColumns>;
  private readonly aggregates = new Map<string, string>();
  private readonly steps: string[] = [];
  private readonly samplesOf = new Map<LeafNode, string>();

  constructor(
    private readonly options: ScanOptions,
    private readonly kinds: string[],
    private readonly from: Date,
    private readonly to: Date,
    private readonly typed?: TypedLayout[],
  ) {
    const pit = options.pointInTime;
    if (typed) this.typedRows = new Map(kinds.map((k, i) => [k, new TypedColumns(this.p, typed[i].fields, kinds.length > 1 ? `k${i}_` : '', clockOf(k, pit))]));
    else for (const k of kinds) this.rowsByKind.set(k, new RowColumns(this.p, clockOf(k, pit), this.rows));
  }

  private readings(kind: string): FieldReadings {
    return this.typedRows?.get(kind) ?? this.rowsByKind.get(kind)!;
  }

  /**
   * The typed tables' rows of the window, with the columns read and the per-record values
   * (durations) computed once below the aggregation (fenced: never inlined into each use). A
   * scan of several kinds unites their tables, each column aliased to its kind (`k<i>_`).
   */
  private typedFrom(scanOf: (kindColumn: boolean) => string): string {
    const typed = this.typed!;
    const all = this.kinds.map((k, i) => ({ k, i, rows: this.typedRows!.get(k)!, types: new Map(tableColumns(typed[i].fields).map((c) => [c.name, c.type])) }));
    const single = all.length === 1;
    const branches = all.map(({ k, i }) => {
      const alias = (name: string) => (single ? name : `k${i}_${name}`);
      const columns = all.flatMap((o) => [
        ...[...o.rows.used].map((c) => (o.i === i ? `${c} AS ${alias(c)}` : `NULL::${o.types.get(c)} AS k${o.i}_${c}`)),
        ...[...o.rows.derived.values()].map((d) => (o.i === i ? `${d.sql} AS ${alias(d.name)}` : `NULL::${d.type} AS k${o.i}_${d.name}`)),
      ]);
      return `SELECT employee_id, occurred_at${single ? '' : `, ${this.p.add(k, 'text')} AS kind`}${columns.map((c) => `, ${c}`).join('')} FROM ${quoteIdent(typed[i].table)} WHERE ${scanOf(false)}`;
    });
    return `(${branches.join(' UNION ALL ')} OFFSET 0) AS r`;
  }


  query(roots: Array<{ root: Resolved; leaves: LeafNode[] }>, columns: (i: number) => Columns): Omit<AggregateSql, 'readsRecords'> {
    const outputs = roots.map(({ root, leaves }, i) => {
      const [valueName, samplesName, negativeName, openName] = columns(i);
      if (leaves.length === 0) return `NULL::float8 AS ${valueName}, 0 AS ${samplesName}, 0 AS ${negativeName}, 0 AS ${openName}`;
      const value = this.node(root);
      const marked = leaves.find((l) => l.expr.samples === true) ?? leaves[0];
      const [negative, open] = this.ignored(marked);
      return `${value} AS ${valueName}, ${this.samplesOf.get(marked)!}::integer AS ${samplesName}, ${negative} AS ${negativeName}, ${open} AS ${openName}`;
    });
    const o = this.options;
    const p = this.p;
    const scanOf = (kindColumn: boolean) => [
      ...(!kindColumn ? [] : [this.kinds.length === 1 ? `kind = ${p.add(this.kinds[0], 'text')}` : `kind = ANY(${p.add(this.kinds, 'text[]')})`]),
      `occurred_at >= ${p.add(this.from.toISOString(), 'timestamptz')}`,
      `occurred_at < ${p.add(this.to.toISOString(), 'timestamptz')}`,
      ...(o.employees ? [`employee_id = ANY(${p.add([...o.employees], 'text[]')})`] : []),
    ].join(' AND ');
    const scan = this.typed ? '' : scanOf(true);
    // Each level is fenced so that PostgreSQL computes its columns once per record rather than
    // inlining them into every use: `OFFSET 0`, or a volatile column (a subquery with one is never
    // inlined either), which unlike OFFSET still allows a parallel scan.
    const [fence, offset] = o.parallel ? ['clock_timestamp() AS fence, ', ''] : ['', ' OFFSET 0'];
    let from = this.typed ? this.typedFrom(scanOf) : `records AS r WHERE ${scan}`;
    const extracted = this.rows.extracted;
    const typed = this.rows.typed;
    if (extracted.length > 0) {
      const level1 = `SELECT employee_id, kind, ${this.windowed ? 'occurred_at, ' : ''}${fence}${extracted.join(', ')} FROM records WHERE ${scan}${offset}`;
      from =
        typed.length > 0
          ? `(SELECT r1.*, ${fence.replace('fence', 'fence2')}${typed.join(', ')} FROM (${level1}) AS r1${offset}) AS r`
          : `(${level1}) AS r`;
    }
    const aggregates = [...this.aggregates].map(([sql, name]) => `${sql} AS ${name}`);
    const grouped = `SELECT r.employee_id, ${aggregates.join(', ')} FROM ${from} GROUP BY r.employee_id`;
    const laterals = this.steps.map((s, i) => ` CROSS JOIN LATERAL (SELECT ${s} AS v OFFSET 0) AS s${i}`).join('');
    const sql = `SELECT g.employee_id, ${outputs.join(', ')} FROM (${grouped}) AS g${laterals}`;
    // PostgreSQL refuses a parameter the text never uses ("could not determine its data type").
    p.values.forEach((_, i) => {
      if (!sql.includes(`$${i + 1}::`)) throw new Error(`aggregateSql: parameter $${i + 1} is unused (a bug in the translation)`);
    });
    return { sql, params: p.values };
  }

  /** Whether some leaf reads a narrower window than the scan's (its aggregates filter on occurred_at). */
  private windowed = false;

  /** The samples leaf's records left out of its timed value, by reason: [negative, open]. */
  private ignored(leaf: LeafNode): [string, string] {
    const field = leaf.expr[leaf.op];
    if (leaf.op === 'count' || leaf.op === 'share' || typeof field !== 'object' || field === null) return ['0', '0'];
    const reason = this.readings(leaf.kind).reason(field as SecondsField);
    const base = this.baseOf.get(leaf)!;
    return [`${this.aggregate('count(*)', [...base, `${reason} = ${REASON_NEGATIVE}`])}::integer`, `${this.aggregate('count(*)', [...base, `${reason} = ${REASON_OPEN}`])}::integer`];
  }

  /** Each leaf's conditions (kind, window, where), for the counts beside its value. */
  private readonly baseOf = new Map<LeafNode, string[]>();

  /** A float8 column for a node's value (cheap to repeat; never a constant, see ./sql/float8.ts). */
  private node(n: Resolved): string {
    if (n.t === 'const') return this.step(this.p.float8(n.value));
    if (n.t === 'leaf') return this.leaf(n);
    // Every operand first, in order: the evaluator does the same, and samples follow that order.
    const xs = n.args.map((a) => this.node(a));
    const p = this.p;
    switch (n.t) {
      case 'add':
        return xs.slice(1).reduce((acc, x) => this.step(add(acc, x, p)), xs[0]);
      case 'mul':
        return xs.slice(1).reduce((acc, x) => this.step(mul(acc, x, p)), xs[0]);
      case 'sub':
        return this.step(sub(xs[0], xs[1], p));
      case 'div':
        return this.step(div(xs[0], xs[1], p));
    }
  }

  /** A per-employee value, computed once (a LATERAL step), as `sN.v`. */
  private step(sql: string): string {
    this.steps.push(sql);
    return `s${this.steps.length - 1}.v`;
  }

  /** An aggregate over the employee's records, shared when two leaves need the same one. */
  private aggregate(call: string, conditions: string[]): string {
    const sql = conditions.length > 0 ? `${call} FILTER (WHERE ${conditions.join(' AND ')})` : call;
    let name = this.aggregates.get(sql);
    if (!name) this.aggregates.set(sql, (name = `c${this.aggregates.size}`));
    return `g.${name}`;
  }

  private leaf(leaf: LeafNode): string {
    const e = leaf.expr;
    const rows = this.readings(leaf.kind);
    const base: string[] = [];
    if (this.kinds.length > 1) base.push(`r.kind = ${this.p.add(leaf.kind, 'text')}`);
    // A leaf of a formula whose window is narrower than the scan's counts only its own records.
    if (leaf.from.getTime() > this.from.getTime()) base.push(`r.occurred_at >= ${this.p.add(leaf.from.toISOString(), 'timestamptz')}`);
    if (leaf.to.getTime() < this.to.getTime()) base.push(`r.occurred_at < ${this.p.add(leaf.to.toISOString(), 'timestamptz')}`);
    if (leaf.from.getTime() > this.from.getTime() || leaf.to.getTime() < this.to.getTime()) this.windowed = true;
    if (e.where !== undefined) base.push(rows.filter(e.where));
    this.baseOf.set(leaf, base);
    const field = e[leaf.op] as AggregateField;
    let value: string;
    let samples: string;
    switch (leaf.op) {
      case 'count': {
        const c = e.count === true ? this.aggregate('count(*)', base) : this.aggregate('count(*)', [...base, rows.filter(e.count as AggregateFilter)]);
        value = this.step(`${c}::float8`);
        samples = c;
        break;
      }
      case 'share': {
        const of = e.of as AggregateField | AggregateFilter;
        const isField = typeof of === 'string' || Object.hasOwn(of, 'seconds');
        const den = [...base, isField ? rows.present(of as AggregateField) : rows.filter(of as AggregateFilter)];
        samples = this.aggregate('count(*)', den);
        const num = this.aggregate('count(*)', [...den, rows.filter(e.share as AggregateFilter)]);
        // Counts are exact in a double; so is the division, as in JavaScript.
        value = this.step(`(CASE WHEN ${samples} = 0 THEN NULL ELSE ${num}::float8 / ${samples}::float8 END)`);
        break;
      }
      case 'quantile': {
        samples = this.aggregate(`count(${rows.number(field)})`, base); // the same values, without the cast
        const q = this.aggregate(`percentile_cont(${this.p.float8(leaf.q)}) WITHIN GROUP (ORDER BY ${rows.float(field)})`, base);
        value = this.step(finiteOrNull(q)); // the same interpolation as the evaluator's, in C doubles
        break;
      }
      default: {
        const x = rows.number(field);
        samples = this.aggregate(`count(${x})`, base);
        if (leaf.op === 'min' || leaf.op === 'max') {
          value = this.step(numericToFloat8(this.aggregate(`${leaf.op}(${x})`, base), this.p));
          break;
        }
        const sum = this.aggregate(`sum(${x})`, base);
        if (leaf.op === 'sum') {
          value = this.step(numericToFloat8(`COALESCE(${sum}, 0)`, this.p));
          break;
        }
        // The mean as JavaScript divides it (double ÷ count), except for sums so tiny that the
        // float8 division would raise an underflow error: those divide in numeric.
        const n = samples;
        value = this.step(
          `(CASE WHEN ${n} = 0 THEN NULL WHEN abs(${sum}) < 1e-290 THEN ${numericToFloat8(`${sum} / ${n}`, this.p)} ELSE ${numericToFloat8(sum, this.p)} / ${n}::float8 END)`,
        );
      }
    }
    this.samplesOf.set(leaf, samples);
    return value;
  }
}
