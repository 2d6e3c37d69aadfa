// Validating a mapped row against its target: a record's payload against its kind's JSON Schema
// plus the record's own rules (an instant, an employee that exists), an employee against
// schemas/employee.schema.json. ajv's errors become one plain reason per column of the file.
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { ErrorCode } from '../diagnostics/codes.ts';
import type { RecordKindInfo } from '../plugins/manifest.ts';
import { ajv, schemaValidator } from '../policy/schema-check.ts';
import { truncate } from './coerce.ts';
import type { MappedRow } from './mapping-apply.ts';

export interface RowProblem {
  code: ErrorCode;
  column: string;
  reason: string;
  /** The line, where it is not the first of the rows refused (a folded group's bad row). */
  line?: number;
}

/** Which column of the file a target field came from (`payload`/`fields`/`attributes`, name). */
export type ColumnOf = (section: 'fields' | 'payload' | 'attributes', name: string) => string;

const validators = new WeakMap<object, ValidateFunction>();

export function payloadValidator(kind: RecordKindInfo): ValidateFunction {
  let v = validators.get(kind.schema);
  if (!v) {
    v = ajv().compile(kind.schema);
    validators.set(kind.schema, v);
  }
  return v;
}

export interface RecordContext {
  kind: RecordKindInfo;
  validate: ValidateFunction;
  columnOf: ColumnOf;
  employees: ReadonlySet<string>;
}

export function recordProblems(row: MappedRow, ctx: RecordContext): RowProblem[] {
  const out: RowProblem[] = row.errors.map((e) => ({ code: 'APPRAISE_IMPORT_INVALID_ROW', ...e }));
  const employeeId = row.fields.employeeId;
  if (employeeId === undefined) {
    out.push({ code: 'APPRAISE_IMPORT_INVALID_ROW', column: ctx.columnOf('fields', 'employeeId'), reason: 'the employee id is empty; every record belongs to an employee' });
  } else if (typeof employeeId !== 'string') {
    out.push({ code: 'APPRAISE_IMPORT_INVALID_ROW', column: ctx.columnOf('fields', 'employeeId'), reason: `the employee id must be text, not ${JSON.stringify(employeeId)}` });
  } else if (!ctx.employees.has(employeeId)) {
    out.push({ code: 'APPRAISE_IMPORT_UNKNOWN_EMPLOYEE', column: ctx.columnOf('fields', 'employeeId'), reason: `no employee \`${truncate(employeeId)}\` in the store${caseHint(employeeId, ctx.employees)}; import employees first (npx appraise import employees <file>) or correct the id` });
  }
  if (row.fields.occurredAt === undefined && !row.errors.some((e) => e.column === ctx.columnOf('fields', 'occurredAt'))) {
    out.push({ code: 'APPRAISE_IMPORT_INVALID_ROW', column: ctx.columnOf('fields', 'occurredAt'), reason: 'the record has no time (occurredAt); every record needs the instant it happened' });
  }
  if (!ctx.validate(row.payload)) {
    out.push(...describeErrors(ctx.validate.errors ?? [], (path) => ctx.columnOf('payload', String(path[0] ?? '')), `a field of ${ctx.kind.id}`, failedColumns(row)));
  }
  return out;
}

let employeeValidator: ValidateFunction | undefined;

export function employeeProblems(row: MappedRow, columnOf: ColumnOf): { employee: Record<string, unknown>; problems: RowProblem[] } {
  const employee: Record<string, unknown> = { ...row.fields };
  if (Object.keys(row.attributes).length) employee.attributes = row.attributes;
  const out: RowProblem[] = row.errors.map((e) => ({ code: 'APPRAISE_IMPORT_INVALID_ROW', ...e }));
  employeeValidator ??= schemaValidator('employee.schema.json');
  if (!employeeValidator(employee)) {
    const col = (path: Array<string | number>) =>
      path[0] === 'attributes' && path.length > 1 ? columnOf('attributes', String(path[1])) : columnOf('fields', String(path[0] ?? ''));
    out.push(...describeErrors(employeeValidator.errors ?? [], col, 'an employee field', failedColumns(row)));
  }
  return { employee, problems: out };
}

/**
 * Columns whose value already failed (a bad number is missing from the payload), or undefined
 * when nothing failed. When something did, "required" and "needs one of" are its echoes.
 */
function failedColumns(row: MappedRow): Set<string> | undefined {
  return row.errors.length ? new Set(row.errors.map((e) => e.column)) : undefined;
}

function caseHint(id: string, known: ReadonlySet<string>): string {
  // Only a cheap hint: ids that differ in case or surrounding spaces (no edit distance over 100k ids).
  for (const candidate of [id.toUpperCase(), id.toLowerCase(), id.trim()]) {
    if (candidate !== id && known.has(candidate)) return ` (there is \`${candidate}\`)`;
  }
  return '';
}

