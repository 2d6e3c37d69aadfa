// The lifecycles of cases, as data: for each case type, which action moves a case from which
// states to which state, and what the action needs (a note, a date, goals). Anything not listed
// is an illegal transition: a 409 with the allowed actions, never a silent change. How messages
// word each type and action is data here too, beside the lifecycles it must cover.
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import { didYouMean } from '../util/did-you-mean.ts';
import { FieldError } from './field-error.ts';

export type CaseType = 'recognition' | 'coaching' | 'pip';
export const CASE_TYPES: readonly CaseType[] = ['recognition', 'coaching', 'pip'];

export type CaseAction =
  | 'deliver' | 'acknowledge'
  | 'schedule' | 'complete' | 'cancel' | 'supersede'
  | 'approve' | 'plan' | 'reject' | 'start' | 'edit-goals' | 'extend' | 'succeed' | 'fail'
  | 'overturn';

/** What a PIP's plan is made of: set together, when HR approves it. */
export type PlanField = 'goals' | 'dueAt' | 'checkInEveryDays' | 'support';
export const PLAN_FIELDS: PlanField[] = ['goals', 'dueAt', 'checkInEveryDays', 'support'];

export interface TransitionDef {
  action: CaseAction;
  from: string[];
  to: string;
  /** A note is required (PIP approval and rejection, cancellations). */
  noteRequired?: boolean;
  /** Fields the action needs in its data. */
  requires?: Array<PlanField | 'scheduledFor'>;
  /** The case must already hold its plan (goals, end date, check-ins, support): nobody acknowledges an empty plan. */
  requiresPlan?: boolean;
  /** Who may take it: HR-side roles, the employee themself, or only the system. */
  by: 'hr' | 'manager' | 'employee' | 'system';
  description: string;
  /** The workflow event it queues when not `<type>.<to>` (an overturn is `case.overturned` for every type). */
  event?: string;
  /** How a person takes a system action after all, for its refusal (an overturn: by resolving a dispute). */
  onlyVia?: string;
}

export const INITIAL_STATUS: Record<CaseType, (approval: 'required' | 'none') => string> = {
  recognition: () => 'open',
  coaching: () => 'open',
  pip: (approval) => (approval === 'required' ? 'proposed' : 'approved'),
};

export const TERMINAL: Record<CaseType, string[]> = {
  recognition: ['acknowledged', 'overturned'],
  coaching: ['completed', 'cancelled', 'superseded', 'overturned'],
  pip: ['rejected', 'succeeded', 'failed', 'cancelled', 'overturned'],
};

/**
 * HR overturns a case only by resolving a dispute on it (core/people/disputes): from any status
 * but overturned, with the dispute's note. An overturned case counts in no `history.*` fact, and
 * its workflows hear `case.overturned`.
 */
function overturn(type: CaseType, from: string[]): TransitionDef {
  return {
    action: 'overturn', from, to: 'overturned', noteRequired: true, by: 'system', event: 'case.overturned',
    onlyVia: 'HR overturns a case by resolving a dispute on it (`npx appraise disputes resolve <id> --overturn`).',
    description: `HR overturned the ${type} case on a dispute: it is closed and no longer counts in history.* facts.`,
  };
}

