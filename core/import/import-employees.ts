// `import employees <file>`: employees upserted by id. A content hash tells a new employee, a
// changed one and an unchanged one apart (counted separately), and an id seen twice in the file
// is merged when both lines agree — as when one employee per agent is read from a call log —
// and refused when they differ.
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import type { Store } from '../store/store.ts';
import { canonicalJson, sha256 } from './content-hash.ts';
import { defaultEmployeeMapping, ndjsonEmployee } from './default-shapes.ts';
import { RowMapper, type MappedRow } from './mapping-apply.ts';
import { checkColumns } from './mapping-check.ts';
import { referencedColumns } from './mapping.ts';
import type { SourceRow } from './read-rows.ts';
import { checkMappedCount, checkDefaultSource, RowBounds } from './row-bounds.ts';
import { fileName, runImport, type ImportRequest, type ImportSummary } from './run-import.ts';
import { employeeProblems, type ColumnOf } from './validate-rows.ts';

interface EmployeeRow {
  employee: Record<string, unknown>;
  hash: string;
  source: string | null;
}

const COLUMNS = ['id', 'name', 'email', 'role', 'team', 'department', 'location', 'managerId', 'hireDate'] as const;

export async function importEmployees(store: Store, req: ImportRequest): Promise<ImportSummary> {
  if (req.mapping && req.mapping.target !== 'employees') {
    throw new AppraiseError('APPRAISE_IMPORT_BAD_MAPPING', `The mapping ${req.mapping.file} maps onto records (${req.mapping.recordKind}); use it with \`npx appraise import records\`.`);
  }
  const fieldTypes = { id: 'string', name: 'string', email: 'string', role: 'string', team: 'string', department: 'string', location: 'string', managerId: 'string', hireDate: 'date' } as const;
  return runImport<EmployeeRow>(store, req, {
    target: 'employees',
    async prepare(_tx, source, zone) {
      let map: (row: SourceRow) => MappedRow;
      let columnOf: ColumnOf;
      let bounds: RowBounds;
      const file = fileName(req);
      if (!req.mapping && source.format === 'ndjson') {
        map = ndjsonEmployee;
        columnOf = (section, name) => (section === 'attributes' ? `attributes.${name}` : name);
        bounds = new RowBounds();
      } else {
        const mapping = req.mapping ?? defaultEmployeeMapping(file, source.header!);
        if (req.mapping) checkColumns(mapping, source.header, file);
        checkMappedCount(mapping, 'attributes', file);
        const mapper = new RowMapper(mapping, { fields: fieldTypes, payload: {} }, zone);
        map = (row) => mapper.map(row);
        columnOf = (section, name) => mapper.columnOf(section, name) ?? (section === 'attributes' ? `(attributes.${name})` : `(${name})`);
        bounds = new RowBounds(new Set(referencedColumns(mapping).map((c) => c.column)));
      }
      const defaultSource = req.source ?? req.mapping?.source ?? null;
      checkDefaultSource(defaultSource);
      // id → hash and line of its first row; memory grows with employees, not with rows.
      const seen = new Map<string, { hash: string; line: number }>();
      return (row) => {
        const shape = bounds.shape(row);
        if (shape.length) return { problems: shape };
        const mapped = map(row);
        if (mapped.skip) return { skip: mapped.skip };
        const unstorable = bounds.values(row, mapped, columnOf);
        if (unstorable.length) return { problems: unstorable };
        const { employee, problems } = employeeProblems(mapped, columnOf);
        if (problems.length) return { problems };
        const hash = sha256(canonicalJson(employee));
        const id = employee.id as string;
        const first = seen.get(id);
        if (first) {
          if (first.hash === hash) return { duplicate: true };
          return {
            problems: [{
              code: 'APPRAISE_IMPORT_DUPLICATE_EMPLOYEE',
              column: columnOf('fields', 'id'),
              reason: `the id \`${id}\` is also on line ${first.line} with different values; keep the right one of the two rows`,
            }],
          };
        }
        seen.set(id, { hash, line: row.line });
        return { item: { employee, hash, source: defaultSource } };
      };
    },
    async flush(tx, _importId, items) {
      const col = (k: string) => items.map((i) => (i.employee[k] === undefined ? null : String(i.employee[k])));
      const r = await tx.query<{ inserted: boolean }>(
        `INSERT INTO employees (id, name, email, role, team, department, location, manager_id, hire_date, attributes, source, content_hash)
         SELECT t.id, t.name, t.email, t.role, t.team, t.department, t.location, t.manager_id, t.hire_date::date, t.attributes::jsonb, t.source, t.content_hash
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
           AS t(id, name, email, role, team, department, location, manager_id, hire_date, attributes, source, content_hash)
         ON CONFLICT (id) DO UPDATE SET
           name = excluded.name, email = excluded.email, role = excluded.role, team = excluded.team,
           department = excluded.department, location = excluded.location, manager_id = excluded.manager_id,
           hire_date = excluded.hire_date, attributes = excluded.attributes, source = excluded.source,
           content_hash = excluded.content_hash, updated_at = now()
         WHERE employees.content_hash IS DISTINCT FROM excluded.content_hash
         RETURNING (xmax = 0) AS inserted`,
        [
          ...COLUMNS.map(col),
          items.map((i) => JSON.stringify(i.employee.attributes ?? {})),
          items.map((i) => i.source),
          items.map((i) => i.hash),
        ],
      );
      // An unchanged employee is not touched, so RETURNING leaves it out; xmax = 0 marks a new row.
      const inserted = r.rows.filter((x) => x.inserted).length;
      const updated = r.rows.length - inserted;
      return { inserted, updated, unchanged: items.length - r.rows.length };
    },
  });
}
