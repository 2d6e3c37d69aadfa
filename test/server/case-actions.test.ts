// The actions a case page offers a role are exactly those the server accepts from it. Walks a
// PIP and a recognition through their lifecycles; at each status every role's offered actions
// are tried (one of them taken to move on) and every action not offered must be refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionsOf, type CaseType } from '../../core/cases/lifecycle.ts';
import { testServer, type TestServer } from './helpers.ts';

let t: TestServer;
beforeAll(async () => {
  t = await testServer();
  await t.app.run({ asOf: new Date('2026-04-01T00:00:00Z'), trigger: 'manual' });
});
afterAll(async () => {
  await t.close();
});

const WHO = ['employee', 'manager', 'otherManager', 'viewer', 'hr', 'admin'] as const;
const future = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
const everything = { note: 'because', data: { scheduledFor: future, goals: ['CSAT at 3.5 or more'], dueAt: future, checkInEveryDays: 14, support: 'Weekly coaching with the team lead' } };

async function walk(caseId: number, type: CaseType): Promise<string[]> {
  const path: string[] = [];
  for (let step = 0; step < 12; step++) {
    const offered = new Map<(typeof WHO)[number], string[]>();
    for (const who of WHO) {
      const r = await t.call(who, 'GET', `/api/cases/${caseId}`);
      const shown: string[] = r.statusCode === 200 ? JSON.parse(r.body).allowedActions.map((a: { action: string }) => a.action) : [];
      offered.set(who, shown);
      for (const action of actionsOf(type).filter((a) => !shown.includes(a))) {
        const refused = await t.call(who, 'POST', `/api/cases/${caseId}/transitions`, { action, ...everything });
        expect([403, 404, 409], `${who} may ${action} case ${caseId} although it is not offered`).toContain(refused.statusCode);
      }
    }
    // Prefer an action not taken yet, so the walk moves on instead of circling (edit goals, acknowledge, …).
    const taken = new Set(path.map((p) => p.split(/[:→]/)[1]));
    const choices = WHO.flatMap((w) => offered.get(w)!.map((a) => [w, a] as const));
    const choice = choices.find(([, a]) => !taken.has(a)) ?? choices[0];
    if (!choice) return path;
    const [next, action] = choice;
    const done = await t.call(next, 'POST', `/api/cases/${caseId}/transitions`, { action, ...everything });
    expect(done.statusCode, `${next} was offered ${action} but: ${done.body}`).toBe(200);
    path.push(`${next}:${action}→${JSON.parse(done.body).status}`);
  }
  return path;
}

describe('offered actions are exactly the accepted ones', () => {
  it('a PIP from proposed to its end: only the employee acknowledges, HR approves', async () => {
    const c = (await t.app.store.query<{ id: number }>(`SELECT id FROM cases WHERE type = 'pip' AND employee_id = 'w1'`)).rows[0];
    expect(c).toBeDefined();
    const admin = JSON.parse((await t.call('admin', 'GET', `/api/cases/${c.id}`)).body);
    expect(admin.status).toBe('proposed');
    const path = await walk(c.id, 'pip');
    expect(path[0]).toMatch(/^hr:approve→approved$/);
    expect(path[1]).toBe('employee:acknowledge→acknowledged');
    expect(path.at(-1)).toMatch(/→(succeeded|failed|cancelled|rejected)$/);
  });

  it('a recognition: the manager delivers it and only the employee acknowledges', async () => {
    const c = (await t.app.store.query<{ id: number; employee_id: string }>(`SELECT id, employee_id FROM cases WHERE type = 'recognition' AND employee_id LIKE 'w%' ORDER BY id LIMIT 1`)).rows[0];
    expect(c).toBeDefined();
    const path = await walk(c.id, 'recognition');
    expect(path[0]).toMatch(/^(manager|hr|admin):deliver→delivered$/);
  });
});
