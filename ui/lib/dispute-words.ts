// Disputes in people's words: each status, what each resolution does to the case, and who may
// raise one (the server decides; this only hides controls a person could not use).
import type { CaseDetail, Dispute, DisputeStatus, Principal, Resolution } from '../api/types.ts';

export const DISPUTE_STATUS: Record<DisputeStatus, { label: string; tone: string }> = {
  open: { label: 'waiting for HR', tone: 'warning' },
  upheld: { label: 'upheld: the case stands', tone: 'neutral' },
  amended: { label: 'amended: the case stands, corrected', tone: 'neutral' },
  overturned: { label: 'overturned: the case no longer counts', tone: 'ok' },
  withdrawn: { label: 'withdrawn', tone: 'neutral' },
};

export const RESOLUTION: Record<Resolution, { label: string; effect: string }> = {
  uphold: { label: 'Uphold', effect: 'The case stands as it is. Your note tells the employee why.' },
  amend: { label: 'Amend', effect: 'The case stands with your correction (the note). A PIP that is approved or running can also take new goals or a later end date.' },
  overturn: { label: 'Overturn', effect: 'The case is closed as overturned. It no longer counts toward later decisions (such as a PIP), and its workflows are told.' },
};

/** The heading of a dispute step on a case's timeline (case_events `dispute`, by its `step`). */
export const DISPUTE_STEP_HEADING: Record<string, string> = {
  raised: 'Disputed', upheld: 'Dispute upheld', amended: 'Dispute resolved: amended', overturned: 'Dispute resolved: overturned', withdrawn: 'Dispute withdrawn',
};

/** Whether the person may dispute this case: it is their own, or they manage the employee (a manager's cases are those of their line). */
export function mayDispute(p: Principal, c: Pick<CaseDetail, 'employeeId' | 'status'>, disputes: Dispute[]): boolean {
  if (c.status === 'overturned' || disputes.some((d) => d.status === 'open')) return false;
  if (p.employeeId === c.employeeId) return true;
  return p.role === 'manager' && Boolean(p.employeeId);
}

/** Whether the person may resolve a dispute (HR, never about their own record). */
export const mayResolve = (p: Principal, d: Pick<Dispute, 'status' | 'employeeId' | 'raisedBy'>) =>
  d.status === 'open' && (p.role === 'hr' || p.role === 'admin') && p.employeeId !== d.employeeId && p.name !== d.raisedBy;

/** Whether the person raised this open dispute and may take it back. */
export const mayWithdraw = (p: Principal, d: Pick<Dispute, 'status' | 'raisedBy'>) => d.status === 'open' && p.name === d.raisedBy;
