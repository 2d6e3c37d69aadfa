// The training plugin's declarative metric (courses-completed) as its manifest defines it,
// checked on small training records that pass the training schema. training-impact is code,
// tested with the plugin's implementation.
import { describe, expect, it } from 'vitest';
import type { Payload } from '../../core/metrics/aggregate.ts';
import { resolveMetric } from '../../core/metrics/min-samples.ts';
import { pluginMetricHelpers } from '../../test/metrics/plugin-metric-helpers.ts';

const plugin = pluginMetricHelpers(new URL('.', import.meta.url));
const { metrics } = plugin;

/** courses-completed over these trainings (each must be a valid training record). */
const compute = (trainings: Payload[]) => plugin.compute('courses-completed', { training: trainings });
const minSamples = () => plugin.metric('courses-completed').defaultMinSamples;

it('courses-completed is the only declarative metric of the plugin', () => {
  expect(metrics.filter((m) => m.aggregate).map((m) => m.id)).toEqual(['courses-completed']);
});

describe('courses-completed', () => {
  it('the number of courses completed in the window', () => {
    // 3 completions → 3, whether or not they have assessment scores.
    const r = compute([{ course: 'De-escalation' }, { course: 'Product basics', preScore: 40, postScore: 85 }, { course: 'De-escalation' }]);
    expect(r).toEqual({ value: 3, samples: 3 });
    expect(resolveMetric(r, minSamples())).toEqual({ status: 'ok', value: 3, samples: 3, minSamples: 1 });
  });

  it('on an empty window is 0 from 0 samples: insufficient under the default minimum of 1', () => {
    const r = compute([]);
    expect(r).toEqual({ value: 0, samples: 0 });
    expect(resolveMetric(r, minSamples())).toMatchObject({ status: 'insufficient', message: '0 of the 1 sample required' });
    // A policy that sets minSamples: 0 reads the zero as a value.
    expect(resolveMetric(r, 0)).toEqual({ status: 'ok', value: 0, samples: 0, minSamples: 0 });
  });
});
