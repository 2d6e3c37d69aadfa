// Applying a mapping to one row: skip rules first, then every target field from its value spec
// (source, transforms, type), each error tied to the column(s) it came from. Fields referenced
// by `after` are computed on demand, so the order of fields in the file does not matter.
import { coerce, parseNumber, truncate, type FieldType } from './coerce.ts';
import { ageBand, describeFormats, isoFromMillis, outsideYears, parseDate, parseDuration, parseInstant, yearsReason } from './datetime.ts';
import type { Condition, FoldOp, Mapping, Section, TimestampSpec, ValueSpec } from './mapping.ts';
import { ExpressionRunner, type CompiledExpression, type ExpressionFunctions } from './expressions.ts';
import type { SourceRow } from './read-rows.ts';

export interface CellError {
  /** The column(s) the value came from, as the file names them (`date+vru_entry`). */
  column: string;
  reason: string;
  /** The row, where it is not the one being mapped (a folded group's bad row). */
  line?: number;
}

export interface MappedRow {
  /** Set when a skip rule matched: the row is left out on purpose. */
  skip?: string;
  fields: Record<string, unknown>;
  payload: Record<string, unknown>;
  attributes: Record<string, unknown>;
  errors: CellError[];
}

export interface TargetTypes {
  fields: Record<string, FieldType>;
  payload: Record<string, FieldType>;
}

/** How much earlier than its `after` field a time must be to count as the next day. */
const ROLLOVER_HOURS = 12;

export type Result = { value?: unknown; error?: CellError };

/** A folding value's result for the current group (./fold.ts), already through its transforms. */
export type Folded = (spec: ValueSpec) => Result;

export class RowMapper {
  private readonly labels = new Map<ValueSpec, string>();
  private readonly expressions: ExpressionRunner;
  /** Every field's type by name, for the expressions that read them. */
  readonly typesByName: ReadonlyMap<string, FieldType>;

  constructor(
    readonly mapping: Mapping,
    private readonly types: TargetTypes,
    private readonly zone: string,
    /** The functions an expression may call on this row (a calendar that depends on the row's employee). */
    private readonly functionsFor?: (field: (name: string) => unknown) => ExpressionFunctions,
  ) {
    this.expressions = new ExpressionRunner();
    const byName = new Map<string, FieldType>();
    for (const [name] of mapping.attributes) byName.set(name, 'string');
    for (const [name] of mapping.payload) byName.set(name, types.payload[name] ?? 'string');
    for (const [name] of mapping.fields) byName.set(name, types.fields[name] ?? 'string');
    for (const [name, spec] of mapping.let) byName.set(name, letType(spec));
    for (const section of ['fields', 'payload', 'attributes'] as const) {
      for (const [name, spec] of mapping[section]) if (spec.type) byName.set(name, spec.type);
    }
    this.typesByName = byName;
  }

  /** The column(s) a value reads, as errors name them. */
  columnLabel(spec: ValueSpec): string {
    return this.label(spec);
  }

  /** The skip rule a row matches, if any. */
  skipReason(row: SourceRow): string | undefined {
    return this.mapping.skip.find((s) => this.test(s.when, row))?.reason;
  }

  /** One value of a row, typed as `type` (a fold's key, time and operands). */
  evaluate(spec: ValueSpec, row: SourceRow, type: FieldType): Result {
    return this.value(spec, row, type, false, () => undefined);
  }

  /** Whether a condition holds on a row. */
  holds(c: Condition, row: SourceRow): boolean {
    return this.test(c, row);
  }

  /** A folded value through the transforms of its spec (everything after the source). */
  transform(spec: ValueSpec, v: unknown, section: Section, name: string): Result {
    // Attributes are text, whatever a fold counted.
    const value = section === 'attributes' && (typeof v === 'number' || typeof v === 'boolean') ? String(v) : v;
    return this.finish(spec, value, this.typeOf(section, name), section === 'attributes');
  }

  private typeOf(section: Section, name: string): FieldType {
    if (section === 'attributes') return 'string';
    if (section === 'let') return this.typesByName.get(name) ?? 'string';
    return this.types[section][name] ?? 'string';
  }

  /** During map() of a group: the folding values' results. */
  private folded?: Folded;

  /** The column(s) a target field comes from, for errors found later (schema, unknown employee). */
  columnOf(section: 'fields' | 'payload' | 'attributes', name: string): string | undefined {
    const spec = this.mapping[section].get(name);
    return spec ? this.label(spec) : undefined;
  }

