// What the review packet shows of goals: an employee's goals (their own and their team's) that
// were open at some time in [from, to), each with its progress as of `asOf`.
import type { Queryable } from '../../store/store.ts';
import { listGoals, type Goal } from './goals.ts';
import { goalProgress, type GoalProgress, type ProgressDeps } from './progress.ts';

export interface PacketGoal extends Goal {
  progress: GoalProgress;
}

/**
 * Goals for a review packet: declined ones left out, those overlapping the period kept (started
 * before `to`, due on or after `from`), their progress computed together as of `asOf`.
 */
export async function goalsForPacket(db: Queryable, deps: ProgressDeps, employeeId: string, from: Date, to: Date, asOf: Date): Promise<PacketGoal[]> {
  const goals = (await listGoals(db, deps.metrics, employeeId))
    .filter((g) => g.status !== 'declined' && Date.parse(g.startsAt) < to.getTime() && Date.parse(g.dueAt) >= from.getTime());
  const progress = await goalProgress(db, deps, goals, asOf);
  return goals.map((g) => ({ ...g, progress: progress.get(g.id)! }));
}