const FORMATS: Record<string, string> = {
  'date-time': 'a date and time with a zone, e.g. 2021-03-01T09:30:00Z',
  date: 'a date YYYY-MM-DD',
  email: 'an e-mail address',
};

function pathOf(e: ErrorObject): Array<string | number> {
  const p = e.instancePath ? e.instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')) : [];
  if (e.keyword === 'required') p.push((e.params as { missingProperty: string }).missingProperty);
  if (e.keyword === 'additionalProperties') p.push((e.params as { additionalProperty: string }).additionalProperty);
  if (e.keyword === 'propertyNames') p.push((e.params as { propertyName: string }).propertyName);
  return p;
}

export function describeErrors(errors: ErrorObject[], columnOf: (path: Array<string | number>) => string, what: string, failed?: Set<string>): RowProblem[] {
  // `anyOf` of `required` branches (a survey needs csat, nps or ces) is one problem, not three.
  const anyOf = errors.filter((e) => e.keyword === 'anyOf');
  const inside = (e: ErrorObject) => anyOf.some((a) => e !== a && e.schemaPath.startsWith(a.schemaPath.replace(/\/anyOf$/, '/anyOf/')));
  const out: RowProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (inside(e)) continue;
    // propertyNames reports the name's own failure (pattern) as a second error; one is enough.
    if ((e as { propertyName?: string }).propertyName !== undefined) continue;
    if (failed && (e.keyword === 'required' || e.keyword === 'anyOf')) continue;
    const path = pathOf(e);
    const value = e.data;
    const field = String(path[path.length - 1] ?? '');
    let reason: string;
    const p = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'required':
        reason = `\`${field}\` is required but the row has no value for it`;
        break;
      case 'additionalProperties':
        reason = `\`${field}\` is not ${what}`;
        break;
      case 'type':
        reason = `\`${field}\` must be ${article(String(p.type))}, not ${show(value)}`;
        break;
      case 'minimum':
      case 'exclusiveMinimum':
        reason = `${show(value)} is below the ${e.keyword === 'minimum' ? 'lowest allowed value' : 'limit (exclusive)'} ${String(p.limit)} of \`${field}\``;
        break;
      case 'maximum':
      case 'exclusiveMaximum':
        reason = `${show(value)} is above the ${e.keyword === 'maximum' ? 'highest allowed value' : 'limit (exclusive)'} ${String(p.limit)} of \`${field}\``;
        break;
      case 'enum':
        reason = `\`${field}\` must be one of ${(p.allowedValues as unknown[]).map((v) => `\`${String(v)}\``).join(', ')}, not ${show(value)} (a mapping's \`map\` can translate values)`;
        break;
      case 'const':
        reason = `\`${field}\` must be \`${String(p.allowedValue)}\`, not ${show(value)}`;
        break;
      case 'format':
        reason = `${show(value)} is not ${FORMATS[String(p.format)] ?? `a valid ${String(p.format)}`}`;
        break;
      case 'minLength':
        reason = Number(p.limit) <= 1 ? `\`${field}\` must not be empty` : `\`${field}\` needs at least ${String(p.limit)} characters`;
        break;
      case 'maxLength':
        reason = `\`${field}\` is longer than ${String(p.limit)} characters`;
        break;
      case 'pattern':
        reason = field === 'id' || field === 'employeeId' || field === 'managerId'
          ? `${show(value)} is not a usable id: no spaces at the ends, no double spaces or tabs`
          : `${show(value)} does not have the form \`${field}\` needs (${String(p.pattern)})`;
        break;
      case 'propertyNames':
        reason = `\`${field}\` cannot be an attribute name: start with a letter, use only letters, digits and _`;
        break;
      case 'anyOf': {
        const alternatives = errors.filter((x) => x !== e && x.keyword === 'required' && x.schemaPath.startsWith(e.schemaPath.replace(/\/anyOf$/, '/anyOf/')));
        reason = alternatives.length
          ? `the row needs at least one of ${alternatives.map((x) => `\`${(x.params as { missingProperty: string }).missingProperty}\``).join(', ')}`
          : `the values do not fit any of the allowed shapes (${e.message ?? 'anyOf'})`;
        break;
      }
      default:
        reason = `\`${field}\` ${e.message ?? 'is invalid'}`;
    }
    const column = e.keyword === 'anyOf' && path.length === 0 ? '(row)' : columnOf(path);
    if (failed?.has(column)) continue;
    const key = `${column}\0${reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ code: 'APPRAISE_IMPORT_INVALID_ROW', column, reason });
  }
  return out;
}

function show(v: unknown): string {
  if (typeof v === 'string') return `\`${truncate(v)}\``;
  if (v === null || v === undefined) return 'nothing';
  return `\`${truncate(JSON.stringify(v))}\``;
}

function article(types: string): string {
  const names: Record<string, string> = { string: 'text', integer: 'a whole number', number: 'a number', boolean: 'true or false', object: 'an object', array: 'a list', null: 'empty' };
  return types.split(',').map((t) => names[t] ?? t).join(' or ');
}
