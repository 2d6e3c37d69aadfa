// The point in time of the aggregate language, by hand: an as-of cut on every timestamp, fields
// known only at a later instant (x-knownAt), open durations to the as-of instant, on-hold time
// subtracted, and the counts of records left out — what a back-dated run's numbers rest on. The
// SQL translation is held to the same answers by the property tests (aggregate-sql*.property).
import { describe, expect, it } from 'vitest';
import { AggregateExpressionError, evaluateAggregate, type AggregateExpression, type Payload, type PointInTime } from '../../core/metrics/aggregate.ts';
import { ignoredNotes, samplesDuration, fieldWords, viewWords } from '../../core/metrics/point-in-time-words.ts';
import { knownAtOf } from '../../core/run/plan.ts';

const AS_OF = new Date('2016-04-15T00:00:00Z');
const ev = (expr: AggregateExpression, payloads: Payload[], pointInTime?: PointInTime, params = {}) =>
  evaluateAggregate(expr, { kind: 'ticket', records: { ticket: payloads.map((payload) => ({ occurredAt: '2016-04-01T00:00:00Z', payload })) }, ...(pointInTime ? { pointInTime } : {}) }, params);

const RESOLUTION: AggregateExpression = { mean: { seconds: ['openedAt', 'resolvedAt'] } };
const early = { openedAt: '2016-04-01T09:00:00Z', resolvedAt: '2016-04-01T10:00:00Z', reassignments: 1 }; // 1 h
const late = { openedAt: '2016-04-10T00:00:00Z', resolvedAt: '2016-05-01T00:00:00Z', reassignments: 3 }; // 21 d, after as-of

describe('as-of cut', () => {
  it('a timestamp after as-of has not happened: the ticket is open then', () => {
    expect(ev(RESOLUTION, [early, late], { asOf: AS_OF })).toEqual({ value: 3600, samples: 1, ignored: { open: 1 } });
    expect(ev({ count: { exists: 'resolvedAt' } }, [early, late], { asOf: AS_OF }).value).toBe(1);
    expect(ev({ count: { field: 'resolvedAt', eq: late.resolvedAt } }, [early, late], { asOf: AS_OF }).value).toBe(0);
    // A timestamp exactly at as-of has happened.
    expect(ev({ count: { exists: 'resolvedAt' } }, [{ resolvedAt: '2016-04-15T00:00:00Z' }, { resolvedAt: '2016-04-15T00:00:00.000001Z' }], { asOf: AS_OF }).value).toBe(1);
  });

  it('the latest view, and no point in time, count everything as stored', () => {
    const all = { value: (3600 + 21 * 86400) / 2, samples: 2 };
    expect(ev(RESOLUTION, [early, late], { asOf: AS_OF, view: 'latest' })).toEqual(all);
    expect(ev(RESOLUTION, [early, late])).toEqual(all);
  });

  it('text that is no timestamp is never cut', () => {
    expect(ev({ count: { exists: 'note' } }, [{ note: '2099-99-99' }, { note: 'later' }], { asOf: AS_OF }).value).toBe(2);
  });
});

describe('x-knownAt', () => {
  const knownAt = { ticket: { reassignments: 'resolvedAt' } };
  it('a field known at an instant is missing until that instant has happened', () => {
    expect(ev({ sum: 'reassignments' }, [early, late], { asOf: AS_OF, knownAt })).toEqual({ value: 1, samples: 1 });
    expect(ev({ sum: 'reassignments' }, [early, { reassignments: 5 }], { asOf: AS_OF, knownAt })).toEqual({ value: 1, samples: 1 }); // no resolvedAt at all
    expect(ev({ sum: 'reassignments' }, [early, late], { asOf: AS_OF, view: 'latest', knownAt })).toEqual({ value: 4, samples: 2 });
  });
  it('applies per record kind', () => {
    expect(ev({ sum: 'reassignments' }, [early, late], { asOf: AS_OF, knownAt: { other: { reassignments: 'resolvedAt' } } }).value).toBe(4);
  });
  it('comes from the kind schema', () => {
    const schema = { properties: { resolvedAt: { type: 'string' }, reassignments: { type: 'integer', 'x-knownAt': 'resolvedAt' } } };
    expect(knownAtOf([{ id: 'support.ticket', localId: 'ticket', title: 'Ticket', schema, plugin: 'support' }])).toEqual({ 'support.ticket': { reassignments: 'resolvedAt' } });
  });
});

