// Helpers for case tests: a migrated in-memory store with employees and cases inserted directly.
import { openStore, type Store } from '../../core/store/store.ts';
import { migrate } from '../../core/store/migrate.ts';

export async function memoryStore(): Promise<Store> {
  const store = await openStore({ dataDir: 'memory://', databaseUrl: '' });
  await migrate(store);
  return store;
}

let n = 0;
export async function insertCase(store: Store, c: { type: string; status: string; employeeId?: string; workflows?: string[]; policyId?: string; checkInEveryDays?: number }): Promise<number> {
  const employeeId = c.employeeId ?? 'e1';
  await store.query(`INSERT INTO employees (id, name, content_hash) VALUES ($1, $1, 'x') ON CONFLICT DO NOTHING`, [employeeId]);
  const r = await store.query<{ id: number }>(
    `INSERT INTO cases (type, status, employee_id, policy_id, policy_version, rule_id, period, explanation, workflows, checkin_every_days)
     VALUES ($1, $2, $3, $4, 1, $5, '2026-Q4', '{}'::jsonb, $6::jsonb, $7) RETURNING id`,
    [c.type, c.status, employeeId, c.policyId ?? 'p', `rule-${n++}`, JSON.stringify(c.workflows ?? []), c.checkInEveryDays ?? null],
  );
  return Number(r.rows[0].id);
}
