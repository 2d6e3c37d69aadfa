// Which employee a vendor's person is. Once known, a person's employee is remembered in
// `source_identities` (source name + vendor id), so a renamed agent stays the same employee.
// A person seen for the first time is matched, in this order, by the HR id the vendor stores
// (`employeeId` = employees.id), then by e-mail (case-insensitive, only when exactly one
// employee has it); else added as a new employee whose id is the vendor's `employeeId` when it
// gives one, else `<source name>:<vendor id>` (readable, and unique per source).
import type { SourceEmployee } from '../plugins/api.ts';
import type { Queryable } from '../store/store.ts';
import { canonicalJson, sha256 } from '../import/content-hash.ts';
import { schemaValidator } from '../policy/schema-check.ts';
import { describeErrors } from '../import/validate-rows.ts';

export interface PersonProblem {
  vendorId: string;
  field: string;
  problem: string;
  person: unknown;
}

export interface IdentityCounts {
  added: number;
  matched: number;
  rejected: PersonProblem[];
}

/** The id a person is added under when no employee on file is them. */
export function addedEmployeeId(sourceName: string, person: SourceEmployee): string {
  return person.employeeId?.trim() || `${sourceName}:${person.id}`;
}

/** Matches or adds every person of a batch, inside the batch's transaction. */
export async function resolvePeople(tx: Queryable, sourceName: string, people: readonly SourceEmployee[]): Promise<IdentityCounts> {
  const out: IdentityCounts = { added: 0, matched: 0, rejected: [] };
  if (!people.length) return out;
  const ids = [...new Set(people.map((p) => p.id))];
  const known = new Set((await tx.query<{ vendor_id: string }>(
    'SELECT vendor_id FROM source_identities WHERE source_name = $1 AND vendor_id = ANY($2::text[])', [sourceName, ids],
  )).rows.map((r) => r.vendor_id));
  const validate = schemaValidator('employee.schema.json');
  for (const person of people) {
    if (known.has(person.id)) continue;
    known.add(person.id);
    let employeeId: string | undefined;
    let how: 'employee-id' | 'email' | 'added' | undefined;
    if (person.employeeId) {
      const r = await tx.query<{ id: string }>('SELECT id FROM employees WHERE id = $1', [person.employeeId.trim()]);
      if (r.rows.length) [employeeId, how] = [r.rows[0].id, 'employee-id'];
    }
    if (!employeeId && person.email) {
      const r = await tx.query<{ id: string }>('SELECT id FROM employees WHERE lower(email) = lower($1) LIMIT 2', [person.email.trim()]);
      if (r.rows.length === 1) [employeeId, how] = [r.rows[0].id, 'email'];
    }
    if (!employeeId) {
      const employee: Record<string, unknown> = { id: addedEmployeeId(sourceName, person), name: person.name };
      for (const k of ['email', 'role', 'team', 'department', 'location'] as const) if (person[k]) employee[k] = person[k];
      if (person.active === false) employee.attributes = { active: false };
      if (!validate(employee)) {
        for (const p of describeErrors(validate.errors ?? [], (path) => String(path[0] ?? '(person)'), 'an employee field')) {
          out.rejected.push({ vendorId: person.id, field: p.column, problem: p.reason, person });
        }
        continue;
      }
      const inserted = await tx.query(
        `INSERT INTO employees (id, name, email, role, team, department, location, attributes, source, content_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10) ON CONFLICT (id) DO NOTHING`,
        [employee.id, employee.name, employee.email ?? null, employee.role ?? null, employee.team ?? null, employee.department ?? null, employee.location ?? null,
          JSON.stringify(employee.attributes ?? {}), sourceName, sha256(canonicalJson(employee))],
      );
      employeeId = employee.id as string;
      how = (inserted.affectedRows ?? 0) > 0 ? 'added' : 'employee-id';
    }
    await tx.query('INSERT INTO source_identities (source_name, vendor_id, employee_id, how) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [sourceName, person.id, employeeId, how]);
    if (how === 'added') out.added++;
    else out.matched++;
  }
  return out;
}

/** The employee of each vendor person already known to this source. */
export async function knownPeople(tx: Queryable, sourceName: string, vendorIds: readonly string[]): Promise<Map<string, string>> {
  if (!vendorIds.length) return new Map();
  const r = await tx.query<{ vendor_id: string; employee_id: string }>(
    'SELECT vendor_id, employee_id FROM source_identities WHERE source_name = $1 AND vendor_id = ANY($2::text[])', [sourceName, [...new Set(vendorIds)]],
  );
  return new Map(r.rows.map((x) => [x.vendor_id, x.employee_id]));
}
