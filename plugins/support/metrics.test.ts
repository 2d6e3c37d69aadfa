// The support metrics as their manifest defines them (package.json `aggregate`), checked against
// values computed by hand on small ticket records that pass the ticket schema.
import { describe, expect, it } from 'vitest';
import type { AggregateParams, Payload } from '../../core/metrics/aggregate.ts';
import { pluginMetricHelpers } from '../../test/metrics/plugin-metric-helpers.ts';

// A ticket is dated by when it was opened.
const plugin = pluginMetricHelpers(new URL('.', import.meta.url), { occurredAt: (ticket) => String(ticket.openedAt) });
const { metrics } = plugin;

/** The metric over these tickets (each must be a valid ticket record). */
const compute = (id: string, tickets: Payload[], params: AggregateParams = {}) => plugin.compute(id, { ticket: tickets }, params);
const resolve = (id: string, tickets: Payload[], params: AggregateParams = {}) => plugin.resolve(id, { ticket: tickets }, params);

const OPENED = '2026-03-02T09:00:00Z';
/** A ticket opened at 09:00 UTC and first answered at `firstResponseAt`. */
const answered = (firstResponseAt: string): Payload => ({ openedAt: OPENED, firstResponseAt });
/** A ticket opened at 09:00 UTC and resolved at `resolvedAt`. */
const resolved = (resolvedAt: string, extra: Payload = {}): Payload => ({ openedAt: OPENED, resolvedAt, ...extra });

it('every declarative metric of the plugin is tested here', () => {
  expect(metrics.filter((m) => m.aggregate).map((m) => m.id)).toEqual([
    'first-response-time',
    'resolution-time',
    'first-contact-resolution',
    'reopen-rate',
    'tickets-resolved',
    'sla-attainment',
    'reassignment-rate',
    'reassignments-per-ticket',
  ]);
});

describe('first-response-time', () => {
  // Answered after 1, 2, 5, 10 and 60 minutes: [60, 120, 300, 600, 3600] s.
  const five = [
    answered('2026-03-02T09:01:00Z'),
    answered('2026-03-02T09:02:00Z'),
    answered('2026-03-02T09:05:00Z'),
    answered('2026-03-02T09:10:00Z'),
    answered('2026-03-02T10:00:00Z'),
  ];

  it('is the median by default', () => {
    // Sorted [60, 120, 300, 600, 3600]: the middle one is 300 s.
    expect(compute('first-response-time', five)).toEqual({ value: 300, samples: 5 });
  });

  it('is any quantile with params.quantile, interpolated between closest ranks', () => {
    // q = 0.9: p = 0.9 × 4 = 3.6 → 600 + 0.6 × (3600 − 600) = 2400 s.
    expect(compute('first-response-time', five, { quantile: 0.9 }).value).toBeCloseTo(2400, 9);
    // q = 0.25: p = 1 → 120 s.
    expect(compute('first-response-time', five, { quantile: 0.25 }).value).toBe(120);
  });

  it('of an even count is the mean of the middle two', () => {
    // [60, 120, 300, 600]: (120 + 300) / 2 = 210 s.
    expect(compute('first-response-time', five.slice(0, 4))).toEqual({ value: 210, samples: 4 });
  });

  it('counts only answered tickets, in any time zone, and drops responses before the opening', () => {
    const tickets = [
      ...five,
      { openedAt: OPENED }, // not answered: not a sample
      answered('2026-03-02T08:59:00Z'), // answered a minute before it was opened: a data error, dropped
      { openedAt: '2026-03-02T10:00:00+01:00', firstResponseAt: '2026-03-02T09:02:00Z' }, // 09:00Z → 09:02Z: 120 s
    ];
    // [60, 120, 120, 300, 600, 3600]: (120 + 300) / 2 = 210 s, from 6 samples; the two left out are counted.
    expect(compute('first-response-time', tickets)).toEqual({ value: 210, samples: 6, ignored: { negative: 1, open: 1 } });
  });

  it('with 20 answered tickets is a usable value; with fewer, insufficient data', () => {
    // Answered after 1..20 minutes: 60..1200 s; p = 0.5 × 19 = 9.5 → (600 + 660) / 2 = 630 s.
    const twenty = Array.from({ length: 20 }, (_, i) => answered(`2026-03-02T09:${String(i + 1).padStart(2, '0')}:00Z`));
    expect(resolve('first-response-time', twenty)).toEqual({ status: 'ok', value: 630, samples: 20, minSamples: 20 });
    expect(resolve('first-response-time', five)).toMatchObject({ status: 'insufficient', samples: 5, message: '5 of the 20 samples required' });
  });

  it('on an empty window, or with no answered ticket, has no value', () => {
    expect(compute('first-response-time', [])).toEqual({ value: null, samples: 0 });
    expect(compute('first-response-time', [{ openedAt: OPENED }])).toEqual({ value: null, samples: 0, ignored: { open: 1 } });
  });
});

