// The data-subject access export (GDPR Art. 15): everything the store holds about one person,
// as machine-readable JSON (sections.ts, table by table) plus the audit entries about them and
// the policy versions that decided about them. Making it is itself audited.
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import type { Queryable, Store } from '../../store/store.ts';
import { SECTIONS } from './sections.ts';

export const EXPORT_FORMAT = 1;

export interface SubjectExport {
  format: number;
  generatedAt: string;
  generatedBy: string;
  employeeId: string;
  /** Rows per section, for the reader (and the audit entry). */
  counts: Record<string, number>;
  sections: Record<string, Array<Record<string, unknown>>>;
  /** The policy versions whose decisions are in `decisions`: their titles and when they were published. */
  policyVersions: Array<Record<string, unknown>>;
  /** Audit entries about the person, their cases, goals, disputes, reviews and kudos. */
  audit: Array<Record<string, unknown>>;
}

/** The audit targets that name the person or something of theirs (`case:12`, `employee:E1`). */
async function auditTargets(db: Queryable, employeeId: string): Promise<string[]> {
  const ids = async (sql: string) => (await db.query<{ id: string }>(sql, [employeeId])).rows.map((r) => String(r.id));
  return [
    `employee:${employeeId}`,
    ...(await ids('SELECT id FROM cases WHERE employee_id = $1')).map((id) => `case:${id}`),
    ...(await ids('SELECT id FROM goals WHERE employee_id = $1')).map((id) => `goal:${id}`),
    ...(await ids('SELECT id FROM disputes WHERE employee_id = $1')).map((id) => `dispute:${id}`),
    ...(await ids('SELECT id FROM reviews WHERE employee_id = $1')).map((id) => `review:${id}`),
    ...(await ids('SELECT id FROM kudos WHERE receiver_id = $1 OR giver_id = $1')).map((id) => `kudos:${id}`),
  ];
}

export async function exportSubject(store: Store, employeeId: string, actor: string): Promise<SubjectExport> {
  return store.transaction(async (tx) => {
    const found = (await tx.query('SELECT 1 FROM employees WHERE id = $1', [employeeId])).rows.length > 0;
    const decided = (await tx.query('SELECT 1 FROM decisions WHERE employee_id = $1 LIMIT 1', [employeeId])).rows.length > 0;
    if (!found && !decided) throw new AppraiseError('APPRAISE_EMPLOYEE_NOT_FOUND', `There is no employee ${employeeId}, and nothing is stored about that id. Check the id (\`npx appraise employees\` lists them).`, { field: 'employeeId' });
    const sections: SubjectExport['sections'] = {};
    const counts: Record<string, number> = {};
    for (const s of SECTIONS) {
      const rows = (await tx.query<Record<string, unknown>>(`SELECT * FROM ${s.table} WHERE ${s.where} ORDER BY ${s.order}`, [employeeId])).rows;
      for (const r of rows) for (const c of s.omit ?? []) delete r[c];
      sections[s.key] = rows.map(plain);
      counts[s.key] = rows.length;
    }
    const policyVersions = (await tx.query<Record<string, unknown>>(
      `SELECT v.policy_id, v.version, v.title, v.content_hash, v.published_at, v.author FROM policy_versions v
       WHERE (v.policy_id, v.version) IN (SELECT DISTINCT policy_id, policy_version FROM decisions WHERE employee_id = $1) ORDER BY v.policy_id, v.version`,
      [employeeId],
    )).rows.map(plain);
    const targets = await auditTargets(tx, employeeId);
    const audit = (await tx.query<Record<string, unknown>>(
      `SELECT * FROM audit_log WHERE target = ANY($1::text[]) OR data->>'employeeId' = $2 OR target = $2 ORDER BY id`,
      [targets, employeeId],
    )).rows.map(plain);
    counts.audit = audit.length;
    const generatedAt = new Date().toISOString();
    // The export is itself about the person: audited with what it held, never its contents.
    await tx.query(`INSERT INTO audit_log (actor, action, target, data) VALUES ($1, 'employee.export', $2, $3::jsonb)`, [actor, `employee:${employeeId}`, JSON.stringify({ counts, format: EXPORT_FORMAT })]);
    return { format: EXPORT_FORMAT, generatedAt, generatedBy: actor, employeeId, counts, sections, policyVersions, audit };
  });
}

/** Dates as ISO text, big integers as numbers: JSON a reader's tools open as they are. */
function plain(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = v instanceof Date ? v.toISOString() : typeof v === 'bigint' ? Number(v) : v;
  return out;
}
