// Erasure of one person (GDPR Art. 17), in one transaction: their id is replaced everywhere by a
// random pseudonym (never derived from the id, so it cannot be reversed by trying ids), the free
// text they wrote or that was written about them is removed, and their name, email and id are
// replaced in every text and JSON column of every table — the audit log included, whose entries
// stay, pseudonymised. Counts, decisions and cases stay, so runs, reports and the audit trail
// keep working; the audit log says that an erasure happened, by whom and why.
import { randomBytes } from 'node:crypto';
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import type { Queryable, Store } from '../../store/store.ts';
import { SECTIONS } from '../subject-access/sections.ts';

export const ERASED_NAME = 'Erased person';
export const ERASED_TEXT = '[erased]';

export interface ErasureReport {
  pseudonym: string;
  /** Rows changed per table. */
  rows: Record<string, number>;
  at: string;
}

/** Columns that hold a person's employee id, besides those the export reads by (sections.ts). */
const MORE_PERSON_COLUMNS: ReadonlyArray<[table: string, column: string]> = [['disputes', 'raised_by_employee']];

/** Free text written by or about the person: removed, not just pseudonymised (it may name them in other words). */
const FREE_TEXT: ReadonlyArray<{ table: string; set: string; where: string }> = [
  { table: 'kudos', set: `message = '${ERASED_TEXT}'`, where: 'receiver_id = $1 OR giver_id = $1' },
  { table: 'feedback_notes', set: `body = '${ERASED_TEXT}'`, where: 'employee_id = $1 OR author_id = $1' },
  { table: 'upward_feedback', set: `body = '${ERASED_TEXT}'`, where: 'manager_id = $1 OR author_id = $1' },
  { table: 'disputes', set: `reason = '${ERASED_TEXT}', resolution_note = CASE WHEN resolution_note IS NULL THEN NULL ELSE '${ERASED_TEXT}' END`, where: 'employee_id = $1 OR raised_by_employee = $1' },
  { table: 'dispute_events', set: `note = CASE WHEN note IS NULL THEN NULL ELSE '${ERASED_TEXT}' END`, where: 'dispute_id IN (SELECT id FROM disputes WHERE employee_id = $1)' },
  { table: 'case_events', set: `note = CASE WHEN note IS NULL THEN NULL ELSE '${ERASED_TEXT}' END`, where: 'case_id IN (SELECT id FROM cases WHERE employee_id = $1)' },
  { table: 'goals', set: `description = CASE WHEN description IS NULL THEN NULL ELSE '${ERASED_TEXT}' END`, where: 'employee_id = $1' },
  { table: 'reviews', set: `self_assessment = NULL, acknowledgement = NULL`, where: 'employee_id = $1' },
  // A survey's comment is a customer's words about the person.
  { table: 'records', set: `payload = payload - 'comment'`, where: `employee_id = $1 AND payload ? 'comment'` },
];

/** PostgreSQL's ARE syntax, escaped: the value matched as a whole word. */
function wordPattern(value: string): string {
  return `\\y${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\y`;
}

export async function erasePerson(store: Store, employeeId: string, o: { actor: string; reason: string }): Promise<ErasureReport> {
  if (!o.reason.trim()) throw new AppraiseError('APPRAISE_ERASURE_NO_REASON', 'Say why the person is erased (--reason): the audit log keeps the reason with who did it.', { field: 'reason' });
  return store.transaction(async (tx) => {
    const person = (await tx.query<{ name: string; email: string | null }>('SELECT name, email FROM employees WHERE id = $1', [employeeId])).rows[0];
    if (!person) throw new AppraiseError('APPRAISE_EMPLOYEE_NOT_FOUND', `There is no employee ${employeeId} to erase (an erased person keeps only a pseudonym). Check the id.`, { field: 'employeeId' });
    const pseudonym = `erased-${randomBytes(6).toString('hex')}`;
    const rows: Record<string, number> = {};
    const count = (table: string, n: number | undefined) => void (rows[table] = (rows[table] ?? 0) + (n ?? 0));

    for (const f of FREE_TEXT) count(f.table, (await tx.query(`UPDATE ${f.table} SET ${f.set} WHERE ${f.where}`, [employeeId])).affectedRows);
    await tx.query('UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE employee_id = $1', [employeeId]);
    const columns = new Set([...SECTIONS.flatMap((s) => s.personColumns.filter((c) => !(s.table === 'employees' && c === 'id')).map((c) => `${s.table}.${c}`)), ...MORE_PERSON_COLUMNS.map(([t, c]) => `${t}.${c}`)]);
    for (const tc of columns) {
      const [table, column] = tc.split('.');
      count(table, (await tx.query(`UPDATE ${table} SET ${column} = $2 WHERE ${column} = $1`, [employeeId, pseudonym])).affectedRows);
    }
    count('employees', (await tx.query(
      `UPDATE employees SET id = $2, name = $3, email = NULL, role = NULL, manager_id = NULL, hire_date = NULL, attributes = '{"erased": true}'::jsonb, content_hash = 'erased', updated_at = now() WHERE id = $1`,
      [employeeId, pseudonym, ERASED_NAME],
    )).affectedRows);

    // Whatever still names them in words: every text and JSON column of every table.
    const replacements: Array<[string, string]> = [[wordPattern(employeeId), pseudonym], [wordPattern(person.name), ERASED_NAME]];
    if (person.email) replacements.push([wordPattern(person.email), ERASED_TEXT]);
    for (const [table, n] of Object.entries(await scrubEverywhere(tx, replacements))) count(table, n);

    const at = new Date().toISOString();
    const reason = scrubText(o.reason, replacements);
    await tx.query(`INSERT INTO audit_log (actor, action, target, data) VALUES ($1, 'employee.erase', $2, $3::jsonb)`, [o.actor, `employee:${pseudonym}`, JSON.stringify({ reason, rows })]);
    return { pseudonym, rows, at };
  });
}

/** The same replacements in JavaScript, for text written after the scrub (the audit entry's reason). */
function scrubText(text: string, replacements: ReadonlyArray<[string, string]>): string {
  let out = text;
  for (const [pattern, by] of replacements) out = out.replace(new RegExp(pattern.replace(/\\y/g, '\\b'), 'gi'), by);
  return out;
}

async function scrubEverywhere(tx: Queryable, replacements: ReadonlyArray<[string, string]>): Promise<Record<string, number>> {
  const columns = (await tx.query<{ t: string; c: string; type: string }>(
    `SELECT c.table_name AS t, c.column_name AS c, c.data_type AS type FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
     WHERE c.table_schema = current_schema() AND c.data_type IN ('text', 'jsonb', 'character varying')
       AND c.table_name NOT LIKE 'rk\\_%' ORDER BY 1, 2`,
  )).rows;
  const out: Record<string, number> = {};
  for (const { t, c, type } of columns) {
    for (const [pattern, by] of replacements) {
      // Typed copies of records (rk_*) follow `records` by its trigger.
      const value = type === 'jsonb' ? `"${c}"::text` : `"${c}"`;
      const set = type === 'jsonb' ? `regexp_replace("${c}"::text, $1, $2, 'gi')::jsonb` : `regexp_replace("${c}", $1, $2, 'gi')`;
      const r = await tx.query(`UPDATE "${t}" SET "${c}" = ${set} WHERE ${value} ~* $1`, [pattern, by]);
      if (r.affectedRows) out[t] = (out[t] ?? 0) + r.affectedRows;
    }
  }
  return out;
}
