// Reading the published notices: one version's, a policy's history, the ones that apply to an
// employee, and when each version in a run is enforced from (core/cases/open-cases.ts).
import type { Queryable } from '../../store/store.ts';
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import { parse } from 'yaml';
import { getVersion, listPolicies } from '../../policy/versions.ts';
import type { Policy } from '../../policy/types.ts';
import { loadEmployee, selects } from '../../run/employees.ts';
import { enforcedFromOf } from './notice-period.ts';
import { recordNotice, toStored, type NoticeContext, type NoticeRow, type StoredNotice } from './record.ts';

/** The notice of a version (default: the one in force); a version never in force has none. */
export async function getNotice(db: Queryable, policyId: string, version: number | undefined, ctx: NoticeContext): Promise<StoredNotice> {
  const v = await getVersion(db, policyId, version);
  if (v.status !== 'published') {
    throw new AppraiseError('APPRAISE_NOTICE_NOT_IN_FORCE', `Version ${v.version} of ${policyId} was ${v.status === 'proposed' ? 'proposed but not approved yet' : 'rejected'}, so it was never in force and has no worker notice. \`npx appraise policies history ${policyId}\` shows which versions were.`, { policyId, version: v.version, status: v.status });
  }
  const row = (await db.query<NoticeRow>('SELECT notice, published_at FROM policy_notices WHERE policy_id = $1 AND version = $2', [policyId, v.version])).rows[0];
  return row ? toStored(row) : (await recordNotice(db, v, ctx))!;
}

/**
 * The notices of every version of a policy that was in force, newest first. A version from
 * before notices whose text no longer loads (a plugin it used was removed) has none to show: runs
 * skip it too.
 */
export async function noticeHistory(db: Queryable, policyId: string, ctx: NoticeContext): Promise<StoredNotice[]> {
  const versions = (await db.query<{ version: number }>(`SELECT version FROM policy_versions WHERE policy_id = $1 AND status = 'published' ORDER BY version DESC`, [policyId])).rows;
  const out: StoredNotice[] = [];
  for (const { version } of versions) {
    try {
      out.push(await getNotice(db, policyId, Number(version), ctx));
    } catch (e) {
      if (!(e instanceof AppraiseError && e.code === 'APPRAISE_POLICY_INVALID')) throw e;
    }
  }
  return out;
}

/**
 * When each of these versions is enforced from: the date its notice announced, or (a version
 * whose notice was never generated) `noticeDays` after it went in force. A version without a
 * notice period is left out.
 */
export async function enforcementOf(db: Queryable, versions: Array<{ policyId: string; version: number }>, noticeDays: number): Promise<Map<string, { enforcedFrom: string; noticeDays: number }>> {
  const out = new Map<string, { enforcedFrom: string; noticeDays: number }>();
  if (!versions.length) return out;
  const r = await db.query<{ policy_id: string; published_at: string | Date; enforced_from: string | Date | null; notice_days: number | null }>(
    `SELECT v.policy_id, v.published_at, n.enforced_from, n.notice_days
     FROM unnest($1::text[], $2::int[]) AS x(p, ver)
     JOIN policy_versions v ON v.policy_id = x.p AND v.version = x.ver
     LEFT JOIN policy_notices n ON n.policy_id = v.policy_id AND n.version = v.version`,
    [versions.map((v) => v.policyId), versions.map((v) => v.version)],
  );
  for (const row of r.rows) {
    // No notice period (none announced, none configured): the version is enforced as of any date,
    // back-dated runs included.
    if ((row.notice_days ?? noticeDays) === 0) continue;
    const enforcedFrom = row.enforced_from !== null
      ? new Date(row.enforced_from).toISOString()
      : enforcedFromOf(new Date(row.published_at).toISOString(), noticeDays);
    out.set(row.policy_id, { enforcedFrom, noticeDays: row.notice_days ?? noticeDays });
  }
  return out;
}

/** A policy that applies to someone, with the notice in force and those of its earlier versions. */
export interface PolicyNotices {
  policyId: string;
  title: string;
  current: StoredNotice;
  previous: StoredNotice[];
}

/**
 * The notices of the policies whose version in force applies to the employee (its appliesTo
 * selects them as of `asOf`), each with its earlier versions' notices. An unknown employee has none.
 */
export async function noticesForEmployee(db: Queryable, employeeId: string, ctx: NoticeContext, asOf = new Date()): Promise<PolicyNotices[]> {
  const employee = await loadEmployee(db, employeeId);
  if (!employee) return [];
  const out: PolicyNotices[] = [];
  for (const p of await listPolicies(db)) {
    const v = await getVersion(db, p.policyId, p.latestVersion);
    const appliesTo = (parse(v.yaml) as Policy | null)?.spec?.appliesTo ?? {};
    if (!selects(appliesTo, employee, asOf).applies) continue;
    const [current, ...previous] = await noticeHistory(db, p.policyId, ctx);
    // The version in force no longer loads: no run evaluates anyone with it until it is fixed.
    if (!current || current.version !== v.version) continue;
    out.push({ policyId: p.policyId, title: current.title, current, previous });
  }
  return out;
}
