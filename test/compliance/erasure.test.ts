// Erasure of a person on the demo organisation (PGlite) and on the small organisation
// (PostgreSQL): afterwards no text or JSON column of any table holds their id, name or email;
// their decisions and cases are still counted under a pseudonym; a new run and the reports
// work; and the audit log says who erased whom (by pseudonym) and why.
import { afterAll, describe, expect, it } from 'vitest';
import { Appraise } from '../../core/app/appraise.ts';
import { defaultConfig } from '../../core/config/config.ts';
import { prepareDemoStore } from '../../core/app/first-start.ts';
import { erasePerson } from '../../core/compliance/erasure/erase.ts';
import { exportSubject } from '../../core/compliance/subject-access/export.ts';
import { buildServer } from '../../core/server/app.ts';
import { createToken } from '../../core/auth/tokens.ts';
import type { Store } from '../../core/store/store.ts';
import { testServer, type TestServer } from '../server/helpers.ts';

const escape = (v: string) => `\\y${v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\y`;

/** Every (table, column) of text or JSON in the store whose value still holds one of the words. */
async function stillFound(store: Store, words: string[]): Promise<string[]> {
  const cols = (await store.query<{ t: string; c: string; type: string }>(
    `SELECT c.table_name AS t, c.column_name AS c, c.data_type AS type FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
     WHERE c.table_schema = current_schema() AND c.data_type IN ('text', 'jsonb', 'character varying')`,
  )).rows;
  const found: string[] = [];
  for (const { t, c, type } of cols) {
    for (const w of words) {
      const n = Number((await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${t}" WHERE "${c}"${type === 'jsonb' ? '::text' : ''} ~* $1`, [escape(w)])).rows[0].n);
      if (n) found.push(`${t}.${c} (${n} × ${w})`);
    }
  }
  return found;
}

const totals = async (store: Store) => (await store.query<{ d: number; c: number; r: number; a: number }>(
  `SELECT (SELECT count(*)::int FROM decisions) AS d, (SELECT count(*)::int FROM cases) AS c, (SELECT count(*)::int FROM records) AS r, (SELECT count(*)::int FROM audit_log) AS a`,
)).rows[0];

describe('erasure on the demo organisation (PGlite)', () => {
  let app: Appraise;
  afterAll(() => app?.close());

  it('leaves nothing of the person searchable, keeps counts, runs, reports and the audit trail', async () => {
    app = await Appraise.open({ config: defaultConfig(), dataDir: 'memory://', databaseUrl: '' });
    await prepareDemoStore(app, () => {});
    const person = (await app.store.query<{ id: string; name: string; email: string }>(
      `SELECT e.id, e.name, e.email FROM employees e JOIN disputes d ON d.employee_id = e.id WHERE e.email IS NOT NULL ORDER BY e.id LIMIT 1`,
    )).rows[0];
    const words = [person.id, person.name, person.email];
    expect((await stillFound(app.store, words)).length).toBeGreaterThan(3);
    const mine = (await app.store.query<{ n: number }>('SELECT count(*)::int AS n FROM decisions WHERE employee_id = $1', [person.id])).rows[0].n;
    const before = await totals(app.store);

    await expect(erasePerson(app.store, person.id, { actor: 'dpo', reason: ' ' })).rejects.toMatchObject({ code: 'APPRAISE_ERASURE_NO_REASON' });
    const r = await erasePerson(app.store, person.id, { actor: 'dpo', reason: `request of ${person.name} by email` });

    expect(await stillFound(app.store, words)).toEqual([]);
    const after = await totals(app.store);
    expect({ d: after.d, c: after.c, r: after.r }).toEqual({ d: before.d, c: before.c, r: before.r });
    expect(after.a).toBe(before.a + 1);
    expect((await app.store.query<{ n: number }>('SELECT count(*)::int AS n FROM decisions WHERE employee_id = $1', [r.pseudonym])).rows[0].n).toBe(mine);
    const audit = (await app.store.query<{ actor: string; target: string; data: { reason: string } }>(`SELECT actor, target, data FROM audit_log WHERE action = 'employee.erase'`)).rows;
    expect(audit).toEqual([{ actor: 'dpo', target: `employee:${r.pseudonym}`, data: expect.objectContaining({ reason: 'request of Erased person by email' }) }]);
    // Typed copies follow the records they copy.
    const typed = (await app.store.query<{ t: string }>(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'rk\\_%'`)).rows;
    for (const { t } of typed) expect(Number((await app.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${t}" WHERE employee_id = $1`, [person.id])).rows[0].n), t).toBe(0);

    // Runs and reports still work; an erased person is no longer in any policy's scope.
    const run = await app.run({ trigger: 'manual' });
    expect(run.run.status).toBe('completed');
    expect(run.decisions.some((d) => d.employeeId === r.pseudonym)).toBe(false);
    const x = await exportSubject(app.store, r.pseudonym, 'dpo');
    expect(x.counts.decisions).toBe(mine);
    expect(JSON.stringify(x)).not.toContain(person.name);
    const server = await buildServer(app);
    try {
      const token = (await createToken(app.store, { name: 'hr', role: 'hr', createdBy: 'test' })).token;
      for (const url of ['/api/dashboard', `/api/runs/${run.run.id}`, '/api/cases?pageSize=200']) {
        const res = await server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
        expect(res.statusCode, url).toBe(200);
        expect(res.body, url).not.toContain(person.name);
      }
    } finally {
      await server.close();
    }
  }, 300_000);
});

describe('erasure on PostgreSQL', () => {
  let t: TestServer;
  afterAll(() => t?.close());

  it('leaves nothing of the person searchable, and runs and reports work', async () => {
    t = await testServer({}, { backend: 'postgres', tokens: ['admin', 'hr', 'employee'] });
    await t.app.run({ trigger: 'manual', asOf: new Date('2026-04-01T00:00:00Z') });
    const before = await totals(t.app.store);
    const r = await erasePerson(t.app.store, 'w1', { actor: 'dpo', reason: 'left, asked to be forgotten' });
    expect(await stillFound(t.app.store, ['w1', 'Agent w1'])).toEqual([]);
    const after = await totals(t.app.store);
    expect({ d: after.d, c: after.c, r: after.r }).toEqual({ d: before.d, c: before.c, r: before.r });
    // The employee's token no longer signs in.
    expect((await t.call('employee', 'GET', '/api/me')).statusCode).toBe(401);
    const run = await t.app.run({ trigger: 'manual', asOf: new Date('2026-04-02T00:00:00Z') });
    expect(run.run.status).toBe('completed');
    expect((await t.call('hr', 'GET', '/api/dashboard')).statusCode).toBe(200);
    expect((await t.call('admin', 'GET', `/api/employees/${r.pseudonym}/export`)).json().sections.employee[0].name).toBe('Erased person');
  }, 120_000);
});
