// The review API per role: HR opens a cycle from a template id; each person sees the reviews of
// their line only (another line's review is a 404); steps are the right person's (403) at the
// right time (409 with what is possible); viewers see progress and ratings, never free text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from './helpers.ts';
import { ANSWERS, RATINGS } from '../people/reviews-helpers.ts';

let t: TestServer;
const json = (r: { body: string }) => JSON.parse(r.body);
const DUE = { self: '2026-04-10', manager: '2026-04-20', signoff: '2026-04-30' };
let w1 = 0;

beforeAll(async () => {
  t = await testServer();
  await t.app.store.query(`INSERT INTO records (kind, employee_id, occurred_at, payload, external_id) VALUES ('customer-feedback.survey', 'w1', '2026-03-21T10:00:00Z', '{"csat":2,"comment":"Slow to answer"}'::jsonb, 'v1')`);
}, 60_000);
afterAll(async () => t.close());

describe('review API', () => {
  it('HR opens a cycle from a template id; a typo is a 404 with a suggestion, bad deadlines a 400 at their field', async () => {
    const typo = await t.call('hr', 'POST', '/api/review-cycles', { period: '2026-Q1', template: 'quartely', appliesTo: { roles: ['agent'] }, due: DUE });
    expect(typo.statusCode).toBe(404);
    expect(json(typo).error).toMatchObject({ code: 'APPRAISE_REVIEW_TEMPLATE_NOT_FOUND', message: expect.stringContaining('Did you mean `quarterly`?') });
    const late = await t.call('hr', 'POST', '/api/review-cycles', { period: '2026-Q1', template: 'quarterly', due: { ...DUE, self: '2026-05-01' } });
    expect(late.statusCode).toBe(400);
    expect(json(late).error).toMatchObject({ code: 'APPRAISE_REVIEW_BAD_DEADLINES', details: { field: 'due.manager' } });
    const open = await t.call('hr', 'POST', '/api/review-cycles', { period: '2026-Q1', template: 'quarterly', appliesTo: { roles: ['agent'] }, due: DUE });
    expect(open.statusCode).toBe(200);
    expect(json(open)).toEqual({ cycleId: '2026-Q1', created: 20, existing: 0 });
    expect((await t.call('manager', 'POST', '/api/review-cycles', { period: '2026-Q1', template: 'quarterly', due: DUE })).statusCode).toBe(403);
    const templates = json(await t.call('hr', 'GET', '/api/review-templates')).templates;
    expect(templates.map((x: { id: string }) => x.id)).toContain('quarterly');
  });

  it('each person sees their line: the employee their own, the manager their ten, another manager none of them', async () => {
    expect(json(await t.call('employee', 'GET', '/api/reviews')).reviews.map((r: { employeeId: string }) => r.employeeId)).toEqual(['w1']);
    const line = json(await t.call('manager', 'GET', '/api/reviews?cycleId=2026-Q1')).reviews.map((r: { employeeId: string }) => r.employeeId);
    expect(line.sort()).toEqual(['w1', 'w10', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8', 'w9']);
    w1 = json(await t.call('employee', 'GET', '/api/reviews')).reviews[0].id;
    expect((await t.call('otherManager', 'GET', `/api/reviews/${w1}`)).statusCode).toBe(404);
    const cycles = json(await t.call('manager', 'GET', '/api/review-cycles')).cycles;
    expect(cycles[0].progress.total).toBe(10);
  });

  it('steps are the right person\'s, at the right time', async () => {
    const mine = json(await t.call('employee', 'GET', `/api/reviews/${w1}`));
    expect(mine.allowedActions.map((a: { action: string }) => a.action)).toEqual(['self-assess']);
    expect(json(await t.call('manager', 'GET', `/api/reviews/${w1}`)).allowedActions).toEqual([]);
    const early = await t.call('manager', 'POST', `/api/reviews/${w1}/transitions`, { action: 'assess', data: { sections: RATINGS } });
    expect(early.statusCode).toBe(409);
    expect(json(early).error.code).toBe('APPRAISE_REVIEW_ILLEGAL_TRANSITION');
    const notHers = await t.call('employee', 'POST', `/api/reviews/${w1}/transitions`, { action: 'assess', data: { sections: RATINGS } });
    expect(notHers.statusCode).toBe(403);
    expect(json(notHers).error.message).toBe('Only their manager (or HR) can write the manager assessment of this review.');
    const self = await t.call('employee', 'POST', `/api/reviews/${w1}/transitions`, { action: 'self-assess', data: { sections: ANSWERS } });
    expect(self.statusCode).toBe(200);
    expect(json(self).status).toBe('self-assessed');
    const assessed = await t.call('manager', 'POST', `/api/reviews/${w1}/transitions`, { action: 'assess', data: { sections: RATINGS, summary: 'Improving.' } });
    expect(json(assessed)).toMatchObject({ status: 'manager-assessed', overallScore: 3 });
    expect(json(assessed).allowedActions.map((a: { action: string; as: string }) => `${a.action}:${a.as}`)).toEqual(['assess:manager', 'sign:manager']);
  });

  it('a viewer sees progress and ratings, none of the free text; the packet without customers\' words', async () => {
    const r = json(await t.call('viewer', 'GET', `/api/reviews/${w1}`));
    expect(r.managerAssessment.sections['customer-outcomes']).toEqual({ rating: 2 });
    expect(r.managerAssessment.summary).toBeUndefined();
    expect(Object.values(r.selfAssessment.sections)).toEqual(['', '', '', '']);
    const packet = json(await t.call('viewer', 'GET', `/api/reviews/${w1}/packet`)).packet;
    const verbatims = packet.sections.find((s: { id: string }) => s.id === 'verbatims').data;
    expect(verbatims.comments.map((c: { comment: string }) => c.comment)).toEqual(['']);
    const full = json(await t.call('manager', 'GET', `/api/reviews/${w1}/packet`)).packet;
    expect(full.sections.find((s: { id: string }) => s.id === 'verbatims').data.comments[0].comment).toBe('Slow to answer');
    expect(JSON.stringify(full)).not.toContain('gender');
  });

  it('HR amends a rating with a note; nobody else can', async () => {
    expect((await t.call('manager', 'POST', `/api/reviews/${w1}/amendments`, { section: 'growth', rating: 5, note: 'x' })).statusCode).toBe(403);
    const amended = await t.call('hr', 'POST', `/api/reviews/${w1}/amendments`, { section: 'growth', rating: 5, note: 'Dispute: the second course counts.' });
    expect(json(amended)).toMatchObject({ overallScore: 3.2, managerAssessment: { amendments: [{ section: 'growth', from: 4, to: 5 }] } });
    const deadline = await t.call('hr', 'POST', '/api/review-cycles/2026-Q1/deadlines', { step: 'signoff', dueAt: '2026-05-15', note: 'Holidays' });
    expect(json(deadline)).toEqual({ reviews: 20 });
  });
});
