// A leaf's field readings over a kind's typed table (core/records/): the same answers as
// ./rows.ts gives over the payload, read from columns the import typed once. A column holds
// only values of its JSON type (the typing trigger refuses others), so a number column is the
// field's number, any other column is never a number, and presence is `IS NOT NULL`.
import type { AggregateField, Scalar } from '../aggregate/types.ts';
import { microsColumn, type FieldColumn } from '../../records/layout.ts';
import { numericToFloat8 } from './float8.ts';
import { instantSql } from './instant.ts';
import type { SqlParams } from './params.ts';
import { FieldReadings } from './rows.ts';

const NUMERIC = new Set(['smallint', 'integer', 'bigint', 'numeric']);

/** The fields a layout types, for checking that a formula reads only those. */
export const typedFields = (fields: readonly FieldColumn[]): Set<string> => new Set(fields.map((c) => c.field));

export class TypedColumns extends FieldReadings {
  /** The table columns read, so that a scan of several kinds projects only those. */
  readonly used = new Set<string>();
  /** Values computed once per record below the aggregation (durations), by name: their SQL over the table's columns. */
  readonly derived = new Map<string, { name: string; sql: string }>();
  private readonly byField: Map<string, FieldColumn>;

  /** `prefix` is the columns' prefix in the scan (a union of several kinds aliases each kind's). */
  constructor(
    protected readonly p: SqlParams,
    fields: readonly FieldColumn[],
    private readonly prefix: string,
  ) {
    super();
    this.byField = new Map(fields.map((c) => [c.field, c]));
  }

  private field(name: string): FieldColumn {
    const c = this.byField.get(name);
    if (!c) throw new Error(`TypedColumns: ${name} has no column (the caller checks typedFields first)`);
    return c;
  }

  private col(name: string): string {
    this.used.add(name);
    return `r.${this.prefix}${name}`;
  }

  number(field: AggregateField): string {
    if (typeof field === 'string') {
      const c = this.field(field);
      return NUMERIC.has(c.type) ? this.col(c.column) : 'NULL::numeric';
    }
    const [a, b] = [this.field(field.seconds[0]), this.field(field.seconds[1])];
    if (a.type === 'instant' && b.type === 'instant') return `(${this.micros(a, b)}::numeric / 1000000)`; // NULL when negative
    const d = this.seconds(field.seconds[0], field.seconds[1]);
    return d === undefined ? 'NULL::numeric' : `(CASE WHEN ${d} >= 0 THEN ${d} END)`; // a negative duration is a data error: missing
  }

  /** Exact seconds from one field's instant to another's, or undefined when a field can hold no instant. */
  private seconds(from: string, to: string): string | undefined {
    const a = this.field(from);
    const b = this.field(to);
    const textual = (c: FieldColumn) => c.type === 'instant' || c.type === 'text';
    if (!textual(a) || !textual(b)) return undefined; // a number or a boolean is never an instant
    const text = (s: string) => this.p.add(s, 'text');
    return `extract(epoch from (${instantSql(this.col(b.column), text)} - ${instantSql(this.col(a.column), text)}))`;
  }

  /**
   * The microseconds from one instant field to another, or NULL when either is missing or the
   * duration is negative (a data error: missing); computed once per record, not per use.
   */
  private micros(a: FieldColumn, b: FieldColumn): string {
    const key = `${a.column}>${b.column}`;
    let d = this.derived.get(key);
    if (!d) {
      const [x, y] = [microsColumn(a), microsColumn(b)];
      this.derived.set(key, (d = { name: `d${this.derived.size}`, sql: `CASE WHEN ${y} >= ${x} THEN ${y} - ${x} END` }));
    }
    return `r.${this.prefix}${d.name}`;
  }

  float(field: AggregateField): string {
    if (typeof field === 'string' && this.field(field).type === 'numeric') return numericToFloat8(this.number(field), this.p);
    if (typeof field !== 'string') {
      const a = this.field(field.seconds[0]);
      const b = this.field(field.seconds[1]);
      // Exact microseconds (far below 2^53) divided in doubles: the correctly rounded seconds,
      // the same double as the exact decimal cast to float8.
      if (a.type === 'instant' && b.type === 'instant') return `(${this.micros(a, b)}::float8 / 1000000::float8)`;
    }
    return `(${this.number(field)})::float8`; // integers of 64 bits at most and durations: far from the limits
  }

  present(field: AggregateField): string {
    if (typeof field !== 'string') {
      const [a, b] = [this.field(field.seconds[0]), this.field(field.seconds[1])];
      return a.type === 'instant' && b.type === 'instant' ? `(${this.micros(a, b)} IS NOT NULL)` : `(${this.number(field)} IS NOT NULL)`;
    }
    return `(${this.col(this.field(field).column)} IS NOT NULL)`;
  }

  protected equalsAny(field: AggregateField, targets: readonly Scalar[]): string {
    // Placeholders only for the targets used: PostgreSQL refuses a parameter the text never uses.
    const numbers = () => targets.filter((t): t is number => typeof t === 'number').map((t) => this.p.numeric(t));
    if (typeof field !== 'string') {
      const n = numbers();
      return n.length ? `${this.number(field)} IN (${n.join(', ')})` : 'false';
    }
    const c = this.field(field);
    let same: string[];
    if (NUMERIC.has(c.type)) same = numbers();
    else if (c.type === 'boolean') same = targets.filter((t) => typeof t === 'boolean').map((t) => (t ? 'true' : 'false'));
    else same = targets.filter((t): t is string => typeof t === 'string').map((t) => this.p.add(t, 'text'));
    return same.length ? `${this.col(c.column)} IN (${same.join(', ')})` : 'false';
  }
}