export const LIFECYCLES: Record<CaseType, TransitionDef[]> = {
  recognition: [
    { action: 'deliver', from: ['open'], to: 'delivered', by: 'manager', description: 'The recognition was given.' },
    { action: 'acknowledge', from: ['delivered'], to: 'acknowledged', by: 'employee', description: 'The employee saw it.' },
    overturn('recognition', ['open', 'delivered', 'acknowledged']),
  ],
  coaching: [
    { action: 'schedule', from: ['open', 'scheduled'], to: 'scheduled', requires: ['scheduledFor'], by: 'manager', description: 'A coaching session is booked (or moved).' },
    { action: 'complete', from: ['scheduled'], to: 'completed', by: 'manager', description: 'The coaching took place; completed coaching counts in history.coaching.completed.' },
    { action: 'cancel', from: ['open', 'scheduled'], to: 'cancelled', noteRequired: true, by: 'manager', description: 'The coaching will not take place.' },
    { action: 'supersede', from: ['open', 'scheduled'], to: 'superseded', by: 'system', description: 'A PIP for the same policy replaced it.' },
    overturn('coaching', ['open', 'scheduled', 'completed', 'cancelled', 'superseded']),
  ],
  pip: [
    { action: 'approve', from: ['proposed'], to: 'approved', noteRequired: true, requires: PLAN_FIELDS, by: 'hr', description: 'HR approves the plan: its goals, end date, check-ins and the support offered (who and why is kept).' },
    { action: 'plan', from: ['approved'], to: 'approved', requires: PLAN_FIELDS, by: 'hr', description: 'HR sets or revises the plan before the employee acknowledges it (a PIP that needed no approval starts without one).' },
    { action: 'reject', from: ['proposed'], to: 'rejected', noteRequired: true, by: 'hr', description: 'HR rejects the proposal.' },
    { action: 'acknowledge', from: ['approved'], to: 'acknowledged', requiresPlan: true, by: 'employee', description: 'The employee acknowledges the plan: its goals, end date, check-ins and support.' },
    { action: 'acknowledge', from: ['paused'], to: 'active', by: 'employee', description: 'The employee acknowledges the changed goals; the plan resumes.' },
    { action: 'start', from: ['acknowledged'], to: 'active', by: 'manager', description: 'The plan starts: check-ins begin at its interval.' },
    { action: 'edit-goals', from: ['active', 'extended'], to: 'paused', requires: ['goals'], by: 'manager', description: "Changing an active plan's goals pauses it until the employee acknowledges them." },
    { action: 'extend', from: ['active', 'extended'], to: 'extended', requires: ['dueAt'], noteRequired: true, by: 'hr', description: 'The due date moves out.' },
    { action: 'succeed', from: ['active', 'extended'], to: 'succeeded', noteRequired: true, by: 'hr', description: 'The plan ended well.' },
    { action: 'fail', from: ['active', 'extended'], to: 'failed', noteRequired: true, by: 'hr', description: 'The plan ended without the goals met.' },
    { action: 'cancel', from: ['proposed', 'approved', 'acknowledged', 'active', 'paused', 'extended'], to: 'cancelled', noteRequired: true, by: 'hr', description: 'The plan is withdrawn.' },
    overturn('pip', ['proposed', 'approved', 'acknowledged', 'active', 'paused', 'extended', 'rejected', 'succeeded', 'failed', 'cancelled']),
  ],
};

/** The transition an action takes from a status, or undefined when it is illegal. */
export function findTransition(type: CaseType, status: string, action: string): TransitionDef | undefined {
  return LIFECYCLES[type].find((t) => t.action === action && t.from.includes(status));
}

/** Actions allowed from a status (for the 409 message, the UI and the CLI help). */
export function allowedActions(type: CaseType, status: string): string[] {
  return LIFECYCLES[type].filter((t) => t.from.includes(status) && t.by !== 'system').map((t) => t.action);
}

/** Every status a type can be in. */
export function statusesOf(type: CaseType): string[] {
  const s = new Set<string>([INITIAL_STATUS[type]('required'), INITIAL_STATUS[type]('none')]);
  for (const t of LIFECYCLES[type]) {
    for (const f of t.from) s.add(f);
    s.add(t.to);
  }
  return [...s];
}

/** How messages name a case of each type, after "a": "a PIP", "a coaching case". */
export const CASE_NOUN: Record<CaseType, string> = {
  recognition: 'recognition case',
  coaching: 'coaching case',
  pip: 'PIP',
};

/**
 * How messages say each action, so that they read as English. `done` follows "cannot be"
 * ("cannot be cancelled"; appending a `d` to the action gave "canceld" and "startd"), and `to`
 * follows "to" or "can", with the case as its object ("change the goals of a PIP").
 * test/cases/wording.test.ts checks every action of every lifecycle against this table.
 */
