// `import records <kind> <file>`: rows of one record kind, each checked against the kind's
// schema and the employees in the store, written with one multi-row INSERT … SELECT FROM
// unnest(…) per batch (the same SQL on PGlite and PostgreSQL). ON CONFLICT on (kind,
// external_id) makes a re-import add nothing; a row without an external id gets a content hash.
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import type { RecordKindInfo } from '../plugins/manifest.ts';
import { copyText, type Store } from '../store/store.ts';
import { recordContentId } from './content-hash.ts';
import { payloadInstants } from '../metrics/aggregate/instants.ts';
import { ensureRecordLayouts } from '../records/typed-tables.ts';
import { defaultRecordMapping, ndjsonRecord, payloadFields } from './default-shapes.ts';
import { RowMapper, type MappedRow } from './mapping-apply.ts';
import { checkColumns, checkPayload } from './mapping-check.ts';
import { referencedColumns } from './mapping.ts';
import { checkMappedCount, checkDefaultSource, RowBounds } from './row-bounds.ts';
import { fileName, runImport, type ImportRequest, type ImportSummary } from './run-import.ts';
import { payloadValidator, recordProblems, type ColumnOf } from './validate-rows.ts';

interface RecordRow {
  employeeId: string;
  occurredAt: string;
  payload: string;
  /** records.instants (migration 004), as JSON text. */
  instants: string | null;
  source: string | null;
  externalId: string;
}

const jsonOrNull = (x: unknown): string | null => (x === null ? null : JSON.stringify(x));

export async function importRecords(store: Store, kind: RecordKindInfo, req: ImportRequest): Promise<ImportSummary> {
  if (req.mapping && req.mapping.target !== 'records') {
    throw new AppraiseError('APPRAISE_IMPORT_BAD_MAPPING', `The mapping ${req.mapping.file} maps onto employees; use it with \`npx appraise import employees\`.`);
  }
  // The kind's typed table matches the schema the rows are checked against (a newer plugin's, say).
  await ensureRecordLayouts(store, [kind]);
  const { types } = payloadFields(kind);
  const fieldTypes = { employeeId: 'string', occurredAt: 'date-time', externalId: 'string', source: 'string' } as const;
  return runImport<RecordRow>(store, req, {
    target: 'records',
    kind: kind.id,
    async prepare(tx, source, zone) {
      const employees = new Set((await tx.query<{ id: string }>('SELECT id FROM employees')).rows.map((r) => r.id));
      let map: (row: Parameters<RowMapper['map']>[0]) => MappedRow;
      let columnOf: ColumnOf;
      let bounds: RowBounds;
      const file = fileName(req);
      if (!req.mapping && source.format === 'ndjson') {
        map = (row) => ndjsonRecord(row, types, zone);
        columnOf = (section, name) => (section === 'payload' ? `payload.${name}` : name);
        bounds = new RowBounds();
      } else {
        const mapping = req.mapping ?? defaultRecordMapping(file, source.header!, kind);
        if (req.mapping) {
          checkPayload(mapping, kind);
          checkColumns(mapping, source.header, file);
        }
        checkMappedCount(mapping, 'payload', file);
        const mapper = new RowMapper(mapping, { fields: fieldTypes, payload: types }, zone);
        map = (row) => mapper.map(row);
        columnOf = (section, name) => mapper.columnOf(section, name) ?? (section === 'payload' ? `(payload.${name})` : `(${name})`);
        bounds = new RowBounds(new Set(referencedColumns(mapping).map((c) => c.column)));
      }
      const ctx = { kind, validate: payloadValidator(kind), columnOf, employees };
      const defaultSource = req.source ?? req.mapping?.source ?? null;
      checkDefaultSource(defaultSource);
      return (row) => {
        const shape = bounds.shape(row);
        if (shape.length) return { problems: shape };
        const mapped = map(row);
        if (mapped.skip) return { skip: mapped.skip };
        const unstorable = bounds.values(row, mapped, columnOf);
        if (unstorable.length) return { problems: unstorable };
        const problems = recordProblems(mapped, ctx);
        if (problems.length) return { problems };
        const f = mapped.fields as { employeeId: string; occurredAt: string; externalId?: string; source?: string };
        return {
          item: {
            employeeId: f.employeeId,
            occurredAt: f.occurredAt,
            payload: JSON.stringify(mapped.payload),
            instants: jsonOrNull(payloadInstants(mapped.payload as Record<string, unknown>)),
            source: f.source ?? defaultSource,
            externalId: f.externalId ?? recordContentId(kind.id, f.employeeId, f.occurredAt, mapped.payload),
          },
        };
      };
    },
    async flush(tx, importId, items) {
      if (tx.copyRows) {
        // COPY into a staging table, then one set-based insert: the same rows and conflicts as below.
        await tx.query(`CREATE TEMP TABLE IF NOT EXISTS import_records_stage (e text, o text, p text, s text, x text, i text) ON COMMIT DROP`);
        await tx.copyRows('import_records_stage', ['e', 'o', 'p', 's', 'x', 'i'], items.map((i) => `${copyText(i.employeeId)}\t${copyText(i.occurredAt)}\t${copyText(i.payload)}\t${copyText(i.source)}\t${copyText(i.externalId)}\t${copyText(i.instants)}\n`).join(''));
        const c = await tx.query(
          `INSERT INTO records (kind, employee_id, occurred_at, payload, source, external_id, import_id, instants)
           SELECT $1, t.e, t.o::timestamptz, t.p::jsonb, t.s, t.x, $2, t.i::jsonb FROM import_records_stage AS t
           ON CONFLICT (kind, external_id) DO NOTHING`,
          [kind.id, importId],
        );
        await tx.query('TRUNCATE import_records_stage');
        const inserted = c.affectedRows ?? 0;
        return { inserted, duplicates: items.length - inserted };
      }
      const r = await tx.query(
        `INSERT INTO records (kind, employee_id, occurred_at, payload, source, external_id, import_id, instants)
         SELECT $1, t.e, t.o::timestamptz, t.p::jsonb, t.s, t.x, $2, t.i::jsonb
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS t(e, o, p, s, x, i)
         ON CONFLICT (kind, external_id) DO NOTHING`,
        [kind.id, importId, items.map((i) => i.employeeId), items.map((i) => i.occurredAt), items.map((i) => i.payload), items.map((i) => i.source), items.map((i) => i.externalId), items.map((i) => i.instants)],
      );
      const inserted = r.affectedRows ?? 0;
      return { inserted, duplicates: items.length - inserted };
    },
  });
}
