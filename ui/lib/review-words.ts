// Reviews in people's words: each status as what the review waits for, each step's name.
import type { ReviewStatus } from '../api/types.ts';

export const REVIEW_STATUS_WORDS: Record<ReviewStatus, string> = {
  open: 'Waiting for the self-assessment',
  'self-assessed': 'Waiting for the manager assessment',
  'manager-assessed': 'Waiting for both signatures',
  'employee-signed': 'Signed by the employee; waiting for the manager',
  'manager-signed': 'Signed by the manager; waiting for the employee',
  'signed-off': 'Signed off; waiting for the acknowledgement',
  acknowledged: 'Acknowledged',
  cancelled: 'Cancelled',
};

export const STEP_NAME: Record<string, string> = { self: 'Self-assessment', manager: 'Manager assessment', signoff: 'Sign-off' };

export const REVIEW_ACTION_LABEL: Record<string, string> = {
  'self-assess': 'Write your self-assessment',
  assess: 'Write the manager assessment',
  sign: 'Sign',
  acknowledge: 'Acknowledge',
  cancel: 'Cancel the review',
};

/** The current quarter, `2026-Q4`, as core/run/period.ts names it. */
export function currentQuarter(now = new Date()): string {
  return `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
}

/** A date `days` from today, YYYY-MM-DD. */
export function daysFromToday(days: number, now = new Date()): string {
  return new Date(now.getTime() + days * 86400000).toISOString().slice(0, 10);
}
