// A leaf's reading of its records' fields, as SQL, with the evaluator's rules: missing values,
// typed equality, two-valued filters, durations and the point in time (../aggregate.ts). Two
// storages implement the raw readings: the JSONB payload (./rows.ts) and a kind's typed table
// (./typed-rows.ts). What a point in time changes is written once, here, over those readings.
import type { AggregateField, AggregateFilter, Scalar, SecondsField } from '../aggregate/types.ts';
import type { SqlParams } from './params.ts';

/** The point in time as one kind's readings apply it. */
export interface ReadingsClock {
  /** The as-of instant as µs since the epoch, in decimal. */
  asOfMicros: string;
  /** The as-of view: instants after asOf have not happened. */
  cut: boolean;
  /** This kind's fields known only once an instant field has happened (as-of view only). */
  knownAt: Readonly<Record<string, string>>;
}

/** Why a timed value was left out, in the per-record reason column. */
export const REASON_NEGATIVE = 1;
export const REASON_OPEN = 2;

export abstract class FieldReadings {
  constructor(
    protected readonly p: SqlParams,
    protected readonly clock: ReadingsClock | undefined,
  ) {}

  /** The as-of instant's placeholder, made where used (PostgreSQL refuses an unused parameter). */
  private get asOf(): string {
    return this.p.add(this.clock!.asOfMicros, 'bigint');
  }

  // Per-record ("derive") level: SQL over one record's stored values, computed once per record
  // below the aggregation by `derive`.
  /** The field's instant in µs since the epoch, NULL unless it is a timestamp; undefined when it never holds one. */
  protected abstract microsAt(field: string): string | undefined;
  /** Whether the field is present (not absent, not null, not a number beyond a double). */
  protected abstract presentAt(field: string): string;
  /** The field as numeric, NULL unless a number. */
  protected abstract numberAt(field: string): string;
  /** A per-record column computed once, by key; its reference at the aggregation level. */
  protected abstract derive(key: string, type: 'bigint' | 'numeric' | 'boolean' | 'integer', sql: () => string): string;

  // Aggregation level: the field as stored, before the point in time hides anything.
  protected abstract rawNumber(field: string): string;
  protected abstract rawFloat(field: string): string;
  protected abstract rawPresent(field: string): string;
  /** Whether the field equals one of the targets (typed equality: 1 = 1.0, 1 ≠ "1"); may be NULL. */
  protected abstract rawEqualsAny(field: string, targets: readonly Scalar[]): string;

  /**
   * How the per-record duration column holds a duration: exact seconds (numeric, divided once per
   * record), or microseconds scaled where read (cheaper where they are bigint columns).
   */
  protected readonly durationUnit: 'seconds' | 'micros' = 'micros';

  /** A field's value where a number is expected (numeric or NULL); at the aggregation level. */
  number(field: AggregateField): string {
    if (typeof field !== 'string') {
      const d = this.duration(field);
      return this.durationUnit === 'seconds' ? `(CASE WHEN ${d} >= 0 THEN ${d} END)` : `(CASE WHEN ${d} >= 0 THEN ${d}::numeric / 1000000 END)`;
    }
    return this.unlessHidden(field, this.rawNumber(field));
  }

  /** A field's value as float8 (percentile_cont's input), as JavaScript would read it. */
  float(field: AggregateField): string {
    if (typeof field !== 'string') {
      const d = this.duration(field);
      // Exact seconds to float8, or exact microseconds (far below 2^53) divided in doubles: both the correctly rounded seconds.
      return this.durationUnit === 'seconds' ? `(CASE WHEN ${d} >= 0 THEN ${d} END)::float8` : `(CASE WHEN ${d} >= 0 THEN ${d}::float8 / 1000000::float8 END)`;
    }
    return this.unlessHidden(field, this.rawFloat(field));
  }

  /** Whether the field is present: not absent, not JSON null, not a number beyond a double, not hidden by the point in time. */
  present(field: AggregateField): string {
    if (typeof field !== 'string') return `COALESCE(${this.duration(field)} >= 0, false)`;
    const h = this.hidden(field);
    return h ? `(${this.rawPresent(field)} AND NOT ${h})` : this.rawPresent(field);
  }

  /** A filter as a boolean that is never NULL (the evaluator's two-valued logic). */
  filter(f: AggregateFilter): string {
    if ('and' in f) return `(${f.and.map((x) => this.filter(x)).join(' AND ')})`;
    if ('or' in f) return `(${f.or.map((x) => this.filter(x)).join(' OR ')})`;
    if ('not' in f) return `(NOT ${this.filter(f.not)})`;
    if ('exists' in f) return this.present(f.exists);
    return `COALESCE(${this.comparison(f)}, false)`;
  }

