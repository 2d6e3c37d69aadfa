// The SQL text of one combined query (see ../sql.ts for its shape): the records scan with its
// per-record levels, one conditional aggregate per leaf, and the formula's arithmetic per
// employee in LATERAL steps. Built from formulas already resolved by their params.
import type { AggregateField, AggregateFilter, LeafOptions, PointInTime, SecondsField } from '../aggregate/types.ts';
import type { LeafOp } from '../aggregate/compile.ts';
import { instantOf } from '../aggregate/timestamps.ts';
import { add, div, finiteOrNull, mul, numericToFloat8, sub } from './float8.ts';
import { SqlParams } from './params.ts';
import { RowColumns } from './rows.ts';
import { REASON_NEGATIVE, REASON_OPEN, type FieldReadings, type ReadingsClock } from './readings.ts';
import { TypedColumns } from './typed-rows.ts';
import { quoteIdent, tableColumns } from '../../records/layout.ts';
import type { AggregateSql, ScanOptions, TypedLayout } from '../sql.ts';

/** A leaf of the formula as the params resolved it. */
export interface LeafNode {
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
export type Resolved = { t: 'const'; value: number } | LeafNode | { t: 'add' | 'sub' | 'mul' | 'div'; args: Resolved[] };

/** The output columns of one formula: value, samples, and the ignored counts (negative, open). */
export type Columns = [string, string, string, string];

/** A kind's point in time for its readings; undefined when there is none. */
function clockOf(kind: string, pit: PointInTime | undefined): ReadingsClock | undefined {
  if (!pit) return undefined;
  const { s, u } = instantOf(pit.asOf);
  return { asOfMicros: (BigInt(s) * 1000000n + BigInt(u)).toString(), cut: pit.view !== 'latest', knownAt: pit.knownAt?.[kind] ?? {} };
}

export class Translation {
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
