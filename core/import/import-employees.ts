// `import employees <file>`: employees upserted by id. A content hash tells a new employee, a
// changed one and an unchanged one apart (counted separately). An id seen twice in the file is
// merged when both lines agree — as when one employee per agent is read from a call log — and,
// when they differ, refused, or settled by the rule the import names (`--on-duplicate first|last`,
// or the mapping's `duplicates`: by file order or by a time column). After the import, employees
// whose manager id names nobody in the store are listed as a warning, never silently kept.
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import type { Store } from '../store/store.ts';
import { canonicalJson, sha256 } from './content-hash.ts';
import { defaultEmployeeMapping, ndjsonEmployee } from './default-shapes.ts';
import { RowMapper, type MappedRow } from './mapping-apply.ts';
import { checkColumns, checkExpressions } from './mapping-check.ts';
import { referencedColumns } from './mapping.ts';
import type { SourceRow } from './read-rows.ts';
import type { Queryable } from '../store/store.ts';
import type { RowOutcome } from './run-import.ts';
import { employeeCalendarFunctions } from './calendar-functions.ts';
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
  const keep = req.onDuplicate ?? req.mapping?.duplicates?.keep ?? 'error';
  let held: () => EmployeeRow[] = () => [];
  const fieldTypes = { id: 'string', name: 'string', email: 'string', role: 'string', team: 'string', department: 'string', location: 'string', managerId: 'string', hireDate: 'date' } as const;
  return runImport<EmployeeRow>(store, req, {
    target: 'employees',
    async prepare(_tx, source, zone) {
      let map: (row: SourceRow) => MappedRow;
      let mapper: RowMapper | undefined;
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
        const m = new RowMapper(mapping, { fields: fieldTypes, payload: {} }, zone, employeeCalendarFunctions(req.mapping, req.calendars));
        checkExpressions(mapping, m.typesByName);
        mapper = m;
        map = (row) => m.map(row);
        columnOf = (section, name) => m.columnOf(section, name) ?? (section === 'attributes' ? `(attributes.${name})` : `(${name})`);
        bounds = new RowBounds(new Set(referencedColumns(mapping).map((c) => c.column)));
      }
      const defaultSource = req.source ?? req.mapping?.source ?? null;
      checkDefaultSource(defaultSource);
      const orderBy = !req.mapping?.fold ? req.mapping?.duplicates?.orderBy : undefined;
      const keeper = new DuplicateKeeper(keep, columnOf('fields', 'id'));
      held = () => keeper.kept();
      return {
        mapper,
        map,
        cells: (row) => bounds.unreadable(row),
        accept: (mapped, row) => {
          const unstorable = bounds.mapped(mapped, columnOf);
          if (unstorable.length) return { problems: unstorable };
          const { employee, problems } = employeeProblems(mapped, columnOf);
          if (problems.length) return { problems };
          let order: number | undefined;
          if (orderBy && mapper) {
            const t = mapper.evaluate(orderBy, row, 'date-time');
            if (t.error || t.value === undefined) {
              return { problems: [{ code: 'APPRAISE_IMPORT_INVALID_ROW', column: t.error?.column ?? mapper.columnLabel(orderBy), reason: t.error?.reason ?? 'the row has no time, and `duplicates.orderBy` needs one to tell which row of an id is the latest' }] };
            }
            order = Date.parse(t.value as string);
          }
          return keeper.offer({ employee, hash: sha256(canonicalJson(employee)), source: defaultSource }, row.line, order);
        },
      };
    },
    held: () => held(),
    warnings: (tx) => danglingManagers(tx),
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

interface Kept {
  item: EmployeeRow;
  line: number;
  order: number;
}

/**
 * Which row of an id is written. `error`: the first is written as it comes, a differing later
 * one is a bad row. `first`/`last`: rows are held (memory grows with employees, not rows) and
 * the earliest or latest by `order` (a time, else the line) is written at the end.
 */
class DuplicateKeeper {
  private readonly seen = new Map<string, Kept>();

  constructor(
    private readonly keep: 'first' | 'last' | 'error',
    private readonly idColumn: string,
  ) {}

  offer(item: EmployeeRow, line: number, order = line): RowOutcome<EmployeeRow> {
    const id = item.employee.id as string;
    const prior = this.seen.get(id);
    if (this.keep === 'error') {
      if (!prior) {
        this.seen.set(id, { item, line, order });
        return { item };
      }
      if (prior.item.hash === item.hash) return { duplicate: true };
      return {
        problems: [{
          code: 'APPRAISE_IMPORT_DUPLICATE_EMPLOYEE',
          column: this.idColumn,
          reason: `the id \`${id}\` is also on line ${prior.line} with different values; keep the right one of the two rows, or say which wins with --on-duplicate first|last (an event log: last)`,
        }],
      };
    }
    if (!prior) {
      this.seen.set(id, { item, line, order });
      return { held: true };
    }
    const later = order > prior.order || (order === prior.order && line > prior.line);
    if (this.keep === 'last' ? later : !later) this.seen.set(id, { item, line, order });
    return { duplicate: true };
  }

  kept(): EmployeeRow[] {
    return this.keep === 'error' ? [] : [...this.seen.values()].map((k) => k.item);
  }
}

/** Employees whose manager id names no employee in the store: one warning, with the first few. */
async function danglingManagers(tx: Queryable): Promise<string[]> {
  const { rows } = await tx.query<{ id: string; manager_id: string; n: number }>(
    `SELECT e.id, e.manager_id, count(*) OVER ()::int AS n FROM employees AS e
     WHERE e.manager_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM employees AS m WHERE m.id = e.manager_id)
     ORDER BY e.id LIMIT 5`,
  );
  if (!rows.length) return [];
  const n = rows[0].n;
  const list = rows.map((r) => `${r.id} (manager ${r.manager_id})`).join(', ');
  return [`${n} employee(s) name a manager who is not in the store: ${list}${n > rows.length ? `, and ${n - rows.length} more` : ''}. Until the manager is imported, their cases reach no manager; import the managers too, or correct the manager ids.`];
}
