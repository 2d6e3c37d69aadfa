// Goals through the API: a manager sets one for their line, an employee proposes one and the
// manager accepts it, progress as of a date, coded errors for a bad measure, a viewer without the
// free text; and a PIP approved with structured goals, its check-ins and its proposed outcome.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from './helpers.ts';

let t: TestServer;
beforeAll(async () => {
  t = await testServer();
  await t.app.run({ asOf: new Date('2026-04-01T00:00:00Z'), trigger: 'manual' });
});
afterAll(async () => {
  await t.close();
});

const CSAT = { metric: 'customer-feedback.csat', target: 3, minSamples: 2 };
const body = (r: { body: string }) => JSON.parse(r.body);

describe('goals API', () => {
  it('a manager sets a measured goal for their line; its progress is computed as of a date', async () => {
    const r = await t.call('manager', 'POST', '/api/goals', { employeeId: 'w2', title: 'CSAT to 3', description: 'Private plan', startsAt: '2026-03-01', dueAt: '2026-06-30', measure: CSAT });
    expect(r.statusCode, r.body).toBe(200);
    expect(body(r)).toMatchObject({ status: 'active', source: 'manager', measureWords: 'Customer satisfaction (CSAT) at least 3 (from at least 2 records)' });
    const list = body(await t.call('manager', 'GET', '/api/employees/w2/goals?asOf=2026-04-01'));
    expect(list.goals[0].progress).toMatchObject({ state: 'not-met', final: false, value: 2.5, samples: 2 });
    expect(list.goals[0].progress.words).toMatch(/^Not yet: .* is 2.5 from 2 records so far \(2026-03-01 to 2026-04-01\); the target is at least 3\.$/);
    // Another manager's line is not disclosed; a viewer sees the goal without its free text.
    expect((await t.call('otherManager', 'GET', `/api/goals/${body(r).id}`)).statusCode).toBe(404);
    expect((await t.call('otherManager', 'POST', '/api/goals', { employeeId: 'w2', title: 'x', dueAt: '2099-01-01' })).statusCode).toBe(404);
    const seen = body(await t.call('viewer', 'GET', `/api/goals/${body(r).id}`));
    expect(seen).toMatchObject({ title: 'CSAT to 3', description: null });
  });

  it('an employee proposes a goal; their manager accepts it; they cannot accept it themself', async () => {
    const r = await t.call('employee', 'POST', '/api/goals', { employeeId: 'w1', title: 'Finish the refunds course', dueAt: '2099-01-01' });
    expect(body(r)).toMatchObject({ status: 'proposed', source: 'employee', allowedActions: ['accept', 'decline', 'cancel', 'note'] });
    const id = body(r).id;
    expect((await t.call('employee', 'POST', `/api/goals/${id}/actions`, { action: 'accept' })).statusCode).toBe(403);
    expect(body(await t.call('manager', 'POST', `/api/goals/${id}/actions`, { action: 'accept' }))).toMatchObject({ status: 'active' });
    const note = await t.call('employee', 'POST', `/api/goals/${id}/actions`, { action: 'note', note: 'Two modules left' });
    expect(note.statusCode).toBe(200);
    const events = body(await t.call('employee', 'GET', `/api/goals/${id}`)).events;
    expect(events.map((e: { event: string }) => e.event)).toEqual(['created', 'transition', 'note']);
    expect((await t.call('manager', 'POST', `/api/goals/${id}/actions`, { action: 'accept' })).statusCode).toBe(409);
  });

  it('a bad measure is a coded 400 naming the field', async () => {
    const unknown = await t.call('hr', 'POST', '/api/goals', { employeeId: 'w2', title: 'x', dueAt: '2099-01-01', measure: { ...CSAT, metric: 'customer-feedback.cast' } });
    expect(unknown.statusCode).toBe(400);
    expect(body(unknown).error).toMatchObject({ code: 'APPRAISE_GOAL_UNKNOWN_METRIC', message: expect.stringContaining('Did you mean `customer-feedback.csat`') });
    const target = await t.call('hr', 'POST', '/api/goals', { employeeId: 'w2', title: 'x', dueAt: '2099-01-01', measure: { ...CSAT, target: 9 } });
    expect(body(target).error).toMatchObject({ code: 'APPRAISE_GOAL_INVALID_MEASURE', details: { field: 'measure.target' } });
  });
});

describe('PIP goals through the API', () => {
  it('a PIP is approved with structured goals; check-ins keep their progress; its end proposes no outcome without data', async () => {
    const pip = body(await t.call('hr', 'GET', '/api/cases?type=pip')).cases[0];
    const approve = (goals: unknown) => t.call('hr', 'POST', `/api/cases/${pip.id}/transitions`, { action: 'approve', note: 'agreed', data: { goals, dueAt: '2099-01-01', checkInEveryDays: 14, support: 'Weekly coaching' } });
    expect(body(await approve([])).error.code).toBe('APPRAISE_CASE_MISSING_FIELD');
    expect(body(await approve([{ title: 'Better' }])).error).toMatchObject({ code: 'APPRAISE_GOAL_INVALID', details: { field: 'data.goals[0]' } });
    const ok = await approve([{ title: 'CSAT up', measure: CSAT }, 'Shadow a senior agent twice']);
    expect(ok.statusCode, ok.body).toBe(200);
    const detail = body(await t.call('hr', 'GET', `/api/cases/${pip.id}`));
    expect(detail.pipGoals.map((g: { title: string; progress: { state: string } }) => [g.title, g.progress.state])).toEqual([['CSAT up', 'insufficient'], ['Shadow a senior agent twice', 'by-hand']]);
    expect((await t.call('employee', 'POST', `/api/cases/${pip.id}/transitions`, { action: 'acknowledge' })).statusCode).toBe(200);
    expect((await t.call('manager', 'POST', `/api/cases/${pip.id}/transitions`, { action: 'start' })).statusCode).toBe(200);
    expect((await t.call('manager', 'POST', `/api/cases/${pip.id}/checkins`, { note: 'On its way' })).statusCode).toBe(200);
    const checkin = body(await t.call('hr', 'GET', `/api/cases/${pip.id}`)).events.find((e: { event: string }) => e.event === 'checkin');
    expect(checkin.data.goals).toHaveLength(2);
    expect(await t.app.proposePipOutcomes(new Date('2099-01-02T00:00:00Z'))).toBe(1);
    const proposed = body(await t.call('hr', 'GET', `/api/cases/${pip.id}`)).events.find((e: { event: string }) => e.event === 'outcome-proposed');
    expect(proposed.data.proposal).toBe('neither');
    expect(proposed.note).toContain('Missing data is never counted as a failure');
  });
});