describe('resolution-time', () => {
  // Resolved after 1 h, 2 h, 4 h and 1 day: [3600, 7200, 14400, 86400] s.
  const four = [
    resolved('2026-03-02T10:00:00Z'),
    resolved('2026-03-02T11:00:00Z'),
    resolved('2026-03-02T13:00:00Z'),
    resolved('2026-03-03T09:00:00Z'),
    { openedAt: OPENED, firstResponseAt: '2026-03-02T09:05:00Z' }, // not resolved: not a sample
  ];

  it('is the median of opening → resolution over the resolved tickets', () => {
    // (7200 + 14400) / 2 = 10800 s (3 h).
    expect(compute('resolution-time', four)).toEqual({ value: 10800, samples: 4, ignored: { open: 1 } });
  });

  it('honours params.quantile', () => {
    // q = 0.25: p = 0.75 → 3600 + 0.75 × 3600 = 6300 s.
    expect(compute('resolution-time', four, { quantile: 0.25 }).value).toBe(6300);
    // q = 1: the slowest, 86400 s.
    expect(compute('resolution-time', four, { quantile: 1 }).value).toBe(86400);
  });

  it('is insufficient below 20 resolved tickets, and has no value on an empty window', () => {
    expect(resolve('resolution-time', four)).toMatchObject({ status: 'insufficient', message: '4 of the 20 samples required' });
    expect(compute('resolution-time', [])).toEqual({ value: null, samples: 0 });
  });
});

describe('first-contact-resolution', () => {
  it('the share of resolved tickets resolved in a single contact', () => {
    const tickets = [
      resolved('2026-03-02T10:00:00Z', { contactsToResolve: 1 }),
      resolved('2026-03-02T10:00:00Z', { contactsToResolve: 1 }),
      resolved('2026-03-02T10:00:00Z', { contactsToResolve: 1 }),
      resolved('2026-03-02T10:00:00Z', { contactsToResolve: 2 }),
      resolved('2026-03-02T10:00:00Z', { contactsToResolve: 3 }),
      resolved('2026-03-02T10:00:00Z'), // contact count unknown: not counted either way
      { openedAt: OPENED, contactsToResolve: 1 }, // not resolved: not counted
    ];
    // 3 single-contact of 5 resolved tickets with a known contact count → 0.6.
    expect(compute('first-contact-resolution', tickets)).toEqual({ value: 0.6, samples: 5 });
    expect(resolve('first-contact-resolution', tickets)).toMatchObject({ status: 'insufficient', message: '5 of the 20 samples required' });
  });

  it('with 20 resolved tickets is a usable value', () => {
    // 15 single-contact, 5 two-contact → 15 / 20 = 0.75.
    const tickets = Array.from({ length: 20 }, (_, i) => resolved('2026-03-02T10:00:00Z', { contactsToResolve: i < 15 ? 1 : 2 }));
    expect(resolve('first-contact-resolution', tickets)).toEqual({ status: 'ok', value: 0.75, samples: 20, minSamples: 20 });
  });

  it('has no value without resolved tickets', () => {
    expect(compute('first-contact-resolution', [{ openedAt: OPENED }])).toEqual({ value: null, samples: 0 });
    expect(compute('first-contact-resolution', [])).toEqual({ value: null, samples: 0 });
  });
});

describe('reopen-rate', () => {
  it('the share of resolved tickets that were reopened', () => {
    const tickets = [
      resolved('2026-03-02T10:00:00Z', { reopened: true }),
      resolved('2026-03-02T10:00:00Z', { reopened: false }),
      resolved('2026-03-02T10:00:00Z', { reopened: false }),
      resolved('2026-03-02T10:00:00Z'), // no flag: not reopened
      { openedAt: OPENED }, // never resolved: not counted
    ];
    // 1 reopened of 4 resolved → 0.25.
    expect(compute('reopen-rate', tickets)).toEqual({ value: 0.25, samples: 4 });
  });

  it('counts a ticket that was reopened and is open again (no resolvedAt now) as resolved and reopened', () => {
    // A ticket can only be reopened after it was resolved. Without this it would drop out of
    // both counts, hiding exactly the reopened tickets: 2 reopened of 5 resolved → 0.4.
    const tickets = [
      resolved('2026-03-02T10:00:00Z', { reopened: true }),
      resolved('2026-03-02T10:00:00Z', { reopened: false }),
      resolved('2026-03-02T10:00:00Z', { reopened: false }),
      resolved('2026-03-02T10:00:00Z'),
      { openedAt: OPENED, reopened: true },
      { openedAt: OPENED, reopened: false }, // open, never resolved
    ];
    expect(compute('reopen-rate', tickets)).toEqual({ value: 0.4, samples: 5 });
  });

  it('is insufficient below 20 resolved tickets, and has no value without any', () => {
    expect(resolve('reopen-rate', [resolved('2026-03-02T10:00:00Z')])).toMatchObject({ status: 'insufficient', message: '1 of the 20 samples required' });
    expect(compute('reopen-rate', [])).toEqual({ value: null, samples: 0 });
  });
});