  /**
   * The target row of a file row; or, with `folded`, of a group of rows (`row` is then the
   * group's first, whose key columns all its rows share; skip rules were applied per row).
   */
  map(row: SourceRow, folded?: Folded): MappedRow {
    const out: MappedRow = { fields: {}, payload: {}, attributes: {}, errors: [] };
    if (!folded) {
      const skip = this.skipReason(row);
      if (skip !== undefined) return { ...out, skip };
    }
    const memo = new Map<string, Result>();
    const sectionOf = (name: string): Section | undefined => (['payload', 'fields', 'attributes', 'let'] as const).find((s) => this.mapping[s].has(name));
    const resolve = (section: Section, name: string): Result => {
      const key = `${section}.${name}`;
      let r = memo.get(key);
      if (!r) {
        const spec = this.mapping[section].get(name)!;
        const type = this.typeOf(section, name);
        const ref = (name: string) => {
          const where = sectionOf(name);
          return where ? resolve(where, name).value : undefined;
        };
        if ('expr' in spec.source) r = this.expression(spec, type, section === 'attributes', ref);
        else r = this.value(spec, row, type, section === 'attributes', ref);
        memo.set(key, r);
      }
      return r;
    };
    this.folded = folded;
    try {
      for (const section of ['fields', 'payload', 'attributes', 'let'] as const) {
        for (const name of this.mapping[section].keys()) {
          const r = resolve(section, name);
          if (r.error) out.errors.push(r.error);
          else if (r.value !== undefined && section !== 'let') out[section][name] = r.value;
        }
      }
    } finally {
      this.folded = undefined;
    }
    return out;
  }

  private expression(spec: ValueSpec, type: FieldType, keepText: boolean, ref: (name: string) => unknown): Result {
    const s = spec.source as { expr: CompiledExpression };
    const values: Record<string, unknown> = {};
    for (const name of s.expr.names) values[name] = ref(name);
    if (this.functionsFor) this.expressions.use(this.functionsFor(ref));
    const r = this.expressions.run(s.expr, values, this.typesByName);
    if (r.error) return { error: { column: this.label(spec), reason: `the expression \`${truncate(s.expr.text)}\` fails on this row: ${r.error}` } };
    if (r.value === undefined) return {};
    return this.finish(spec, r.value, type, keepText);
  }

  private value(spec: ValueSpec, row: SourceRow, targetType: FieldType, keepText: boolean, ref: (name: string) => unknown): Result {
    const s = spec.source;
    // A folding value's result for the group being mapped (also as an item of a coalesce).
    if ('fold' in s) return this.folded ? this.folded(spec) : {};
    if (spec.when && !this.test(spec.when, row)) return {};
    let v: unknown;
    if ('column' in s) v = this.cell(row, s.column, spec.trim);
    else if ('const' in s) v = s.const;
    else if ('template' in s) {
      let text = '';
      for (const p of s.template) {
        if (typeof p === 'string') text += p;
        else {
          const c = this.cell(row, p.column, spec.trim);
          if (c === undefined) return {};
          text += String(c);
        }
      }
      v = text;
    } else if ('coalesce' in s) {
      for (const item of s.coalesce) {
        const r = this.value(item, row, targetType, keepText, ref);
        if (r.error || r.value !== undefined) {
          v = r.value;
          if (r.error) return r;
          break;
        }
      }
      // The items are already typed; only this spec's own transforms remain.
    } else if ('timestamp' in s) {
      return this.timestamp(s.timestamp, row, spec, ref);
    } else return {}; // expressions and folding values are computed by map()
    return this.finish(spec, v, targetType, keepText);
  }