  /**
   * Why each record's timed value is missing: REASON_NEGATIVE, REASON_OPEN or NULL. Without
   * `open`, a negative duration column is exactly a negative duration, so only whether the
   * record is open needs a per-record column of its own.
   */
  reason(field: SecondsField): string {
    if (field.open === 'asOf' && this.clock !== undefined) {
      return this.derive(`w:${JSON.stringify(field)}`, 'integer', () => {
        const { ua, ub } = this.ends(field);
        // Open ones run to as-of: only a real `to` before `from` is negative.
        return ua === undefined || ub === undefined ? 'NULL::integer' : `CASE WHEN ${ub} IS NOT NULL AND ${this.signed(field)} < 0 THEN ${REASON_NEGATIVE} END`;
      });
    }
    const open = this.derive(`o:${JSON.stringify(field)}`, 'boolean', () => {
      const { ua, toMissing } = this.ends(field);
      return ua === undefined ? 'false' : `COALESCE(${ua} IS NOT NULL AND ${toMissing()}, false)`;
    });
    return `(CASE WHEN ${this.duration(field)} < 0 THEN ${REASON_NEGATIVE} WHEN ${open} THEN ${REASON_OPEN} END)`;
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

  private equalsAny(field: AggregateField, targets: readonly Scalar[]): string {
    if (typeof field !== 'string') {
      const numbers = targets.filter((t): t is number => typeof t === 'number');
      return numbers.length === 0 ? 'false' : `${this.number(field)} IN (${numbers.map((t) => this.p.numeric(t)).join(', ')})`;
    }
    const h = this.hidden(field);
    const raw = this.rawEqualsAny(field, targets);
    return h && raw !== 'false' ? `(${raw} AND NOT ${h})` : raw;
  }

  private unlessHidden(field: string, raw: string): string {
    if (!this.clock?.cut || !Object.hasOwn(this.clock.knownAt, field)) return raw; // a timestamp is never a number
    return `(CASE WHEN ${this.hidden(field)} THEN NULL ELSE ${raw} END)`;
  }

  /**
   * Whether the point in time hides the field (a per-record column), or undefined when it never
   * does: a timestamp after as-of, or a field whose x-knownAt instant has not happened.
   */
  private hidden(field: string): string | undefined {
    const sql = this.hiddenAt(field);
    return sql === undefined ? undefined : this.derive(`h:${field}`, 'boolean', () => `COALESCE(${sql}, false)`);
  }

  /** `hidden` at the per-record level (may be NULL for false). */
  private hiddenAt(field: string): string | undefined {
    const c = this.clock;
    if (!c?.cut) return undefined;
    const parts: string[] = [];
    const m = this.microsAt(field);
    if (m !== undefined) parts.push(`${m} > ${this.asOf}`);
    if (Object.hasOwn(c.knownAt, field)) parts.push(`NOT ${this.happened(c.knownAt[field])}`);
    return parts.length ? `(${parts.join(' OR ')})` : undefined;
  }

  /** Whether an instant field holds a timestamp not after as-of (never NULL). */
  private happened(field: string): string {
    const m = this.microsAt(field);
    return m === undefined ? 'false' : `COALESCE(${m} <= ${this.asOf}, false)`;
  }

  /** A field's instant unless the point in time hides it. */
  private cutMicros(field: string): string | undefined {
    const m = this.microsAt(field);
    const c = this.clock;
    if (m === undefined || !c?.cut) return m;
    const known = Object.hasOwn(c.knownAt, field) ? ` AND ${this.happened(c.knownAt[field])}` : '';
    return `(CASE WHEN ${m} <= ${this.asOf}${known} THEN ${m} END)`;
  }

  /** The parts of a duration at the per-record level. */
  private ends(field: SecondsField): { ua?: string; ub?: string; toMissing: () => string; open: boolean } {
    const [from, to] = field.seconds;
    // Made only where used: it may hold the as-of parameter.
    const toMissing = () => {
      const hidden = this.hiddenAt(to);
      return `NOT (${this.presentAt(to)}${hidden ? ` AND NOT COALESCE(${hidden}, false)` : ''})`;
    };
    // Open durations run to as-of only when there is one; without, they are left out as open.
    const ua = this.cutMicros(from);
    // Without a `from` instant there is no duration: nothing else is read (nor any parameter made).
    return { ua, ub: ua === undefined ? undefined : this.cutMicros(to), toMissing, open: field.open === 'asOf' && this.clock !== undefined };
  }

  /** The duration in µs less `minus`, signed, at the per-record level: NULL without two instants (or one that is open). */
  private signed(field: SecondsField): string {
    const { ua, ub, toMissing, open } = this.ends(field);
    if (ua === undefined) return 'NULL::numeric';
    const asOf = open ? this.asOf : '';
    const diff =
      ub === undefined
        ? open ? `CASE WHEN ${toMissing()} THEN ${asOf} - ${ua} END` : 'NULL::numeric'
        : open ? `CASE WHEN ${ub} IS NOT NULL THEN ${ub} - ${ua} WHEN ${toMissing()} THEN ${asOf} - ${ua} END` : `${ub} - ${ua}`;
    if (field.minus === undefined) return `(${diff})`;
    // Whole microseconds, rounded half up as Math.round does; missing counts as 0.
    const m = this.cutNumberAt(field.minus);
    return `((${diff}) - COALESCE(floor(${m} * 1000000 + 0.5), 0))`;
  }

  /** The duration less `minus`, signed, in durationUnit (a per-record column); ≥ 0 is a value. */
  private duration(field: SecondsField): string {
    return this.derive(`d:${JSON.stringify(field)}`, 'numeric', () => (this.durationUnit === 'seconds' ? `(${this.signed(field)})::numeric / 1000000` : this.signed(field)));
  }

  private cutNumberAt(field: string): string {
    const c = this.clock;
    const n = this.numberAt(field);
    return c?.cut && Object.hasOwn(c.knownAt, field) ? `(CASE WHEN ${this.happened(c.knownAt[field])} THEN ${n} END)` : n;
  }
}
