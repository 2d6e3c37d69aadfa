// The training plugin's declarative metric (courses-completed) as its manifest defines it,
// checked on small training records that pass the training schema. training-impact is code,
// tested with the plugin's implementation.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateAggregate, type AggregateExpression, type Payload } from '../../core/metrics/aggregate.ts';
import { resolveMetric } from '../../core/metrics/min-samples.ts';

const read = (rel: string) => JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8'));
interface Metric {
  id: string;
  recordKind: string;
  defaultMinSamples: number;
  aggregate?: AggregateExpression;
}
const metrics: Metric[] = read('./package.json').appraise.contributes.metrics;
const validTraining = new Ajv2020({ allErrors: true, strict: false }).compile(read('./schemas/training.schema.json'));

function compute(trainings: Payload[]) {
  for (const t of trainings) expect(validTraining(t), `${JSON.stringify(t)}: ${JSON.stringify(validTraining.errors)}`).toBe(true);
  const m = metrics.find((x) => x.id === 'courses-completed')!;
  const records = trainings.map((payload) => ({ occurredAt: '2026-03-02T09:00:00Z', payload }));
  return evaluateAggregate(m.aggregate!, { kind: m.recordKind, records: { [m.recordKind]: records } }, {});
}
const minSamples = () => metrics.find((x) => x.id === 'courses-completed')!.defaultMinSamples;

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
