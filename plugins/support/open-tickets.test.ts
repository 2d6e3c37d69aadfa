// The support duration metrics' params for open tickets, on-hold time and business hours
// (issue 17), computed by hand on valid ticket records at an as-of date.
import { describe, expect, it } from 'vitest';
import { evaluateAggregate, type AggregateParams, type Payload } from '../../core/metrics/aggregate.ts';
import { metricParams } from '../../core/metrics/params.ts';
import { knownAtOf } from '../../core/run/plan.ts';
import { discoverPlugins } from '../../core/plugins/discovery.ts';
import { pluginMetricHelpers } from '../../test/metrics/plugin-metric-helpers.ts';

const plugin = pluginMetricHelpers(new URL('.', import.meta.url), { occurredAt: (ticket) => String(ticket.openedAt) });
const set = await discoverPlugins();
const knownAt = knownAtOf(set.recordKinds.values());
const AS_OF = new Date('2026-03-10T00:00:00Z');
const DAY = 86400;

/** The metric at AS_OF (as-of view unless `view`), with its params as the engine fills them (schema defaults). */
function at(id: string, tickets: Payload[], params: AggregateParams = {}, view: 'as-of' | 'latest' = 'as-of') {
  plugin.compute(id, { ticket: tickets }, params); // validates every ticket against the schema
  const m = plugin.metric(id);
  const filled = metricParams(set.metrics.get(`support.${id}`)!.paramsSchema, params);
  expect(filled.errors).toEqual([]);
  const records = tickets.map((payload) => ({ occurredAt: String(payload.openedAt), payload }));
  return evaluateAggregate(m.aggregate, { kind: m.recordKind, records: { [m.recordKind]: records }, pointInTime: { asOf: AS_OF, view, knownAt: { [m.recordKind]: knownAt['support.ticket'] } } }, filled.params);
}

const answered = { openedAt: '2026-03-02T09:00:00Z', firstResponseAt: '2026-03-02T09:10:00Z', resolvedAt: '2026-03-03T09:00:00Z', onHoldSeconds: 3600, firstResponseBusinessSeconds: 300, resolutionBusinessSeconds: 7200 };
const waiting = { openedAt: '2026-03-08T00:00:00Z' }; // neither answered nor resolved by 10 March
const later = { openedAt: '2026-03-08T00:00:00Z', firstResponseAt: '2026-03-11T00:00:00Z', resolvedAt: '2026-03-12T00:00:00Z', onHoldSeconds: DAY, resolutionBusinessSeconds: 100 };

describe('openTickets', () => {
  it('resolved-only (the default) leaves open tickets out and counts them', () => {
    expect(at('first-response-time', [answered, waiting, later])).toEqual({ value: 600, samples: 1, ignored: { open: 2 } });
    expect(at('resolution-time', [answered, waiting, later])).toEqual({ value: DAY, samples: 1, ignored: { open: 2 } });
  });
  it('so-far counts them with their time up to the as-of date', () => {
    // 600 s, and 2 days for both tickets opened on 8 March: median 2 days.
    expect(at('first-response-time', [answered, waiting, later], { openTickets: 'so-far' })).toEqual({ value: 2 * DAY, samples: 3 });
    // 1 day, and 2 days so far for both: median 2 days.
    expect(at('resolution-time', [answered, waiting, later], { openTickets: 'so-far' })).toEqual({ value: 2 * DAY, samples: 3 });
  });
  it('looking ahead, a later resolution counts', () => {
    // 1 day, and 4 days (8 → 12 March): median 2.5 days.
    expect(at('resolution-time', [answered, later], {}, 'latest')).toEqual({ value: 2.5 * DAY, samples: 2 });
  });
});

describe('excludeOnHold', () => {
  it('subtracts onHoldSeconds once the ticket is resolved', () => {
    expect(at('resolution-time', [answered], { excludeOnHold: true }).value).toBe(DAY - 3600);
    expect(at('resolution-time', [{ ...answered, onHoldSeconds: undefined }], { excludeOnHold: true }).value).toBe(DAY); // missing: 0
    // Still open on 10 March: on-hold time is known only at resolution, so 2 days so far.
    expect(at('resolution-time', [later], { excludeOnHold: true, openTickets: 'so-far' }).value).toBe(2 * DAY);
    expect(at('resolution-time', [later], { excludeOnHold: true }, 'latest').value).toBe(3 * DAY);
  });
});

describe('clock: business', () => {
  it('reads the working time computed at import, once it is known', () => {
    expect(at('first-response-time', [answered, later], { clock: 'business' })).toEqual({ value: 300, samples: 1 });
    expect(at('resolution-time', [answered, later], { clock: 'business' })).toEqual({ value: 7200, samples: 1 });
    expect(at('resolution-time', [answered, later], { clock: 'business' }, 'latest')).toEqual({ value: (7200 + 100) / 2, samples: 2 });
  });
});
