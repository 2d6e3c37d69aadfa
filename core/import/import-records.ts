// `import records <kind> <file>`: rows of one record kind, each checked against the kind's
// schema and the employees in the store, written per batch by COPY into a staging table and
// one set-based insert (core/records/write-records.ts). ON CONFLICT on (kind, external_id)
// makes a re-import add nothing; a row without an external id gets a content hash.
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import type { RecordKindInfo } from '../plugins/manifest.ts';
import type { Store } from '../store/store.ts';
import { writeRecords, type RecordRow } from '../records/write-records.ts';
import { recordContentId } from './content-hash.ts';
import { payloadInstants } from '../metrics/aggregate/instants.ts';
import { ensureRecordLayouts } from '../records/typed-tables.ts';
import { refreshStatistics } from '../records/statistics.ts';
import { defaultRecordMapping, ndjsonRecord, payloadFields } from './default-shapes.ts';
import { RowMapper, type MappedRow } from './mapping-apply.ts';
import { checkColumns, checkExpressions, checkPayload } from './mapping-check.ts';
import type { SourceRow } from './read-rows.ts';
import { recordCalendarFunctions } from './calendar-functions.ts';
import { referencedColumns } from './mapping.ts';
import { checkMappedCount, checkDefaultSource, RowBounds } from './row-bounds.ts';
import { fileName, runImport, type ImportRequest, type ImportSummary } from './run-import.ts';
import { payloadValidator, recordProblems, type ColumnOf } from './validate-rows.ts';


const jsonOrNull = (x: unknown): string | null => (x === null ? null : JSON.stringify(x));

export async function importRecords(store: Store, kind: RecordKindInfo, req: ImportRequest): Promise<ImportSummary> {
  if (req.mapping && req.mapping.target !== 'records') {
    throw new AppraiseError('APPRAISE_IMPORT_BAD_MAPPING', `The mapping ${req.mapping.file} maps onto employees; use it with \`npx appraise import employees\`.`);
  }
  // The kind's typed table matches the schema the rows are checked against (a newer plugin's, say).
  await ensureRecordLayouts(store, [kind]);
  const { types } = payloadFields(kind);
  const repeats = new RepeatedIds();
  const fieldTypes = { employeeId: 'string', occurredAt: 'date-time', externalId: 'string', source: 'string' } as const;
  const summary = await runImport<RecordRow>(store, req, {
    target: 'records',
    kind: kind.id,
    async prepare(tx, source, zone) {
      const employees = new Set((await tx.query<{ id: string }>('SELECT id FROM employees')).rows.map((r) => r.id));
      let map: (row: SourceRow) => MappedRow;
      let mapper: RowMapper | undefined;
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
        const m = new RowMapper(mapping, { fields: fieldTypes, payload: types }, zone, await recordCalendarFunctions(tx, req.mapping, req.calendars));
        checkExpressions(mapping, m.typesByName);
        mapper = m;
        map = (row) => m.map(row);
        columnOf = (section, name) => m.columnOf(section, name) ?? (section === 'payload' ? `(payload.${name})` : `(${name})`);
        bounds = new RowBounds(new Set(referencedColumns(mapping).map((c) => c.column)));
      }
      const ctx = { kind, validate: payloadValidator(kind), columnOf, employees };
      const defaultSource = req.source ?? req.mapping?.source ?? null;
      checkDefaultSource(defaultSource);
      return {
        mapper,
        map,
        cells: (row) => bounds.unreadable(row),
        accept: (mapped, row) => {
          const unstorable = bounds.mapped(mapped, columnOf);
          if (unstorable.length) return { problems: unstorable };
          const problems = recordProblems(mapped, ctx);
          if (problems.length) return { problems };
          const f = mapped.fields as { employeeId: string; occurredAt: string; externalId?: string; source?: string };
          const payload = JSON.stringify(mapped.payload);
          if (f.externalId !== undefined) repeats.see(f.externalId, `${f.employeeId}\u0000${f.occurredAt}\u0000${payload}`, row.line);
          return {
            item: {
              kind: kind.id,
              employeeId: f.employeeId,
              occurredAt: f.occurredAt,
              payload,
              instants: jsonOrNull(payloadInstants(mapped.payload as Record<string, unknown>)),
              source: f.source ?? defaultSource,
              externalId: f.externalId ?? recordContentId(kind.id, f.employeeId, f.occurredAt, mapped.payload),
            },
          };
        },
      };
    },
    async flush(tx, importId, items) {
      const inserted = await writeRecords(tx, items, importId);
      return { inserted, duplicates: items.length - inserted };
    },
    warnings: async () => repeats.warning(),
  });
  await refreshStatistics(store, kind.id, summary.inserted);
  return summary;
}

/**
 * External ids that come back in the same file with other values: only the first row of an id
 * is stored (a record is written once), so the others would vanish without a word. Each id's
 * content is kept as a 32-bit hash: memory grows by a few bytes per row, never by the row.
 */
class RepeatedIds {
  private readonly seen = new Map<string, { hash: number; line: number }>();
  private count = 0;
  private readonly examples: string[] = [];

  see(id: string, content: string, line: number): void {
    const hash = fnv1a(content);
    const first = this.seen.get(id);
    if (!first) {
      this.seen.set(id, { hash, line });
      return;
    }
    if (first.hash === hash) return;
    this.count++;
    if (this.examples.length < 3) this.examples.push(`line ${line} repeats \`${id}\` of line ${first.line}`);
  }

  warning(): string[] {
    if (!this.count) return [];
    return [`${this.count} row(s) repeat the external id of an earlier row of the file with other values (${this.examples.join('; ')}); the earlier row was kept. An event log (one row per state change) makes one record of several rows with \`fold\` in its mapping; otherwise give each row its own id.`];
  }
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
