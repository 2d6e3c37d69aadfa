// The per-record part of a formula's SQL over the JSONB payloads: the fields it reads, each
// extracted once per record, typed by the evaluator's rules (missing, number, present, instant),
// durations and the point in time computed once per record (./readings.ts says what they mean).
import { instantSql } from './instant.ts';
import type { Scalar } from '../aggregate/types.ts';
import { overflowBound, numericToFloat8 } from './float8.ts';
import type { SqlParams } from './params.ts';
import { FieldReadings, type ReadingsClock } from './readings.ts';

type Level = Map<string, { name: string; sql: string }>;

/**
 * The columns the record scan computes, in two fenced levels (PostgreSQL must not inline them
 * and repeat the work for every use; see the fences in ../sql.ts): level 1 extracts payload
 * fields (`payload -> $n`, `->>` for timestamps), level 2 computes numbers, durations and what
 * the point in time hides from them. The aggregation reads both as `r.<name>` and derives the
 * cheap rest (presence, filters). The readings of several kinds share the levels (`shared`).
 */
export class RowColumns extends FieldReadings {
  private readonly level1: Level;
  private readonly level2: Level;
  // Divided once per record at level 2, as the aggregation reads a duration more than once.
  protected override readonly durationUnit = 'seconds';

  constructor(p: SqlParams, clock?: ReadingsClock, shared?: RowColumns) {
    super(p, clock);
    this.level1 = shared?.level1 ?? new Map();
    this.level2 = shared?.level2 ?? new Map();
  }

  /** `SELECT` items of level 1 (over `records`) and level 2 (over level 1, aliased r1). */
  get extracted(): string[] {
    return [...this.level1.values()].map((c) => `${c.sql} AS ${c.name}`);
  }
  get typed(): string[] {
    return [...this.level2.values()].map((c) => `${c.sql} AS ${c.name}`);
  }

  private column(level: Level, key: string, prefix: string, sql: () => string): string {
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

  /** A JSON number within the range of a double as numeric; anything else NULL (level 2, over r1). */
  protected numberAt(field: string): string {
    const j = `r1.${this.jsonb(field)}`;
    // JSON.parse reads a number beyond ±1.8e308 as ±Infinity, which the evaluator treats as missing.
    return `CASE jsonb_typeof(${j}) WHEN 'number' THEN CASE WHEN abs(${j}::numeric) < ${overflowBound(this.p)} THEN ${j}::numeric END END`;
  }

  private numeric(field: string): string {
    return this.column(this.level2, `n:${field}`, 'n', () => this.numberAt(field));
  }

  /**
   * The instant as the import precomputed it (JSON null: not a timestamp), else read from the
   * text, with the same answer; a text that is no timestamp fails the pattern at once.
   */
  protected microsAt(field: string): string {
    const i = `r1.${this.instant(field)}`;
    // bigint, not numeric: years 1–9999 in µs fit, and its arithmetic is several times cheaper.
    return `(CASE WHEN ${i} IS NOT NULL THEN (${i} #>> '{}')::bigint ELSE (extract(epoch FROM ${instantSql(`r1.${this.text(field)}`, (s) => this.p.add(s, 'text'))}) * 1000000)::bigint END)`;
  }

  protected presentAt(field: string): string {
    const j = `r1.${this.jsonb(field)}`;
    return `(${j} IS NOT NULL AND jsonb_typeof(${j}) <> 'null' AND (jsonb_typeof(${j}) <> 'number' OR abs(${j}::numeric) < ${overflowBound(this.p)}))`;
  }

  /** Kinds share the levels; what the point in time hides differs by kind (x-knownAt), so their columns do too. */
  private readonly clockKey = JSON.stringify(this.clock ?? null);

  protected derive(key: string, _type: string, sql: () => string): string {
    return `r.${this.column(this.level2, `${key}|${this.clockKey}`, key[0], sql)}`;
  }

  protected rawNumber(field: string): string {
    return `r.${this.numeric(field)}`;
  }

  protected rawFloat(field: string): string {
    return numericToFloat8(this.rawNumber(field), this.p);
  }

  /** From the number column rather than a column of its own: the range check is the costly part. */
  protected rawPresent(field: string): string {
    const j = `r.${this.jsonb(field)}`;
    return `(${this.rawNumber(field)} IS NOT NULL OR (${j} IS NOT NULL AND jsonb_typeof(${j}) NOT IN ('null', 'number')))`;
  }

  // eq/ne/in compare JSON values by type (jsonb equality: 1 = 1.0, 1 ≠ "1").
  protected rawEqualsAny(field: string, targets: readonly Scalar[]): string {
    return `${`r.${this.jsonb(field)}`} IN (${targets.map((t) => this.p.add(JSON.stringify(t), 'jsonb')).join(', ')})`;
  }
}
