// Every state machine, every legal transition and every illegal one: an illegal transition is
// a clear 409-style error and changes nothing; each legal one is an append-only event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIFECYCLES, statusesOf, type CaseType } from '../../core/cases/lifecycle.ts';
import { recordCheckIn, transitionCase } from '../../core/cases/transitions.ts';
import { getCase } from '../../core/cases/queries.ts';
import type { Store } from '../../core/store/store.ts';
import { insertCase, memoryStore, PLAN } from './helpers.ts';

const FUTURE = '2099-01-01';
const dataFor = { scheduledFor: '2026-12-01', ...PLAN, dueAt: FUTURE };

let store: Store;
beforeAll(async () => {
  store = await memoryStore();
});
afterAll(async () => {
  await store.close();
});

for (const type of Object.keys(LIFECYCLES) as CaseType[]) {
  describe(`${type} lifecycle`, () => {
    for (const status of statusesOf(type)) {
      for (const action of [...new Set(LIFECYCLES[type].map((t) => t.action))]) {
        const legal = LIFECYCLES[type].find((t) => t.action === action && t.from.includes(status) && t.by !== 'system');
        it(`${status} --${action}--> ${legal ? legal.to : 'refused'}`, async () => {
          const id = await insertCase(store, { type, status, employeeId: `${type}-${status}-${action}` });
          const run = () => transitionCase(store, id, { action, actor: 'hr-ana', note: 'because', data: dataFor });
          if (legal) {
            await expect(run()).resolves.toEqual({ from: status, to: legal.to });
            const c = await getCase(store, id);
            expect(c.status).toBe(legal.to);
            expect(c.events.at(-1)).toMatchObject({ actor: 'hr-ana', event: 'transition', from: status, to: legal.to, note: 'because' });
          } else {
            await expect(run()).rejects.toMatchObject({ code: 'APPRAISE_CASE_ILLEGAL_TRANSITION' });
            const c = await getCase(store, id);
            expect(c.status).toBe(status);
            expect(c.events).toEqual([]);
          }
        });
      }
    }
  });
}

