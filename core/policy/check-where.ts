// Static checks of a fact's segment (`params.where`) and target table (sla-attainment's
// `targets`) against the fields of the metric's record kind, custom fields included: an unknown
// field or a value that could never match is reported where it is written, since at run time it
// would quietly select no record at all.
import type { ErrorCode } from '../diagnostics/codes.ts';
import type { MetricInfo, Registry, RecordKindSchema } from '../registry/registry.ts';
import { didYouMean } from '../util/did-you-mean.ts';
import { BOUND_OPS } from '../metrics/where.ts';
import { keyValues, targetTableParams } from '../metrics/targets.ts';
import type { PathSegment } from './yaml-source.ts';

type Report = (code: ErrorCode, message: string, path: PathSegment[], which?: 'key' | 'value') => void;
type FieldSchema = Record<string, unknown>;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The field's plain JSON type (`integer`, `string`…), ignoring null in a union. */
function typeOf(schema: FieldSchema): string | undefined {
  const t = Array.isArray(schema.type) ? schema.type.filter((x) => x !== 'null') : [schema.type];
  return t.length === 1 && typeof t[0] === 'string' ? t[0] : undefined;
}

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);
const spell = (v: unknown) => (typeof v === 'string' ? `\`${v}\` (text)` : `\`${JSON.stringify(v)}\``);

/** Why `value` can never equal a value of the field, or undefined when it can. */
export function valueProblem(field: string, schema: FieldSchema, value: unknown, noun: string): string | undefined {
  const type = typeOf(schema);
  const fits = type === undefined ? true
    : type === 'integer' ? Number.isInteger(value)
      : type === 'number' ? typeof value === 'number'
        : typeof value === type;
  if (!fits) return `\`${field}\` is ${article(type!)} field; ${spell(value)} would match no ${noun}.${type === 'integer' || type === 'number' ? ' Write the number without quotes.' : ''}`;
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => e === value)) {
    return `${spell(value)} is not a value of \`${field}\`, so it would match no ${noun}. Its values: ${schema.enum.map((e) => `\`${String(e)}\``).join(', ')}.`;
  }
  if (typeof value === 'number') {
    const min = typeof schema.minimum === 'number' ? schema.minimum : undefined;
    const max = typeof schema.maximum === 'number' ? schema.maximum : undefined;
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
      return `${value} is outside the values of \`${field}\` (${min ?? '−∞'}–${max ?? '∞'}), so it would match no ${noun}.`;
    }
  }
  return undefined;
}

/** The fields a kind's records have, with their schemas. */
function fieldsOf(kind: RecordKindSchema): Record<string, FieldSchema> {
  return (isObject(kind.schema.properties) ? kind.schema.properties : {}) as Record<string, FieldSchema>;
}

/** `ticket` of `support.ticket`: what a kind's records are called in messages. */
const nounOf = (kind: RecordKindSchema) => kind.id.slice(kind.id.lastIndexOf('.') + 1);

function unknownField(kind: RecordKindSchema, field: string, fields: Record<string, FieldSchema>): string {
  const names = Object.keys(fields);
  return `${kind.id} records have no field \`${field}\`.${didYouMean(field, names)} Its fields: ${names.join(', ')}. Fields an organisation adds are declared under records.${kind.id}.fields in appraise.config.yaml.`;
}

function checkWhere(where: Record<string, unknown>, kind: RecordKindSchema, at: PathSegment[], report: Report): void {
  const fields = fieldsOf(kind);
  const noun = nounOf(kind);
  for (const [field, value] of Object.entries(where)) {
    const schema = Object.hasOwn(fields, field) ? fields[field] : undefined;
    if (!isObject(schema)) {
      report('APPRAISE_POLICY_UNKNOWN_FIELD', unknownField(kind, field, fields), [...at, field], 'key');
      continue;
    }
    if (isObject(value)) {
      const type = typeOf(schema);
      if (type !== 'integer' && type !== 'number') {
        report('APPRAISE_POLICY_BAD_WHERE', `\`${field}\` is ${type ? article(type) : 'not a number'} field; gt, gte, lt and lte compare numbers. Give a value or a list of values instead.`, [...at, field]);
        continue;
      }
      if (Object.keys(value).length === 0) report('APPRAISE_POLICY_BAD_WHERE', `Give at least one bound for \`${field}\`, e.g. \`{ gte: 1 }\`.`, [...at, field]);
      for (const [op, n] of Object.entries(value)) {
        if (!(BOUND_OPS as readonly string[]).includes(op)) report('APPRAISE_POLICY_BAD_WHERE', `\`${op}\` is not a bound.${didYouMean(op, BOUND_OPS)} Use gt, gte, lt or lte.`, [...at, field, op], 'key');
        else if (typeof n !== 'number') report('APPRAISE_POLICY_BAD_WHERE', `\`${field}\` ${op} needs a number, not ${spell(n)}.`, [...at, field, op]);
      }
      continue;
    }
    const values = Array.isArray(value) ? value : [value];
    if (values.length === 0) report('APPRAISE_POLICY_BAD_WHERE', `An empty list for \`${field}\` would match no ${noun}; give at least one value.`, [...at, field]);
    values.forEach((v, i) => {
      const where = Array.isArray(value) ? [...at, field, i] : [...at, field];
      const problem = v === null || typeof v === 'object' ? `Give \`${field}\` a single value or a list of values, not ${JSON.stringify(v)}.` : valueProblem(field, schema, v, noun);
      if (problem) report('APPRAISE_POLICY_BAD_WHERE', problem, where);
    });
  }
}

function checkTargetTable(table: Record<string, unknown>, kind: RecordKindSchema, at: PathSegment[], report: Report): void {
  const fields = fieldsOf(kind);
  const field = table.field;
  if (typeof field !== 'string') return; // the params schema says so
  const schema = Object.hasOwn(fields, field) ? fields[field] : undefined;
  if (!isObject(schema)) {
    report('APPRAISE_POLICY_UNKNOWN_FIELD', unknownField(kind, field, fields), [...at, 'field']);
    return;
  }
  if (!isObject(table.within)) return;
  for (const key of Object.keys(table.within)) {
    // A YAML key is text: `"1"` stands for the number 1 of an integer field.
    const values = keyValues(key);
    const problems = values.map((v) => valueProblem(field, schema, v, nounOf(kind)));
    if (!problems.every(Boolean)) continue;
    // Text that reads as no other type: the problem is the type, not the quotes.
    const message = values.length > 1 ? problems[problems.length - 1]! : `\`${field}\` is ${article(typeOf(schema) ?? 'other')} field, so a target for \`${key}\` would apply to no ${nounOf(kind)}.`;
    report('APPRAISE_POLICY_BAD_WHERE', message, [...at, 'within', key], 'key');
  }
}

/** Checks a declared fact's `params.where` and target tables against its metric's record kind. */
export function checkFactSegment(params: Record<string, unknown> | undefined, metric: MetricInfo, registry: Registry, at: PathSegment[], report: Report): void {
  const kind = metric.recordKind ? registry.recordKinds?.get(metric.recordKind) : undefined;
  if (!params || !kind) return;
  if (isObject(params.where)) checkWhere(params.where, kind, [...at, 'where'], report);
  for (const [name] of targetTableParams(metric.paramsSchema)) {
    if (isObject(params[name])) checkTargetTable(params[name] as Record<string, unknown>, kind, [...at, name], report);
  }
}