export const ACTION_WORDS: Record<CaseAction, { done: string; to: (theCase: string) => string }> = {
  deliver: { done: 'delivered', to: (c) => `deliver ${c}` },
  acknowledge: { done: 'acknowledged', to: (c) => `acknowledge ${c}` },
  schedule: { done: 'scheduled', to: (c) => `schedule ${c}` },
  complete: { done: 'completed', to: (c) => `complete ${c}` },
  cancel: { done: 'cancelled', to: (c) => `cancel ${c}` },
  supersede: { done: 'superseded', to: (c) => `supersede ${c}` },
  approve: { done: 'approved', to: (c) => `approve ${c}` },
  plan: { done: 'given its plan', to: (c) => `set the plan of ${c}` },
  reject: { done: 'rejected', to: (c) => `reject ${c}` },
  start: { done: 'started', to: (c) => `start ${c}` },
  'edit-goals': { done: 'given new goals', to: (c) => `change the goals of ${c}` },
  extend: { done: 'extended', to: (c) => `extend ${c}` },
  succeed: { done: 'marked succeeded', to: (c) => `mark ${c} succeeded` },
  fail: { done: 'marked failed', to: (c) => `mark ${c} failed` },
  overturn: { done: 'overturned', to: (c) => `overturn ${c}` },
};

/** "a, b or c": a list of values in a sentence. */
export function orList(values: readonly string[], conjunction = 'or'): string {
  return values.length < 2 ? values.join('') : `${values.slice(0, -1).join(', ')} ${conjunction} ${values.at(-1)}`;
}

/** Every action of every lifecycle, in lifecycle order (for usage errors before a case is read). */
export function allActions(): CaseAction[] {
  return [...new Set(CASE_TYPES.flatMap((type) => LIFECYCLES[type].map((t) => t.action)))];
}

/** The actions of one type that people take (system-only ones left out). */
export function actionsOf(type: CaseType): CaseAction[] {
  return [...new Set(LIFECYCLES[type].filter((t) => t.by !== 'system').map((t) => t.action))];
}

/** Every status of every type, or of one type, in lifecycle order. */
export function allStatuses(type?: CaseType): string[] {
  return [...new Set((type ? [type] : CASE_TYPES).flatMap(statusesOf))];
}

/** A case type typed by a person (`--type`, `--outcome`), or a coded error with a did-you-mean. */
export function checkCaseType(value: string, field: string): CaseType {
  if ((CASE_TYPES as readonly string[]).includes(value)) return value as CaseType;
  throw new FieldError('APPRAISE_CASE_UNKNOWN_TYPE', [field],
    (n) => `${n(field)}: \`${value}\` is not a case type.${didYouMean(value, CASE_TYPES)} The types are ${orList(CASE_TYPES, 'and')}.`,
    { value, allowed: [...CASE_TYPES] });
}

/**
 * Statuses typed by a person as a filter (`--status`), checked against the lifecycles, so that a
 * typo is an error with a did-you-mean rather than an empty list.
 */
export function checkStatuses(values: readonly string[], field: string, type?: CaseType): void {
  const known = allStatuses(type);
  for (const value of values) {
    if (known.includes(value)) continue;
    const ofOtherType = type && allStatuses().includes(value);
    throw new FieldError('APPRAISE_CASE_UNKNOWN_STATUS', [field],
      (n) => ofOtherType
        ? `${n(field)}: a ${CASE_NOUN[type]} is never \`${value}\`. Its statuses are ${orList(known, 'and')}.`
        : `${n(field)}: \`${value}\` is not a case status.${didYouMean(value, known)} The statuses${type ? ` of a ${CASE_NOUN[type]}` : ''} are ${orList(known, 'and')}.`,
      { value, allowed: known });
  }
}

/**
 * An action typed by a person before the case is read: one that no lifecycle has is a coded
 * error with a did-you-mean. `extra` adds actions a surface offers beside transitions (the
 * CLI's `check-in`).
 */
export function checkAction(action: string, extra: readonly string[] = []): void {
  if ([...allActions(), ...extra].includes(action)) return;
  // System-only actions (supersede) pass here, to be refused with a reason, but are not offered.
  const known = [...new Set([...CASE_TYPES.flatMap(actionsOf), ...extra])];
  throw new AppraiseError('APPRAISE_CASE_UNKNOWN_ACTION',
    `\`${action}\` is not a case action.${didYouMean(action, known)} The actions are ${orList(known, 'and')}.`,
    { action, allowed: known });
}
