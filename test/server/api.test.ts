// Every endpoint through fastify's inject, with each role's allowed and forbidden calls, the
// simulate impact diff with its four-fifths flag, the publish race, and bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AS_OF, policyYaml, testServer, type TestServer } from './helpers.ts';

let t: TestServer;
beforeAll(async () => {
  t = await testServer();
});
afterAll(async () => {
  await t.close();
});

const json = (r: { body: string }) => JSON.parse(r.body);

describe('health, auth and the OpenAPI document', () => {
  it('health needs no token and reports the store and plugins', async () => {
    const r = await t.call(null, 'GET', '/api/health');
    expect(r.statusCode).toBe(200);
    expect(json(r)).toMatchObject({ status: 'ok', store: { kind: 'pglite', status: 'ok' }, plugins: expect.arrayContaining([{ id: 'customer-feedback', state: 'inactive' }]) });
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-security-policy']).toMatch(/default-src 'self'/);
  });

  it('every other route needs a valid bearer token', async () => {
    expect((await t.call(null, 'GET', '/api/policies')).statusCode).toBe(401);
    const bad = await t.server.inject({ method: 'GET', url: '/api/policies', headers: { authorization: 'Bearer apr_nope' } });
    expect(bad.statusCode).toBe(401);
    expect(json(bad)).toEqual({ error: { code: 'APPRAISE_API_UNAUTHORIZED', message: expect.stringMatching(/unknown or revoked/), requestId: expect.stringMatching(/^req-[0-9a-f]{12}$/) } });
    expect(json(await t.call('hr', 'GET', '/api/me'))).toMatchObject({ name: 'hr', role: 'hr' });
  });

  it('the OpenAPI document is generated from the route schemas', async () => {
    const doc = json(await t.call(null, 'GET', '/api/openapi.json'));
    expect(doc.openapi).toBe('3.1.0');
    for (const p of ['/api/policies/{id}/simulate', '/api/cases/{id}/transitions', '/api/runs/{id}/fairness', '/api/employees/{id}/metrics']) expect(Object.keys(doc.paths)).toContain(p);
  });
});

