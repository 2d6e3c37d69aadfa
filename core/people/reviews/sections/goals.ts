// Packet section `goals`: the employee's goals (their own, their team's and their PIP's) that
// were open during the period, each with its progress at the packet's end in plain words, from
// core/people/goals: measured ones from the same facts as runs, the others as noted by hand.
import { goalsForPacket, type PacketGoal } from '../../goals/index.ts';
import type { PacketSection } from '../packet.ts';

export interface GoalsData {
  goals: PacketGoal[];
}

export const goalsSection: PacketSection<GoalsData> = {
  id: 'goals',
  title: 'Goals and their progress',
  async assemble(ctx) {
    const deps = { metrics: ctx.metrics, host: ctx.host, ...(ctx.registry.recordKinds ? { recordKinds: ctx.registry.recordKinds } : {}) };
    const goals = await goalsForPacket(ctx.store, deps, ctx.employee.id, ctx.from, ctx.to, ctx.asOf);
    const met = goals.filter((g) => g.progress.state === 'met').length;
    const measured = goals.filter((g) => g.measure).length;
    const summary = goals.length
      ? `${goals.length} goal${goals.length === 1 ? '' : 's'} in the period, ${measured} measured: ${met} met as of the packet's date.`
      : 'No goals in the period.';
    return { summary, data: { goals } };
  },
};
