// What a code metric's outcome means for a decision: the same minSamples rule as declarative
// metrics (a value from too few records is insufficient data), and errors stay errors.
import type { MetricOutcome } from '../plugins/runtime.ts';
import type { ResolvedMetric } from './min-samples.ts';

export type ResolvedCodeMetric = ResolvedMetric | { status: 'error'; message: string; samples?: undefined; minSamples: number };

/** `recordCount` stands in for the sample count when the implementation returned a bare number. */
export function resolveCodeMetric(outcome: MetricOutcome, recordCount: number, minSamples: number): ResolvedCodeMetric {
  if (outcome.status === 'error') return { status: 'error', message: outcome.message, minSamples };
  if (outcome.status === 'insufficient') {
    return { status: 'insufficient', samples: outcome.samples, minSamples, message: outcome.reason ?? `${outcome.samples} of the ${minSamples} samples required` };
  }
  const samples = outcome.samples ?? recordCount;
  if (samples < minSamples) return { status: 'insufficient', samples, minSamples, message: `${samples} of the ${minSamples} samples required` };
  return { status: 'ok', value: outcome.value, samples, minSamples };
}
