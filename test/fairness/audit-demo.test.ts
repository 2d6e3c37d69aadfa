// The fairness audit on the demo organisation, as `npm start` loads it (a smaller one): two
// quarters of runs, reported per cycle with the single attributes and sex × race/ethnicity,
// the people whose category is unknown ("Undisclosed", "Prefer not to say") counted apart, and
// groups under the minimum or 2% suppressed with the reason, through the API as HR sees it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Appraise } from '../../core/app/appraise.ts';
import { createToken } from '../../core/auth/tokens.ts';
import { defaultConfig } from '../../core/config/config.ts';
import { buildServer } from '../../core/server/app.ts';
import type { FastifyInstance } from 'fastify';
import type { FairnessAudit } from '../../core/fairness/audit.ts';

let app: Appraise;
let server: FastifyInstance;
let token: string;
const now = new Date();

beforeAll(async () => {
  process.env.APPRAISE_DEMO_EMPLOYEES = '150';
  const { prepareDemoStore } = await import('../../core/app/first-start.ts');
  app = await Appraise.open({ config: defaultConfig(), dataDir: 'memory://', databaseUrl: '' });
  await prepareDemoStore(app, () => {});
  // The quarter before: a second cycle of the same policies.
  const previous = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (now.getUTCMonth() % 3), 1) - 86_400_000);
  await app.run({ asOf: previous, trigger: 'manual' });
  token = (await createToken(app.store, { name: 'hr', role: 'hr', createdBy: 'setup' })).token;
  server = await buildServer(app, {});
}, 300_000);
afterAll(async () => {
  await server?.close();
  await app?.close();
});

const range = () => `from=${new Date(now.getTime() - 200 * 86_400_000).toISOString().slice(0, 10)}&to=${now.toISOString().slice(0, 10)}`;
const get = (url: string) => server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

describe('the fairness audit on the demo', () => {
  it('per cycle: single and intersectional groups, unknown counts and suppressed small groups', async () => {
    const res = await get(`/api/fairness/report?${range()}`);
    expect(res.statusCode, res.body).toBe(200);
    const audit = JSON.parse(res.body) as FairnessAudit;
    expect(audit.protectedAttributes).toEqual(['gender', 'ethnicity', 'ageBand']);
    expect(audit.intersections).toEqual([['gender', 'ethnicity']]);
    expect(audit.thresholds).toMatchObject({ minGroupSize: 5, minGroupShare: 0.02, unknownValues: ['Undisclosed', 'Prefer not to say'] });
    // Every shipped policy that ran, in two cycles each.
    const cyclesByPolicy = new Map<string, string[]>();
    for (const c of audit.cycles) cyclesByPolicy.set(c.policyId, [...(cyclesByPolicy.get(c.policyId) ?? []), c.cycle]);
    expect(cyclesByPolicy.size).toBeGreaterThan(0);
    for (const [policy, cycles] of cyclesByPolicy) expect(new Set(cycles).size, policy).toBe(2);
    for (const c of audit.cycles) {
      const r = c.report;
      expect(r.unknowns).toBe('exclude');
      expect(r.sections.filter((s) => s.kind === 'single').map((s) => s.attribute)).toEqual(expect.arrayContaining(['gender', 'ethnicity', 'ageBand']));
      const intersection = r.sections.filter((s) => s.kind === 'intersection');
      expect(intersection.map((s) => s.attribute)).toEqual(['gender × ethnicity', 'gender × ethnicity', 'gender × ethnicity']);
      expect(intersection[0].groups.every((g) => g.group.includes(' × '))).toBe(true);
      // Unknown categories are counted, never a group.
      for (const s of r.sections) {
        expect(s.unknown).not.toBeNull();
        expect(s.groups.some((g) => g.notRecorded)).toBe(false);
      }
      for (const a of r.attributes) expect(a.notRecorded).toBeGreaterThanOrEqual(0);
      const unknown = (attribute: string) => r.attributes.find((a) => a.attribute === attribute)!.notRecorded;
      expect(unknown('gender × ethnicity')).toBeGreaterThanOrEqual(Math.max(unknown('gender'), unknown('ethnicity')));
      // Small groups are shown, suppressed, with the rule they fall under.
      for (const g of r.sections.flatMap((s) => s.groups).filter((x) => x.tooSmall)) {
        expect(g.tooSmallReason).toMatch(/^(fewer than 5 people|under 2% of the \d+ people evaluated|fewer than 5 people and under 2% of the \d+ people evaluated)$/);
        expect(g.impactRatio).toBeNull();
      }
    }
    // In each of the two runs' cycles (monthly and quarterly policies), people with an unknown
    // category and suppressed intersectional groups are there to see.
    const runs = new Set(audit.cycles.map((c) => c.runId));
    expect(runs.size).toBe(2);
    for (const run of runs) {
      const reports = audit.cycles.filter((c) => c.runId === run).map((c) => c.report);
      expect(reports.some((r) => r.attributes.find((a) => a.attribute === 'gender × ethnicity')!.notRecorded > 0), `run ${run}`).toBe(true);
      expect(reports.some((r) => r.sections.some((s) => s.kind === 'intersection' && s.groups.some((g) => g.tooSmall))), `run ${run}`).toBe(true);
    }
    expect(audit.cycles.some((c) => c.report.attributes.find((a) => a.attribute === 'gender')!.notRecorded > 0)).toBe(true);
  });

  it('the printable page and the CSV say the same, with the method and thresholds', async () => {
    const page = await get(`/api/fairness/report/print?${range()}`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('Four-fifths rule (29 CFR 1607.4(D))');
    expect(page.body).toContain('Too small to judge: fewer than 5 people, or under 2% of the people evaluated in the cycle.');
    expect(page.body).toContain('Counted as unknown: &quot;Undisclosed&quot;, &quot;Prefer not to say&quot;.');
    expect(page.body).toMatch(/by gender × ethnicity<\/caption>/);
    expect(page.body).toContain('<td>Unknown category</td>');
    expect(page.body).toContain('@media print');
    const csv = await get(`/api/fairness/report?${range()}&format=csv`);
    const lines = csv.body.trimEnd().split('\n');
    expect(lines[0]).toBe('policy,version,cycle,run,as_of,outcome,attribute,group,size,selected,selection_rate,favourable_rate,impact_ratio,fisher_p,result,reason');
    expect(lines.some((l) => l.includes(',gender × ethnicity,(unknown),'))).toBe(true);
    expect(lines.some((l) => l.includes(',too small,too small to judge: '))).toBe(true);
  });

  it('is for HR and admins only: a manager and a viewer are refused', async () => {
    for (const role of ['manager', 'viewer'] as const) {
      const manager = (await app.store.query<{ id: string }>('SELECT DISTINCT manager_id AS id FROM employees WHERE manager_id IS NOT NULL LIMIT 1')).rows[0].id;
      const other = (await createToken(app.store, { name: role, role, createdBy: 'setup', ...(role === 'manager' ? { employeeId: manager } : {}) })).token;
      const res = await server.inject({ method: 'GET', url: `/api/fairness/report?${range()}`, headers: { authorization: `Bearer ${other}` } });
      expect(res.statusCode).toBe(403);
      expect(JSON.parse(res.body).error.code).toBe('APPRAISE_API_FORBIDDEN');
    }
  });
});
