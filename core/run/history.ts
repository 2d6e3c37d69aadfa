// history.* facts: counts of the employee's cases by type and status, opened within a window
// (params.window, default 365d) before the as-of instant, and whether a PIP is in force. An
// overturned case (a dispute found it wrong) counts in none of them.
// One query for all employees of the run.
import type { Queryable } from '../store/store.ts';
import { DEFAULT_HISTORY_WINDOW, NOT_IN_HISTORY } from '../policy/builtin-facts.ts';
import { parseDuration } from '../policy/duration.ts';
import type { ResolvedFact } from '../evaluate/facts.ts';

/** PIP statuses in which a plan is in force (the "one PIP at a time" rule uses the same set). */
export const PIP_IN_FORCE = ['approved', 'acknowledged', 'active', 'paused', 'extended'];

interface CaseRow {
  employee_id: string;
  type: string;
  status: string;
  opened_at: string | Date;
}

/** From how many people on, the query reads the window's cases of everyone. */
const UNFILTERED_FROM = 2000;

export async function historyFacts(
  db: Queryable,
  asOf: Date,
  wanted: Array<{ key: string; fact: string; params?: Record<string, unknown> }>,
  employeeIds: string[],
): Promise<Map<string, Map<string, ResolvedFact>>> {
  const out = new Map<string, Map<string, ResolvedFact>>();
  if (wanted.length === 0 || employeeIds.length === 0) return out;
  const windows = wanted.map((w) => parseDuration(String(w.params?.window ?? DEFAULT_HISTORY_WINDOW))! * 1000);
  const earliest = new Date(asOf.getTime() - Math.max(...windows));
  // For many people, the cases of the window without an id filter (a 100,000-id array costs more
  // to send and match than the few rows of people outside the list).
  const filtered = employeeIds.length <= UNFILTERED_FROM;
  const rows = (await db.query<CaseRow>(
    `SELECT employee_id, type, status, opened_at FROM cases
     WHERE ${filtered ? 'employee_id = ANY($5::text[]) AND ' : ''}opened_at < $2 AND (opened_at >= $1 OR (type = 'pip' AND status = ANY($3::text[])))
       AND status <> ALL($4::text[])`,
    [earliest.toISOString(), asOf.toISOString(), PIP_IN_FORCE, NOT_IN_HISTORY, ...(filtered ? [employeeIds] : [])],
  )).rows;
  const byEmployee = new Map<string, CaseRow[]>();
  for (const r of rows) {
    const list = byEmployee.get(r.employee_id);
    if (list) list.push(r);
    else byEmployee.set(r.employee_id, [r]);
  }
  // Most people have no case in the window: they share one (read-only) set of facts.
  let none: Map<string, ResolvedFact> | undefined;
  for (const id of employeeIds) {
    const cases = byEmployee.get(id);
    if (!cases && none) {
      out.set(id, none);
      continue;
    }
    const facts = new Map<string, ResolvedFact>();
    wanted.forEach((w, i) => {
      if (w.fact === 'history.pip.isActive') {
        facts.set(w.key, { status: 'ok', value: (cases ?? []).some((c) => c.type === 'pip' && PIP_IN_FORCE.includes(c.status)) });
        return;
      }
      const [, type, status] = w.fact.split('.');
      const since = asOf.getTime() - windows[i];
      const n = (cases ?? []).filter((c) => c.type === type && (status === 'total' || c.status === status) && new Date(c.opened_at).getTime() >= since).length;
      facts.set(w.key, { status: 'ok', value: n, unit: 'count' });
    });
    if (!cases) none = facts;
    out.set(id, facts);
  }
  return out;
}
