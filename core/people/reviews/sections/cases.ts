// Packet section `cases`: the recognition, coaching and improvement-plan cases of the period,
// each with why it was opened (its explanation in words) and where it stands.
import { readExplanation } from '../../../cases/stored-explanation.ts';
import { explainRuleInWords } from '../../../evaluate/explain-text.ts';
import type { PacketSection } from '../packet.ts';

export interface PacketCase {
  id: number;
  type: string;
  status: string;
  policyId: string;
  ruleId: string;
  period: string;
  openedAt: string;
  closedAt: string | null;
  /** Why it was opened: each condition with its numbers, or the note recorded. */
  explanation: string[];
}

/** The conditions of the rule with their numbers, without the engine's header line and the bare all/any/not groupings. */
function conditionLines(explanation: Parameters<typeof explainRuleInWords>[0]): string[] {
  return explainRuleInWords(explanation).slice(1).map((l) => l.trim()).filter((l) => !/^[✔✘?] (all of|any of|not)( \([^)]*\))?:$/.test(l));
}

const NOUN: Record<string, [string, string]> = { recognition: ['recognition', 'recognitions'], coaching: ['coaching case', 'coaching cases'], pip: ['improvement plan', 'improvement plans'] };

export const casesSection: PacketSection<{ cases: PacketCase[] }> = {
  id: 'cases',
  title: 'Cases of the period',
  async assemble(ctx) {
    const rows = (await ctx.store.query<{ id: number; type: string; status: string; policy_id: string; rule_id: string; period: string; opened_at: string | Date; closed_at: string | Date | null; explanation: unknown }>(
      `SELECT id, type, status, policy_id, rule_id, period, opened_at, closed_at, explanation FROM cases
       WHERE employee_id = $1 AND (period = $2 OR (opened_at >= $3 AND opened_at < $4)) ORDER BY opened_at, id`,
      [ctx.employee.id, ctx.period, ctx.from.toISOString(), ctx.to.toISOString()],
    )).rows;
    const cases = rows.map((r): PacketCase => {
      const { explanation, explanationNote } = readExplanation(r.explanation);
      return {
        id: Number(r.id), type: r.type, status: r.status, policyId: r.policy_id, ruleId: r.rule_id, period: r.period,
        openedAt: new Date(r.opened_at).toISOString(), closedAt: r.closed_at ? new Date(r.closed_at).toISOString() : null,
        explanation: explanation ? conditionLines(explanation) : [explanationNote ?? 'No explanation was recorded.'],
      };
    });
    const byType = Object.entries(NOUN).map(([type, [one, many]]) => {
      const n = cases.filter((c) => c.type === type).length;
      return n ? `${n} ${n === 1 ? one : many}` : '';
    }).filter(Boolean);
    return { summary: cases.length ? `${byType.join(', ')} in this period.` : 'No case was opened in this period.', data: { cases } };
  },
};
