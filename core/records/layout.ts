// The typed layout of a record kind: which payload fields get a column of their own, of which
// SQL type, derived from the kind's JSON Schema. A run's metric queries then read narrow typed
// columns instead of extracting and checking JSONB per record per run; the payload itself stays
// in `records`, losslessly, for audit and replay. A field the schema does not type plainly (a
// union, an object, no `type`) has no column: formulas reading it use the payload as before.
import { createHash } from 'node:crypto';

/**
 * How a field is stored. Integers get the narrowest type their schema bounds allow (exact, and
 * sums of them stay exact in bigint/numeric); other numbers are numeric, which holds a JSON
 * number's decimal text exactly as jsonb does, so sums are what they were over the payload.
 * `instant` is a date-time text kept as text (equality filters) beside its microseconds since
 * the epoch, as the evaluator reads it (durations cost one subtraction).
 */
export type FieldType = 'smallint' | 'integer' | 'bigint' | 'numeric' | 'boolean' | 'text' | 'instant';

export interface FieldColumn {
  field: string;
  type: FieldType;
  /** The column's name in the kind's table (field names are not SQL identifiers). */
  column: string;
}

export interface RecordLayout {
  kind: string;
  /** The kind's typed table: `rk_<kind>_<hash>`, a new name whenever the layout changes. */
  table: string;
  /** Of the columns (names and types): equal layouts have equal hashes. */
  hash: string;
  fields: FieldColumn[];
}

const BOUNDS: Array<[FieldType, number, number]> = [
  ['smallint', -32768, 32767],
  ['integer', -2147483648, 2147483647],
  ['bigint', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
];

type Schema = Record<string, unknown>;

/** The plain type of a property's schema, or undefined when it has none that one column holds. */
export function fieldType(schema: Schema): FieldType | undefined {
  let type = schema.type;
  if (Array.isArray(type)) {
    const notNull = type.filter((t) => t !== 'null');
    type = notNull.length === 1 ? notNull[0] : undefined;
  }
  if (type === undefined && Array.isArray(schema.enum) && schema.enum.length > 0) {
    const kinds = new Set(schema.enum.filter((v) => v !== null).map((v) => typeof v));
    type = kinds.size === 1 ? { string: 'string', boolean: 'boolean' }[[...kinds][0] as string] : undefined;
  }
  switch (type) {
    case 'string':
      return schema.format === 'date-time' ? 'instant' : 'text';
    case 'boolean':
      return 'boolean';
    case 'number':
      return 'numeric';
    case 'integer': {
      const lo = lowerBound(schema);
      const hi = upperBound(schema);
      if (lo === undefined || hi === undefined) return 'numeric';
      return BOUNDS.find(([, min, max]) => lo >= min && hi <= max)?.[0] ?? 'numeric';
    }
    default:
      return undefined;
  }
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
function lowerBound(s: Schema): number | undefined {
  const a = num(s.minimum);
  const b = num(s.exclusiveMinimum);
  return a === undefined ? (b === undefined ? undefined : Math.floor(b) + 1) : b === undefined ? Math.ceil(a) : Math.max(Math.ceil(a), Math.floor(b) + 1);
}
function upperBound(s: Schema): number | undefined {
  const a = num(s.maximum);
  const b = num(s.exclusiveMaximum);
  return a === undefined ? (b === undefined ? undefined : Math.ceil(b) - 1) : b === undefined ? Math.floor(a) : Math.min(Math.floor(a), Math.ceil(b) - 1);
}

/** A readable, safe identifier fragment of a name. */
const slug = (s: string, max: number): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, max) || 'x';
const shortHash = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 10);

/**
 * The layout of a kind from its payload schema. `untyped` names fields whose stored records do
 * not all fit the type the schema gives them (records imported under an older schema): those
 * stay without a column, read from the payload, so no record's value is ever lost or misread.
 */
export function recordLayout(kind: string, schema: Schema, untyped: ReadonlySet<string> = new Set()): RecordLayout {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const fields: FieldColumn[] = [];
  for (const [field, property] of Object.entries(properties)) {
    if (untyped.has(field) || typeof property !== 'object' || property === null) continue;
    const type = fieldType(property);
    if (type) fields.push({ field, type, column: `f${fields.length}_${slug(field, 24)}` });
  }
  const hash = shortHash(JSON.stringify([kind, fields.map((f) => [f.field, f.type, f.column])]));
  return { kind, table: `rk_${slug(kind, 36)}_${hash}`, hash, fields };
}

/** A quoted SQL identifier (a typed table's name holds no quote, but a field's name may). */
export const quoteIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/** Microseconds since the epoch of an instant field: the column beside its text. */
export const microsColumn = (c: FieldColumn): string => `${c.column}_us`;

const SQL_TYPE: Record<FieldType, string> = { smallint: 'smallint', integer: 'integer', bigint: 'bigint', numeric: 'numeric', boolean: 'boolean', text: 'text', instant: 'text' };

/** The SQL type a field's (first) column holds. */
export const sqlType = (c: FieldColumn): string => SQL_TYPE[c.type];

/** The columns of a kind's table after record_id, employee_id and occurred_at: each field's, and an instant's microseconds. */
export function tableColumns(fields: readonly FieldColumn[]): Array<{ name: string; type: string }> {
  return fields.flatMap((c) => [{ name: c.column, type: sqlType(c) }, ...(c.type === 'instant' ? [{ name: microsColumn(c), type: 'bigint' }] : [])]);
}
