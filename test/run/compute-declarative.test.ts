// Requests that read the same records share one scan, and a shared scan gives each request
// what computing it alone gives: the same values, and one request's error stays its own.
import { beforeAll, describe, expect, it } from 'vitest';
import { discoverPlugins, type PluginSet } from '../../core/plugins/discovery.ts';
import { computeDeclarative, computeDeclarativeRequests, scansOf } from '../../core/run/compute-declarative.ts';
import type { MetricRequest } from '../../core/run/plan.ts';
import type { AggregateExpression } from '../../core/metrics/aggregate.ts';
import { BACKENDS, storeForSuite } from '../store/backends.ts';
import { putRecords, type TestRecord } from '../metrics/aggregate-sql-oracle.ts';

const DAY = 86400000;
const AS_OF = new Date('2026-10-01T00:00:00Z');
const back = (days: number) => new Date(AS_OF.getTime() - days * DAY);

let set: PluginSet;
beforeAll(async () => {
  set = await discoverPlugins();
});

function request(metric: string, from: number, to: number, params: Record<string, unknown> = {}, employeeIds = ['a', 'b', 'c']): MetricRequest {
  return {
    key: `${metric}|${JSON.stringify(params)}|${from}|${to}`,
    metric: set.metrics.get(metric)!,
    params,
    window: { from: back(from), to: back(to) },
    employeeIds: new Set(employeeIds),
  };
}

describe('scansOf', () => {
  it('puts the formulas of one record kind with overlapping or touching windows in one scan', () => {
    const csat = request('customer-feedback.csat', 90, 0, { mode: 'mean' });
    const csatBefore = request('customer-feedback.csat', 180, 90, { mode: 'mean' }); // touches
    const nps = request('customer-feedback.nps', 90, 0);
    const csat30 = request('customer-feedback.csat', 30, 0, { mode: 'mean' }); // nested
    const frt = request('support.first-response-time', 90, 0, { quantile: 0.5 }); // other records
    const csatLastYear = request('customer-feedback.csat', 455, 365, { mode: 'mean' }); // a gap
    const scans = scansOf([csat, frt, csatBefore, nps, csatLastYear, csat30]).map((s) => s.map((r) => r.key));
    expect(scans).toEqual([[csat.key, csatBefore.key, nps.key, csat30.key], [frt.key], [csatLastYear.key]]);
  });

  it('joins a formula of two kinds to a scan of one of them', () => {
    const attainment = request('sales.quota-attainment', 92, 0);
    const winRate = request('sales.win-rate', 92, 0);
    expect(scansOf([attainment, winRate])).toEqual([[attainment, winRate]]);
  });
});

for (const backend of BACKENDS) {
  describe(`shared scans on ${backend.name}`, async () => {
    const suite = await storeForSuite(backend);

    const at = (daysBack: number) => `${back(daysBack).toISOString().slice(0, 19)}.000000Z`;
    const survey = (employee: string, daysBack: number, csat: unknown, nps: unknown): TestRecord => ({ kind: 'customer-feedback.survey', employee, at: at(daysBack), payload: { csat, nps } });
    const records: TestRecord[] = [
      survey('a', 10, 5, 10), survey('a', 40, 4, 9), survey('a', 100, 1, 0), survey('a', 170, 2, 3),
      survey('b', 120, 3, 7), survey('b', 5, 'n/a', 10), // b: nothing usable of csat in the last 30 days
      survey('c', 200, 5, 10), // c: only outside every window
      survey('z', 10, 1, 1), // z: not in any request
      { kind: 'support.ticket', employee: 'c', at: at(3), payload: { openedAt: '2026-09-28T10:00:00Z', firstResponseAt: '2026-09-28T11:00:00Z' } },
    ];

    it.skipIf(suite.skip)('gives every request the results it gets alone, only for its employees', async () => {
      await putRecords(suite.store, records);
      const requests = [
        request('customer-feedback.csat', 90, 0, { mode: 'mean' }),
        request('customer-feedback.csat', 180, 90, { mode: 'top2box' }),
        request('customer-feedback.nps', 90, 0, {}, ['a', 'b']),
        request('customer-feedback.csat', 30, 0, { mode: 'mean' }),
        request('support.first-response-time', 30, 0, { quantile: 0.5 }),
      ];
      expect(scansOf(requests)).toHaveLength(2);
      const shared = await computeDeclarativeRequests(suite.store, requests, 4);
      for (const r of requests) {
        const alone = await computeDeclarative(suite.store, r.metric.aggregate as AggregateExpression, r.metric.recordKind, r.params, r.window, undefined);
        for (const id of alone.keys()) if (!r.employeeIds.has(id)) alone.delete(id);
        expect(shared.get(r), r.key).toEqual(alone);
      }
      expect(shared.get(requests[0])).toEqual(new Map([['a', { value: 4.5, samples: 2 }], ['b', { value: null, samples: 0 }]]));
      expect(shared.get(requests[4])).toEqual(new Map([['c', { value: 3600, samples: 1 }]]));
    });

    it.skipIf(suite.skip)('keeps one formula\'s error to its own request', async () => {
      await putRecords(suite.store, records);
      const good = request('customer-feedback.csat', 90, 0, { mode: 'mean' });
      const bad = request('customer-feedback.csat', 180, 90, { mode: 'median' }); // no such case
      const nps = request('customer-feedback.nps', 90, 0);
      const shared = await computeDeclarativeRequests(suite.store, [good, bad, nps], 4);
      expect(shared.get(bad)).toBeInstanceOf(Error);
      expect((shared.get(bad) as Error).message).toMatch(/params\.mode is "median"/);
      expect(shared.get(good)).toEqual(new Map([['a', { value: 4.5, samples: 2 }], ['b', { value: null, samples: 0 }]]));
      expect((shared.get(nps) as Map<string, unknown>).get('a')).toEqual({ value: 100, samples: 2 });
    });
  });
}
