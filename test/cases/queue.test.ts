// The steps of "needs my action" (core/cases/queue.ts) agree with the lifecycles: each step's
// actions are possible from each of its statuses and taken by its side, so the queue never
// lists a case its reader could not act on, and a role's queue holds only its sides' steps.
import { describe, expect, it } from 'vitest';
import { findTransition, TERMINAL } from '../../core/cases/lifecycle.ts';
import { QUEUE_STEPS, sidesOf } from '../../core/cases/queue.ts';
import { CASE_SORTS, parseCaseSort } from '../../core/cases/sort.ts';

describe('the queue steps', () => {
  it('each action of each step is a transition of that side from each of its statuses (a check-in: a running PIP)', () => {
    for (const s of QUEUE_STEPS) {
      for (const status of s.statuses) {
        expect(TERMINAL[s.type], `${s.step}: ${status}`).not.toContain(status);
        for (const action of s.actions) {
          if (action === 'check-in') {
            expect([s.type, ['active', 'extended'].includes(status)]).toEqual(['pip', true]);
            continue;
          }
          expect(findTransition(s.type, status, action)?.by, `${s.type} ${status} ${action}`).toBe(s.side);
        }
      }
    }
  });

  it("each role waits only on its own side's steps: HR decides, managers work with their people, everyone acknowledges their own", () => {
    expect(sidesOf('hr')).toEqual(['hr', 'employee']);
    expect(sidesOf('admin')).toEqual(['hr', 'employee']);
    expect(sidesOf('manager')).toEqual(['manager', 'employee']);
    expect(sidesOf('employee')).toEqual(['employee']);
    expect(sidesOf('viewer')).toEqual([]);
  });

  it('sort keys: each column both ways; anything else is a coded error with the allowed keys', () => {
    expect(parseCaseSort('due')).toEqual({ key: 'due', descending: false });
    expect(parseCaseSort('-opened')).toEqual({ key: 'opened', descending: true });
    expect(() => parseCaseSort('opend')).toThrow(expect.objectContaining({ code: 'APPRAISE_CASE_UNKNOWN_SORT', details: { field: 'sort', value: 'opend', allowed: CASE_SORTS } }));
    expect(() => parseCaseSort('opend')).toThrow(/Did you mean `opened`\?/);
  });
});
