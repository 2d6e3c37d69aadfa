// Writing many records at once, the one way imports and the demo do it: COPY into a staging
// table (PGlite from a blob, PostgreSQL FROM STDIN), then one set-based insert that skips what
// is already stored (kind, external id); without COPY, one INSERT of parameter arrays. The typed
// tables follow by trigger (./typed-tables.ts).
import { copyText, type Queryable } from '../store/store.ts';

export interface RecordRow {
  kind: string;
  employeeId: string;
  occurredAt: string;
  /** The payload as JSON text. */
  payload: string;
  /** records.instants as JSON text (migration 004), or null. */
  instants: string | null;
  source: string | null;
  externalId: string;
}

const COLUMNS = ['k', 'e', 'o', 'p', 's', 'x', 'i'] as const;
const INSERT = `INSERT INTO records (kind, employee_id, occurred_at, payload, source, external_id, import_id, instants)`;

/** Writes the rows inside the caller's transaction; returns how many were new. */
export async function writeRecords(tx: Queryable, rows: readonly RecordRow[], importId: number | null): Promise<number> {
  if (!rows.length) return 0;
  const fields = (r: RecordRow) => [r.kind, r.employeeId, r.occurredAt, r.payload, r.source, r.externalId, r.instants];
  if (tx.copyRows) {
    await tx.query(`CREATE TEMP TABLE IF NOT EXISTS records_stage (k text, e text, o text, p text, s text, x text, i text) ON COMMIT DROP`);
    await tx.copyRows('records_stage', COLUMNS, rows.map((r) => `${fields(r).map(copyText).join('\t')}\n`).join(''));
    const c = await tx.query(`${INSERT} SELECT t.k, t.e, t.o::timestamptz, t.p::jsonb, t.s, t.x, $1::bigint, t.i::jsonb FROM records_stage AS t ON CONFLICT (kind, external_id) DO NOTHING`, [importId]);
    await tx.query('TRUNCATE records_stage');
    return c.affectedRows ?? 0;
  }
  const columns = COLUMNS.map((_, n) => rows.map((r) => fields(r)[n]));
  const r = await tx.query(
    `${INSERT} SELECT t.k, t.e, t.o::timestamptz, t.p::jsonb, t.s, t.x, $1::bigint, t.i::jsonb
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS t(k, e, o, p, s, x, i)
     ON CONFLICT (kind, external_id) DO NOTHING`,
    [importId, ...columns],
  );
  return r.affectedRows ?? 0;
}
