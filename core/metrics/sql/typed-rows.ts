// A leaf's field readings over a kind's typed table (core/records/): the same answers as
// ./rows.ts gives over the payload, read from columns the import typed once. A column holds
// only values of its JSON type (the typing trigger refuses others), so a number column is the
// field's number, any other column is never a number, and presence is `IS NOT NULL`.
import type { Scalar } from '../aggregate/types.ts';
import { microsColumn, type FieldColumn } from '../../records/layout.ts';
import { numericToFloat8 } from './float8.ts';
import { instantSql } from './instant.ts';
import type { SqlParams } from './params.ts';
import { FieldReadings, type ReadingsClock } from './readings.ts';

const NUMERIC = new Set(['smallint', 'integer', 'bigint', 'numeric']);

/** The fields a layout types, for checking that a formula reads only those. */
export const typedFields = (fields: readonly FieldColumn[]): Set<string> => new Set(fields.map((c) => c.field));

export class TypedColumns extends FieldReadings {
  /** The table columns read, so that a scan of several kinds projects only those. */
  readonly used = new Set<string>();
  /** Values computed once per record below the aggregation (durations, what as-of hides), by key: their SQL over the table's columns. */
  readonly derived = new Map<string, { name: string; sql: string; type: string }>();
  private readonly byField: Map<string, FieldColumn>;

  /** `prefix` is the columns' prefix in the scan (a union of several kinds aliases each kind's). */
  constructor(
    p: SqlParams,
    fields: readonly FieldColumn[],
    private readonly prefix: string,
    clock?: ReadingsClock,
  ) {
    super(p, clock);
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

  protected microsAt(field: string): string | undefined {
    const c = this.field(field);
    if (c.type === 'instant') return microsColumn(c);
    // A plain text may hold a timestamp too; a number or a boolean never does.
    if (c.type === 'text') return `(extract(epoch FROM ${instantSql(c.column, (s) => this.p.add(s, 'text'))}) * 1000000)`;
    return undefined;
  }

  protected presentAt(field: string): string {
    return `(${this.field(field).column} IS NOT NULL)`;
  }

  protected numberAt(field: string): string {
    const c = this.field(field);
    return NUMERIC.has(c.type) ? c.column : 'NULL::numeric';
  }

  protected derive(key: string, type: string, sql: () => string): string {
    let d = this.derived.get(key);
    if (!d) this.derived.set(key, (d = { name: `d${this.derived.size}`, sql: sql(), type }));
    return `r.${this.prefix}${d.name}`;
  }

  protected rawNumber(field: string): string {
    const c = this.field(field);
    return NUMERIC.has(c.type) ? this.col(c.column) : 'NULL::numeric';
  }

  protected rawFloat(field: string): string {
    // Integers of 64 bits at most are far from the limits.
    return this.field(field).type === 'numeric' ? numericToFloat8(this.rawNumber(field), this.p) : `(${this.rawNumber(field)})::float8`;
  }

  protected rawPresent(field: string): string {
    return `(${this.col(this.field(field).column)} IS NOT NULL)`;
  }

  protected rawEqualsAny(field: string, targets: readonly Scalar[]): string {
    // Placeholders only for the targets used: PostgreSQL refuses a parameter the text never uses.
    const c = this.field(field);
    let same: string[];
    if (NUMERIC.has(c.type)) same = targets.filter((t): t is number => typeof t === 'number').map((t) => this.p.numeric(t));
    else if (c.type === 'boolean') same = targets.filter((t) => typeof t === 'boolean').map((t) => (t ? 'true' : 'false'));
    else same = targets.filter((t): t is string => typeof t === 'string').map((t) => this.p.add(t, 'text'));
    return same.length ? `${this.col(c.column)} IN (${same.join(', ')})` : 'false';
  }
}