describe('what actions need', () => {
  it('PIP approval and rejection need a note; who approved and why is kept', async () => {
    const id = await insertCase(store, { type: 'pip', status: 'proposed', employeeId: 'n1' });
    await expect(transitionCase(store, id, { action: 'approve', actor: 'hr-ana', data: PLAN })).rejects.toMatchObject({ code: 'APPRAISE_CASE_NOTE_REQUIRED' });
    await transitionCase(store, id, { action: 'approve', actor: 'hr-ana', note: 'two quarters below 3.6 after coaching', data: PLAN });
    expect((await getCase(store, id)).events[0]).toMatchObject({ actor: 'hr-ana', from: 'proposed', to: 'approved', note: 'two quarters below 3.6 after coaching' });
  });

  it('HR cannot approve a PIP without its plan: goals, a future end date, a check-in interval and the support offered', async () => {
    const id = await insertCase(store, { type: 'pip', status: 'proposed', employeeId: 'n2' });
    const approve = (data: Record<string, unknown>) => transitionCase(store, id, { action: 'approve', actor: 'hr', note: 'agreed', data });
    for (const missing of ['goals', 'dueAt', 'checkInEveryDays', 'support'] as const) {
      const { [missing]: _left, ...rest } = PLAN;
      await expect(approve(rest)).rejects.toMatchObject({ code: 'APPRAISE_CASE_MISSING_FIELD', details: { field: missing } });
    }
    await expect(approve({ ...PLAN, dueAt: '2001-01-01' })).rejects.toMatchObject({ code: 'APPRAISE_CASE_MISSING_FIELD', details: { field: 'dueAt' } });
    await expect(approve({ ...PLAN, support: '  ' })).rejects.toMatchObject({ code: 'APPRAISE_CASE_MISSING_FIELD', details: { field: 'support' } });
    expect((await getCase(store, id)).status).toBe('proposed');
    await approve(PLAN);
    // Check-ins are due once the plan runs, not while it waits for the employee.
    expect(await getCase(store, id)).toMatchObject({ status: 'approved', goals: PLAN.goals, support: PLAN.support, checkInEveryDays: 14, nextCheckInAt: null });
    await transitionCase(store, id, { action: 'acknowledge', actor: 'n2' });
    const at = new Date('2026-11-01T00:00:00Z');
    await transitionCase(store, id, { action: 'start', actor: 'm', at });
    expect(await getCase(store, id)).toMatchObject({ status: 'active', nextCheckInAt: '2026-11-15T00:00:00.000Z' });
  });

  it('a PIP without its plan (one that needed no approval) cannot be acknowledged until HR sets the plan', async () => {
    const id = await insertCase(store, { type: 'pip', status: 'approved', employeeId: 'n7', withPlan: false });
    await expect(transitionCase(store, id, { action: 'acknowledge', actor: 'n7' })).rejects.toMatchObject({ code: 'APPRAISE_CASE_PLAN_INCOMPLETE' });
    expect((await getCase(store, id)).status).toBe('approved');
    await transitionCase(store, id, { action: 'plan', actor: 'hr', data: PLAN });
    await transitionCase(store, id, { action: 'acknowledge', actor: 'n7' });
    expect((await getCase(store, id)).status).toBe('acknowledged');
  });

  it("editing an active plan's goals pauses it until the employee acknowledges them", async () => {
    const id = await insertCase(store, { type: 'pip', status: 'active', employeeId: 'n3', checkInEveryDays: 14 });
    await transitionCase(store, id, { action: 'edit-goals', actor: 'm', data: { goals: ['new goal'] } });
    expect((await getCase(store, id)).status).toBe('paused');
    await expect(recordCheckIn(store, id, { actor: 'm', note: 'x' })).rejects.toMatchObject({ code: 'APPRAISE_CASE_ILLEGAL_TRANSITION' });
    await transitionCase(store, id, { action: 'acknowledge', actor: 'n3' });
    expect((await getCase(store, id)).status).toBe('active');
  });

  it('an employee has at most one PIP in force', async () => {
    await insertCase(store, { type: 'pip', status: 'active', employeeId: 'n4' });
    const second = await insertCase(store, { type: 'pip', status: 'proposed', employeeId: 'n4' });
    await expect(transitionCase(store, second, { action: 'approve', actor: 'hr', note: 'ok', data: PLAN })).rejects.toMatchObject({ code: 'APPRAISE_CASE_PIP_IN_FORCE' });
    expect((await getCase(store, second)).status).toBe('proposed');
  });

  it('check-ins are events that move the next check-in date', async () => {
    const id = await insertCase(store, { type: 'pip', status: 'active', employeeId: 'n5', checkInEveryDays: 10 });
    await recordCheckIn(store, id, { actor: 'm', note: 'on track', at: new Date('2026-11-10T00:00:00Z') });
    const c = await getCase(store, id);
    expect(c.nextCheckInAt).toBe('2026-11-20T00:00:00.000Z');
    expect(c.events.at(-1)).toMatchObject({ event: 'checkin', note: 'on track' });
  });

  it('the system-only supersede action is refused to people', async () => {
    const id = await insertCase(store, { type: 'coaching', status: 'open', employeeId: 'n6' });
    await expect(transitionCase(store, id, { action: 'supersede', actor: 'hr' })).rejects.toMatchObject({ code: 'APPRAISE_CASE_ILLEGAL_TRANSITION' });
  });

  it('an unknown case is a not-found error', async () => {
    await expect(transitionCase(store, 999999, { action: 'approve', actor: 'hr', note: 'x' })).rejects.toMatchObject({ code: 'APPRAISE_CASE_NOT_FOUND' });
  });

  it('every transition is audited and queues the case workflows in the same transaction', async () => {
    const id = await insertCase(store, { type: 'coaching', status: 'open', employeeId: 'n7', workflows: ['log.write'] });
    await transitionCase(store, id, { action: 'schedule', actor: 'm', data: { scheduledFor: '2026-12-01' } });
    const out = (await store.query<{ event: string; workflow: string }>('SELECT event, workflow FROM outbox WHERE case_id = $1', [id])).rows;
    expect(out).toEqual([{ event: 'coaching.scheduled', workflow: 'log.write' }]);
    const audit = (await store.query<{ action: string }>(`SELECT action FROM audit_log WHERE target = $1`, [`case:${id}`])).rows;
    expect(audit).toEqual([{ action: 'case.transition' }]);
  });
});
