// The feedback and kudos API on the seeded organisation (mgr-a manages w1..w10, mgr-b m1..m10):
// what each role gets, the coded refusals, and the kudos on the dashboard's wall.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../core/auth/tokens.ts';
import { testServer, type TestServer } from './helpers.ts';

let t: TestServer;
let w2: string;
let m1: string;
beforeAll(async () => {
  t = await testServer();
  w2 = (await createToken(t.app.store, { name: 'w2', role: 'employee', employeeId: 'w2', createdBy: 'test' })).token;
  m1 = (await createToken(t.app.store, { name: 'm1', role: 'employee', employeeId: 'm1', createdBy: 'test' })).token;
  await t.app.store.query(`INSERT INTO records (kind, employee_id, occurred_at, payload, external_id) VALUES ('customer-feedback.survey', 'w1', '2026-03-25T10:00:00Z', '{"csat":5,"comment":"Quick and kind"}', 'compliment-1')`);
}, 60_000);
afterAll(async () => {
  await t.close();
});

const json = (r: { body: string }) => JSON.parse(r.body);
const as = (token: string) => ({ authorization: `Bearer ${token}` });

describe('kudos over the API', () => {
  it('an employee gives kudos; the receiver, the manager and the wall show it, the viewer without its message', async () => {
    const r = await t.call('employee', 'POST', '/api/kudos', { receiverId: 'w3', message: 'Helped me with a refund', value: 'Teamwork' });
    expect(r.statusCode).toBe(200);
    expect(json(r)).toMatchObject({ receiverId: 'w3', giverId: 'w1', source: 'colleague', value: 'Teamwork' });
    expect(json(await t.call('manager', 'GET', '/api/kudos?employeeId=w3')).kudos.map((k: { message: string }) => k.message)).toEqual(['Helped me with a refund']);
    const viewer = json(await t.call('viewer', 'GET', '/api/kudos'));
    expect(viewer.kudos[0]).toMatchObject({ receiverId: 'w3', message: null });
    const wall = json(await t.call('hr', 'GET', '/api/dashboard'));
    expect(wall.kudos[0]).toMatchObject({ receiverName: 'Agent w3', source: 'colleague', message: 'Helped me with a refund' });
    expect(JSON.stringify(wall.kudos)).not.toMatch(/gender/);
    expect(json(await t.call('viewer', 'GET', '/api/dashboard')).kudos[0].message).toBeNull();
  });

  it('refuses with codes that name the field', async () => {
    const self = await t.call('employee', 'POST', '/api/kudos', { receiverId: 'w1', message: 'me' });
    expect([self.statusCode, json(self).error.code, json(self).error.details.field]).toEqual([400, 'APPRAISE_FEEDBACK_SELF', 'receiverId']);
    const value = await t.call('employee', 'POST', '/api/kudos', { receiverId: 'w2', message: 'x', value: 'Ownershp' });
    expect(json(value).error).toMatchObject({ code: 'APPRAISE_FEEDBACK_UNKNOWN_VALUE' });
    expect(json(value).error.message).toContain('Did you mean `Ownership`?');
    const nobody = await t.call('admin', 'POST', '/api/kudos', { receiverId: 'w2', message: 'x' });
    expect([nobody.statusCode, json(nobody).error.code]).toEqual([403, 'APPRAISE_FEEDBACK_NO_EMPLOYEE']);
    expect((await t.call('viewer', 'POST', '/api/kudos', { receiverId: 'w2', message: 'x' })).statusCode).toBe(403);
  });

  it('a manager turns a compliment of their line into kudos once; another manager cannot', async () => {
    const list = json(await t.call('manager', 'GET', '/api/kudos/compliments?employeeId=w1')).compliments;
    expect(list).toEqual([expect.objectContaining({ comment: 'Quick and kind', csat: 5, kudosId: null })]);
    const other = await t.call('otherManager', 'POST', '/api/kudos/compliments', { surveyRecordId: list[0].surveyRecordId });
    expect([other.statusCode, json(other).error.code]).toEqual([404, 'APPRAISE_FEEDBACK_NOT_FOUND']);
    const k = await t.call('manager', 'POST', '/api/kudos/compliments', { surveyRecordId: list[0].surveyRecordId, value: 'Customer first' });
    expect(json(k)).toMatchObject({ receiverId: 'w1', source: 'customer', message: 'Quick and kind', giverId: null });
    const again = await t.call('manager', 'POST', '/api/kudos/compliments', { surveyRecordId: list[0].surveyRecordId });
    expect([again.statusCode, json(again).error.code]).toEqual([409, 'APPRAISE_FEEDBACK_ALREADY_KUDOS']);
    expect(json(await t.call('manager', 'GET', '/api/kudos/compliments?employeeId=w1')).compliments[0].kudosId).toBe(json(k).id);
  });
});

