// percentileWithin: Excel's PERCENTRANK.INC within a group, over the members with sufficient
// data: 100 × (members strictly lower) / (count − 1). Ties share a rank; a group of one is
// insufficient data (a rank among nobody means nothing).
import type { ResolvedFact } from '../evaluate/facts.ts';

export function percentileRanks(
  members: Array<{ employeeId: string; group: string | undefined; fact: ResolvedFact }>,
): Map<string, ResolvedFact> {
  const out = new Map<string, ResolvedFact>();
  const groups = new Map<string, Array<{ employeeId: string; value: number }>>();
  for (const m of members) {
    if (m.fact.status !== 'ok' || typeof m.fact.value !== 'number') {
      out.set(m.employeeId, m.fact);
      continue;
    }
    if (m.group === undefined) {
      out.set(m.employeeId, { ...m.fact, status: 'missing', value: undefined, message: 'the employee has no group to be ranked in' });
      continue;
    }
    const g = groups.get(m.group) ?? [];
    g.push({ employeeId: m.employeeId, value: m.fact.value });
    groups.set(m.group, g);
  }
  const byId = new Map(members.map((m) => [m.employeeId, m.fact]));
  for (const [group, list] of groups) {
    const sorted = list.map((x) => x.value).sort((a, b) => a - b);
    for (const { employeeId, value } of list) {
      const base = byId.get(employeeId)!;
      if (list.length < 2) {
        out.set(employeeId, { ...base, status: 'insufficient', value: undefined, unit: 'percent', message: `the only member of ${group} with enough data; a percentile needs at least two` });
        continue;
      }
      const lower = lowerBound(sorted, value);
      out.set(employeeId, { ...base, value: (100 * lower) / (list.length - 1), unit: 'percent', message: `rank among ${list.length} members of ${group} (their ${base.metric ?? 'metric'} value ${value})` });
    }
  }
  return out;
}

/** How many values in the sorted list are strictly lower than `v`. */
function lowerBound(sorted: number[], v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
