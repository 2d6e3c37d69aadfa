// The customer-feedback metrics as their manifest defines them (package.json `aggregate`),
// checked against values computed by hand on small survey records that pass the survey schema.
import { describe, expect, it } from 'vitest';
import type { AggregateParams, Payload } from '../../core/metrics/aggregate.ts';
import { pluginMetricHelpers } from '../../test/metrics/plugin-metric-helpers.ts';

const plugin = pluginMetricHelpers(new URL('.', import.meta.url));
const { metrics } = plugin;

/** The metric over these surveys (each must be a valid survey record). */
const compute = (id: string, surveys: Payload[], params: AggregateParams = {}) => plugin.compute(id, { survey: surveys }, params);
const resolve = (id: string, surveys: Payload[], params: AggregateParams = {}) => plugin.resolve(id, { survey: surveys }, params);
const csat = (...scores: number[]): Payload[] => scores.map((c) => ({ csat: c }));
const nps = (...scores: number[]): Payload[] => scores.map((n) => ({ nps: n }));

it('every declarative metric of the plugin is tested here', () => {
  expect(metrics.filter((m) => m.aggregate).map((m) => m.id)).toEqual(['csat', 'nps', 'ces', 'response-count']);
});

describe('csat', () => {
  it('mean (the default mode): the mean of the scores', () => {
    // (5 + 4 + 3) / 3 = 4, from 3 scores.
    expect(compute('csat', csat(5, 4, 3))).toEqual({ value: 4, samples: 3 });
    expect(compute('csat', csat(5, 4, 3), { mode: 'mean' })).toEqual({ value: 4, samples: 3 });
  });

  it('ignores surveys without a CSAT answer', () => {
    // Only 5 and 2 are CSAT answers: (5 + 2) / 2 = 3.5, 2 samples.
    expect(compute('csat', [{ csat: 5 }, { nps: 9 }, { ces: 6, channel: 'chat' }, { csat: 2, nps: 0 }])).toEqual({ value: 3.5, samples: 2 });
  });

  it('top2box: the percentage of scores of 4 or 5', () => {
    // [5, 4, 3, 2]: 5 and 4 are top-two → 2 / 4 = 50 %.
    expect(compute('csat', csat(5, 4, 3, 2), { mode: 'top2box' })).toEqual({ value: 50, samples: 4 });
    // [1, 2, 3]: none → 0 %. [4, 5]: all → 100 %.
    expect(compute('csat', csat(1, 2, 3), { mode: 'top2box' })).toEqual({ value: 0, samples: 3 });
    expect(compute('csat', csat(4, 5), { mode: 'top2box' })).toEqual({ value: 100, samples: 2 });
  });

  it('with 10 scores (the default minimum) is a usable value in either mode', () => {
    // 5+5+4+4+4+3+5+2+4+4 = 40 → mean 4.0; 8 of the 10 are 4 or 5 → 80 %.
    const ten = csat(5, 5, 4, 4, 4, 3, 5, 2, 4, 4);
    expect(resolve('csat', ten)).toEqual({ status: 'ok', value: 4, samples: 10, minSamples: 10 });
    expect(resolve('csat', ten, { mode: 'top2box' })).toEqual({ status: 'ok', value: 80, samples: 10, minSamples: 10 });
  });

  it('below 10 scores is insufficient data', () => {
    expect(resolve('csat', csat(5, 4, 3))).toMatchObject({ status: 'insufficient', samples: 3, message: '3 of the 10 samples required' });
  });

  it('on an empty window has no value in either mode', () => {
    expect(compute('csat', [])).toEqual({ value: null, samples: 0 });
    expect(compute('csat', [], { mode: 'top2box' })).toEqual({ value: null, samples: 0 });
    expect(compute('csat', nps(9, 10), { mode: 'top2box' })).toEqual({ value: null, samples: 0 });
    expect(resolve('csat', [])).toMatchObject({ status: 'insufficient', message: '0 of the 10 samples required' });
  });
});

describe('nps', () => {
  it('% promoters (9–10) minus % detractors (0–6)', () => {
    // 10 answers: promoters 10, 10, 9, 9, 9 (5); passives 8, 7, 7; detractors 6, 3 (2).
    // 100 × (5/10 − 2/10) = 30.
    const r = compute('nps', nps(10, 10, 9, 9, 9, 8, 7, 7, 6, 3));
    expect(r.value).toBeCloseTo(30, 10);
    expect(r.samples).toBe(10);
  });

  it('puts 9 with promoters, 7–8 with passives and 6 with detractors', () => {
    // 4 × each of 10, 9, 8, 7, 6 = 20 answers: promoters 8 (40 %), detractors 4 (20 %) → 20.
    const twenty = nps(...[10, 9, 8, 7, 6].flatMap((s) => [s, s, s, s]));
    const r = resolve('nps', twenty);
    expect(r.status).toBe('ok');
    if (r.status === 'ok') expect(r.value).toBeCloseTo(20, 10);
    expect(r.samples).toBe(20);
  });

  it('ranges from −100 (all detractors) to 100 (all promoters)', () => {
    expect(compute('nps', nps(0, 3, 6)).value).toBe(-100);
    expect(compute('nps', nps(9, 10)).value).toBe(100);
    expect(compute('nps', nps(7, 8)).value).toBe(0);
  });

  it('counts only surveys with an NPS answer', () => {
    // csat-only surveys are not NPS answers: 1 promoter of 2 answers → 50.
    expect(compute('nps', [{ nps: 10 }, { nps: 8 }, { csat: 1 }, { csat: 5, ces: 7 }])).toEqual({ value: 50, samples: 2 });
  });

  it('below 20 answers is insufficient data; an empty window has no value', () => {
    expect(resolve('nps', nps(10, 10, 9, 9, 9, 8, 7, 7, 6, 3))).toMatchObject({ status: 'insufficient', message: '10 of the 20 samples required' });
    expect(compute('nps', [])).toEqual({ value: null, samples: 0 });
  });
});

describe('ces', () => {
  it('the mean agreement (1–7) of the CES answers', () => {
    // (7 + 6 + 2) / 3 = 5; the csat-only survey is not a CES answer.
    expect(compute('ces', [{ ces: 7 }, { ces: 6 }, { ces: 2 }, { csat: 1 }])).toEqual({ value: 5, samples: 3 });
    expect(resolve('ces', [{ ces: 7 }])).toMatchObject({ status: 'insufficient', message: '1 of the 10 samples required' });
    expect(compute('ces', [])).toEqual({ value: null, samples: 0 });
  });
});

describe('response-count', () => {
  it('the number of survey responses, whatever they answered', () => {
    // 3 responses → 3.
    expect(resolve('response-count', [{ csat: 5 }, { nps: 0 }, { ces: 4, comment: 'ok' }])).toEqual({ status: 'ok', value: 3, samples: 3, minSamples: 1 });
  });

  it('on an empty window is 0 from 0 samples: insufficient under the default minimum of 1', () => {
    expect(compute('response-count', [])).toEqual({ value: 0, samples: 0 });
    expect(resolve('response-count', [])).toMatchObject({ status: 'insufficient', message: '0 of the 1 sample required' });
  });
});
