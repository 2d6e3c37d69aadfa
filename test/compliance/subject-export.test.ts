// The data-subject access export of a demo employee: every table with a column naming a person
// is read by a section of the export (a new table that is not fails here, by name), and every
// section holds exactly the store's rows about them, counted independently. Over HTTP the export
// is one's own (or an administrator's), and making it is audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Appraise } from '../../core/app/appraise.ts';
import { defaultConfig } from '../../core/config/config.ts';
import { prepareDemoStore } from '../../core/app/first-start.ts';
import { exportSubject } from '../../core/compliance/subject-access/export.ts';
import { NOT_PERSONAL_COLUMNS, SECTIONS } from '../../core/compliance/subject-access/sections.ts';
import { buildServer } from '../../core/server/app.ts';
import { createToken } from '../../core/auth/tokens.ts';
import { testServer } from '../server/helpers.ts';

const PERSON_COLUMNS = ['employee_id', 'manager_id', 'receiver_id', 'giver_id', 'author_id'];
let app: Appraise;
let person: string;
let kudosPerson: string;

beforeAll(async () => {
  app = await Appraise.open({ config: defaultConfig(), dataDir: 'memory://', databaseUrl: '' });
  await prepareDemoStore(app, () => {});
  // Demo people with data of most kinds: one who disputed a case, one who received kudos.
  person = (await app.store.query<{ id: string }>('SELECT employee_id AS id FROM disputes ORDER BY id LIMIT 1')).rows[0].id;
  kudosPerson = (await app.store.query<{ id: string }>('SELECT receiver_id AS id FROM kudos GROUP BY receiver_id ORDER BY count(*) DESC, receiver_id LIMIT 1')).rows[0].id;
}, 300_000);
afterAll(() => app?.close());