describe('notes and upward feedback over the API', () => {
  it('a private note is the managers\' and HR\'s until shared', async () => {
    const note = json(await t.call('manager', 'POST', '/api/feedback/notes', { employeeId: 'w1', body: 'Ready for senior tickets', visibility: 'private' }));
    expect(json(await t.call('employee', 'GET', '/api/feedback/notes?employeeId=w1'))).toEqual({ notes: [], mayWrite: false });
    expect(json(await t.call('hr', 'GET', '/api/feedback/notes?employeeId=w1')).notes).toHaveLength(1);
    expect((await t.call('otherManager', 'GET', '/api/feedback/notes?employeeId=w1')).statusCode).toBe(403);
    expect((await t.call('viewer', 'GET', '/api/feedback/notes?employeeId=w1')).statusCode).toBe(403);
    expect(json(await t.call('manager', 'POST', `/api/feedback/notes/${note.id}/share`)).visibility).toBe('shared');
    expect(json(await t.call('employee', 'GET', '/api/feedback/notes?employeeId=w1')).notes[0].body).toBe('Ready for senior tickets');
    const twice = await t.call('manager', 'POST', `/api/feedback/notes/${note.id}/share`);
    expect([twice.statusCode, json(twice).error.code]).toEqual([409, 'APPRAISE_FEEDBACK_ILLEGAL_TRANSITION']);
  });

  it('anonymous upward feedback to a manager of ten; the manager reads it without an author', async () => {
    expect(json(await t.call('employee', 'GET', '/api/feedback/upward/options'))).toMatchObject({ managerId: 'mgr-a', groupSize: 10, anonymousAllowed: true, minGroupSize: 5 });
    const r = await t.server.inject({ method: 'POST', url: '/api/feedback/upward', headers: as(w2), payload: { body: 'Standups could be shorter', anonymous: true } });
    expect(json(r)).toMatchObject({ anonymous: true, authorId: null, author: null, managerId: 'mgr-a' });
    const seen = json(await t.call('manager', 'GET', '/api/feedback/upward')).feedback;
    expect(seen).toEqual([expect.objectContaining({ body: 'Standups could be shorter', author: null, authorId: null })]);
    expect(json(await t.call('otherManager', 'GET', '/api/feedback/upward')).feedback).toEqual([]);
    const audit = json(await t.call('admin', 'GET', '/api/audit?pageSize=5')) as { entries?: unknown[] };
    expect(JSON.stringify(audit)).not.toContain('"w2"');
  });

  it('no anonymity offered or accepted below five direct reports', async () => {
    await t.app.store.query(`UPDATE employees SET manager_id = 'mgr-a' WHERE id IN ('m2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9', 'm10')`);
    const options = json(await t.server.inject({ method: 'GET', url: '/api/feedback/upward/options', headers: as(m1) }));
    expect(options).toMatchObject({ managerId: 'mgr-b', groupSize: 1, anonymousAllowed: false });
    const r = await t.server.inject({ method: 'POST', url: '/api/feedback/upward', headers: as(m1), payload: { body: 'x', anonymous: true } });
    expect([r.statusCode, json(r).error.code, json(r).error.details.field]).toEqual([422, 'APPRAISE_FEEDBACK_ANONYMITY_UNAVAILABLE', 'anonymous']);
  });
});
