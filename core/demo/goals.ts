// Demo goals, so that `npm start` shows Goals populated: for some agents with customer surveys,
// a CSAT goal their manager set for the current quarter (measured, so its progress is computed)
// and, for a few, a goal they proposed themselves that waits for their manager; and a team CSAT
// goal for two teams. Deterministic: the same store gets the same goals.
import type { Store } from '../store/store.ts';
import type { Metrics } from '../people/goals/measure.ts';
import { createGoal } from '../people/goals/goals.ts';

const DAY = 86_400_000;
const CSAT = 'customer-feedback.csat';

export async function loadDemoGoals(store: Store, metrics: Metrics, asOf: Date): Promise<number> {
  if (!metrics.has(CSAT)) return 0;
  const since = new Date(asOf.getTime() - 60 * DAY).toISOString();
  const people = (await store.query<{ id: string; team: string | null; manager_id: string | null }>(
    `SELECT e.id, e.team, e.manager_id FROM employees e
     WHERE e.manager_id IS NOT NULL AND (SELECT count(*) FROM records r WHERE r.kind = 'customer-feedback.survey' AND r.employee_id = e.id AND r.occurred_at >= $1) >= 10
     ORDER BY e.id`,
    [since],
  )).rows;
  const hr = { tokenId: 0, name: 'appraise demo', role: 'hr' as const };
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const startsAt = day(asOf.getTime() - 60 * DAY);
  const dueAt = day(asOf.getTime() + 30 * DAY);
  let n = 0;
  for (const [i, p] of people.filter((_, i) => i % 8 === 0).slice(0, 40).entries()) {
    await createGoal(store, metrics, hr, { employeeId: p.id, title: 'Customer satisfaction at 4.2 or more this quarter', startsAt, dueAt, measure: { metric: CSAT, target: 4.2, direction: 'atLeast', minSamples: 10 } }, asOf);
    n++;
    if (i % 3 === 0) {
      await createGoal(store, metrics, { tokenId: 0, name: p.id, role: 'employee', employeeId: p.id }, { employeeId: p.id, title: 'Finish the de-escalation course', description: 'The four modules, before the end of the quarter.', startsAt: day(asOf.getTime()), dueAt }, asOf);
      n++;
    }
  }
  const teams = [...new Set(people.map((p) => p.team).filter((t): t is string => Boolean(t)))].slice(0, 2);
  for (const team of teams) {
    await createGoal(store, metrics, hr, { team, title: `${team}: customer satisfaction at 4 or more`, startsAt, dueAt, measure: { metric: CSAT, target: 4, direction: 'atLeast', minSamples: 10 } }, asOf);
    n++;
  }
  return n;
}