describe('the data-subject access export', () => {
  it('reads every table that names a person, by the columns that name them', async () => {
    const columns = (await app.store.query<{ t: string; c: string }>(
      `SELECT table_name AS t, column_name AS c FROM information_schema.columns
       WHERE table_schema = current_schema() AND column_name = ANY($1::text[]) ORDER BY 1, 2`,
      [PERSON_COLUMNS],
    )).rows;
    expect(columns.length).toBeGreaterThan(10);
    const covered = new Set(SECTIONS.flatMap((s) => s.personColumns.map((c) => `${s.table}.${c}`)));
    // The typed per-kind copies of records (rk_*) hold the same rows as `records`.
    const gaps = columns.map((r) => `${r.t}.${r.c}`).filter((k) => !covered.has(k) && !NOT_PERSONAL_COLUMNS.has(k) && !/^rk_/.test(k));
    expect(gaps).toEqual([]);
  });

  it('holds exactly the rows the store has about demo employees, section by section', async () => {
    const seen = new Set<string>();
    for (const who of [kudosPerson, person]) for (const [k, n] of Object.entries(await compare(who))) if (n > 0) seen.add(k);
    // The demo gives these people data of most kinds: the comparison is not of empty sets.
    for (const k of ['employee', 'records', 'decisions', 'cases', 'caseEvents', 'reviews', 'disputes', 'disputeEvents', 'kudosReceived']) expect(seen, k).toContain(k);
  });

  async function compare(person: string): Promise<Record<string, number>> {
    const x = await exportSubject(app.store, person, 'dpo (admin)');
    const count = async (sql: string) => Number((await app.store.query<{ n: number }>(sql, [person])).rows[0].n);
    // Counted here with queries of their own, not the export's.
    const expected: Record<string, number> = {
      employee: await count('SELECT count(*)::int AS n FROM employees WHERE id = $1'),
      records: await count('SELECT count(*)::int AS n FROM records WHERE employee_id = $1'),
      decisions: await count('SELECT count(*)::int AS n FROM decisions WHERE employee_id = $1'),
      cases: await count('SELECT count(*)::int AS n FROM cases WHERE employee_id = $1'),
      caseEvents: await count('SELECT count(*)::int AS n FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.employee_id = $1'),
      goals: await count('SELECT count(*)::int AS n FROM goals WHERE employee_id = $1'),
      goalEvents: await count('SELECT count(*)::int AS n FROM goal_events e JOIN goals g ON g.id = e.goal_id WHERE g.employee_id = $1'),
      reviews: await count('SELECT count(*)::int AS n FROM reviews WHERE employee_id = $1'),
      reviewEvents: await count('SELECT count(*)::int AS n FROM review_events e JOIN reviews r ON r.id = e.review_id WHERE r.employee_id = $1'),
      disputes: await count('SELECT count(*)::int AS n FROM disputes WHERE employee_id = $1'),
      disputeEvents: await count('SELECT count(*)::int AS n FROM dispute_events e JOIN disputes d ON d.id = e.dispute_id WHERE d.employee_id = $1'),
      kudosReceived: await count('SELECT count(*)::int AS n FROM kudos WHERE receiver_id = $1'),
      kudosGiven: await count('SELECT count(*)::int AS n FROM kudos WHERE giver_id = $1'),
      suppressions: await count('SELECT count(*)::int AS n FROM suppressions WHERE employee_id = $1'),
      notificationsSent: await count('SELECT count(*)::int AS n FROM notifications_sent WHERE employee_id = $1'),
    };
    for (const [k, n] of Object.entries(expected)) expect(x.counts[k], `${person} ${k}`).toBe(n);
    // Payloads are in full, and the decisions carry their explanations and policy versions.
    const anyRecord = x.sections.records[0];
    expect(anyRecord.payload).toEqual((await app.store.query('SELECT payload FROM records WHERE id = $1', [anyRecord.id])).rows[0].payload);
    expect(x.sections.decisions.every((d) => typeof d.explanation === 'object')).toBe(true);
    expect(x.policyVersions.map((v) => `${v.policy_id}@${v.version}`).sort()).toEqual([...new Set(x.sections.decisions.map((d) => `${d.policy_id}@${d.policy_version}`))].sort());
    // The disputes' audit entries are there; a token's hash never is.
    if (x.counts.disputes) expect(x.audit.some((a) => String(a.target).startsWith('dispute:') || String(a.target).startsWith('case:'))).toBe(true);
    expect(JSON.stringify(x)).not.toMatch(/token_hash/);
    const audited = (await app.store.query<{ actor: string; data: { counts: Record<string, number> } }>(`SELECT actor, data FROM audit_log WHERE action = 'employee.export' AND target = $1`, [`employee:${person}`])).rows;
    expect(audited.at(-1)?.actor).toBe('dpo (admin)');
    expect(audited.at(-1)?.data.counts.records).toBe(expected.records);
    return x.counts;
  }

  it('over HTTP: one\'s own as JSON and as a page, another\'s not found, an administrator\'s any; HR none', async () => {
    const server = await buildServer(app);
    try {
      const own = (await createToken(app.store, { name: 'self', role: 'employee', employeeId: person, createdBy: 'test' })).token;
      const admin = (await createToken(app.store, { name: 'dpo', role: 'admin', createdBy: 'test' })).token;
      const hr = (await createToken(app.store, { name: 'hr', role: 'hr', createdBy: 'test' })).token;
      const get = (token: string, url: string) => server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
      const mine = await get(own, `/api/employees/${person}/export`);
      expect(mine.statusCode).toBe(200);
      expect(mine.json().counts.records).toBeGreaterThan(0);
      const page = await get(own, `/api/employees/${person}/export.html`);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.body).toContain('What Appraise holds about');
      expect(page.body).toContain('Records about your work');
      const other = (await app.store.query<{ id: string }>('SELECT id FROM employees WHERE id <> $1 LIMIT 1', [person])).rows[0].id;
      expect((await get(own, `/api/employees/${other}/export`)).statusCode).toBe(404);
      expect((await get(admin, `/api/employees/${other}/export`)).statusCode).toBe(200);
      expect((await get(hr, `/api/employees/${other}/export`)).statusCode).toBe(403);
      expect((await get(admin, '/api/employees/nobody-at-all/export')).json().error.code).toBe('APPRAISE_EMPLOYEE_NOT_FOUND');
    } finally {
      await server.close();
    }
  });
});

describe('the export on PostgreSQL', () => {
  it('holds the small organisation\'s rows about one person', async () => {
    const t = await testServer({}, { backend: 'postgres', tokens: ['admin', 'employee'] });
    try {
      const r = await t.call('employee', 'GET', '/api/employees/w1/export');
      expect(r.statusCode).toBe(200);
      const n = Number((await t.app.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM records WHERE employee_id = 'w1'`)).rows[0].n);
      expect(n).toBeGreaterThan(0);
      expect(r.json().counts.records).toBe(n);
      expect(r.json().sections.employee[0].id).toBe('w1');
    } finally {
      await t.close();
    }
  });
});