describe('policies', () => {
  it('list and get: readable by admin, hr, manager, viewer; not by an employee', async () => {
    for (const who of ['admin', 'hr', 'manager', 'viewer'] as const) expect((await t.call(who, 'GET', '/api/policies')).statusCode).toBe(200);
    expect((await t.call('employee', 'GET', '/api/policies')).statusCode).toBe(403);
    const detail = json(await t.call('viewer', 'GET', '/api/policies/fair-test'));
    expect(detail.latest).toMatchObject({ policyId: 'fair-test', version: 1, yaml: policyYaml(2.0) });
    expect((await t.call('viewer', 'GET', '/api/policies/nope')).statusCode).toBe(404);
  });

  it('validate returns the CLI diagnostics with line and column', async () => {
    const r = await t.call('manager', 'POST', '/api/policies/validate', { yaml: policyYaml(2.0).replace('lessThan', 'lessThen') });
    expect(json(r)).toMatchObject({ valid: false, diagnostics: [{ code: 'APPRAISE_POLICY_UNKNOWN_OPERATOR', line: 11, column: 45, message: expect.stringMatching(/Did you mean `lessThan`/) }] });
  });

  it('validate adds the analysis warnings the editor shows, and the draft stays valid', async () => {
    const contradiction = policyYaml(2.0).replace('when: { all: [', 'when: { all: [{ fact: csat, operator: greaterThan, value: 4 }, ');
    const r = await t.call('manager', 'POST', '/api/policies/validate', { yaml: contradiction });
    expect(json(r)).toMatchObject({ valid: true, diagnostics: [{ code: 'APPRAISE_ANALYSIS_GAP', severity: 'info' }, { code: 'APPRAISE_ANALYSIS_NEVER_APPLIES', severity: 'warning' }] });
  });

  it('publish: hr yes, manager and viewer no; invalid text is a 422 with diagnostics', async () => {
    for (const who of ['manager', 'viewer', 'employee'] as const) expect((await t.call(who, 'PUT', '/api/policies/fair-test', { yaml: policyYaml(2.1), comment: 'x' })).statusCode).toBe(403);
    const invalid = await t.call('hr', 'PUT', '/api/policies/fair-test', { yaml: policyYaml(60), comment: 'typo' });
    expect(invalid.statusCode).toBe(422);
    expect(json(invalid).error).toMatchObject({ code: 'APPRAISE_POLICY_INVALID', details: { diagnostics: [{ code: 'APPRAISE_POLICY_OUT_OF_RANGE', line: 11 }] } });
    const wrongId = await t.call('hr', 'PUT', '/api/policies/other-id', { yaml: policyYaml(2.1), comment: 'x' });
    expect(wrongId.statusCode).toBe(400);
  });

  it('a publish race: the second stale publish gets 409 and nothing is lost', async () => {
    const [a, b] = await Promise.all([
      t.call('hr', 'PUT', '/api/policies/fair-test', { yaml: policyYaml(2.05), comment: 'ana', baseVersion: 1 }),
      t.call('admin', 'PUT', '/api/policies/fair-test', { yaml: policyYaml(2.06), comment: 'ben', baseVersion: 1 }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(json(loser).error).toMatchObject({ code: 'APPRAISE_POLICY_STALE_VERSION', details: { latestVersion: 2 } });
    const winner = a.statusCode === 200 ? a : b;
    const detail = json(await t.call('hr', 'GET', '/api/policies/fair-test'));
    expect(detail.latest.yaml).toBe(winner === a ? policyYaml(2.05) : policyYaml(2.06));
    expect(detail.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
  });

  it('versions, diff and roll back', async () => {
    const v1 = json(await t.call('viewer', 'GET', '/api/policies/fair-test/versions/1'));
    expect(v1.yaml).toBe(policyYaml(2.0));
    const diff = json(await t.call('viewer', 'GET', '/api/policies/fair-test/diff?from=1&to=2'));
    expect(diff.unified).toMatch(/-.*value: 2 \}/);
    const rb = await t.call('hr', 'POST', '/api/policies/fair-test/rollback', { version: 1, comment: 'back to the agreed threshold' });
    expect(json(rb)).toMatchObject({ changed: true, version: { version: 3, yaml: policyYaml(2.0), rolledBackFrom: 1 } });
    const audit = json(await t.call('admin', 'GET', '/api/audit?action=policy.rollback'));
    expect(audit.entries[0]).toMatchObject({ actor: 'hr', action: 'policy.rollback', target: 'policy:fair-test' });
  });
});

describe('simulate', () => {
  it('a draft that tightens the PIP threshold reports exactly who is newly affected and a four-fifths flag', async () => {
    const r = await t.call('hr', 'POST', '/api/policies/fair-test/simulate', { yaml: policyYaml(3.0), asOf: AS_OF });
    expect(r.statusCode).toBe(200);
    const sim = json(r);
    // published (< 2.0): w1 1.5, m1 1.8; draft (< 3.0) adds w2 2.5, w3 2.5, w4 2.7, w5 2.8 and m2 2.9
    expect(sim.newlyAffected.map((e: { employeeId: string }) => e.employeeId)).toEqual(['m2', 'w2', 'w3', 'w4', 'w5']);
    expect(sim.noLongerAffected).toEqual([]);
    expect(sim.counts).toEqual({ draft: { recognition: 4, coaching: 0, pip: 7 }, published: { recognition: 4, coaching: 0, pip: 2 } });
    expect(sim.newlyAffected[1].rules[0]).toMatchObject({ ruleId: 'pip', explanation: { status: 'fired' } });
    // PIP rates: women 5/10, men 2/10 → not receiving a PIP 0.5 vs 0.8 → impact ratio 0.625 < 0.8
    const pip = sim.fairness.sections.find((s: { outcome: string; attribute: string }) => s.outcome === 'pip' && s.attribute === 'gender');
    const women = pip.groups.find((g: { group: string }) => g.group === 'F');
    expect(women).toMatchObject({ size: 10, selected: 5, selectionRate: 0.5, flagged: true });
    expect(women.impactRatio).toBeCloseTo(0.625, 10);
    expect(women.adverseRateRatio).toBeCloseTo(2.5, 10);
    expect(pip.groups.find((g: { group: string }) => g.group === 'M')).toMatchObject({ isReference: true, flagged: false });
    // nothing was written
    expect(json(await t.call('hr', 'GET', '/api/policies/fair-test')).latest.version).toBe(3);
    expect(json(await t.call('hr', 'GET', '/api/runs')).total).toBe(0);
  });

  it('managers may not simulate; an invalid draft is a 422', async () => {
    expect((await t.call('manager', 'POST', '/api/policies/fair-test/simulate', { yaml: policyYaml(3.0) })).statusCode).toBe(403);
    expect((await t.call('hr', 'POST', '/api/policies/fair-test/simulate', { yaml: 'a: [' })).statusCode).toBe(422);
  });
});

describe('runs, cases and employees', () => {
  let runId: number;
  it('hr starts a run; viewers read it; managers and employees may not', async () => {
    expect((await t.call('manager', 'POST', '/api/runs', { asOf: AS_OF })).statusCode).toBe(403);
    const r = await t.call('hr', 'POST', '/api/runs', { asOf: AS_OF });
    expect(r.statusCode).toBe(200);
    const run = json(r);
    runId = run.id;
    expect(run).toMatchObject({ status: 'completed', trigger: 'api', counts: { fired: { pip: 2, recognition: 4 } } });
    expect(json(await t.call('viewer', 'GET', '/api/runs')).runs[0].id).toBe(runId);
    expect((await t.call('employee', 'GET', `/api/runs/${runId}`)).statusCode).toBe(403);
    const decisions = json(await t.call('viewer', 'GET', `/api/runs/${runId}/decisions?status=fired&pageSize=10`));
    expect(decisions.total).toBe(6);
    expect(decisions.decisions[0].explanation).toMatchObject({ status: 'fired' });
    const fairness = json(await t.call('viewer', 'GET', `/api/runs/${runId}/fairness`));
    expect(fairness.sections.find((s: { outcome: string }) => s.outcome === 'pip').groups).toHaveLength(2);
  });

  it('a run can be started in the background and polled', async () => {
    const r = await t.call('hr', 'POST', '/api/runs', { asOf: AS_OF, wait: false });
    expect(r.statusCode).toBe(202);
    const { runId: id } = json(r);
    let status = 'running';
    for (let i = 0; i < 100 && status === 'running'; i++) {
      await new Promise((res) => setTimeout(res, 100));
      status = json(await t.call('hr', 'GET', `/api/runs/${id}`)).status;
    }
    expect(status).toBe('completed');
  });

  it("a manager sees only their reporting line's cases; another team's case is a 404", async () => {
    const mine = json(await t.call('manager', 'GET', '/api/cases'));
    expect(mine.cases.map((c: { employeeId: string }) => c.employeeId).every((e: string) => e.startsWith('w'))).toBe(true);
    const all = json(await t.call('hr', 'GET', '/api/cases?type=pip'));
    const menPip = all.cases.find((c: { employeeId: string }) => c.employeeId === 'm1');
    expect((await t.call('manager', 'GET', `/api/cases/${menPip.id}`)).statusCode).toBe(404);
    expect((await t.call('otherManager', 'GET', `/api/cases/${menPip.id}`)).statusCode).toBe(200);
  });

  it('approving a PIP: managers may not, HR may with a required note and the plan (goals, end date, check-ins, support), shown in the timeline', async () => {
    const pip = json(await t.call('hr', 'GET', '/api/cases?type=pip&employeeId=w1')).cases[0];
    expect(pip.status).toBe('proposed');
    const plan = { goals: ['Average CSAT of 3.5 or more over the plan'], dueAt: '2099-01-01', checkInEveryDays: 14, support: 'Weekly coaching with the team lead' };
    expect((await t.call('manager', 'POST', `/api/cases/${pip.id}/transitions`, { action: 'approve', note: 'ok', data: plan })).statusCode).toBe(403);
    const noNote = await t.call('hr', 'POST', `/api/cases/${pip.id}/transitions`, { action: 'approve', data: plan });
    expect(noNote.statusCode).toBe(400);
    expect(json(noNote).error.code).toBe('APPRAISE_CASE_NOTE_REQUIRED');
    const noPlan = await t.call('hr', 'POST', `/api/cases/${pip.id}/transitions`, { action: 'approve', note: 'ok' });
    expect(noPlan.statusCode).toBe(400);
    expect(json(noPlan).error).toMatchObject({ code: 'APPRAISE_CASE_MISSING_FIELD', message: expect.stringContaining('`data.goals`'), details: { field: 'goals' } });
    const ok = await t.call('hr', 'POST', `/api/cases/${pip.id}/transitions`, { action: 'approve', note: 'CSAT 1.5 after coaching', data: plan });
    expect(json(ok)).toMatchObject({ status: 'approved', goals: plan.goals, support: plan.support, events: expect.arrayContaining([expect.objectContaining({ actor: 'hr', to: 'approved', note: 'CSAT 1.5 after coaching' })]) });
    const again = await t.call('hr', 'POST', `/api/cases/${pip.id}/transitions`, { action: 'approve', note: 'twice', data: plan });
    expect(again.statusCode).toBe(409);
    expect(json(again).error).toMatchObject({ code: 'APPRAISE_CASE_ILLEGAL_TRANSITION', details: { allowed: expect.arrayContaining(['acknowledge', 'cancel']) } });
  });

  it('the employee sees only their own cases and acknowledges their PIP; nobody else can', async () => {
    const mine = json(await t.call('employee', 'GET', '/api/cases'));
    expect(mine.cases.map((c: { employeeId: string }) => c.employeeId)).toEqual(['w1']);
    const id = mine.cases[0].id;
    expect((await t.call('manager', 'POST', `/api/cases/${id}/transitions`, { action: 'acknowledge' })).statusCode).toBe(403);
    const ack = await t.call('employee', 'POST', `/api/cases/${id}/transitions`, { action: 'acknowledge' });
    expect(json(ack).status).toBe('acknowledged');
    const other = json(await t.call('hr', 'GET', '/api/cases?employeeId=w9')).cases[0];
    expect((await t.call('employee', 'GET', `/api/cases/${other.id}`)).statusCode).toBe(404);
  });

  it('employees: protected attributes never beside performance data, only on their own route for admins; managers their line; employees themselves', async () => {
    const viewer = json(await t.call('viewer', 'GET', '/api/employees?pageSize=100'));
    expect(viewer.total).toBe(22);
    for (const role of ['admin', 'hr', 'viewer', 'manager', 'employee'] as const) {
      expect(json(await t.call(role, 'GET', '/api/employees?pageSize=100')).employees.every((e: Record<string, unknown>) => !('attributes' in e))).toBe(true);
      const detail = await t.call(role, 'GET', '/api/employees/w1');
      expect(detail.body).not.toContain('"gender"');
    }
    expect(json(await t.call('admin', 'GET', '/api/employees/w1/attributes'))).toEqual({ employeeId: 'w1', attributes: { gender: 'F' } });
    expect((await t.call('hr', 'GET', '/api/employees/w1/attributes')).statusCode).toBe(403);
    const line = json(await t.call('manager', 'GET', '/api/employees?pageSize=100'));
    expect(line.employees.map((e: { id: string }) => e.id).sort()).toEqual(['mgr-a', 'w1', 'w10', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8', 'w9']);
    expect((await t.call('manager', 'GET', '/api/employees/m1')).statusCode).toBe(404);
    expect(json(await t.call('employee', 'GET', '/api/employees')).employees.map((e: { id: string }) => e.id)).toEqual(['w1']);
  });

  it('employee search is paged and matches id, name or e-mail in any case, within what the caller may see', async () => {
    const hr = json(await t.call('hr', 'GET', '/api/employees?q=AGENT%20W1&pageSize=1'));
    expect(hr.total).toBe(2);
    expect(hr.employees.map((e: { id: string }) => e.id)).toEqual(['w1']);
    expect(json(await t.call('otherManager', 'GET', '/api/employees?q=w1')).total).toBe(0);
    expect(json(await t.call('hr', 'GET', '/api/employees?q=%25')).total).toBe(0);
  });

  it("an employee's metrics over time come with the policy thresholds", async () => {
    const r = json(await t.call('hr', 'GET', `/api/employees/w2/metrics?periods=3&cycle=month&asOf=${AS_OF}`));
    const csat = r.series.find((s: { fact: string }) => s.fact === 'csat');
    expect(csat.points.at(-1)).toMatchObject({ status: 'ok', value: 2.5, samples: 2 }); // 2.5 is two whole-number surveys (seedOrganisation)
    expect(csat.thresholds).toEqual(expect.arrayContaining([{ ruleId: 'pip', outcome: 'pip', operator: 'lessThan', value: 2 }]));
  });

  it('exemptions: hr creates them; managers may not', async () => {
    expect((await t.call('manager', 'POST', '/api/exemptions', { employeeId: 'w2', outcome: 'pip', reason: 'medical leave', until: '2026-12-31' })).statusCode).toBe(403);
    const r = await t.call('hr', 'POST', '/api/exemptions', { employeeId: 'w2', outcome: 'pip', reason: 'medical leave', until: '2026-12-31' });
    expect(json(r)).toMatchObject({ employeeId: 'w2', outcome: 'pip', reason: 'medical leave' });
  });
});

describe('imports over HTTP', () => {
  const post = (who: 'hr' | 'manager', url: string, type: string, payload: string) =>
    t.server.inject({ method: 'POST', url, headers: { authorization: `Bearer ${t.tokens[who]}`, 'content-type': type }, payload });

  it('imports employees and records atomically, with row numbers on bad rows', async () => {
    expect((await post('manager', '/api/imports/employees', 'text/csv', 'id,name\nx1,X')).statusCode).toBe(403);
    const ok = await post('hr', '/api/imports/employees', 'text/csv', 'id,name,role,team,hireDate,gender\nn1,Nia,agent,A,2024-02-01,F\nn2,Noor,agent,A,2024-02-01,M\n');
    expect(ok.statusCode).toBe(200);
    expect(json(ok)).toMatchObject({ target: 'employees', read: 2, inserted: 2 });
    const bad = await post('hr', '/api/imports/records/survey', 'application/x-ndjson', [
      JSON.stringify({ employeeId: 'n1', occurredAt: '2026-03-10T10:00:00Z', payload: { csat: 4 } }),
      JSON.stringify({ employeeId: 'n1', occurredAt: '2026-03-11T10:00:00Z', payload: { csat: 9 } }),
      JSON.stringify({ employeeId: 'ghost', occurredAt: '2026-03-12T10:00:00Z', payload: { csat: 3 } }),
    ].join('\n'));
    expect(bad.statusCode).toBe(422);
    const err = json(bad).error;
    expect(err.details.errors.map((e: { line: number }) => e.line)).toEqual([2, 3]);
    expect(err.message).toMatch(/Nothing was imported/);
    const before = json(await t.call('hr', 'GET', '/api/employees/n1'));
    expect(before.employee.id).toBe('n1');
    const good = await post('hr', '/api/imports/records/customer-feedback.survey', 'application/x-ndjson', JSON.stringify({ employeeId: 'n1', occurredAt: '2026-03-10T10:00:00Z', payload: { csat: 4 } }));
    expect(json(good)).toMatchObject({ target: 'records', inserted: 1 });
    const again = await post('hr', '/api/imports/records/survey', 'application/x-ndjson', JSON.stringify({ employeeId: 'n1', occurredAt: '2026-03-10T10:00:00Z', payload: { csat: 4 } }));
    expect(json(again)).toMatchObject({ inserted: 0, duplicates: 1 });
  });

  it('an unknown kind or content type is a clear 4xx', async () => {
    expect((await post('hr', '/api/imports/records/nope', 'text/csv', 'a\n1')).statusCode).toBe(404);
    const pdf = await post('hr', '/api/imports/employees', 'application/pdf', '%PDF');
    expect(pdf.statusCode).toBe(400);
    expect(json(pdf).error.message).toMatch(/content-type/i);
  });
});

describe('plugins, audit and outbox', () => {
  it('plugins and the metric catalogue with formulas', async () => {
    const plugins = json(await t.call('viewer', 'GET', '/api/plugins')).plugins;
    expect(plugins.find((p: { id: string }) => p.id === 'support')).toMatchObject({ state: 'inactive', hasCode: false });
    const catalogue = json(await t.call('viewer', 'GET', '/api/metrics'));
    expect(catalogue.metrics.find((m: { id: string }) => m.id === 'customer-feedback.nps')).toMatchObject({ unit: 'score', implementation: 'declarative', formula: expect.any(Object) });
  });

  it('the audit log is for admins; every change is in it', async () => {
    expect((await t.call('hr', 'GET', '/api/audit')).statusCode).toBe(403);
    const actions = json(await t.call('admin', 'GET', '/api/audit?pageSize=200')).entries.map((e: { action: string }) => e.action);
    for (const a of ['policy.publish', 'policy.rollback', 'case.transition', 'token.create', 'run.start', 'exemption.create']) expect(actions).toContain(a);
    expect((await t.call('admin', 'GET', '/api/outbox')).statusCode).toBe(200);
    expect((await t.call('hr', 'GET', '/api/outbox')).statusCode).toBe(403);
  });
});

describe('bad input gets a clear 4xx, never a 500', () => {
  it('malformed JSON', async () => {
    const r = await t.server.inject({ method: 'POST', url: '/api/policies/validate', headers: { authorization: `Bearer ${t.tokens.hr}`, 'content-type': 'application/json' }, payload: '{"yaml": ' });
    expect(r.statusCode).toBe(400);
    expect(json(r).error.code).toBe('APPRAISE_API_BAD_REQUEST');
  });

  it('unknown fields, oversized pages and invalid ids', async () => {
    const unknown = await t.call('hr', 'POST', '/api/policies/validate', { yaml: 'x: 1', extra: true });
    expect(unknown.statusCode).toBe(400);
    expect(json(unknown).error.message).toMatch(/extra/);
    expect((await t.call('hr', 'GET', '/api/cases?pageSize=1000')).statusCode).toBe(400);
    expect((await t.call('hr', 'GET', '/api/cases/abc')).statusCode).toBe(400);
    expect((await t.call('hr', 'GET', '/api/runs/-1')).statusCode).toBe(400);
    expect((await t.call('hr', 'GET', '/api/policies/Bad_Id')).statusCode).toBe(400);
    expect((await t.call('hr', 'GET', '/api/nothing-here')).statusCode).toBe(404);
  });

  it('a body over the limit is a 413', async () => {
    const r = await t.call('hr', 'POST', '/api/policies/validate', { yaml: 'x'.repeat(2 * 1024 * 1024) });
    expect(r.statusCode).toBe(413);
    expect(json(r).error.code).toBe('APPRAISE_API_TOO_LARGE');
  });

  it('a YAML alias bomb is refused with a diagnostic, quickly', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`)].join('\n');
    const r = await t.call('hr', 'POST', '/api/policies/validate', { yaml: bomb });
    expect(r.statusCode).toBe(200);
    expect(json(r).diagnostics[0].code).toBe('APPRAISE_YAML_ALIAS_LIMIT');
  });

  it('failed sign-ins from one address are rate limited', async () => {
    for (let i = 0; i < 20; i++) await t.server.inject({ method: 'GET', url: '/api/me', headers: { authorization: 'Bearer apr_wrong' }, remoteAddress: '10.9.9.9' });
    const r = await t.server.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${t.tokens.admin}` }, remoteAddress: '10.9.9.9' });
    expect(r.statusCode).toBe(429);
    expect(json(r).error.code).toBe('APPRAISE_API_RATE_LIMITED');
  });
});
