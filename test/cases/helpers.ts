// Helpers for case tests: a migrated in-memory store with employees and cases inserted directly.
import { openStore, type Store } from '../../core/store/store.ts';
import { migrate } from '../../core/store/migrate.ts';

export async function memoryStore(): Promise<Store> {
  const store = await openStore({ dataDir: 'memory://', databaseUrl: '' });
  await migrate(store);
  return store;
}

let n = 0;
/** A PIP's plan as HR approves it (goals, end date, check-ins, support). */
export const PLAN = { goals: ['Answer within 2h', 'CSAT ≥ 4.2'], dueAt: '2099-01-01', checkInEveryDays: 14, support: 'Weekly coaching with the team lead; the CSAT refresher course' };

/**
 * A case as the store would hold it; a PIP past approval holds its plan, as approving it sets
 * one (`withPlan: false` makes one without, as a PIP that needed no approval starts).
 */
export async function insertCase(store: Store, c: { type: string; status: string; employeeId?: string; workflows?: string[]; policyId?: string; checkInEveryDays?: number; withPlan?: boolean }): Promise<number> {
  const employeeId = c.employeeId ?? 'e1';
  const planned = c.type === 'pip' && c.status !== 'proposed' && c.status !== 'rejected' && c.withPlan !== false;
  await store.query(`INSERT INTO employees (id, name, content_hash) VALUES ($1, $1, 'x') ON CONFLICT DO NOTHING`, [employeeId]);
  const r = await store.query<{ id: number }>(
    `INSERT INTO cases (type, status, employee_id, policy_id, policy_version, rule_id, period, explanation, workflows, checkin_every_days, goals, due_at, support)
     VALUES ($1, $2, $3, $4, 1, $5, '2026-Q4', '{}'::jsonb, $6::jsonb, $7, $8::jsonb, $9, $10) RETURNING id`,
    [c.type, c.status, employeeId, c.policyId ?? 'p', `rule-${n++}`, JSON.stringify(c.workflows ?? []), c.checkInEveryDays ?? (planned ? PLAN.checkInEveryDays : null),
      planned ? JSON.stringify(PLAN.goals) : null, planned ? PLAN.dueAt : null, planned ? PLAN.support : null],
  );
  return Number(r.rows[0].id);
}
