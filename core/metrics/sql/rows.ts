// The per-record part of a formula's SQL: the payload fields it reads, each extracted once per
// record, typed by the evaluator's rules (missing, number, present, duration), and its filters
// as two-valued boolean expressions. Everything here is evaluated once per record of the window.
import { instantSql } from './instant.ts';
import type { AggregateField, AggregateFilter, Scalar } from '../aggregate/types.ts';
import { overflowBound, numericToFloat8 } from './float8.ts';
import type { SqlParams } from './params.ts';

/**
 * The columns the record scan computes, in two fenced levels (PostgreSQL must not inline them
 * and repeat the work for every use; see the fences in ../sql.ts): level 1 extracts payload
 * fields (`payload -> $n`, `->>` for timestamps), level 2 computes numbers and durations from
 * them. The aggregation reads both as `r.<name>` and derives the cheap rest (presence, filters).
 */
/** A leaf's reading of its records' fields, as SQL over the scan's rows (aliased r). */
export abstract class FieldReadings {
  /** A field's value where a number is expected (numeric or NULL). */
  abstract number(field: AggregateField): string;
  /** A field's value as float8 (percentile_cont's input), as JavaScript would read it. */
  abstract float(field: AggregateField): string;
  /** Whether the field is present: not absent, not JSON null, not a number beyond a double. */
  abstract present(field: AggregateField): string;
  /** Whether the field equals one of the targets (typed equality: 1 = 1.0, 1 ≠ "1"); may be NULL. */
  protected abstract equalsAny(field: AggregateField, targets: readonly Scalar[]): string;
  protected abstract readonly p: SqlParams;

  /** A filter as a boolean that is never NULL (the evaluator's two-valued logic). */
  filter(f: AggregateFilter): string {
    if ('and' in f) return `(${f.and.map((x) => this.filter(x)).join(' AND ')})`;
    if ('or' in f) return `(${f.or.map((x) => this.filter(x)).join(' OR ')})`;
    if ('not' in f) return `(NOT ${this.filter(f.not)})`;
    if ('exists' in f) return this.present(f.exists);
    return `COALESCE(${this.comparison(f)}, false)`;
  }

  // The order comparisons compare numbers only. A duration is a number: only number targets can equal it.
  private comparison(f: Exclude<AggregateFilter, { and: unknown } | { or: unknown } | { not: unknown } | { exists: unknown }>): string {
    const field = f.field;
    if ('eq' in f) return this.equalsAny(field, [f.eq]);
    if ('in' in f) return this.equalsAny(field, f.in);
    if ('ne' in f) return `(${this.present(field)} AND NOT COALESCE(${this.equalsAny(field, [f.ne])}, false))`;
    const [op, target] = 'gt' in f ? ['>', f.gt] : 'gte' in f ? ['>=', f.gte] : 'lt' in f ? ['<', f.lt] : ['<=', f.lte];
    return `${this.number(field)} ${op} ${this.p.numeric(target)}`;
  }
}

export class RowColumns extends FieldReadings {
  private readonly level1 = new Map<string, { name: string; sql: string }>();
  private readonly level2 = new Map<string, { name: string; sql: string }>();

  constructor(protected readonly p: SqlParams) {
    super();
  }

  /** `SELECT` items of level 1 (over `records`) and level 2 (over level 1, aliased r1). */
  get extracted(): string[] {
    return [...this.level1.values()].map((c) => `${c.sql} AS ${c.name}`);
  }
  get typed(): string[] {
    return [...this.level2.values()].map((c) => `${c.sql} AS ${c.name}`);
  }

  private column(level: Map<string, { name: string; sql: string }>, key: string, prefix: string, sql: () => string): string {
    let c = level.get(key);
    if (!c) level.set(key, (c = { name: `${prefix}${level.size}`, sql: sql() }));
    return c.name;
  }

