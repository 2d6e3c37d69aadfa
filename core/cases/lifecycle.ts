// The lifecycles of cases, as data: for each case type, which action moves a case from which
// states to which state, and what the action needs (a note, a date, goals). Anything not listed
// is an illegal transition: a 409 with the allowed actions, never a silent change.
export type CaseType = 'recognition' | 'coaching' | 'pip';

export interface TransitionDef {
  action: string;
  from: string[];
  to: string;
  /** A note is required (PIP approval and rejection, cancellations). */
  noteRequired?: boolean;
  /** Fields the action needs in its data. */
  requires?: Array<'scheduledFor' | 'goals' | 'dueAt' | 'checkInEveryDays'>;
  /** Who may take it: HR-side roles, the employee themself, or only the system. */
  by: 'hr' | 'manager' | 'employee' | 'system';
  description: string;
}

export const INITIAL_STATUS: Record<CaseType, (approval: 'required' | 'none') => string> = {
  recognition: () => 'open',
  coaching: () => 'open',
  pip: (approval) => (approval === 'required' ? 'proposed' : 'approved'),
};

export const TERMINAL: Record<CaseType, string[]> = {
  recognition: ['acknowledged'],
  coaching: ['completed', 'cancelled', 'superseded'],
  pip: ['rejected', 'succeeded', 'failed', 'cancelled'],
};

export const LIFECYCLES: Record<CaseType, TransitionDef[]> = {
  recognition: [
    { action: 'deliver', from: ['open'], to: 'delivered', by: 'manager', description: 'The recognition was given.' },
    { action: 'acknowledge', from: ['delivered'], to: 'acknowledged', by: 'employee', description: 'The employee saw it.' },
  ],
  coaching: [
    { action: 'schedule', from: ['open', 'scheduled'], to: 'scheduled', requires: ['scheduledFor'], by: 'manager', description: 'A coaching session is booked (or moved).' },
    { action: 'complete', from: ['scheduled'], to: 'completed', by: 'manager', description: 'The coaching took place; completed coaching counts in history.coaching.completed.' },
    { action: 'cancel', from: ['open', 'scheduled'], to: 'cancelled', noteRequired: true, by: 'manager', description: 'The coaching will not take place.' },
    { action: 'supersede', from: ['open', 'scheduled'], to: 'superseded', by: 'system', description: 'A PIP for the same policy replaced it.' },
  ],
  pip: [
    { action: 'approve', from: ['proposed'], to: 'approved', noteRequired: true, by: 'hr', description: 'HR approves the proposed plan (who and why is kept).' },
    { action: 'reject', from: ['proposed'], to: 'rejected', noteRequired: true, by: 'hr', description: 'HR rejects the proposal.' },
    { action: 'acknowledge', from: ['approved'], to: 'acknowledged', by: 'employee', description: 'The employee acknowledges the plan.' },
    { action: 'acknowledge', from: ['paused'], to: 'active', by: 'employee', description: 'The employee acknowledges the changed goals; the plan resumes.' },
    { action: 'start', from: ['acknowledged'], to: 'active', requires: ['goals', 'dueAt', 'checkInEveryDays'], by: 'manager', description: 'The plan starts with goals, a due date and check-ins every N days.' },
    { action: 'edit-goals', from: ['active', 'extended'], to: 'paused', requires: ['goals'], by: 'manager', description: "Changing an active plan's goals pauses it until the employee acknowledges them." },
    { action: 'extend', from: ['active', 'extended'], to: 'extended', requires: ['dueAt'], noteRequired: true, by: 'hr', description: 'The due date moves out.' },
    { action: 'succeed', from: ['active', 'extended'], to: 'succeeded', noteRequired: true, by: 'hr', description: 'The plan ended well.' },
    { action: 'fail', from: ['active', 'extended'], to: 'failed', noteRequired: true, by: 'hr', description: 'The plan ended without the goals met.' },
    { action: 'cancel', from: ['proposed', 'approved', 'acknowledged', 'active', 'paused', 'extended'], to: 'cancelled', noteRequired: true, by: 'hr', description: 'The plan is withdrawn.' },
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
