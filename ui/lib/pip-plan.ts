// A PIP's plan in the words its reader needs: goals suggested from the numbers that opened it
// (so every goal starts measurable: a metric and a target), the check-in dates, who approved it
// and what happens next.
import type { CaseDetail, ConditionExplanation, LeafExplanation } from '../api/types.ts';
import { formatDate, formatValue } from './format.ts';

const DAY = 86_400_000;
/** The target a goal sets for a condition that held: the other side of the policy's threshold. */
const TARGET: Record<string, string> = { lessThan: 'at least', lessThanInclusive: 'above', greaterThan: 'at most', greaterThanInclusive: 'below' };

function leaves(c: ConditionExplanation | undefined, out: LeafExplanation[] = []): LeafExplanation[] {
  if (!c) return out;
  if (c.kind === 'fact') out.push(c);
  else if (Array.isArray(c.children)) c.children.forEach((x) => leaves(x, out));
  return out;
}

/** One goal per metric condition that held when the case opened: "Bring csat to at least 3.2 (now 2.9)". */
export function suggestedGoals(c: Pick<CaseDetail, 'explanation'>): string[] {
  const goals: string[] = [];
  for (const l of leaves(c.explanation?.conditions)) {
    const target = TARGET[l.operator];
    if (l.result !== 'pass' || !target || typeof l.threshold !== 'number' || l.right || /^(history|employee)\./.test(l.left.fact)) continue;
    const now = typeof l.left.value === 'number' ? ` (now ${formatValue(l.left.value, l.left.unit)})` : '';
    goals.push(`Bring ${l.left.fact} to ${target} ${formatValue(l.threshold, l.left.unit)} by the end of the plan${now}`);
  }
  return [...new Set(goals)];
}

/** The check-ins still to come: from the next one, every N days, up to the end date. */
export function checkInDates(c: Pick<CaseDetail, 'nextCheckInAt' | 'checkInEveryDays' | 'dueAt'>, max = 12): string[] {
  if (!c.nextCheckInAt || !c.checkInEveryDays) return [];
  const end = c.dueAt ? new Date(c.dueAt).getTime() : Infinity;
  const out: string[] = [];
  for (let t = new Date(c.nextCheckInAt).getTime(); t <= end && out.length < max; t += c.checkInEveryDays * DAY) out.push(new Date(t).toISOString());
  return out;
}

/** Who approved the plan, and when: the approval's event. */
export function approvedBy(c: Pick<CaseDetail, 'events'>): { actor: string; at: string } | null {
  const e = c.events.find((x) => x.event === 'transition' && x.to === 'approved');
  return e ? { actor: e.actor, at: e.at } : null;
}

/** What happens next with a PIP, for the employee, in one sentence. */
export function nextStep(c: Pick<CaseDetail, 'status' | 'goals' | 'dueAt' | 'checkInEveryDays'>): string {
  const end = c.dueAt ? formatDate(c.dueAt) : 'its end date';
  switch (c.status) {
    case 'proposed': return 'HR reviews this proposal. Nothing starts until HR approves a plan with goals, support and an end date.';
    case 'approved': return c.goals?.length
      ? 'Read the plan and acknowledge it. Your manager then starts it and the check-ins begin.'
      : 'HR is writing the plan: its goals, support and end date. You will be asked to acknowledge it then.';
    case 'acknowledged': return 'Your manager starts the plan; check-ins then begin.';
    case 'active': case 'extended': return `You and your manager meet every ${c.checkInEveryDays ?? '—'} days to review progress. On ${end}, HR closes the plan as met or not met.`;
    case 'paused': return 'The goals changed. Read them and acknowledge them to resume the plan.';
    case 'succeeded': return 'The plan ended with its goals met.';
    case 'failed': return 'The plan ended without its goals met.';
    case 'rejected': return 'HR decided against a plan.';
    case 'cancelled': return 'The plan was withdrawn.';
    case 'overturned': return 'HR overturned the plan on a dispute: it no longer counts.';
    default: return '';
  }
}