  /** The field as jsonb, NULL when absent (level 1; passed through level 2 as r.jN). */
  private jsonb(field: string): string {
    return this.column(this.level1, `j:${field}`, 'j', () => `payload -> ${this.p.add(field, 'text')}`);
  }

  /** The field's precomputed instant (records.instants): SQL NULL when not precomputed. */
  private instant(field: string): string {
    return this.column(this.level1, `i:${field}`, 'i', () => `instants -> ${this.p.add(field, 'text')}`);
  }

  private text(field: string): string {
    return this.column(this.level1, `t:${field}`, 't', () => `payload ->> ${this.p.add(field, 'text')}`);
  }

  /** A JSON number within the range of a double as numeric; anything else (missing) NULL. */
  private numeric(field: string): string {
    const j = `r1.${this.jsonb(field)}`;
    // JSON.parse reads a number beyond ±1.8e308 as ±Infinity, which the evaluator treats as missing.
    return this.column(this.level2, `n:${field}`, 'n', () => `CASE jsonb_typeof(${j}) WHEN 'number' THEN CASE WHEN abs(${j}::numeric) < ${overflowBound(this.p)} THEN ${j}::numeric END END`);
  }

  /** The duration of `{seconds: [from, to]}` as exact numeric seconds, negative included. */
  private duration(from: string, to: string): string {
    const a = `r1.${this.text(from)}`;
    const b = `r1.${this.text(to)}`;
    const ia = `r1.${this.instant(from)}`;
    const ib = `r1.${this.instant(to)}`;
    // Both instants precomputed at import (JSON null: not a timestamp): a subtraction of exact
    // microseconds. Otherwise the texts are validated and cast here, with the same answer.
    const precomputed = `((${ib} #>> '{}')::numeric - (${ia} #>> '{}')::numeric) / 1000000`;
    const text = (s: string) => this.p.add(s, 'text');
    const fromTexts = `extract(epoch from (${instantSql(b, text)} - ${instantSql(a, text)}))`;
    return this.column(this.level2, `d:${JSON.stringify([from, to])}`, 'd', () => `CASE WHEN ${ia} IS NOT NULL AND ${ib} IS NOT NULL THEN ${precomputed} ELSE ${fromTexts} END`);
  }

  /** A field's value where a number is expected (numeric or NULL); at the aggregation level. */
  number(field: AggregateField): string {
    if (typeof field === 'string') return `r.${this.numeric(field)}`;
    const d = `r.${this.duration(field.seconds[0], field.seconds[1])}`;
    return `(CASE WHEN ${d} >= 0 THEN ${d} END)`; // a negative duration is a data error: missing
  }

  /** A field's value as float8 (percentile_cont's input), as JavaScript would read it. */
  float(field: AggregateField): string {
    if (typeof field !== 'string') return `(${this.number(field)})::float8`; // durations are far from the limits
    return numericToFloat8(this.number(field), this.p);
  }

  /**
   * Whether the field is present: not absent, not JSON null, not a number beyond a double. From
   * the number column rather than a column of its own: the range check is the costly part.
   */
  present(field: AggregateField): string {
    if (typeof field !== 'string') return `(${this.number(field)} IS NOT NULL)`;
    const j = `r.${this.jsonb(field)}`;
    return `(${this.number(field)} IS NOT NULL OR (${j} IS NOT NULL AND jsonb_typeof(${j}) NOT IN ('null', 'number')))`;
  }

  // eq/ne/in compare JSON values by type (jsonb equality: 1 = 1.0, 1 ≠ "1").
  protected equalsAny(field: AggregateField, targets: readonly Scalar[]): string {
    if (typeof field === 'string') return `${`r.${this.jsonb(field)}`} IN (${targets.map((t) => this.p.add(JSON.stringify(t), 'jsonb')).join(', ')})`;
    const numbers = targets.filter((t): t is number => typeof t === 'number');
    return numbers.length === 0 ? 'false' : `${this.number(field)} IN (${numbers.map((t) => this.p.numeric(t)).join(', ')})`;
  }
}
