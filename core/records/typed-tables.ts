// Typed storage per record kind: one narrow table per kind (`rk_…`) with a column per typed
// payload field, kept by the database itself. Statement-level triggers on `records` (with
// transition tables: one set-based INSERT per kind per statement, never per row) copy every
// added record into its kind's table and remove deleted ones, whoever writes: an import, a
// COPY, the demo, a test. So a typed table is never behind `records`, and a formula may read
// it whenever its layout has the fields the formula reads (core/metrics/sql.ts).
//
// A value that does not fit its column (a text in a number field: only possible by writing SQL
// by hand, as imports validate every row against the same schema) fails the statement with
// APPRAISE_RECORD_TYPE rather than being stored wrong. Layouts are rebuilt when a kind's schema
// changes (a plugin's newer version): from `records`, in place, nothing lost; a field some
// stored record does not fit stays untyped and is read from the payload.
import { createHash } from 'node:crypto';
import type { RecordKindInfo } from '../plugins/manifest.ts';
import type { Queryable, Store } from '../store/store.ts';
import { instantSql } from '../metrics/sql/instant.ts';
import { OVERFLOW } from '../metrics/sql/float8.ts';
import { quoteIdent as ident, recordLayout, sqlType, tableColumns, type FieldColumn, type FieldType, type RecordLayout } from './layout.ts';

const LOCK = 4_242_015;

/** An SQL string literal (standard_conforming_strings: only quotes are special). */
const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;

const TYPE_RANGE: Partial<Record<FieldType, [string, string]>> = {
  smallint: ['-32768', '32767'],
  integer: ['-2147483648', '2147483647'],
  bigint: ['-9223372036854775808', '9223372036854775807'],
};
const JSON_TYPE: Record<FieldType, string> = { smallint: 'number', integer: 'number', bigint: 'number', numeric: 'number', boolean: 'boolean', text: 'string', instant: 'string' };


/**
 * Whether a present, non-null JSON value `v` fits the field's column: of the JSON type the column
 * holds (an integer column: a whole number within the column's range).
 */
function ofColumnType(c: FieldColumn, v: string): string {
  const range = TYPE_RANGE[c.type];
  const whole = range ? ` AND (${v})::numeric = trunc((${v})::numeric) AND (${v})::numeric BETWEEN ${range[0]} AND ${range[1]}` : '';
  return `jsonb_typeof(${v}) = ${lit(JSON_TYPE[c.type])}${whole}`;
}

/** Whether a stored record's value of the field fits its column: absent, JSON null, or of its type. */
function fits(c: FieldColumn, r: string): string {
  const v = `${r}.payload -> ${lit(c.field)}`;
  return `(${v} IS NULL OR jsonb_typeof(${v}) = 'null' OR (${ofColumnType(c, v)}))`;
}

/**
 * The SELECT items typing one record for the kind's table: the evaluator's reading of each field
 * (a number beyond a double's range is missing, a date-time text its microseconds or NULL when
 * it is no instant), or the error when it does not fit. The fields come from `j` and the
 * import's precomputed instants from `i` (see insertSelect): each payload is taken apart once.
 */
function typedValues(layout: RecordLayout, r: string): string[] {
  return layout.fields.flatMap((c, n) => {
    const v = `j.${ident(c.field)}`;
    const error = `appraise_record_type_error(${r}.id, ${r}.kind, ${lit(c.field)}::text, ${lit(c.type)}::text, ${v})::${sqlType(c)}`;
    const value = c.type === 'numeric'
      ? `CASE WHEN abs((${v})::numeric) < ${OVERFLOW} THEN (${v})::numeric END`
      : c.type === 'boolean' ? `(${v})::boolean`
      : c.type === 'text' || c.type === 'instant' ? `(${v} #>> '{}')`
      : `(${v})::numeric::${c.type}`;
    const typed = `CASE WHEN ${v} IS NULL OR jsonb_typeof(${v}) = 'null' THEN NULL WHEN ${ofColumnType(c, v)} THEN ${value} ELSE ${error} END`;
    if (c.type !== 'instant') return [typed];
    // The import's own reading (records.instants); rows stored before it, or texts it found no
    // instant in, are read from the text, which gives the same answer.
    const text = `(${v} #>> '{}')`;
    const micros = `CASE WHEN jsonb_typeof(${v}) = 'string' THEN COALESCE((i.${instantAlias(n)})::bigint, (extract(epoch FROM ${instantSql(text, lit)}) * 1000000)::bigint) END`;
    return [typed, micros];
  });
}