describe('tickets-resolved', () => {
  it('the number of tickets opened in the window that are resolved', () => {
    const tickets = [resolved('2026-03-02T10:00:00Z'), resolved('2026-03-02T11:00:00Z'), resolved('2026-03-05T09:00:00Z'), { openedAt: OPENED }, answered('2026-03-02T09:01:00Z')];
    // 3 of the 5 are resolved.
    expect(resolve('tickets-resolved', tickets)).toEqual({ status: 'ok', value: 3, samples: 3, minSamples: 1 });
  });

  it('with none resolved is 0 from 0 samples: insufficient under the default minimum of 1', () => {
    expect(compute('tickets-resolved', [{ openedAt: OPENED }])).toEqual({ value: 0, samples: 0 });
    expect(resolve('tickets-resolved', [])).toMatchObject({ status: 'insufficient', message: '0 of the 1 sample required' });
  });
});

describe('sla-attainment', () => {
  // Resolved after 3h (phone), 6h (phone), 8h (email), 30h (email), 2h (chat); one open; one without slaMet.
  const tickets = [
    resolved('2026-03-02T12:00:00Z', { channel: 'phone', slaMet: true }),
    resolved('2026-03-02T15:00:00Z', { channel: 'phone', slaMet: false }),
    resolved('2026-03-02T17:00:00Z', { channel: 'email', slaMet: true }),
    resolved('2026-03-03T15:00:00Z', { channel: 'email', slaMet: false }),
    resolved('2026-03-02T11:00:00Z', { channel: 'chat', slaMet: true }),
    { openedAt: OPENED, channel: 'phone', slaMet: false }, // open: not counted, whatever it says
    resolved('2026-03-02T10:00:00Z', { channel: 'phone' }),
  ];

  it('is the share of resolved tickets whose slaMet is true, leaving out tickets without it', () => {
    expect(compute('sla-attainment', tickets)).toEqual({ value: 3 / 5, samples: 5 });
  });

  it('with a target per value of a field, counts the tickets within their target; a value without one is not counted', () => {
    const targets = { field: 'channel', measure: 'resolution', within: { phone: '4h', email: '8h' } };
    // phone 3h ✓, 6h ✗, 1h ✓; email 8h ✓ (at the target is within), 30h ✗; chat has no target: 3 of 5.
    expect(compute('sla-attainment', tickets, { targets })).toEqual({ value: 3 / 5, samples: 5 });
    // Phone only: 2 of 3.
    expect(compute('sla-attainment', tickets, { targets, where: { channel: 'phone' } })).toEqual({ value: 2 / 3, samples: 3 });
    // First response: no ticket here has one, so none is counted.
    expect(compute('sla-attainment', tickets, { targets: { ...targets, measure: 'first-response' } })).toEqual({ value: null, samples: 0 });
  });

  it('reads business-hours durations when asked', () => {
    const business = [
      resolved('2026-03-02T12:00:00Z', { channel: 'phone', resolutionBusinessSeconds: 3600 }),
      resolved('2026-03-04T12:00:00Z', { channel: 'phone', resolutionBusinessSeconds: 5 * 3600 }),
    ];
    expect(compute('sla-attainment', business, { targets: { field: 'channel', measure: 'business-resolution', within: { phone: '4h' } } })).toEqual({ value: 1 / 2, samples: 2 });
  });
});

describe('reassignment-rate and reassignments-per-ticket', () => {
  const tickets = [
    resolved('2026-03-02T12:00:00Z', { reassignments: 0 }),
    resolved('2026-03-02T12:00:00Z', { reassignments: 3 }),
    resolved('2026-03-02T12:00:00Z', { reassignments: 1 }),
    resolved('2026-03-02T12:00:00Z', { reassignments: 0 }),
    { openedAt: OPENED, reassignments: 4 }, // still open
    resolved('2026-03-02T12:00:00Z'), // no count
  ];

  it('is the share of resolved tickets handed off at least once', () => {
    expect(compute('reassignment-rate', tickets)).toEqual({ value: 2 / 4, samples: 4 });
  });

  it('is the mean number of hand-offs of resolved tickets', () => {
    expect(compute('reassignments-per-ticket', tickets)).toEqual({ value: 4 / 4, samples: 4 });
  });

  it('takes a where on its fields', () => {
    // Of the tickets handed off at least once, all were handed off: 1.
    expect(compute('reassignment-rate', tickets, { where: { reassignments: { gte: 1 } } })).toEqual({ value: 1, samples: 2 });
  });
});
