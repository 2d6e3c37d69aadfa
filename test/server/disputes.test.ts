// The dispute routes as each role meets them: the employee raises, the manager of another line
// cannot see or raise, a viewer sees no free text, HR resolves; every refusal has its code and
// names the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AS_OF, testServer, type TestServer } from './helpers.ts';

let t: TestServer;
let caseId = 0;
beforeAll(async () => {
  t = await testServer();
  await t.app.run({ asOf: new Date(AS_OF), trigger: 'manual' });
  caseId = Number((await t.app.store.query<{ id: number }>(`SELECT id FROM cases WHERE employee_id = 'w1'`)).rows[0].id);
}, 60_000);
afterAll(async () => {
  await t.close();
});

const json = (r: { body: string }) => JSON.parse(r.body);

describe('disputes over the API', () => {
  let disputeId = 0;

  it('the employee raises a dispute with a reason; nobody outside the line can, and a viewer never', async () => {
    expect(json(await t.call('viewer', 'POST', '/api/disputes', { subjectType: 'case', subjectId: caseId, reason: 'x' })).error.code).toBe('APPRAISE_API_FORBIDDEN');
    const other = await t.call('otherManager', 'POST', '/api/disputes', { subjectType: 'case', subjectId: caseId, reason: 'x' });
    expect([other.statusCode, json(other).error.code]).toEqual([403, 'APPRAISE_DISPUTE_FORBIDDEN']);
    const empty = await t.call('employee', 'POST', '/api/disputes', { subjectType: 'case', subjectId: caseId, reason: ' ' });
    expect([empty.statusCode, json(empty).error]).toEqual([400, expect.objectContaining({ code: 'APPRAISE_DISPUTE_NOTE_REQUIRED', message: expect.stringContaining('`reason`'), details: { field: 'reason' } })]);
    // A review that does not exist is not found; something that is neither a case nor a review is unknown, with a did-you-mean.
    const review = await t.call('employee', 'POST', '/api/disputes', { subjectType: 'review', subjectId: 1, section: 'Customer focus', reason: 'x' });
    expect([review.statusCode, json(review).error.code]).toEqual([404, 'APPRAISE_REVIEW_NOT_FOUND']);
    const goal = await t.call('employee', 'POST', '/api/disputes', { subjectType: 'cases', subjectId: caseId, reason: 'x' });
    expect(goal.statusCode).toBe(400);

    const r = await t.call('employee', 'POST', '/api/disputes', { subjectType: 'case', subjectId: caseId, reason: 'Half of these surveys were about a billing outage.' });
    expect(r.statusCode).toBe(200);
    expect(json(r)).toMatchObject({ status: 'open', raisedAs: 'employee', subjectTitle: `PIP #${caseId}`, events: [{ event: 'raised', to: 'open' }] });
    disputeId = json(r).id;
    const again = await t.call('manager', 'POST', '/api/disputes', { subjectType: 'case', subjectId: caseId, reason: 'Agreed with w1.' });
    expect([again.statusCode, json(again).error.code, json(again).error.details.disputeId]).toEqual([409, 'APPRAISE_DISPUTE_ALREADY_OPEN', disputeId]);
  });

  it('each sees what their role may: the manager their line, another manager nothing, a viewer no free text', async () => {
    expect(json(await t.call('manager', 'GET', '/api/disputes')).disputes.map((d: { id: number }) => d.id)).toEqual([disputeId]);
    expect(json(await t.call('otherManager', 'GET', '/api/disputes'))).toMatchObject({ disputes: [], total: 0 });
    expect((await t.call('otherManager', 'GET', `/api/disputes/${disputeId}`)).statusCode).toBe(404);
    expect(json(await t.call('viewer', 'GET', `/api/disputes/${disputeId}`))).toMatchObject({ status: 'open', reason: null, events: [{ note: null }] });
    const c = json(await t.call('viewer', 'GET', `/api/cases/${caseId}`));
    expect(c.events.find((e: { event: string }) => e.event === 'dispute')).toMatchObject({ note: null });
    expect(json(await t.call('employee', 'GET', `/api/cases/${caseId}`)).events.find((e: { event: string }) => e.event === 'dispute')).toMatchObject({ note: 'Half of these surveys were about a billing outage.', data: { step: 'raised' } });
    expect(json(await t.call('hr', 'GET', '/api/disputes?status=open&subjectType=case')).total).toBe(1);
  });

  it('HR overturns it with a note; the case is closed as overturned and the dispute does not change again', async () => {
    expect(json(await t.call('manager', 'POST', `/api/disputes/${disputeId}/resolution`, { resolution: 'overturn', note: 'x' })).error.code).toBe('APPRAISE_API_FORBIDDEN');
    const noNote = await t.call('hr', 'POST', `/api/disputes/${disputeId}/resolution`, { resolution: 'overturn', note: '' });
    expect([noNote.statusCode, json(noNote).error.details.field]).toEqual([400, 'note']);
    const r = await t.call('hr', 'POST', `/api/disputes/${disputeId}/resolution`, { resolution: 'overturn', note: 'The outage surveys are excluded; without them CSAT is 3.9.' });
    expect(r.statusCode).toBe(200);
    expect(json(r)).toMatchObject({ status: 'overturned', closedBy: 'hr', resolutionNote: expect.stringMatching(/outage/) });
    expect(json(await t.call('employee', 'GET', `/api/cases/${caseId}`))).toMatchObject({ status: 'overturned', allowedActions: [] });
    const again = await t.call('hr', 'POST', `/api/disputes/${disputeId}/resolution`, { resolution: 'uphold', note: 'x' });
    expect([again.statusCode, json(again).error.code]).toEqual([409, 'APPRAISE_DISPUTE_CLOSED']);
    const withdraw = await t.call('employee', 'POST', `/api/disputes/${disputeId}/withdrawal`, {});
    expect([withdraw.statusCode, json(withdraw).error.code]).toEqual([409, 'APPRAISE_DISPUTE_CLOSED']);
    const dispute = await t.call('employee', 'POST', '/api/disputes', { subjectType: 'case', subjectId: caseId, reason: 'x' });
    expect([dispute.statusCode, json(dispute).error.code]).toEqual([409, 'APPRAISE_DISPUTE_NOT_DISPUTABLE']);
  });
});
