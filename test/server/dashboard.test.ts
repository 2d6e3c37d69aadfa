// GET /api/dashboard: team trends as the mean of members' values against the policy thresholds,
// outcome counts per period, open cases by status and due date, the recognition wall — each
// scoped to what the caller may see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AS_OF, testServer, type TestServer } from './helpers.ts';
import { startDashboardWarmer } from '../../core/server/dashboard-warmer.ts';
import { readStats, readVersion, trendInstant } from '../../core/run/read-cache.ts';

let t: TestServer;
const json = (r: { body: string }) => JSON.parse(r.body);
const AFTER = '2026-04-02T00:00:00Z';
const WOMEN_CSAT = [1.5, 2.5, 2.5, 2.7, 2.8, 4, 4, 4, 4.6, 4.6];

beforeAll(async () => {
  t = await testServer();
  expect((await t.call('hr', 'POST', '/api/runs', { asOf: AS_OF })).statusCode).toBe(200);
});
afterAll(async () => {
  await t.close();
});

describe('dashboard', () => {
  it("a team's metric per period is the mean of its members' values, with the policy's thresholds", async () => {
    const d = json(await t.call('hr', 'GET', `/api/dashboard?periods=3&cycle=month&asOf=${AFTER}&group=team:A`));
    expect(d.periods.map((p: { period: string }) => p.period)).toEqual(['2026-02', '2026-03', '2026-04']);
    expect(d.trends).toHaveLength(1);
    const a = d.trends.find((g: { by: string; group: string }) => g.by === 'team' && g.group === 'A');
    expect(a.members).toBe(11); // ten agents and their manager
    const csat = a.series.find((s: { fact: string }) => s.fact === 'csat');
    expect(csat.points.map((p: { value: number | null }) => p.value)).toEqual([null, null, expect.closeTo(WOMEN_CSAT.reduce((x, y) => x + y) / 10, 10)]);
    expect(csat.points.at(-1)).toMatchObject({ members: 10, withData: 10 });
    expect(csat.thresholds).toEqual(expect.arrayContaining([expect.objectContaining({ ruleId: 'pip', operator: 'lessThan', value: 2 })]));
  });

  it('sends the trends of one group, the organisation by default, with the groups to choose from; an unknown group is a 404', async () => {
    const d = json(await t.call('hr', 'GET', `/api/dashboard?periods=3&cycle=month&asOf=${AFTER}`));
    expect(d.groups).toEqual([{ by: 'organisation', group: 'Everyone', members: 22 }, { by: 'team', group: 'A', members: 11 }, { by: 'team', group: 'B', members: 11 }]);
    expect(d.trends).toHaveLength(1);
    const everyone = d.trends[0];
    expect(everyone).toMatchObject({ by: 'organisation', group: 'Everyone', members: 22 });
    const csat = everyone.series.find((s: { fact: string }) => s.fact === 'csat');
    expect(csat.points.at(-1)).toMatchObject({ members: 20, withData: 20 });
    const missing = await t.call('hr', 'GET', `/api/dashboard?asOf=${AFTER}&group=team:Nowhere`);
    expect(missing.statusCode).toBe(404);
    expect(json(missing).error.code).toBe('APPRAISE_GROUP_NOT_FOUND');
  });

  it("sets the organisation and its departments side by side at the last period, and each series says the metric's range", async () => {
    const d = json(await t.call('hr', 'GET', `/api/dashboard?periods=3&cycle=month&asOf=${AFTER}`));
    const csat = d.trends[0].series.find((s: { fact: string }) => s.fact === 'csat');
    expect(csat).toMatchObject({ unit: 'score', range: [1, 5] });
    const column = d.overview.columns.findIndex((c: { fact: string }) => c.fact === 'csat');
    expect(d.overview.columns[column]).toMatchObject({ policyId: csat.policyId, title: csat.title, unit: 'score', range: [1, 5], thresholds: csat.thresholds });
    // the fixture has no departments: the organisation alone
    expect(d.overview.rows).toEqual([{ by: 'organisation', group: 'Everyone', members: 22, cells: expect.any(Array) }]);
    expect(d.overview.rows[0].cells[column]).toEqual({ value: csat.points[2].value, previous: null, members: 20, withData: 20 });
  });

  it('outcomes per period count fired decisions once per person and opened cases; open cases by status; the recognition wall', async () => {
    const d = json(await t.call('hr', 'GET', `/api/dashboard?periods=3&cycle=month&asOf=${AFTER}`));
    expect(d.outcomes.at(-1)).toMatchObject({ period: '2026-04', decisions: { recognition: 4, coaching: 0, pip: 2 }, cases: { recognition: 4, coaching: 0, pip: 2 } });
    expect(d.outcomes[0].decisions).toEqual({ recognition: 0, coaching: 0, pip: 0 });
    expect(d.openCases.byStatus).toEqual(expect.arrayContaining([{ type: 'pip', status: 'proposed', count: 2 }, { type: 'recognition', status: 'open', count: 4 }]));
    expect(d.openCases.byDue.noDueDate).toBe(6);
    expect(d.recognitions.map((r: { employeeId: string }) => r.employeeId).sort()).toEqual(['m10', 'm9', 'w10', 'w9']);
  });

  it("is scoped like the cases: a manager sees their reporting line's team, an employee themself", async () => {
    const m = json(await t.call('manager', 'GET', `/api/dashboard?periods=2&asOf=${AFTER}`));
    expect(m.groups.map((g: { group: string }) => g.group)).toEqual(['Everyone', 'A']);
    expect(json(await t.call('manager', 'GET', `/api/dashboard?periods=2&asOf=${AFTER}&group=team:B`)).error.code).toBe('APPRAISE_GROUP_NOT_FOUND');
    expect(m.outcomes.at(-1).decisions).toEqual({ recognition: 2, coaching: 0, pip: 1 });
    expect(m.recognitions.every((r: { employeeId: string }) => r.employeeId.startsWith('w'))).toBe(true);
    const e = json(await t.call('employee', 'GET', `/api/dashboard?periods=2&asOf=${AFTER}`));
    expect(e.employees).toBe(1);
    expect(e.openCases.total).toBe(1);
    expect(e.trends[0]).toMatchObject({ by: 'organisation', members: 1 });
    expect(e.groups).toEqual([{ by: 'organisation', group: 'Everyone', members: 1 }, { by: 'team', group: 'A', members: 1 }]);
  });

  it('people imported since the last request are on the next one (what the dashboard keeps follows the data)', async () => {
    const groups = async () => json(await t.call('hr', 'GET', `/api/dashboard?periods=3&cycle=month&asOf=${AFTER}`)).groups as Array<{ group: string; members: number }>;
    expect((await groups()).map((g) => g.group)).not.toContain('C');
    const imported = await t.server.inject({
      method: 'POST', url: '/api/imports/employees', headers: { authorization: `Bearer ${t.tokens.hr}`, 'content-type': 'text/csv' },
      payload: 'id,name,role,team,hireDate\nc1,Cyd,agent,C,2024-02-01\nc2,Cem,agent,C,2024-03-01\n',
    });
    expect(imported.statusCode).toBe(200);
    const after = await groups();
    expect(after).toContainEqual({ by: 'team', group: 'C', members: 2 });
    expect(after.find((g) => g.group === 'Everyone')?.members).toBe(24);
  });

  it("after an import, the organisation's trends are ready before HR opens the dashboard (computed by the warmer, not by the request)", async () => {
    const warmer = startDashboardWarmer(t.app, { everyMs: 20 });
    try {
      const imported = await t.server.inject({
        method: 'POST', url: '/api/imports/employees', headers: { authorization: `Bearer ${t.tokens.hr}`, 'content-type': 'text/csv' },
        payload: 'id,name,role,team,hireDate\nd1,Dara,agent,D,2024-02-01\n',
      });
      expect(imported.statusCode).toBe(200);
      const version = await readVersion(t.app.store);
      // Trends are as of the hour: should it turn between the warm-up and the request, look again.
      for (let attempt = 0; ; attempt++) {
        const hour = trendInstant(new Date()).toISOString();
        await expect.poll(() => warmer.warmedFor, { timeout: 20_000 }).toBe(`${version}|${hour}`);
        const before = { ...readStats };
        const r = await t.call('hr', 'GET', '/api/dashboard');
        expect(r.statusCode).toBe(200);
        if (trendInstant(new Date()).toISOString() !== hour && attempt === 0) continue;
        expect(readStats.computed - before.computed).toBe(0);
        expect(readStats.hits - before.hits).toBeGreaterThanOrEqual(2); // everyone, and their trends
        expect(json(r).groups).toContainEqual({ by: 'team', group: 'D', members: 1 });
        break;
      }
    } finally {
      await warmer.stop();
    }
  });

  it('bad input is a 400, no token a 401', async () => {
    expect((await t.call('hr', 'GET', '/api/dashboard?periods=99')).statusCode).toBe(400);
    expect((await t.call('hr', 'GET', '/api/dashboard?asOf=yesterday-ish')).statusCode).toBe(400);
    expect((await t.call(null, 'GET', '/api/dashboard')).statusCode).toBe(401);
  });
});
