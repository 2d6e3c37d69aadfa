// Messages read as English: every action of every lifecycle has a real past tense (not the
// action plus `d`, which said "cannot be startd"), a refusal says what is possible instead, and
// input fields are named as the API's body names them (the CLI's own words are tested in
// test/cli/case-commands.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_WORDS, allowedActions, LIFECYCLES, statusesOf, TERMINAL, type CaseType } from '../../core/cases/lifecycle.ts';
import { transitionCase, recordCheckIn } from '../../core/cases/transitions.ts';
import { createExemption } from '../../core/cases/exemptions.ts';
import { FieldError } from '../../core/cases/field-error.ts';
import type { Store } from '../../core/store/store.ts';
import { insertCase, memoryStore, PLAN } from './helpers.ts';

/** What follows "cannot be" for each action: written out here, so a new action must be added. */
const DONE: Record<string, string> = {
  deliver: 'delivered',
  acknowledge: 'acknowledged',
  schedule: 'scheduled',
  complete: 'completed',
  cancel: 'cancelled',
  supersede: 'superseded',
  approve: 'approved',
  plan: 'given its plan',
  reject: 'rejected',
  start: 'started',
  'edit-goals': 'given new goals',
  extend: 'extended',
  succeed: 'marked succeeded',
  fail: 'marked failed',
  overturn: 'overturned',
};
const NOUN: Record<CaseType, string> = { recognition: 'A recognition case', coaching: 'A coaching case', pip: 'A PIP' };

let store: Store;
let employees = 0;
beforeAll(async () => {
  store = await memoryStore();
});
afterAll(async () => {
  await store.close();
});

async function refusal(type: CaseType, status: string, action: string, data: object = {}): Promise<{ code: string; message: string; details: Record<string, unknown> }> {
  // One employee each: an employee has at most one PIP in force.
  const id = await insertCase(store, { type, status, employeeId: `w${++employees}` });
  try {
    await transitionCase(store, id, { action, actor: 'hr-ana', note: 'because', data });
  } catch (e) {
    return e as { code: string; message: string; details: Record<string, unknown> };
  }
  throw new Error(`${type} ${status} ${action} was not refused`);
}

describe('the words of each action', () => {
  it('every action of every lifecycle has its past tense in the table', () => {
    for (const type of Object.keys(LIFECYCLES) as CaseType[]) {
      for (const t of LIFECYCLES[type]) {
        expect(DONE[t.action], `${type} ${t.action}: add it to DONE in this test`).toBeDefined();
        expect(ACTION_WORDS[t.action]?.done, `${type} ${t.action}`).toBe(DONE[t.action]);
      }
    }
  });

  for (const type of Object.keys(LIFECYCLES) as CaseType[]) {
    it(`every refusal on a ${type} reads as English and says what is possible`, async () => {
      for (const status of statusesOf(type)) {
        for (const action of [...new Set(LIFECYCLES[type].filter((t) => t.by !== 'system').map((t) => t.action))]) {
          if (LIFECYCLES[type].some((t) => t.action === action && t.from.includes(status))) continue;
          const e = await refusal(type, status, action);
          const allowed = allowedActions(type, status);
          expect(e.code).toBe('APPRAISE_CASE_ILLEGAL_TRANSITION');
          expect(e.message).toContain(`${NOUN[type]} in status ${status} cannot be ${DONE[action]}`);
          if (`${action}d` !== DONE[action]) expect(e.message).not.toContain(`${action}d`);
          expect(e.message).toMatch(TERMINAL[type].includes(status)
            ? /\. It is closed: no action is possible\.$/
            : /^[^.]* \(only one in status [a-z, ]+ can be\)\. Possible now: [a-z, -]+\.$/);
          if (allowed.length) expect(e.message).toContain(`Possible now: ${allowed.length > 1 ? `${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}` : allowed[0]}.`);
          expect(e.details).toMatchObject({ status, action, allowed });
        }
      }
    });
  }

  it('says "cannot be started / rejected / cancelled / failed" in full sentences', async () => {
    expect((await refusal('pip', 'proposed', 'start')).message).toBe(
      'A PIP in status proposed cannot be started (only one in status acknowledged can be). Possible now: approve, reject or cancel.');
    expect((await refusal('pip', 'approved', 'reject')).message).toBe(
      'A PIP in status approved cannot be rejected (only one in status proposed can be). Possible now: plan, acknowledge or cancel.');
    expect((await refusal('coaching', 'completed', 'cancel')).message).toBe(
      'A coaching case in status completed cannot be cancelled. It is closed: no action is possible.');
    expect((await refusal('pip', 'proposed', 'fail')).message).toBe(
      'A PIP in status proposed cannot be marked failed (only one in status active or extended can be). Possible now: approve, reject or cancel.');
    expect((await refusal('pip', 'active', 'acknowledge')).message).toBe(
      'A PIP in status active cannot be acknowledged (only one in status approved or paused can be). Possible now: edit-goals, extend, succeed, fail or cancel.');
  });

  it('a system-only action is refused to people with the reason', async () => {
    const e = await refusal('coaching', 'open', 'supersede');
    expect(e).toMatchObject({ code: 'APPRAISE_CASE_ILLEGAL_TRANSITION', message: 'Only Appraise itself can supersede a coaching case. Possible now: schedule or cancel.' });
  });

  it('an action the type does not have is an unknown action, with a did-you-mean and the actions', async () => {
    expect(await refusal('pip', 'proposed', 'deliver')).toMatchObject({
      code: 'APPRAISE_CASE_UNKNOWN_ACTION',
      message: '`deliver` is not an action on a PIP. The actions on a PIP are approve, plan, reject, acknowledge, start, edit-goals, extend, succeed, fail and cancel. Possible now: approve, reject or cancel.',
    });
    expect(await refusal('pip', 'proposed', 'nonexistent-action')).toMatchObject({ code: 'APPRAISE_CASE_UNKNOWN_ACTION', message: expect.stringMatching(/^`nonexistent-action` is not an action on a PIP\. The actions/) });
    expect((await refusal('coaching', 'open', 'shedule')).message).toMatch(/^`shedule` is not an action on a coaching case\. Did you mean `schedule`\? /);
  });
});

