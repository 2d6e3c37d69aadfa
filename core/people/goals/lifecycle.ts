// The lifecycle of a goal, as data (like core/cases/lifecycle.ts): which action moves a goal
// from which states to which, who takes it, and whether it needs a note.
//
//   proposed ── accept ──▶ active ── met / missed ──▶ met | missed
//      │                     │
//      ├── decline ──▶ declined
//      └── cancel ───▶ cancelled ◀── cancel ──┘
//
// A goal a manager or HR sets is active at once; one an employee proposes waits for their
// manager (or HR) to accept or decline it. `note` records progress by hand in any open state.
// PIP goals follow their PIP: they are replaced when the plan is revised and judged when HR
// closes the PIP, so none of these actions applies to them except `note`.

export type GoalStatus = 'proposed' | 'active' | 'declined' | 'met' | 'missed' | 'cancelled';
export type GoalAction = 'accept' | 'decline' | 'met' | 'missed' | 'cancel' | 'note';
export const GOAL_ACTIONS: readonly GoalAction[] = ['accept', 'decline', 'met', 'missed', 'cancel', 'note'];
export const OPEN: readonly GoalStatus[] = ['proposed', 'active'];

export interface GoalTransition {
  action: GoalAction;
  from: GoalStatus[];
  to: GoalStatus | null;
  noteRequired: boolean;
  /** `manager`: the employee's manager line or HR; `owner`: also the employee themself. */
  by: 'manager' | 'owner';
  description: string;
}

export const GOAL_LIFECYCLE: GoalTransition[] = [
  { action: 'accept', from: ['proposed'], to: 'active', noteRequired: false, by: 'manager', description: 'The manager agrees to the proposed goal; it is active from now.' },
  { action: 'decline', from: ['proposed'], to: 'declined', noteRequired: true, by: 'manager', description: 'The manager does not take the proposed goal on, and says why.' },
  { action: 'met', from: ['active'], to: 'met', noteRequired: true, by: 'manager', description: 'The goal is closed as met.' },
  { action: 'missed', from: ['active'], to: 'missed', noteRequired: true, by: 'manager', description: 'The goal is closed as missed.' },
  { action: 'cancel', from: ['proposed', 'active'], to: 'cancelled', noteRequired: true, by: 'owner', description: 'The goal no longer applies (the employee may withdraw their own proposal).' },
  { action: 'note', from: ['proposed', 'active'], to: null, noteRequired: true, by: 'owner', description: 'A note on progress, by hand; the status does not change.' },
];

export function goalTransition(status: string, action: string): GoalTransition | undefined {
  return GOAL_LIFECYCLE.find((t) => t.action === action && (t.from as string[]).includes(status));
}

export function goalActionsFrom(status: string): GoalAction[] {
  return GOAL_LIFECYCLE.filter((t) => (t.from as string[]).includes(status)).map((t) => t.action);
}
