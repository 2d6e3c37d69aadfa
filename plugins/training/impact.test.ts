// training-impact on hand-computed records: CSAT after the latest course minus CSAT before it.
import { describe, expect, it } from 'vitest';
import { testMetric } from '../../core/plugins/testing.ts';

const plugin = new URL('.', import.meta.url).pathname;
const training = (day: string) => ({ occurredAt: `2026-03-${day}T12:00:00Z`, payload: { course: 'empathy' } });
const survey = (day: string, csat: number) => ({ occurredAt: `2026-${day}T09:00:00Z`, payload: { csat } });
const window = { from: '2026-01-01T00:00:00Z', to: '2026-04-01T00:00:00Z' };

describe('training.training-impact', () => {
  it('is the mean CSAT in the span after the course minus the mean before', async () => {
    // span 20d around Mar 1 12:00. before [Feb 9, Mar 1): 3, 3, 4 → 3.333… (Jan 5 is too early);
    // after [Mar 1, Mar 21): 4, 5, 4 → 4.333…
    // impact = 1.0
    const related = { 'customer-feedback.survey': [survey('02-20', 3), survey('02-25', 3), survey('02-28', 4), survey('03-02', 4), survey('03-10', 5), survey('03-20', 4), survey('01-05', 1)] };
    const r = await testMetric(plugin, 'training-impact', { records: [training('01')], related, params: { span: '20d', minSamples: 3 }, window });
    expect(r.status).toBe('ok');
    expect((r as { value: number }).value).toBeCloseTo(1.0, 10);
  });

  it('uses the latest course in the window as the pivot', async () => {
    // pivot Mar 15: before [Mar 5, Mar 15): 2, 2 → 2; after [Mar 15, Mar 25): 4, 5 → 4.5; impact 2.5
    const related = { 'customer-feedback.survey': [survey('03-06', 2), survey('03-10', 2), survey('03-16', 4), survey('03-20', 5)] };
    const r = await testMetric(plugin, 'training-impact', { records: [training('01'), training('15')], related, params: { span: '10d', minSamples: 2 }, window });
    expect(r).toMatchObject({ status: 'ok', value: 2.5, samples: 2 });
  });

  it('is insufficient data with too few surveys on one side, saying how many', async () => {
    const related = { 'customer-feedback.survey': [survey('02-25', 3), survey('03-02', 5)] };
    const r = await testMetric(plugin, 'training-impact', { records: [training('01')], related, params: { span: '10d' }, window });
    expect(r).toMatchObject({ status: 'insufficient', samples: 1 });
    expect((r as { message: string }).message).toMatch(/1 survey\(s\) before and 1 after the training; 5 needed/);
  });

  it('is insufficient data without a course in the window (empty window)', async () => {
    const r = await testMetric(plugin, 'training-impact', { records: [], related: {}, window });
    expect(r).toMatchObject({ status: 'insufficient', samples: 0 });
  });

  it('ignores surveys without the field', async () => {
    const related = { 'customer-feedback.survey': [survey('02-25', 3), { occurredAt: '2026-02-26T09:00:00Z', payload: { nps: 9 } }, survey('03-02', 5)] };
    const r = await testMetric(plugin, 'training-impact', { records: [training('01')], related, params: { span: '10d', minSamples: 1 }, window });
    expect(r).toMatchObject({ status: 'ok', value: 2, samples: 1 });
  });
});