const instantAlias = (n: number): string => `i${n}`;

function insertSelect(layout: RecordLayout, source: string): string {
  const columns = ['record_id', 'employee_id', 'occurred_at', ...tableColumns(layout.fields).map((c) => c.name)];
  const values = ['r.id', 'r.employee_id', 'r.occurred_at', ...typedValues(layout, 'r')];
  const fields = layout.fields.map((c) => `${ident(c.field)} jsonb`);
  const hasInstants = layout.fields.some((c) => c.type === 'instant');
  // jsonb_to_record's columns are named as the keys: renamed after, so that `i` and `j` never clash.
  // Either is an object, or read as one without keys (`payload -> 'f'` of a non-object is NULL too).
  const instantsFrom = hasInstants
    ? ` LEFT JOIN LATERAL (SELECT ${layout.fields.flatMap((c, n) => (c.type === 'instant' ? [`x.${ident(c.field)} AS ${instantAlias(n)}`] : [])).join(', ')} FROM jsonb_to_record(CASE WHEN jsonb_typeof(r.instants) = 'object' THEN r.instants END) AS x(${layout.fields.filter((c) => c.type === 'instant').map((c) => `${ident(c.field)} text`).join(', ')})) AS i ON true`
    : '';
  const fieldsFrom = fields.length ? ` LEFT JOIN LATERAL jsonb_to_record(CASE WHEN jsonb_typeof(r.payload) = 'object' THEN r.payload END) AS j(${fields.join(', ')}) ON true` : '';
  return `INSERT INTO ${ident(layout.table)} (${columns.join(', ')}) SELECT ${values.join(', ')} FROM ${source} AS r${fieldsFrom}${instantsFrom} WHERE r.kind = ${lit(layout.kind)}`;
}

export interface StoredLayout extends RecordLayout {
  schemaHash: string;
}

/** The typed layouts in the store, by kind. Every one's table holds exactly its kind's records. */
export async function storedLayouts(db: Queryable): Promise<Map<string, StoredLayout>> {
  const { rows } = await db.query<{ kind: string; table_name: string; hash: string; schema_hash: string; fields: FieldColumn[] | string }>(
    'SELECT kind, table_name, hash, schema_hash, fields FROM record_layouts',
  );
  return new Map(rows.map((r) => [r.kind, { kind: r.kind, table: r.table_name, hash: r.hash, schemaHash: r.schema_hash, fields: typeof r.fields === 'string' ? JSON.parse(r.fields) : r.fields }]));
}

const schemaHash = (schema: unknown): string => createHash('sha256').update(JSON.stringify(schema)).digest('hex').slice(0, 16);

/**
 * Gives each kind a typed table matching its current schema, building or rebuilding those that
 * are missing or stale (a store made before typed storage, a plugin's newer version) from the
 * records already stored. Cheap when nothing changed: one small query. Returns the kinds built.
 */
