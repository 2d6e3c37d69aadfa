// The sales metrics as their manifest defines them (package.json `aggregate`), checked against
// values computed by hand on small deal and quota records that pass their schemas.
import { describe, expect, it } from 'vitest';
import type { Payload } from '../../core/metrics/aggregate.ts';
import { pluginMetricHelpers } from '../../test/metrics/plugin-metric-helpers.ts';

const plugin = pluginMetricHelpers(new URL('.', import.meta.url));
const { metrics } = plugin;

/** The metric over one rep's deals and quotas in the window (each must be a valid record). */
const compute = (id: string, deals: Payload[], quotas: Payload[] = []) => plugin.compute(id, { deal: deals, quota: quotas });
const resolve = (id: string, deals: Payload[], quotas: Payload[] = []) => plugin.resolve(id, { deal: deals, quota: quotas });
const won = (amount?: number): Payload => (amount === undefined ? { stage: 'won' } : { stage: 'won', amount });
const lost = (amount = 5000): Payload => ({ stage: 'lost', amount });
const open = (amount = 5000): Payload => ({ stage: 'open', amount });
const quota = (amount: number): Payload => ({ amount, periodEnd: '2026-03-31' });

it('every declarative metric of the plugin is tested here', () => {
  expect(metrics.filter((m) => m.aggregate).map((m) => m.id)).toEqual(['quota-attainment', 'win-rate', 'average-deal-size']);
});

describe('quota-attainment', () => {
  it('100 × won deal value / quota', () => {
    // Won 30 000 + 20 000 + 10 000 = 60 000 (the lost and open deals do not count);
    // quota 40 000 + 40 000 = 80 000 → 100 × 60 000 / 80 000 = 75 %. Samples: the 2 quotas.
    const deals = [won(30000), won(20000), won(10000), lost(50000), open(40000)];
    expect(compute('quota-attainment', deals, [quota(40000), quota(40000)])).toEqual({ value: 75, samples: 2 });
    expect(resolve('quota-attainment', deals, [quota(40000), quota(40000)])).toEqual({ status: 'ok', value: 75, samples: 2, minSamples: 1 });
  });

  it('can exceed 100 %', () => {
    // 90 000 / 60 000 → 150 %.
    expect(compute('quota-attainment', [won(90000)], [quota(60000)])).toEqual({ value: 150, samples: 1 });
  });

  it('is 0 % with a quota and no won deal, a real value', () => {
    expect(resolve('quota-attainment', [lost(), open()], [quota(50000)])).toEqual({ status: 'ok', value: 0, samples: 1, minSamples: 1 });
    expect(resolve('quota-attainment', [], [quota(50000)])).toEqual({ status: 'ok', value: 0, samples: 1, minSamples: 1 });
  });

  it('ignores a won deal without an amount', () => {
    // 20 000 / 40 000 → 50 %.
    expect(compute('quota-attainment', [won(20000), won()], [quota(40000)]).value).toBe(50);
  });

  it('without a quota in the window is insufficient data, however much was won', () => {
    expect(compute('quota-attainment', [won(30000)])).toEqual({ value: null, samples: 0 });
    expect(resolve('quota-attainment', [won(30000)])).toMatchObject({ status: 'insufficient', message: '0 of the 1 sample required' });
  });
});

describe('win-rate', () => {
  it('won / (won + lost), ignoring open deals', () => {
    // 3 won, 1 lost, 4 open → 3 / 4 = 0.75 from 4 closed deals.
    const deals = [won(1000), won(2000), won(3000), lost(), open(), open(), open(), open()];
    expect(compute('win-rate', deals)).toEqual({ value: 0.75, samples: 4 });
    expect(resolve('win-rate', deals)).toMatchObject({ status: 'insufficient', samples: 4, message: '4 of the 10 samples required' });
  });

  it('with 10 closed deals is a usable value', () => {
    // 4 won, 6 lost (and 5 open, ignored) → 4 / 10 = 0.4.
    const deals = [...Array(4).fill(won(1000)), ...Array(6).fill(lost()), ...Array(5).fill(open())];
    expect(resolve('win-rate', deals)).toEqual({ status: 'ok', value: 0.4, samples: 10, minSamples: 10 });
  });

  it('has no value with only open deals, or none', () => {
    expect(compute('win-rate', [open(), open()])).toEqual({ value: null, samples: 0 });
    expect(compute('win-rate', [])).toEqual({ value: null, samples: 0 });
  });
});

describe('average-deal-size', () => {
  it('the mean amount of the won deals', () => {
    // (1000 + 2000 + 6000) / 3 = 3000; the lost 9000 and the won deal without amount are ignored.
    const deals = [won(1000), won(2000), won(6000), lost(9000), open(7000), won()];
    expect(compute('average-deal-size', deals)).toEqual({ value: 3000, samples: 3 });
    expect(resolve('average-deal-size', deals)).toMatchObject({ status: 'insufficient', message: '3 of the 5 samples required' });
  });

  it('with 5 won deals is a usable value', () => {
    // (1000 + 2000 + 3000 + 4000 + 5000) / 5 = 3000.
    const deals = [won(1000), won(2000), won(3000), won(4000), won(5000)];
    expect(resolve('average-deal-size', deals)).toEqual({ status: 'ok', value: 3000, samples: 5, minSamples: 5 });
  });

  it('has no value without won deals', () => {
    expect(compute('average-deal-size', [lost(), open()])).toEqual({ value: null, samples: 0 });
  });
});
