// Target tables in a metric's params (SLA attainment by priority): `{ field: priority, measure:
// resolution, within: { "1": 4h, "2": 8h } }`. A metric offers one by marking a param of its
// paramsSchema with `x-targetTable`: `replaces` names the per-record yes/no field the table
// stands in for, `measures` the durations a target can be about (a [from, to] pair of instants,
// or a field of seconds). Given the param, the formula is rewritten within the aggregate
// language: `{ field: <replaces>, eq: true }` becomes "the record's duration is within the
// target for its value" (an `or` of `and`s), and `{ exists: <replaces> }` becomes "the record's
// value has a target and its duration is known". Records whose value has no target are thus not
// counted at all; the SQL translation and the evaluator need nothing new.
import { isObject } from './aggregate/compile.ts';
import { AggregateExpressionError, type AggregateExpression, type AggregateField, type AggregateFilter, type Scalar } from './aggregate/types.ts';
import { parseDuration } from '../policy/duration.ts';

export interface TargetTableSpec {
  /** The per-record boolean field the table replaces (`slaMet`). */
  replaces: string;
  /** Measure name → the duration it reads. */
  measures: Record<string, AggregateField>;
  /** The measure when the param names none. */
  defaultMeasure?: string;
}

export interface TargetTable {
  field: string;
  measure?: string;
  /** Value of `field` → the longest duration that meets the target, as the policy writes it (`4h`). */
  within: Record<string, string>;
}

/** The params of a metric's schema that hold target tables, with their spec. */
export function targetTableParams(paramsSchema: Record<string, unknown> | undefined): Array<[string, TargetTableSpec]> {
  const props = isObject(paramsSchema?.properties) ? paramsSchema.properties : {};
  return Object.entries(props).flatMap(([name, s]) => (isObject(s) && isObject(s['x-targetTable']) ? [[name, s['x-targetTable'] as unknown as TargetTableSpec] as [string, TargetTableSpec]] : []));
}

/**
 * The values a table key stands for: YAML keys are text, so `"1"` also means the number 1 and
 * `"true"` the boolean (a field holds one type, so the other spelling matches nothing).
 */
export function keyValues(key: string): Scalar[] {
  const out: Scalar[] = [key];
  if (/^-?\d+(\.\d+)?$/.test(key)) out.push(Number(key));
  if (key === 'true' || key === 'false') out.push(key === 'true');
  return out;
}

/** The measure a table reads, by name (the spec's default when the table names none). */
export function measureOf(spec: TargetTableSpec, table: TargetTable, param: string): AggregateField {
  const name = table.measure ?? spec.defaultMeasure ?? Object.keys(spec.measures)[0];
  const field = spec.measures[name];
  if (field === undefined) throw new AggregateExpressionError(`params.${param}.measure must be one of ${Object.keys(spec.measures).join(', ')}, not ${JSON.stringify(name)}`, '');
  return field;
}

/** The two filters a table means: the record meets its target; the record has a target and a duration. */
export function targetFilters(spec: TargetTableSpec, table: TargetTable, param: string): { met: AggregateFilter; covered: AggregateFilter } {
  if (!isObject(table) || typeof table.field !== 'string' || !isObject(table.within) || Object.keys(table.within).length === 0) {
    throw new AggregateExpressionError(`params.${param} needs a field and a non-empty \`within\` table, such as { field: priority, within: { "1": 4h } }`, '');
  }
  const measure = measureOf(spec, table, param);
  const met = Object.entries(table.within).map(([key, text]): AggregateFilter => {
    const seconds = parseDuration(String(text));
    if (seconds === undefined) throw new AggregateExpressionError(`params.${param}.within.${key} must be a duration such as 4h, not ${JSON.stringify(text)}`, '');
    return { and: [{ field: table.field, in: keyValues(key) }, { field: measure, lte: seconds }] };
  });
  return {
    met: met.length === 1 ? met[0] : { or: met },
    covered: { and: [{ field: table.field, in: Object.keys(table.within).flatMap(keyValues) }, { exists: measure }] },
  };
}

/** The formula with the filters on `spec.replaces` swapped for the table's. The input is not changed. */
export function applyTargetTable(expr: AggregateExpression, spec: TargetTableSpec, table: TargetTable, param: string): AggregateExpression {
  const { met, covered } = targetFilters(spec, table, param);
  const filter = (f: unknown): unknown => {
    if (!isObject(f)) return f;
    if (f.field === spec.replaces) {
      if (f.eq === true && Object.keys(f).length === 2) return met;
      throw new AggregateExpressionError(`the formula compares ${spec.replaces} in a way a target table cannot stand in for (only \`eq: true\` and \`exists\`)`, '');
    }
    if (f.exists === spec.replaces) return covered;
    if (Object.hasOwn(f, 'not')) return { not: filter(f.not) };
    for (const op of ['and', 'or']) if (Array.isArray(f[op])) return { [op]: (f[op] as unknown[]).map(filter) };
    return f;
  };
  const walk = (e: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...e };
    for (const key of ['where', 'count', 'share']) if (isObject(e[key])) out[key] = filter(e[key]);
    if (isObject(e.of)) out.of = filter(e.of);
    else if (e.of === spec.replaces) out.of = covered;
    if (isObject(e.cases)) out.cases = Object.fromEntries(Object.entries(e.cases).map(([k, c]) => [k, walk(c as Record<string, unknown>)]));
    for (const op of ['add', 'sub', 'mul', 'div']) if (Array.isArray(e[op])) out[op] = (e[op] as Record<string, unknown>[]).map(walk);
    return out;
  };
  return walk(expr as Record<string, unknown>) as AggregateExpression;
}
