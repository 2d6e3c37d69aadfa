// A goal's measure: a metric of the registry, its params, a target and a direction ("CSAT at
// least 4.3, at least 30 surveys"). Checked like a policy's fact: an unknown metric is a coded
// error with a did-you-mean, params are validated against the metric's schema, and a target the
// metric can never take (a CSAT of 7 on a 1–5 scale) is refused rather than never met.
import type { MetricContribution } from '../../plugins/manifest.ts';
import { metricParams } from '../../metrics/params.ts';
import { didYouMean } from '../../util/did-you-mean.ts';
import { formatValue } from '../../evaluate/explain-text.ts';
import { FieldError } from '../../cases/field-error.ts';

export type Direction = 'atLeast' | 'atMost';

export interface Measure {
  metric: string;
  params: Record<string, unknown>;
  target: number;
  direction: Direction;
  minSamples: number;
}

export type Metrics = ReadonlyMap<string, MetricContribution>;

/** The unit and range of a metric for these params (csat `mode: top2box` is a percentage). */
export function unitOf(metric: MetricContribution, params: Record<string, unknown>): { unit: string; range: [number | null, number | null] | null } {
  const variant = metric.variants?.values[String(params[metric.variants.param])];
  return { unit: variant?.unit ?? metric.unit, range: (variant ? variant.range : metric.range) ?? null };
}

/** A measure as a person gave it, checked and completed (default params, the metric's minSamples). */
export function checkMeasure(metrics: Metrics, input: unknown, field = 'measure'): Measure {
  const m = (input ?? {}) as Partial<Measure>;
  const err = (sub: string, words: string, details: Record<string, unknown> = {}) =>
    new FieldError('APPRAISE_GOAL_INVALID_MEASURE', [`${field}.${sub}`], (n) => `${n(`${field}.${sub}`)}: ${words}`, details);
  if (typeof m.metric !== 'string' || !m.metric) throw err('metric', 'name the metric the goal is measured by (`npx appraise plugins` lists them).');
  const metric = metrics.get(m.metric);
  if (!metric) {
    throw new FieldError('APPRAISE_GOAL_UNKNOWN_METRIC', [`${field}.metric`],
      (n) => `${n(`${field}.metric`)}: no plugin contributes the metric \`${m.metric}\`.${didYouMean(m.metric!, metrics.keys())} Run \`npx appraise plugins\` to list the metrics.`,
      { value: m.metric });
  }
  const { params, errors } = metricParams(metric.paramsSchema, m.params ?? {});
  if (errors.length) throw err('params', `the params of ${metric.id} are not valid: ${errors.join('; ')}.`);
  if (typeof m.target !== 'number' || !Number.isFinite(m.target)) throw err('target', 'give the target as a number.');
  const { unit, range } = unitOf(metric, params);
  if (range && ((range[0] !== null && m.target < range[0]) || (range[1] !== null && m.target > range[1]))) {
    throw err('target', `${metric.title} is between ${formatValue(range[0] ?? -Infinity, unit)} and ${formatValue(range[1] ?? Infinity, unit)}, so a target of ${formatValue(m.target, unit)} can never be reached. Give a target within that range.`,
      { value: m.target, range });
  }
  const direction = m.direction ?? (metric.direction === 'lowerIsBetter' ? 'atMost' : 'atLeast');
  if (direction !== 'atLeast' && direction !== 'atMost') throw err('direction', `\`${String(direction)}\` is not a direction: write atLeast or atMost.`);
  const minSamples = m.minSamples ?? metric.defaultMinSamples;
  if (!Number.isInteger(minSamples) || minSamples < 1 || minSamples > 100000) throw err('minSamples', 'give the fewest records the value needs as a whole number from 1 to 100000.');
  return { metric: metric.id, params, target: m.target, direction, minSamples };
}

/** "CSAT at least 4.3 (from at least 30 records)". */
export function measureWords(metrics: Metrics, m: Measure): string {
  const metric = metrics.get(m.metric);
  const unit = metric ? unitOf(metric, m.params).unit : undefined;
  return `${metric?.title ?? m.metric} ${m.direction === 'atLeast' ? 'at least' : 'at most'} ${formatValue(m.target, unit)} (from at least ${m.minSamples} record${m.minSamples === 1 ? '' : 's'})`;
}

/** Whether a value reaches the target. */
export function reaches(m: Measure, value: number): boolean {
  return m.direction === 'atLeast' ? value >= m.target : value <= m.target;
}
