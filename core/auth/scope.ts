// Who may see whom. Admin, HR and viewers see everyone (viewers without protected attributes);
// a manager sees their reporting line (everyone whose chain of managers includes them); an
// employee sees only themself.
import type { Queryable } from '../store/store.ts';
import type { Principal, Role } from './tokens.ts';

/** The employee ids a principal may see, or 'all'. */
export async function visibleEmployees(db: Queryable, p: Principal): Promise<'all' | string[]> {
  if (p.role === 'admin' || p.role === 'hr' || p.role === 'viewer') return 'all';
  if (p.role === 'employee') return [p.employeeId!];
  const r = await db.query<{ id: string }>(
    `WITH RECURSIVE line(id) AS (
       SELECT id FROM employees WHERE manager_id = $1
       UNION SELECT e.id FROM employees e JOIN line l ON e.manager_id = l.id
     ) SELECT id FROM line`,
    [p.employeeId],
  );
  return [p.employeeId!, ...r.rows.map((x) => x.id)];
}

export function canSee(visible: 'all' | string[], employeeId: string): boolean {
  return visible === 'all' || visible.includes(employeeId);
}

/** What each role may do beyond reading what it can see. */
export const PERMISSIONS = {
  publishPolicies: ['admin', 'hr'],
  runPolicies: ['admin', 'hr'],
  simulate: ['admin', 'hr'],
  approvePip: ['admin', 'hr'],
  actOnCases: ['admin', 'hr', 'manager'],
  /** Moving a case along its lifecycle; which action each may take is decided per case. */
  transitionCases: ['admin', 'hr', 'manager', 'employee'],
  acknowledge: ['employee', 'admin', 'hr'],
  /** Setting, proposing and judging goals; which goal each may touch is decided per goal (core/people/goals). */
  setGoals: ['admin', 'hr', 'manager', 'employee'],
  /** Raising (and withdrawing) a dispute; whether this person may, for this case, is decided per case. */
  raiseDisputes: ['admin', 'hr', 'manager', 'employee'],
  resolveDisputes: ['admin', 'hr'],
  importData: ['admin', 'hr'],
  exempt: ['admin', 'hr'],
  readAudit: ['admin'],
  manageOutbox: ['admin'],
  manageTokens: ['admin'],
  seeProtectedAttributes: ['admin'],
  readPolicies: ['admin', 'hr', 'manager', 'viewer'],
  readRuns: ['admin', 'hr', 'viewer'],
  /** Fairness audits by protected attribute and their intersections: HR and admins, who answer for them. */
  auditFairness: ['admin', 'hr'],
  /** Kudos, upward feedback and reading feedback text (core/people/feedback): everyone but the viewer, who reads no free text. */
  giveFeedback: ['admin', 'hr', 'manager', 'employee'],
  /** Feedback notes on someone, and turning customer compliments into kudos: their managers and HR. */
  writeFeedbackNotes: ['admin', 'hr', 'manager'],
  /** Opening review cycles, extending their deadlines, amending a rating. */
  manageReviews: ['admin', 'hr'],
  /** Notification templates: reading them with their variables, previews and test sends. */
  manageNotifications: ['admin', 'hr'],
  /** Taking a step of a review; which one each may take is decided per review (core/people/reviews). */
  takeReviewSteps: ['admin', 'hr', 'manager', 'employee'],
  /** The data-subject access export: one's own (employee, manager), anyone's for an administrator (core/compliance/subject-access). */
  exportPersonalData: ['admin', 'manager', 'employee'],
  /** The configured sources (connectors), their syncs and errors; never credential values. */
  readSources: ['admin', 'hr'],
  /** Starting a sync of a source by hand ("Sync now"). */
  syncSources: ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function allowed(p: Principal, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(p.role);
}