  /** The transforms after the source, in their documented order, then the type. */
  private finish(spec: ValueSpec, v: unknown, targetType: FieldType, keepText: boolean): Result {
    const fail = (reason: string): Result => ({ error: { column: this.label(spec), reason } });
    if (v === undefined || v === null) return {};

    if (typeof v === 'string') {
      for (const r of spec.replace ?? []) v = (v as string).replace(r.re, r.with);
      if (spec.case === 'lower') v = (v as string).toLowerCase();
      else if (spec.case === 'upper') v = (v as string).toUpperCase();
      else if (spec.case === 'title') v = (v as string).toLowerCase().replace(/(^|[\s'-])(\p{L})/gu, (_m, a: string, b: string) => a + b.toUpperCase());
      if (v === '') return {};
    }
    if (spec.map) {
      const key = String(v);
      if (spec.map.has(key)) {
        v = spec.map.get(key);
        if (v === null) return {};
      }
    }
    if (spec.date && typeof v === 'string') {
      const d = parseDate(v, spec.date);
      if (!d) return fail(`\`${truncate(v)}\` is not a date ${describeFormats(spec.date.formats)}`);
      v = d;
    }
    if (spec.ageBand) {
      const band = typeof v === 'string' ? ageBand(v, spec.ageBand.asOf, spec.ageBand.bounds) : undefined;
      if (!band) return fail(`\`${truncate(String(v))}\` is not a birth date on or before ${spec.ageBand.asOf}`);
      v = band;
    }
    if (spec.duration && typeof v === 'string') {
      const secs = parseDuration(v);
      if (secs === undefined) return fail(`\`${truncate(v)}\` is not a duration; write H:MM:SS, M:SS or seconds`);
      v = secs;
    }
    const type: FieldType = spec.type ?? (spec.number ? 'number' : keepText ? 'string' : targetType);
    const c = coerce(v, type, { zone: this.zone, ...(spec.number ? { number: spec.number } : {}) });
    return c.ok ? { value: c.value } : fail(c.reason);
  }

  private timestamp(t: TimestampSpec, row: SourceRow, spec: ValueSpec, ref: (name: string) => unknown): Result {
    const column = this.label(spec);
    const text = (c: string) => {
      const v = this.cell(row, c, true);
      return v === undefined ? undefined : String(v);
    };
    let input: string | undefined;
    if (t.column) input = text(t.column);
    else {
      const d = text(t.date!);
      const tm = t.time ? text(t.time) : '';
      input = d === undefined || tm === undefined ? undefined : tm ? `${d} ${tm}` : d;
    }
    if (input === undefined) return {};
    const parsed = parseInstant(input, { zone: this.zone, ...(t.formats ? { formats: t.formats } : {}), ...(t.twoDigitYearStart !== undefined ? { twoDigitYearStart: t.twoDigitYearStart } : {}) });
    if (!parsed) return { error: { column, reason: `\`${truncate(input)}\` is not a date and time ${describeFormats(t.formats)}` } };
    // Arithmetic on epoch milliseconds: Luxon objects per row would cost more than the parsing.
    let ms = parsed.toMillis();
    for (const p of t.plus) {
      const v = text(p.column);
      if (v === undefined) return {};
      const n = p.hms ? parseDuration(v) : parseNumber(v);
      if (n === undefined || n < 0) return { error: { column: p.column, reason: `\`${truncate(v)}\` is not a ${p.hms ? 'duration (H:MM:SS)' : 'number of ' + unitName(p.secondsPerUnit)} to add` } };
      ms += n * (p.hms ? 1 : p.secondsPerUnit) * 1000;
    }
    if (t.after) {
      const before = ref(t.after);
      // A time of day far earlier than the one it follows is on the next day (the call ran past
      // midnight); a few minutes earlier is a clock difference between systems, kept as recorded.
      if (typeof before === 'string') {
        const b = Date.parse(before);
        if (b - ms > ROLLOVER_HOURS * 3_600_000) ms += 86_400_000;
      }
    }
    if (outsideYears(ms)) return { error: { column, reason: yearsReason(input) } };
    return { value: isoFromMillis(ms) };
  }

  private cell(row: SourceRow, column: string, trim: boolean | undefined): unknown {
    const v = Object.hasOwn(row.values, column) ? row.values[column] : undefined;
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') return v;
    const t = (trim ?? this.mapping.trim) ? v.trim() : v;
    return t === '' ? undefined : t;
  }

  private test(c: Condition, row: SourceRow): boolean {
    if ('items' in c) return c.op === 'all' ? c.items.every((i) => this.test(i, row)) : c.items.some((i) => this.test(i, row));
    const v = this.cell(row, c.column, true);
    const text = v === undefined ? undefined : String(v);
    switch (c.op) {
      case 'empty':
        return (text === undefined) === c.empty;
      case 'equals':
      case 'in':
        return text !== undefined && c.values.includes(text);
      case 'notEquals':
      case 'notIn':
        return text === undefined || !c.values.includes(text);
    }
  }

  private label(spec: ValueSpec): string {
    let l = this.labels.get(spec);
    if (l === undefined) {
      l = [...new Set(columnsOf(spec))].join('+') || '(constant)';
      this.labels.set(spec, l);
    }
    return l;
  }
}

function columnsOf(spec: ValueSpec): string[] {
  const s = spec.source;
  if ('column' in s) return [s.column];
  if ('template' in s) return s.template.flatMap((p) => (typeof p === 'string' ? [] : [p.column]));
  if ('coalesce' in s) return s.coalesce.flatMap(columnsOf);
  if ('timestamp' in s) {
    const t = s.timestamp;
    return [t.column, t.date, t.time, ...t.plus.map((p) => p.column)].filter((x): x is string => !!x);
  }
  if ('fold' in s) return 'of' in s.fold ? columnsOf(s.fold.of) : [];
  if ('expr' in s) return [`(${s.expr.text})`];
  return [];
}

function unitName(secondsPerUnit: number): string {
  return secondsPerUnit === 3600 ? 'hours' : secondsPerUnit === 60 ? 'minutes' : 'seconds';
}

/** The type of a `let` value: its `type`, else what its folding value gives. */
function letType(spec: ValueSpec): FieldType {
  if (spec.type) return spec.type;
  const s = spec.source;
  if ('timestamp' in s) return 'date-time';
  if (!('fold' in s)) return 'string';
  const op: FoldOp['op'] = s.fold.op;
  if (op === 'count' || op === 'distinct' || op === 'changes') return 'integer';
  if (op === 'secondsWhile') return 'number';
  if (op === 'firstTime' || op === 'lastTime') return 'date-time';
  return 'of' in s.fold && s.fold.of.source && 'timestamp' in s.fold.of.source ? 'date-time' : 'string';
}
