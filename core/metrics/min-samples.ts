// Whether a computed metric may be used in a decision: a value computed from at least
// minSamples records, or "insufficient data" with a message a manager can read ("a PIP opened
// on three surveys" is what this prevents). Missing data never becomes a number.
import type { AggregateResult } from './aggregate.ts';

export type ResolvedMetric =
  | { status: 'ok'; value: number; samples: number; minSamples: number }
  | { status: 'insufficient'; samples: number; minSamples: number; message: string };

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * `ok` when the formula gave a value from at least `minSamples` samples; otherwise
 * `insufficient`, whose message says how many samples there were against how many are needed
 * ("12 of the 20 samples required"), or why there is no value despite enough samples.
 */
export function resolveMetric(result: AggregateResult, minSamples: number): ResolvedMetric {
  if (!Number.isInteger(minSamples) || minSamples < 0) {
    throw new RangeError(`minSamples must be a whole number of at least 0, not ${minSamples}`);
  }
  const { value, samples } = result;
  if (samples < minSamples) {
    const message = `${samples} of the ${plural(minSamples, 'sample')} required`;
    return { status: 'insufficient', samples, minSamples, message };
  }
  if (value === null || !Number.isFinite(value)) {
    const message =
      samples === 0
        ? 'no samples in the window'
        : `no value could be computed from the ${plural(samples, 'sample')} (the formula divides by zero or lacks a part it needs)`;
    return { status: 'insufficient', samples, minSamples, message };
  }
  return { status: 'ok', value, samples, minSamples };
}
