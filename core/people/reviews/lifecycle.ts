// The lifecycle of a review, as data (like core/cases/lifecycle.ts): which action moves a review
// from which status to which, and who takes it. Anything not listed is refused with a 409 and
// the actions possible now. Both people sign: whoever signs first moves the review to
// `employee-signed` or `manager-signed`, the second to `signed-off`, where the packet is frozen.
import { orList } from '../../cases/lifecycle.ts';

export type ReviewStatus =
  | 'open' | 'self-assessed' | 'manager-assessed' | 'employee-signed' | 'manager-signed' | 'signed-off' | 'acknowledged' | 'cancelled';

export type ReviewAction = 'self-assess' | 'assess' | 'sign' | 'acknowledge' | 'cancel';
export const REVIEW_ACTIONS: readonly ReviewAction[] = ['self-assess', 'assess', 'sign', 'acknowledge', 'cancel'];

/** Who takes an action: the employee reviewed, their manager (or HR for them), or HR. */
export type ReviewActor = 'employee' | 'manager' | 'hr';

export interface ReviewTransition {
  action: ReviewAction;
  from: ReviewStatus[];
  to: ReviewStatus;
  by: ReviewActor;
  noteRequired?: boolean;
  description: string;
}

export const REVIEW_LIFECYCLE: ReviewTransition[] = [
  { action: 'self-assess', from: ['open', 'self-assessed'], to: 'self-assessed', by: 'employee', description: 'The employee writes (or revises, until the manager assesses) their self-assessment.' },
  { action: 'assess', from: ['self-assessed', 'manager-assessed'], to: 'manager-assessed', by: 'manager', description: 'The manager rates each section and writes the assessment (revisable until someone signs); the weights give the overall score.' },
  { action: 'sign', from: ['manager-assessed'], to: 'employee-signed', by: 'employee', description: 'The employee signs the review.' },
  { action: 'sign', from: ['manager-signed'], to: 'signed-off', by: 'employee', description: 'The employee signs after the manager: the review is signed off and its packet frozen.' },
  { action: 'sign', from: ['manager-assessed'], to: 'manager-signed', by: 'manager', description: 'The manager signs the review.' },
  { action: 'sign', from: ['employee-signed'], to: 'signed-off', by: 'manager', description: 'The manager signs after the employee: the review is signed off and its packet frozen.' },
  { action: 'acknowledge', from: ['signed-off'], to: 'acknowledged', by: 'employee', description: 'The employee acknowledges the signed-off review, and may add a comment.' },
  { action: 'cancel', from: ['open', 'self-assessed', 'manager-assessed', 'employee-signed', 'manager-signed'], to: 'cancelled', by: 'hr', noteRequired: true, description: 'HR withdraws the review (the employee left, or is on leave); the note says why.' },
];

export const REVIEW_TERMINAL: readonly ReviewStatus[] = ['acknowledged', 'cancelled'];

export const REVIEW_STATUSES: readonly ReviewStatus[] = ['open', 'self-assessed', 'manager-assessed', 'employee-signed', 'manager-signed', 'signed-off', 'acknowledged', 'cancelled'];

/** The deadline that applies in each status: the step the review waits for. */
export type ReviewStep = 'self' | 'manager' | 'signoff';
export const STEP_OF: Partial<Record<ReviewStatus, ReviewStep>> = {
  open: 'self',
  'self-assessed': 'manager',
  'manager-assessed': 'signoff',
  'employee-signed': 'signoff',
  'manager-signed': 'signoff',
};
export const STEP_WORDS: Record<ReviewStep, string> = { self: 'self-assessment', manager: 'manager assessment', signoff: 'sign-off' };

export const REVIEW_ACTION_WORDS: Record<ReviewAction, { done: string; to: string }> = {
  'self-assess': { done: 'self-assessed', to: 'write the self-assessment of' },
  assess: { done: 'assessed by the manager', to: 'write the manager assessment of' },
  sign: { done: 'signed', to: 'sign' },
  acknowledge: { done: 'acknowledged', to: 'acknowledge' },
  cancel: { done: 'cancelled', to: 'cancel' },
};

export function findReviewTransition(status: string, action: string, by: ReviewActor): ReviewTransition | undefined {
  return REVIEW_LIFECYCLE.find((t) => t.action === action && t.by === by && t.from.includes(status as ReviewStatus));
}

/** What can happen from a status, by anyone (for the 409 message). */
export function reviewActionsFrom(status: string): ReviewAction[] {
  return [...new Set(REVIEW_LIFECYCLE.filter((t) => t.from.includes(status as ReviewStatus)).map((t) => t.action))];
}

/** What `who` may do from a status (the API's allowed actions, the UI's forms). */
export function reviewActionsFor(status: string, who: readonly ReviewActor[]): ReviewTransition[] {
  return REVIEW_LIFECYCLE.filter((t) => t.from.includes(status as ReviewStatus) && who.includes(t.by));
}

export function possibleNow(status: string): string {
  const a = reviewActionsFrom(status);
  return a.length ? `Possible now: ${orList(a)}.` : 'It is closed: no action is possible.';
}