export async function ensureRecordLayouts(store: Store, kinds: readonly RecordKindInfo[], log?: (message: string) => void): Promise<string[]> {
  const stored = await storedLayouts(store);
  const stale = kinds.filter((k) => stored.get(k.id)?.schemaHash !== schemaHash(k.schema));
  if (!stale.length) return [];
  return store.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK]);
    // No record is added while tables are rebuilt and the triggers replaced (they would land in the old table).
    await tx.query('LOCK TABLE records IN SHARE MODE');
    const current = await storedLayouts(tx);
    const built: string[] = [];
    await tx.query(`CREATE OR REPLACE FUNCTION appraise_record_type_error(id bigint, kind text, field text, expected text, got jsonb) RETURNS text LANGUAGE plpgsql AS $body$
BEGIN
  RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('APPRAISE_RECORD_TYPE: record %s of kind %s has %s = %s, where the kind''s schema says %s. Write records through npx appraise import records, which checks every row against the schema.', id, kind, field, left(got::text, 80), expected);
END
$body$`);
    for (const kind of stale) {
      const hash = schemaHash(kind.schema);
      if (current.get(kind.id)?.schemaHash === hash) continue; // another process did it meanwhile
      const layout = await layoutFittingStoredRecords(tx, kind);
      const old = current.get(kind.id);
      if (old?.hash !== layout.hash) {
        const { rows } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM records WHERE kind = $1', [kind.id]);
        if (rows[0].n > 10_000) log?.(`Typing ${rows[0].n.toLocaleString('en-US')} stored ${kind.id} records for fast queries (once, after an upgrade)…`);
        if (old) await tx.query(`DROP TABLE IF EXISTS ${ident(old.table)}`);
        await tx.query(`DROP TABLE IF EXISTS ${ident(layout.table)}`);
        await tx.query(`CREATE TABLE ${ident(layout.table)} (record_id bigint NOT NULL, employee_id text NOT NULL, occurred_at timestamptz NOT NULL${tableColumns(layout.fields).map((c) => `, ${c.name} ${c.type}`).join('')})`);
        await tx.query(insertSelect(layout, 'records'));
        // Runs scan one window of time for all employees.
        await tx.query(`CREATE INDEX ${ident(`${layout.table}_time`)} ON ${ident(layout.table)} (occurred_at)`);
        await tx.query(`ANALYZE ${ident(layout.table)}`);
      }
      await tx.query(
        `INSERT INTO record_layouts (kind, table_name, hash, schema_hash, fields) VALUES ($1, $2, $3, $4, $5::jsonb)
         ON CONFLICT (kind) DO UPDATE SET table_name = excluded.table_name, hash = excluded.hash, schema_hash = excluded.schema_hash, fields = excluded.fields, built_at = now()`,
        [kind.id, layout.table, layout.hash, hash, JSON.stringify(layout.fields)],
      );
      current.set(kind.id, { ...layout, schemaHash: hash });
      built.push(kind.id);
    }
    await installTriggers(tx, [...current.values()]);
    return built;
  });
}

/** The kind's layout, leaving untyped any field that some stored record does not fit. */
async function layoutFittingStoredRecords(tx: Queryable, kind: RecordKindInfo): Promise<RecordLayout> {
  const candidate = recordLayout(kind.id, kind.schema);
  if (!candidate.fields.length) return candidate;
  const checks = candidate.fields.map((c, i) => `bool_and(${fits(c, 'r')}) AS ok${i}`);
  const { rows } = await tx.query<Record<string, boolean | null>>(`SELECT ${checks.join(', ')} FROM records AS r WHERE r.kind = $1`, [kind.id]);
  const untyped = new Set(candidate.fields.filter((_, i) => rows[0][`ok${i}`] === false).map((c) => c.field));
  return untyped.size ? recordLayout(kind.id, kind.schema, untyped) : candidate;
}

/** The triggers that keep every typed table equal to its kind's records. */
async function installTriggers(tx: Queryable, layouts: readonly RecordLayout[]): Promise<void> {
  for (const t of ['insert', 'delete', 'update', 'truncate']) await tx.query(`DROP TRIGGER IF EXISTS appraise_records_${t} ON records`);
  if (!layouts.length) return;

  const removes = layouts.map((l) => `DELETE FROM ${ident(l.table)} WHERE record_id IN (SELECT id FROM removed WHERE kind = ${lit(l.kind)});`);
  const adds = layouts.map((l) => `${insertSelect(l, 'added')};`);
  await tx.query(`CREATE OR REPLACE FUNCTION appraise_records_changed() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    TRUNCATE ${layouts.map((l) => ident(l.table)).join(', ')};
    RETURN NULL;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    ${removes.join('\n    ')}
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    ${adds.join('\n    ')}
  END IF;
  RETURN NULL;
END
$body$`);
  await tx.query(`CREATE TRIGGER appraise_records_insert AFTER INSERT ON records REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION appraise_records_changed()`);
  await tx.query(`CREATE TRIGGER appraise_records_delete AFTER DELETE ON records REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION appraise_records_changed()`);
  await tx.query(`CREATE TRIGGER appraise_records_update AFTER UPDATE ON records REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION appraise_records_changed()`);
  await tx.query(`CREATE TRIGGER appraise_records_truncate AFTER TRUNCATE ON records FOR EACH STATEMENT EXECUTE FUNCTION appraise_records_changed()`);
}