describe('fields are named as the API body names them', () => {
  it('a missing field or note names its body field and says what it holds', async () => {
    expect(await refusal('coaching', 'open', 'schedule')).toMatchObject({
      code: 'APPRAISE_CASE_MISSING_FIELD', message: 'To schedule a coaching case, give the date of the coaching session (`data.scheduledFor`).', details: { field: 'scheduledFor' },
    });
    expect(await refusal('pip', 'proposed', 'approve', { goals: ['g'], dueAt: '2099-01-01', support: 'coaching' })).toMatchObject({
      code: 'APPRAISE_CASE_MISSING_FIELD', message: 'To approve a PIP, give the number of days between check-ins (`data.checkInEveryDays`).', details: { field: 'checkInEveryDays' },
    });
    expect(await refusal('pip', 'proposed', 'approve', { goals: ['g'], dueAt: '2099-01-01', checkInEveryDays: 7 })).toMatchObject({
      code: 'APPRAISE_CASE_MISSING_FIELD', message: 'To approve a PIP, give the support offered (coaching, training, time) (`data.support`).', details: { field: 'support' },
    });
    const id = await insertCase(store, { type: 'pip', status: 'proposed', employeeId: 'w-note' });
    const e = await transitionCase(store, id, { action: 'approve', actor: 'hr', data: PLAN }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FieldError);
    expect(e).toMatchObject({ code: 'APPRAISE_CASE_NOTE_REQUIRED', message: 'To approve a PIP, give a note saying why (`note`).' });
    expect((e as FieldError).messageIn((f) => `--${f}`)).toBe('To approve a PIP, give a note saying why (--note).');
  });

  it('a wrong value names the field and the value given', async () => {
    expect(await refusal('pip', 'proposed', 'approve', { ...PLAN, checkInEveryDays: 0 })).toMatchObject({
      message: '`data.checkInEveryDays` must be a whole number of days from 1 to 90, not 0.',
    });
    expect(await refusal('pip', 'proposed', 'approve', { ...PLAN, dueAt: '2001-01-01' })).toMatchObject({
      message: '`data.dueAt` must be in the future, not 2001-01-01.',
    });
  });

  it('a date that is not a date shows the expected format and the value given', async () => {
    expect(await refusal('coaching', 'open', 'schedule', { scheduledFor: '31/12/2026' })).toMatchObject({
      code: 'APPRAISE_DATE_INVALID',
      message: '`data.scheduledFor` must be YYYY-MM-DD or an ISO 8601 instant such as 2026-12-31T17:00:00Z, not `31/12/2026`.',
      details: { field: 'scheduledFor' },
    });
    expect(await refusal('pip', 'proposed', 'approve', { ...PLAN, dueAt: '12/31/2026' })).toMatchObject({ code: 'APPRAISE_DATE_INVALID', details: { field: 'dueAt' } });
  });

  it('a check-in on a case that takes none says what is possible; without a note names it', async () => {
    const coaching = await insertCase(store, { type: 'coaching', status: 'open', employeeId: 'w-ci' });
    await expect(recordCheckIn(store, coaching, { actor: 'm', note: 'x' })).rejects.toMatchObject({
      code: 'APPRAISE_CASE_ILLEGAL_TRANSITION',
      message: 'Check-ins are recorded on a PIP in status active or extended, and this is a coaching case in status open. Possible now: schedule or cancel.',
    });
    const pip = await insertCase(store, { type: 'pip', status: 'active', employeeId: 'w-ci2' });
    await expect(recordCheckIn(store, pip, { actor: 'm', note: ' ' })).rejects.toMatchObject({ code: 'APPRAISE_CASE_NOTE_REQUIRED', message: 'A check-in needs a note on progress (`note`).' });
  });
});

describe('exemptions', () => {
  const until = new Date('2099-01-01T00:00:00Z');

  it('an unknown employee is an employee error, not a case error', async () => {
    await expect(createExemption(store, { employeeId: 'nobody', outcome: 'pip', reason: 'leave', until, createdBy: 'hr' })).rejects.toMatchObject({
      code: 'APPRAISE_EMPLOYEE_NOT_FOUND', message: 'There is no employee `nobody`. Check the id, or import the employee first.', details: { employeeId: 'nobody' },
    });
  });

  it('names the body fields it needs', async () => {
    await insertCase(store, { type: 'coaching', status: 'open', employeeId: 'w-ex' });
    await expect(createExemption(store, { employeeId: 'w-ex', reason: 'leave', until, createdBy: 'hr' })).rejects.toMatchObject({
      code: 'APPRAISE_USAGE', message: 'An exemption names a policy (`policyId`) or an outcome (`outcome`), or both.',
    });
    await expect(createExemption(store, { employeeId: 'w-ex', outcome: 'pip', reason: ' ', until, createdBy: 'hr' })).rejects.toMatchObject({
      code: 'APPRAISE_USAGE', message: 'An exemption needs a justification (`reason`).',
    });
  });
});