describe('open: asOf', () => {
  const SO_FAR: AggregateExpression = { mean: { seconds: ['openedAt', 'resolvedAt'], open: 'asOf' } };
  it('runs an open duration to the as-of instant, whether `to` is absent or later', () => {
    const open = { openedAt: '2016-04-14T00:00:00Z' };
    expect(ev(SO_FAR, [open, late], { asOf: AS_OF })).toEqual({ value: (86400 + 5 * 86400) / 2, samples: 2 });
    // Looking ahead, a resolution after as-of is real: only the absent one runs to as-of.
    expect(ev(SO_FAR, [open, late], { asOf: AS_OF, view: 'latest' })).toEqual({ value: (86400 + 21 * 86400) / 2, samples: 2 });
  });
  it('without an as-of instant there is nothing to run to: left out and counted', () => {
    expect(ev(SO_FAR, [{ openedAt: '2016-04-14T00:00:00Z' }])).toEqual({ value: null, samples: 0, ignored: { open: 1 } });
  });
  it('needs `from`, and takes only asOf', () => {
    expect(ev(SO_FAR, [{ resolvedAt: '2016-04-01T00:00:00Z' }], { asOf: AS_OF })).toEqual({ value: null, samples: 0 });
    expect(() => ev({ mean: { seconds: ['a', 'b'], open: 'now' } } as never, [])).toThrow(AggregateExpressionError);
  });
});

describe('minus', () => {
  const ON_HOLD: AggregateExpression = { mean: { seconds: ['openedAt', 'resolvedAt'], minus: 'onHoldSeconds' } };
  it('subtracts a number of seconds; missing or not a number is 0', () => {
    expect(ev(ON_HOLD, [{ ...early, onHoldSeconds: 600 }]).value).toBe(3000);
    expect(ev(ON_HOLD, [{ ...early, onHoldSeconds: 0.0000004 }]).value).toBe(3600); // below a microsecond
    expect(ev(ON_HOLD, [early, { ...early, onHoldSeconds: '600' }]).value).toBe(3600);
  });
  it('more on hold than open is a data error: ignored and counted', () => {
    expect(ev(ON_HOLD, [{ ...early, onHoldSeconds: 3601 }, early])).toEqual({ value: 3600, samples: 1, ignored: { negative: 1 } });
  });
  it('an on-hold time known only at resolution is not subtracted from a ticket still open', () => {
    const expr: AggregateExpression = { mean: { seconds: ['openedAt', 'resolvedAt'], open: 'asOf', minus: 'onHoldSeconds' } };
    const pit: PointInTime = { asOf: AS_OF, knownAt: { ticket: { onHoldSeconds: 'resolvedAt' } } };
    expect(ev(expr, [{ ...late, onHoldSeconds: 86400 }], pit).value).toBe(5 * 86400);
    expect(ev(expr, [{ ...late, onHoldSeconds: 86400 }], { ...pit, view: 'latest' }).value).toBe(20 * 86400);
  });
});

describe('ignored counts', () => {
  const tickets = [early, late, { openedAt: '2016-04-02T09:00:00Z', resolvedAt: '2016-04-02T08:00:00Z' }, { resolvedAt: '2016-04-02T08:00:00Z' }, { openedAt: 'soon', resolvedAt: '2016-04-02T08:00:00Z' }];
  it('counts backwards durations and open tickets, not records without an opening', () => {
    expect(ev(RESOLUTION, tickets, { asOf: AS_OF })).toEqual({ value: 3600, samples: 1, ignored: { negative: 1, open: 1 } });
  });
  it('are those of the samples leaf, after its `where`', () => {
    expect(ev({ div: [{ count: true }, { mean: { seconds: ['openedAt', 'resolvedAt'] }, where: { exists: 'reassignments' } }] }, tickets, { asOf: AS_OF })).toEqual({ value: 5 / 3600, samples: 5 });
    expect(ev({ div: [{ count: true }, { mean: { seconds: ['openedAt', 'resolvedAt'] }, where: { exists: 'reassignments' }, samples: true }] }, tickets, { asOf: AS_OF })).toEqual({ value: 5 / 3600, samples: 1, ignored: { open: 1 } });
  });
  it('in words', () => {
    const field = samplesDuration({ switch: 'clock', default: 'wall', cases: { wall: RESOLUTION, business: { mean: 'x' } } }, {})!;
    expect(ignoredNotes({ negative: 3, open: 5 }, field, 'support.ticket', AS_OF, 'as-of')).toEqual([
      '3 tickets ignored: resolution before opening',
      '5 tickets still open on 15 Apr 2016 were left out (no resolution yet)',
    ]);
    expect(ignoredNotes({ negative: 1 }, { seconds: ['openedAt', 'firstResponseAt'] }, 'support.ticket', AS_OF, 'latest')).toEqual(['1 ticket ignored: first response before opening']);
    expect(samplesDuration({ switch: 'clock', default: 'wall', cases: { wall: RESOLUTION, business: { mean: 'x' } } }, { clock: 'business' })).toBeUndefined();
    expect(fieldWords('created_at')).toBe('creation');
    expect(viewWords('as-of', new Date('2016-04-15T12:30:00Z'))).toMatch(/^As things stood on 15 Apr 2016 12:30 UTC: /);
  });
});

describe('switch on a yes/no param', () => {
  it('reads true and false as the cases `true` and `false`', () => {
    const expr: AggregateExpression = { switch: 'flag', default: 'false', cases: { true: { const: 1 }, false: { const: 0 } } };
    expect(ev(expr, [], undefined, { flag: true }).value).toBe(1);
    expect(ev(expr, [], undefined, { flag: false }).value).toBe(0);
    expect(ev(expr, [], undefined, {}).value).toBe(0);
  });
});
