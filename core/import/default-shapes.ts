// The row shapes a file has when no mapping is given. CSV: records have employeeId,
// occurredAt, externalId?, source? and one column per payload field; employees have the
// employee fields and every other column becomes an attribute. These are built as mappings, so
// one code path reads both. NDJSON rows are already objects and are only checked and normalised.
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import { didYouMean } from '../util/did-you-mean.ts';
import type { RecordKindInfo } from '../plugins/manifest.ts';
import { coerce, typeOfProperty, type FieldType } from './coerce.ts';
import { outsideYears, yearsReason } from './datetime.ts';
import { EMPLOYEE_FIELDS, RECORD_FIELDS, type Mapping, type ValueSpec } from './mapping.ts';
import type { CellError, MappedRow } from './mapping-apply.ts';
import type { SourceRow } from './read-rows.ts';

const ATTRIBUTE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

function column(name: string): ValueSpec {
  return { at: [], source: { column: name } };
}

function emptyMapping(id: string, target: Mapping['target']): Mapping {
  return { id, target, trim: true, skip: [], fields: new Map(), payload: new Map(), attributes: new Map(), let: new Map() };
}

/** The payload properties of a kind, and whether it accepts others. */
export function payloadFields(kind: RecordKindInfo): { types: Record<string, FieldType>; closed: boolean } {
  const props = (kind.schema.properties ?? {}) as Record<string, unknown>;
  const types: Record<string, FieldType> = {};
  for (const [k, v] of Object.entries(props)) types[k] = typeOfProperty(v);
  return { types, closed: kind.schema.additionalProperties === false };
}

export function defaultRecordMapping(file: string, header: string[], kind: RecordKindInfo): Mapping {
  const { types, closed } = payloadFields(kind);
  const payloadNames = Object.keys(types);
  const expected = `employeeId, occurredAt, externalId (optional), source (optional), then one per payload field of ${kind.id}: ${payloadNames.join(', ')}`;
  for (const required of ['employeeId', 'occurredAt']) {
    if (!header.includes(required)) {
      throw new AppraiseError('APPRAISE_IMPORT_BAD_FILE', `${file}:1: the header has no column \`${required}\`.${didYouMean(required, header)} The columns are ${expected}. For another layout, describe it with --map <mapping.yaml>.`);
    }
  }
  const m = emptyMapping(`default-${kind.id}`, 'records');
  for (const name of header) {
    if ((RECORD_FIELDS as readonly string[]).includes(name)) m.fields.set(name, column(name));
    else if (!closed || Object.hasOwn(types, name)) m.payload.set(name, column(name));
    else {
      throw new AppraiseError('APPRAISE_IMPORT_BAD_FILE', `${file}:1: the column \`${name}\` is not a field of ${kind.id}.${didYouMean(name, [...payloadNames, ...RECORD_FIELDS])} The columns are ${expected}. Remove or rename it, or describe the file with --map <mapping.yaml>.`);
    }
  }
  return m;
}

export function defaultEmployeeMapping(file: string, header: string[]): Mapping {
  for (const required of ['id', 'name']) {
    if (!header.includes(required)) {
      throw new AppraiseError('APPRAISE_IMPORT_BAD_FILE', `${file}:1: the header has no column \`${required}\`.${didYouMean(required, header)} The columns are ${EMPLOYEE_FIELDS.join(', ')}; any other column becomes an attribute. For another layout, describe it with --map <mapping.yaml>.`);
    }
  }
  const m = emptyMapping('default-employees', 'employees');
  for (const name of header) {
    if ((EMPLOYEE_FIELDS as readonly string[]).includes(name)) m.fields.set(name, column(name));
    else if (ATTRIBUTE_NAME.test(name)) m.attributes.set(name, column(name));
    else {
      throw new AppraiseError('APPRAISE_IMPORT_BAD_FILE', `${file}:1: the column \`${name}\` cannot become an attribute: attribute names start with a letter and hold only letters, digits and _ (at most 63). Rename it (e.g. \`${name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^[^A-Za-z]+/, '') || 'attr'}\`), or use --map.`);
    }
  }
  return m;
}

const NDJSON_RECORD_KEYS = ['employeeId', 'occurredAt', 'externalId', 'source', 'payload'];

/** An NDJSON record line: `{employeeId, occurredAt, externalId?, source?, payload: {...}}`. */
export function ndjsonRecord(row: SourceRow, payloadTypes: Record<string, FieldType>, zone: string): MappedRow {
  const out: MappedRow = { fields: {}, payload: {}, attributes: {}, errors: [] };
  const v = row.values;
  const err = (column: string, reason: string) => out.errors.push({ column, reason });
  for (const k of Object.keys(v)) {
    if (!NDJSON_RECORD_KEYS.includes(k)) err(k, `\`${k}\` is not a key of a record line.${didYouMean(k, NDJSON_RECORD_KEYS)} A line is {"employeeId", "occurredAt", "externalId"?, "source"?, "payload": {…}}`);
  }
  for (const k of ['employeeId', 'externalId', 'source']) {
    if (v[k] === undefined || v[k] === null || v[k] === '') continue;
    if (typeof v[k] === 'string') out.fields[k] = (v[k] as string).trim();
    else if (k !== 'source' && typeof v[k] === 'number') out.fields[k] = String(v[k]);
    else err(k, `\`${k}\` must be a string`);
  }
  if (typeof v.occurredAt === 'string' && v.occurredAt.trim()) {
    const c = coerce(v.occurredAt, 'date-time', { zone });
    if (c.ok) out.fields.occurredAt = c.value;
    else err('occurredAt', c.reason);
  } else if (v.occurredAt !== undefined && v.occurredAt !== null) err('occurredAt', '`occurredAt` must be a date and time as text, e.g. "2021-03-01T09:30:00Z"');
  if (v.payload === undefined || v.payload === null) err('payload', 'the line has no `payload` object');
  else if (typeof v.payload !== 'object' || Array.isArray(v.payload)) err('payload', '`payload` must be an object');
  else {
    for (const [k, value] of Object.entries(v.payload as Record<string, unknown>)) {
      // Instants without a zone are read in the import's zone, like CSV cells.
      if (payloadTypes[k] === 'date-time' && typeof value === 'string') {
        const c = coerce(value, 'date-time', { zone });
        if (!c.ok) err(`payload.${k}`, c.reason);
        else out.payload[k] = c.value;
      } else out.payload[k] = value;
    }
  }
  return out;
}

/** An NDJSON employee line: the employee object of schemas/employee.schema.json. */
export function ndjsonEmployee(row: SourceRow): MappedRow {
  const out: MappedRow = { fields: {}, payload: {}, attributes: {}, errors: [] };
  for (const [k, value] of Object.entries(row.values)) {
    if (k === 'attributes' && value && typeof value === 'object' && !Array.isArray(value)) out.attributes = { ...(value as Record<string, unknown>) };
    else if (value !== null && value !== undefined) out.fields[k] = typeof value === 'string' ? value.trim() : value;
  }
  // A date the store cannot keep (year 0) is named here; other shapes are the schema's to judge.
  const hire = out.fields.hireDate;
  if (typeof hire === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(hire) && outsideYears(hire)) out.errors.push({ column: 'hireDate', reason: yearsReason(hire) });
  return out;
}

export type { CellError };
