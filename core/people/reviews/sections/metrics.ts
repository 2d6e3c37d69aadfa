// Packet section `metrics`: each measure the published policies use for this employee, its
// value at the end of the period against the policies' standards (their thresholds, in words),
// and its trend over the last four periods — the same series as the employee page's charts.
import { employeeTrends, type Threshold, type TrendSeries } from '../../../run/trends.ts';
import { formatValue, operatorWords } from '../../../evaluate/explain-text.ts';
import type { PacketSection } from '../packet.ts';

export interface MetricItem {
  policyId: string;
  fact: string;
  metric: string;
  title: string;
  unit: string;
  direction: string;
  /** The last period's point: the value at the end of the review period. */
  current: TrendSeries['points'][number];
  trend: TrendSeries['points'];
  standards: Array<Threshold & { words: string }>;
  /** All standards in one sentence: "Recognition when at least 4.5; Coaching when below 3.8". */
  standardWords: string;
}

const OUTCOME_WORDS: Record<string, string> = { recognition: 'Recognition', coaching: 'Coaching', pip: 'Improvement plan' };

export function standardInWords(t: Threshold, unit: string): string {
  return `${OUTCOME_WORDS[t.outcome] ?? t.outcome} when ${operatorWords(t.operator)} ${formatValue(t.value, unit)}`;
}

export const TREND_PERIODS = 4;

export const metricsSection: PacketSection<{ items: MetricItem[] }> = {
  id: 'metrics',
  title: 'Measures against their standards',
  async assemble(ctx) {
    const series = await employeeTrends(ctx.store, { registry: ctx.registry, metrics: ctx.metrics }, ctx.employeeForMetrics, { asOf: ctx.asOf, periods: TREND_PERIODS, cycle: ctx.cycle });
    const items = series.map((s): MetricItem => {
      const standards = s.thresholds.map((t) => ({ ...t, words: standardInWords(t, s.unit) }));
      return {
        policyId: s.policyId, fact: s.fact, metric: s.metric, title: s.title, unit: s.unit, direction: s.direction,
        current: s.points[s.points.length - 1], trend: s.points, standards,
        standardWords: standards.length ? standards.map((t) => t.words).join('; ') : 'No policy compares it with a threshold.',
      };
    });
    const policies = new Set(items.map((i) => i.policyId)).size;
    return {
      summary: items.length
        ? `${items.length} measure${items.length === 1 ? '' : 's'} from ${policies} polic${policies === 1 ? 'y' : 'ies'}, each with its trend over the last ${TREND_PERIODS} periods.`
        : 'No published policy measures this employee.',
      data: { items },
    };
  },
};
