// percentileWithin: Excel's PERCENTRANK.INC within a group, turned so that higher always means
// better: 100 × (members with sufficient data doing strictly worse) / (count − 1), where worse
// is lower for a higherIsBetter metric and higher for a lowerIsBetter one (the fastest resolver
// gets 100). Ties share a rank. A group with fewer members with sufficient data than
// minGroupSize is insufficient data for all of them: "top decile" of three people means nothing.
import type { ResolvedFact } from '../evaluate/facts.ts';
import type { Direction } from '../registry/registry.ts';
import type { FactDeclaration } from '../policy/types.ts';
import { formatValue } from '../evaluate/explain-text.ts';
import { inSentence } from '../util/words.ts';

export type GroupKind = NonNullable<FactDeclaration['percentileWithin']>;

/** What one declared percentile fact ranks, and among how many at least. */
export interface Ranking {
  metric: { title: string; direction: Direction };
  within: GroupKind;
  minGroupSize: number;
}

export function percentileRanks(
  members: Array<{ employeeId: string; group: string | undefined; fact: ResolvedFact }>,
  ranking: Ranking,
): Map<string, ResolvedFact> {
  const out = new Map<string, ResolvedFact>();
  const groups = new Map<string, Array<{ employeeId: string; value: number }>>();
  for (const m of members) {
    if (m.fact.status !== 'ok' || typeof m.fact.value !== 'number') {
      out.set(m.employeeId, m.fact);
      continue;
    }
    if (m.group === undefined) {
      out.set(m.employeeId, { ...m.fact, status: 'missing', value: undefined, message: `the employee has no ${ranking.within} to be ranked in` });
      continue;
    }
    const g = groups.get(m.group) ?? [];
    g.push({ employeeId: m.employeeId, value: m.fact.value });
    groups.set(m.group, g);
  }
  const byId = new Map(members.map((m) => [m.employeeId, m.fact]));
  const lowerIsBetter = ranking.metric.direction === 'lowerIsBetter';
  const title = inSentence(ranking.metric.title);
  const best = `100 = best: the ${lowerIsBetter ? 'lowest' : 'highest'} ${title}`;
  for (const [group, list] of groups) {
    const where = placeOf(ranking.within, group);
    const n = list.length;
    if (n < ranking.minGroupSize) {
      const message = `only ${n} ${n === 1 ? 'person' : 'people'} ${where} ${n === 1 ? 'has' : 'have'} enough data; a percentile needs at least ${ranking.minGroupSize}`;
      for (const { employeeId } of list) out.set(employeeId, { ...byId.get(employeeId)!, status: 'insufficient', value: undefined, unit: 'percent', message });
      continue;
    }
    const sorted = list.map((x) => x.value).sort((a, b) => a - b);
    for (const { employeeId, value } of list) {
      const base = byId.get(employeeId)!;
      const worse = lowerIsBetter ? n - countBelow(sorted, value, true) : countBelow(sorted, value);
      out.set(employeeId, { ...base, value: (100 * worse) / (n - 1), unit: 'percent', message: `rank among ${n} people ${where} (${best}); their ${title} is ${formatValue(value, base.unit)}` });
    }
  }
  return out;
}

/** Where a group's members are, in words: "in team Tier 2". */
function placeOf(kind: GroupKind, group: string): string {
  if (kind === 'all') return 'the policy applies to';
  return kind === 'role' ? `in the role ${group}` : `in ${kind} ${group}`;
}

/** How many values in the sorted list are lower than `v` (or equal to it too, with `orEqual`). */
function countBelow(sorted: number[], v: number, orEqual = false): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < v || (orEqual && sorted[mid] === v)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
