// The aggregate language: its schema (every shipped manifest formula must pass it, malformed
// formulas must fail it precisely) and the evaluator's semantics, on records small enough to
// compute by hand. The SQL translation is tested against the same expectations.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  aggregateFields,
  aggregateFieldsByKind,
  aggregateRecordKinds,
  AggregateExpressionError,
  compileAggregate,
  evaluateAggregate,
  TIMESTAMP_PATTERN,
  timestampSeconds,
  type AggregateExpression,
  type AggregateParams,
  type AggregateRecord,
  type Payload,
} from '../../core/metrics/aggregate.ts';
import { resolveMetric } from '../../core/metrics/min-samples.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const schema = JSON.parse(readFileSync(join(ROOT, 'schemas/aggregate.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true }).compile(schema);

interface ManifestMetric {
  id: string;
  recordKind: string;
  aggregate?: AggregateExpression;
}
interface Manifest {
  name: string;
  appraise: { contributes: { recordKinds: Array<{ id: string; schema: string }>; metrics?: ManifestMetric[] } };
}
const plugins = readdirSync(join(ROOT, 'plugins'), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => ({ dir: join(ROOT, 'plugins', e.name), manifest: JSON.parse(readFileSync(join(ROOT, 'plugins', e.name, 'package.json'), 'utf8')) as Manifest }));
const manifestFormulas = plugins.flatMap(({ dir, manifest }) =>
  (manifest.appraise.contributes.metrics ?? []) // workflow-only plugins contribute none
    .filter((m) => m.aggregate)
    .map((m) => ({ id: `${manifest.name}.${m.id}`, metric: m, dir, manifest })),
);

const rec = (payload: Payload): AggregateRecord => ({ occurredAt: '2026-01-05T09:00:00Z', payload });
/** Evaluates over records of the default kind `k` (payloads given), plus other kinds if any. */
function ev(expr: AggregateExpression, payloads: Payload[], params: AggregateParams = {}, other: Record<string, Payload[]> = {}) {
  const records: Record<string, AggregateRecord[]> = { k: payloads.map(rec) };
  for (const [kind, ps] of Object.entries(other)) records[kind] = ps.map(rec);
  return evaluateAggregate(expr, { kind: 'k', records }, params);
}
const values = (field: string, xs: unknown[]): Payload[] => xs.map((x) => ({ [field]: x }));
const ticket = (openedAt: string, firstResponseAt?: string): Payload => ({ openedAt, ...(firstResponseAt === undefined ? {} : { firstResponseAt }) });
const FRT: AggregateExpression = { mean: { seconds: ['openedAt', 'firstResponseAt'] } };

describe('schemas/aggregate.schema.json', () => {
  it('has the documented $id and defines expression, filter and field', () => {
    expect(schema.$id).toBe('https://appraise.dev/schemas/aggregate.schema.json');
    expect(Object.keys(schema.$defs)).toEqual(expect.arrayContaining(['expression', 'filter', 'field']));
  });

  it('finds the built-in formulas', () => {
    expect(manifestFormulas.map((f) => f.id)).toEqual(
      expect.arrayContaining([
        'customer-feedback.csat',
        'customer-feedback.nps',
        'customer-feedback.ces',
        'customer-feedback.response-count',
        'sales.quota-attainment',
        'sales.win-rate',
        'sales.average-deal-size',
        'support.first-response-time',
        'support.resolution-time',
        'support.first-contact-resolution',
        'support.reopen-rate',
        'support.tickets-resolved',
        'training.courses-completed',
      ]),
    );
  });

  it.each(manifestFormulas)('accepts $id, which the evaluator compiles too', ({ metric }) => {
    expect(validate(metric.aggregate), JSON.stringify(validate.errors, null, 1)).toBe(true);
    expect(() => compileAggregate(metric.aggregate!)).not.toThrow();
  });

  it.each(manifestFormulas)('$id reads only record kinds and fields its plugin declares', ({ metric, dir, manifest }) => {
    const kinds = manifest.appraise.contributes.recordKinds;
    for (const [kind, fields] of Object.entries(aggregateFieldsByKind(metric.aggregate!, metric.recordKind))) {
      const decl = kinds.find((k) => k.id === kind);
      expect(decl, `record kind ${kind}`).toBeDefined();
      const recordSchema = JSON.parse(readFileSync(join(dir, decl!.schema), 'utf8'));
      for (const f of fields) expect(Object.keys(recordSchema.properties), `field ${f} of ${kind}`).toContain(f);
    }
  });

  const errorsOf = (expr: unknown) => {
    validate(expr);
    return (validate.errors ?? []).filter((e) => e.keyword !== 'if').map((e) => ({ at: e.instancePath, keyword: e.keyword, params: e.params }));
  };

  it('points at the bad part of a formula rather than listing every alternative', () => {
    expect(errorsOf({ avg: 'csat' })).toEqual([{ at: '', keyword: 'additionalProperties', params: { additionalProperty: 'avg' } }]);
    expect(errorsOf({ mean: 'csat', q: 0.5 })).toEqual([{ at: '', keyword: 'additionalProperties', params: { additionalProperty: 'q' } }]);
    expect(errorsOf({ sub: [{ const: 1 }] })).toEqual([{ at: '/sub', keyword: 'minItems', params: { limit: 2 } }]);
    expect(errorsOf({ quantile: 'x', q: 1.5 })).toEqual([{ at: '/q', keyword: 'maximum', params: { comparison: '<=', limit: 1 } }]);
    expect(errorsOf({ count: false })).toEqual([{ at: '/count', keyword: 'const', params: { allowedValue: true } }]);
    expect(errorsOf({ mean: 'x', where: { field: 'stage', eq: 'won', ne: 'lost' } })).toEqual([
      { at: '/where', keyword: 'additionalProperties', params: { additionalProperty: 'ne' } },
    ]);
    expect(errorsOf({ count: { field: 'x' } })).toEqual([{ at: '/count', keyword: 'required', params: { missingProperty: 'eq' } }]);
    expect(errorsOf({ mean: { seconds: ['a'] } })).toEqual([{ at: '/mean/seconds', keyword: 'minItems', params: { limit: 2 } }]);
    expect(errorsOf({ mean: 5 })).toEqual([{ at: '/mean', keyword: 'type', params: { type: ['string', 'object'] } }]);
    expect(errorsOf({ switch: 'mode', cases: { a: { const: 1 } } })).toEqual([{ at: '', keyword: 'required', params: { missingProperty: 'default' } }]);
    expect(errorsOf({ mul: [{ const: 100 }, { share: { exists: 'x' }, of: 'x', samples: 'yes' }] })).toEqual([
      { at: '/mul/1/samples', keyword: 'type', params: { type: 'boolean' } },
    ]);
  });

  it('rejects what the evaluator rejects', () => {
    const bad: unknown[] = [
      { avg: 'csat' },
      { mean: 'csat', q: 0.5 },
      { mean: 'a', sum: 'b' },
      { sub: [{ const: 1 }] },
      { div: [{ const: 1 }, { const: 2 }, { const: 3 }] },
      { add: [] },
      { quantile: 'x' },
      { quantile: 'x', q: -0.1 },
      { quantile: 'x', q: { param: 'quantile' } },
      { count: false },
      { count: { field: 'x' } },
      { count: { field: 'x', eq: null } },
      { count: { field: 'x', gt: '4' } },
      { count: { field: 'x', in: [] } },
      { count: { and: [] } },
      { share: { exists: 'x' } },
      { mean: '' },
      { mean: { seconds: ['a', 'b', 'c'] } },
      { switch: 'mode', cases: {} },
      { mean: 'x', recordKind: '' },
      { const: '1' },
      {},
      5,
    ];
    for (const expr of bad) {
      expect(validate(expr), JSON.stringify(expr)).toBe(false);
      expect(() => compileAggregate(expr as AggregateExpression), JSON.stringify(expr)).toThrow(AggregateExpressionError);
    }
  });
});

describe('mean, sum, min, max', () => {
  it('aggregate the finite numbers of the field; each one is a sample', () => {
    // [5, 4, 3]: mean 4, sum 12, min 3, max 5.
    const xs = values('csat', [5, 4, 3]);
    expect(ev({ mean: 'csat' }, xs)).toEqual({ value: 4, samples: 3 });
    expect(ev({ sum: 'csat' }, xs)).toEqual({ value: 12, samples: 3 });
    expect(ev({ min: 'csat' }, xs)).toEqual({ value: 3, samples: 3 });
    expect(ev({ max: 'csat' }, xs)).toEqual({ value: 5, samples: 3 });
  });

  it('ignore values that are not finite numbers: strings, booleans, null, absent, NaN, Infinity', () => {
    // Only 2 and 6 count: mean 4 from 2 samples. "5" is not coerced to 5.
    const xs: Payload[] = [{ x: 2 }, { x: '5' }, { x: true }, { x: null }, {}, { x: NaN }, { x: Infinity }, { x: [1] }, { x: 6 }];
    expect(ev({ mean: 'x' }, xs)).toEqual({ value: 4, samples: 2 });
    expect(ev({ sum: 'x' }, xs)).toEqual({ value: 8, samples: 2 });
    expect(ev({ max: 'x' }, xs)).toEqual({ value: 6, samples: 2 });
  });

  it('on an empty window: mean, min and max have no value, sum is 0', () => {
    for (const payloads of [[], [{ other: 1 }]]) {
      expect(ev({ mean: 'x' }, payloads)).toEqual({ value: null, samples: 0 });
      expect(ev({ min: 'x' }, payloads)).toEqual({ value: null, samples: 0 });
      expect(ev({ max: 'x' }, payloads)).toEqual({ value: null, samples: 0 });
      expect(ev({ sum: 'x' }, payloads)).toEqual({ value: 0, samples: 0 });
    }
  });

  it('treat a kind absent from the input as no records', () => {
    expect(evaluateAggregate({ sum: 'x' }, { kind: 'k', records: {} }, {})).toEqual({ value: 0, samples: 0 });
    expect(evaluateAggregate({ mean: 'x' }, { kind: 'constructor', records: {} }, {})).toEqual({ value: null, samples: 0 });
  });

  it('read only own payload fields, never the prototype chain', () => {
    expect(ev({ count: { exists: 'constructor' } }, [{}, { constructor: 1 }])).toEqual({ value: 1, samples: 1 });
    expect(ev({ count: { exists: 'toString' } }, [{}])).toEqual({ value: 0, samples: 0 });
  });

  it('give no value on overflow rather than Infinity', () => {
    expect(ev({ sum: 'x' }, values('x', [Number.MAX_VALUE, Number.MAX_VALUE]))).toEqual({ value: null, samples: 2 });
  });
});

describe('quantile (PostgreSQL percentile_cont)', () => {
  // Sorted values v = [10, 20, 30, 40]: position p = q·(n − 1) = 3q, interpolated between
  // v[⌊p⌋] and v[⌈p⌉].
  const xs = values('x', [30, 10, 40, 20]);
  it.each([
    [0, 10], // p 0
    [0.5, 25], // p 1.5: 20 + 0.5·10
    [0.9, 37], // p 2.7: 30 + 0.7·10
    [0.25, 17.5], // p 0.75: 10 + 0.75·10
    [1, 40], // p 3
  ])('q = %s → %s', (q, expected) => {
    const r = ev({ quantile: 'x', q }, xs);
    expect(r.value).toBeCloseTo(expected, 10);
    expect(r.samples).toBe(4);
  });

  it('the median of an odd count is the middle value; of one value, that value', () => {
    expect(ev({ quantile: 'x', q: 0.5 }, values('x', [7, 1, 3]))).toEqual({ value: 3, samples: 3 });
    expect(ev({ quantile: 'x', q: 0.9 }, values('x', [7]))).toEqual({ value: 7, samples: 1 });
  });

  it('sorts numerically (10 after 9), negatives included', () => {
    expect(ev({ quantile: 'x', q: 1 }, values('x', [9, 10, -2]))).toEqual({ value: 10, samples: 3 });
    expect(ev({ quantile: 'x', q: 0 }, values('x', [9, 10, -2]))).toEqual({ value: -2, samples: 3 });
  });

  it('has no value on an empty window', () => {
    expect(ev({ quantile: 'x', q: 0.5 }, [])).toEqual({ value: null, samples: 0 });
  });

  it('reads q from a param, with its default when the param is absent or null', () => {
    const expr: AggregateExpression = { quantile: 'x', q: { param: 'quantile', default: 0.5 } };
    expect(ev(expr, xs).value).toBe(25);
    expect(ev(expr, xs, { quantile: null }).value).toBe(25);
    expect(ev(expr, xs, { quantile: 0.9 }).value).toBeCloseTo(37, 10);
    expect(() => ev(expr, xs, { quantile: 1.5 })).toThrow(/params\.quantile is 1\.5/);
    expect(() => ev(expr, xs, { quantile: '0.9' })).toThrow(AggregateExpressionError);
  });

  it('has no value when the interpolation overflows (values near ±1.8e308)', () => {
    expect(ev({ quantile: 'x', q: 0.5 }, values('x', [-Number.MAX_VALUE, Number.MAX_VALUE]))).toEqual({ value: null, samples: 2 });
    expect(ev({ quantile: 'x', q: 1 }, values('x', [-Number.MAX_VALUE, Number.MAX_VALUE]))).toEqual({ value: Number.MAX_VALUE, samples: 2 });
  });

  it('copes with more values than its scratch buffer', () => {
    // 0..4999: p = 0.5·4999 = 2499.5 → 2499.5.
    const many = Array.from({ length: 5000 }, (_, i) => ({ x: 4999 - i }));
    expect(ev({ quantile: 'x', q: 0.5 }, many)).toEqual({ value: 2499.5, samples: 5000 });
  });
});

describe('count and share', () => {
  const deals: Payload[] = [{ stage: 'won' }, { stage: 'won' }, { stage: 'lost' }, { stage: 'open' }, {}];

  it('count: true counts the records, a filter the matching ones; the count is the sample count', () => {
    expect(ev({ count: true }, deals)).toEqual({ value: 5, samples: 5 });
    expect(ev({ count: { field: 'stage', eq: 'won' } }, deals)).toEqual({ value: 2, samples: 2 });
    expect(ev({ count: true }, [])).toEqual({ value: 0, samples: 0 });
  });

  it('share: matching / denominator, the denominator being the sample count', () => {
    // of: stage in [won, lost] → 3 records; 2 of them won → 2/3.
    expect(ev({ share: { field: 'stage', eq: 'won' }, of: { field: 'stage', in: ['won', 'lost'] } }, deals)).toEqual({ value: 2 / 3, samples: 3 });
  });

  it('share of a field counts the records where it is present (not absent, not null)', () => {
    // csat present in 4 records (null and absent are not); 2 of them are ≥ 4 → 0.5.
    const xs: Payload[] = [{ csat: 5 }, { csat: 4 }, { csat: 3 }, { csat: 1 }, { csat: null }, { nps: 9 }];
    expect(ev({ share: { field: 'csat', gte: 4 }, of: 'csat' }, xs)).toEqual({ value: 0.5, samples: 4 });
  });

  it('share has no value when its denominator is empty', () => {
    expect(ev({ share: { field: 'csat', gte: 4 }, of: 'csat' }, [{ nps: 1 }])).toEqual({ value: null, samples: 0 });
    expect(ev({ share: { field: 'csat', gte: 4 }, of: 'csat' }, [])).toEqual({ value: null, samples: 0 });
  });
});

describe('filters', () => {
  const count = (filter: unknown, xs: Payload[]) => ev({ count: filter as never }, xs).value;

  it('eq and in are typed: the number 1 never equals the string "1"; 1 equals 1.0', () => {
    const xs: Payload[] = [{ x: 1 }, { x: '1' }, { x: true }, { x: 1.0 }];
    expect(count({ field: 'x', eq: 1 }, xs)).toBe(2);
    expect(count({ field: 'x', eq: '1' }, xs)).toBe(1);
    expect(count({ field: 'x', eq: true }, xs)).toBe(1);
    expect(count({ field: 'x', in: ['1', true] }, xs)).toBe(2);
  });

  it('a comparison on a missing field is false, so its `not` is true', () => {
    const xs: Payload[] = [{ x: 1 }, { x: 2 }, { x: null }, {}];
    expect(count({ field: 'x', eq: 1 }, xs)).toBe(1);
    expect(count({ not: { field: 'x', eq: 1 } }, xs)).toBe(3); // 2, null, absent
    expect(count({ field: 'x', ne: 1 }, xs)).toBe(1); // only 2: ne needs the field
    expect(count({ field: 'x', lt: 5 }, xs)).toBe(2);
    expect(count({ not: { field: 'x', lt: 5 } }, xs)).toBe(2);
  });

  it('gt, gte, lt, lte compare numbers only (a numeric string never matches)', () => {
    const xs: Payload[] = [{ x: 3 }, { x: 4 }, { x: 5 }, { x: '9' }, { x: true }];
    expect(count({ field: 'x', gt: 4 }, xs)).toBe(1);
    expect(count({ field: 'x', gte: 4 }, xs)).toBe(2);
    expect(count({ field: 'x', lt: 4 }, xs)).toBe(1);
    expect(count({ field: 'x', lte: 4 }, xs)).toBe(2);
  });

  it('exists, and, or', () => {
    const xs: Payload[] = [{ a: 1, b: 1 }, { a: 1 }, { b: 0 }, { a: null, b: false }, {}];
    expect(count({ exists: 'a' }, xs)).toBe(2);
    expect(count({ exists: 'b' }, xs)).toBe(3); // 0 and false are present
    expect(count({ and: [{ exists: 'a' }, { exists: 'b' }] }, xs)).toBe(1);
    expect(count({ or: [{ exists: 'a' }, { exists: 'b' }] }, xs)).toBe(4);
    expect(count({ not: { or: [{ exists: 'a' }, { exists: 'b' }] } }, xs)).toBe(1);
  });

  it('compares durations too: tickets answered within an hour', () => {
    const xs = [
      ticket('2026-01-05T09:00:00Z', '2026-01-05T09:30:00Z'), // 1800 s
      ticket('2026-01-05T09:00:00Z', '2026-01-05T10:00:00Z'), // 3600 s
      ticket('2026-01-05T09:00:00Z', '2026-01-05T11:00:00Z'), // 7200 s
      ticket('2026-01-05T09:00:00Z'), // not answered: missing
      ticket('2026-01-05T09:00:00Z', '2026-01-05T08:00:00Z'), // negative: missing
    ];
    const within = { field: { seconds: ['openedAt', 'firstResponseAt'] }, lte: 3600 } as const;
    expect(count(within, xs)).toBe(2);
    expect(ev({ share: within, of: { seconds: ['openedAt', 'firstResponseAt'] } }, xs)).toEqual({ value: 2 / 3, samples: 3 });
  });
});

describe('{seconds: [from, to]}', () => {
  it('is the seconds between two timestamps, whatever their zones', () => {
    const xs = [
      ticket('2026-01-05T09:00:00Z', '2026-01-05T09:01:00Z'), // 60
      ticket('2026-01-05T10:00:00+01:00', '2026-01-05T09:02:00Z'), // 09:00Z → 09:02Z: 120
      ticket('2026-01-05T09:00:00-05:30', '2026-01-05T14:33:00Z'), // 14:30Z → 14:33Z: 180
    ];
    expect(ev({ sum: { seconds: ['openedAt', 'firstResponseAt'] } }, xs)).toEqual({ value: 360, samples: 3 });
  });

  it('rounds a fraction to microseconds as PostgreSQL does: rint(strtod(".ddd…") · 10⁶), halves to even', () => {
    const after = (fraction: string) => timestampSeconds('2026-01-05T09:00:00Z', `2026-01-05T09:00:00${fraction}Z`);
    expect(after('.0000005')).toBe(0);
    expect(after('.0000015')).toBe(0.000002);
    expect(after('.0000025')).toBe(0.000002);
    expect(after('.1234565')).toBe(0.123456);
    expect(after('.1234575')).toBe(0.123458);
    expect(after('.123456789')).toBe(0.123457);
    expect(after('.9999995')).toBe(1); // a million microseconds: the next second
  });

  it('is the double nearest the exact duration (PostgreSQL: exact seconds as float8), so thresholds agree', () => {
    // Adding 0.916277 to 12 rounds twice and gives 12.916277000000001.
    expect(timestampSeconds('2026-01-05T09:00:00Z', '2026-01-05T09:00:12.916277Z')).toBe(12.916277);
    expect(timestampSeconds('2026-01-05T09:00:00.72269Z', '2026-01-05T09:10:30Z')).toBe(629.27731);
    expect(ev({ count: { field: { seconds: ['openedAt', 'firstResponseAt'] }, lte: 12.916277 } }, [ticket('2026-01-05T09:00:00Z', '2026-01-05T09:00:12.916277Z')]).value).toBe(1);
  });

  it('has microsecond resolution, and zero is a valid duration', () => {
    expect(timestampSeconds('2026-01-05T09:00:00.25Z', '2026-01-05T09:00:01.5Z')).toBe(1.25);
    expect(timestampSeconds('2026-01-05T09:00:00.000001Z', '2026-01-05T09:00:00.000002Z')).toBeCloseTo(0.000001, 12);
    expect(timestampSeconds('2026-01-05T09:00:00Z', '2026-01-05T09:00:00Z')).toBe(0);
    expect(timestampSeconds('2026-01-05T09:00:00.9Z', '2026-01-05T09:00:01.1Z')).toBeCloseTo(0.2, 12);
  });

  it('reads a timestamp without a zone as UTC, and knows leap years', () => {
    expect(timestampSeconds('2026-01-05T09:00:00', '2026-01-05T09:00:00Z')).toBe(0);
    expect(timestampSeconds('2024-02-28T00:00:00Z', '2024-03-01T00:00:00Z')).toBe(2 * 86400);
    expect(timestampSeconds('2025-02-28T00:00:00Z', '2025-03-01T00:00:00Z')).toBe(86400);
    expect(timestampSeconds('1999-12-31T23:59:59Z', '2000-01-01T00:00:00Z')).toBe(1);
    expect(timestampSeconds('2026-01-05 09:00', '2026-01-05t09:00:30z')).toBe(30);
    expect(timestampSeconds('2026-01-05T09:00:00+0100', '2026-01-05T08:00:00Z')).toBe(0);
    expect(timestampSeconds('2026-01-05T09:00:00+01', '2026-01-05T08:00:00Z')).toBe(0);
  });

  it('excludes negative durations (data errors): not a value, not a sample, but counted', () => {
    const xs = [
      ticket('2026-01-05T09:00:00Z', '2026-01-05T09:10:00Z'), // 600
      ticket('2026-01-05T09:00:00Z', '2026-01-05T08:00:00Z'), // −3600: excluded
      ticket('2026-01-05T09:00:00.5Z', '2026-01-05T09:00:00.4Z'), // −0.1: excluded
    ];
    expect(ev(FRT, xs)).toEqual({ value: 600, samples: 1, ignored: { negative: 2 } });
    expect(ev({ count: { exists: { seconds: ['openedAt', 'firstResponseAt'] } } }, xs)).toEqual({ value: 1, samples: 1 });
    expect(timestampSeconds('2026-01-05T09:00:01Z', '2026-01-05T09:00:00Z')).toBeNull();
  });

  it('ignores malformed timestamps (not a value, not a sample) instead of guessing', () => {
    const malformed: unknown[] = [
      'yesterday',
      'Jan 5 2026 09:00',
      '2026-01-05', // a date, not an instant
      '2026-02-30T09:00:00Z', // no such day
      '2025-02-29T09:00:00Z', // not a leap year
      '2026-13-01T09:00:00Z',
      '2026-01-05T24:00:00Z',
      '2026-01-05T09:60:00Z',
      '2026-01-05T09:00:60Z',
      '2026-01-05T09:00:00+16:00', // PostgreSQL refuses offsets beyond ±15:59
      '2026-01-05T09:00:00.Z',
      '0000-01-01T00:00:00Z', // PostgreSQL has no year 0
      ' 2026-01-05T09:00:00Z',
      '',
      1767603600000, // epoch milliseconds are not ISO-8601
      null,
      { at: '2026-01-05T09:00:00Z' },
    ];
    for (const bad of malformed) {
      expect(timestampSeconds(bad, '2026-01-05T10:00:00Z'), JSON.stringify(bad)).toBeNull();
      expect(timestampSeconds('2026-01-05T08:00:00Z', bad), JSON.stringify(bad)).toBeNull();
    }
    const xs = [ticket('2026-01-05T09:00:00Z', '2026-01-05T09:05:00Z'), ...malformed.map((m) => ({ openedAt: m, firstResponseAt: '2026-01-05T10:00:00Z' }))];
    expect(ev(FRT, xs)).toEqual({ value: 300, samples: 1 });
  });

  it('accepts exactly the shape TIMESTAMP_PATTERN describes (what the SQL translation checks)', () => {
    const re = new RegExp(TIMESTAMP_PATTERN);
    const shapes = ['2026-01-05T09:00Z', '2026-01-05T09:00:00.123456789+05:45', '2026-01-05 09:00:00', '2026-1-05T09:00:00Z', '2026-01-05T9:00:00Z', '2026-01-05T09:00:00+5'];
    for (const s of shapes) expect(timestampSeconds(s, s) === 0, s).toBe(re.test(s));
  });

  it('accepts a string exactly when it has the shape of TIMESTAMP_PATTERN and its date exists (fuzzed)', () => {
    const re = new RegExp(TIMESTAMP_PATTERN);
    const leap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
    const dateExists = (s: string) => {
      const [y, m, d] = [Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10))];
      const days = [31, leap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
      return y > 0 && d <= days;
    };
    const seeds = ['2026-01-05T09:00:00Z', '2024-02-29T23:59:59.999999+15:59', '2026-01-05 09:00', '2026-12-31t00:00:00.5-0800', '2026-01-05T09:00:00+01'];
    const chars = '0123456789-:Tt Zz+.,x';
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let i = 0; i < 20000; i++) {
      let s = seeds[random(seeds.length)];
      for (let k = 1 + random(3); k > 0; k--) {
        const at = random(s.length + 1);
        const c = chars[random(chars.length)];
        const op = random(3);
        s = op === 0 ? s.slice(0, at) + c + s.slice(at + 1) : op === 1 ? s.slice(0, at) + s.slice(at + 1) : s.slice(0, at) + c + s.slice(at);
      }
      expect(timestampSeconds(s, s) === 0, JSON.stringify(s)).toBe(re.test(s) && dateExists(s));
    }
  });

  it('agrees with Date.parse on instants from 1900 to 2100 in any zone', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const iso = (ms: number, offsetMinutes: number) => {
      const local = new Date(ms + offsetMinutes * 60000).toISOString().slice(0, 23);
      const sign = offsetMinutes < 0 ? '-' : '+';
      const abs = Math.abs(offsetMinutes);
      return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    };
    const span = Date.UTC(2100, 0, 1) - Date.UTC(1900, 0, 1);
    for (let i = 0; i < 2000; i++) {
      const a = Date.UTC(1900, 0, 1) + Math.floor(random() * span);
      const b = a + Math.floor(random() * 400 * 86400000);
      const ta = iso(a, Math.floor(random() * 1800) - 900);
      const tb = iso(b, Math.floor(random() * 1800) - 900);
      expect(timestampSeconds(ta, tb), `${ta} → ${tb}`).toBeCloseTo((Date.parse(tb) - Date.parse(ta)) / 1000, 6);
    }
  });

  it('is missing when a timestamp is (a ticket without a response is counted as open)', () => {
    expect(ev(FRT, [ticket('2026-01-05T09:00:00Z'), { firstResponseAt: '2026-01-05T09:00:00Z' }])).toEqual({ value: null, samples: 0, ignored: { open: 1 } });
  });
});

describe('arithmetic', () => {
  const x = (n: number | null): AggregateExpression => (n === null ? { mean: 'none' } : { const: n });

  it('add, sub, mul, div', () => {
    expect(ev({ add: [x(1), x(2), x(3)] }, []).value).toBe(6);
    expect(ev({ sub: [x(1), x(3)] }, []).value).toBe(-2);
    expect(ev({ mul: [x(2), x(3), x(4)] }, []).value).toBe(24);
    expect(ev({ div: [x(3), x(4)] }, []).value).toBe(0.75);
  });

  it('is null when any operand is null, and when dividing by zero', () => {
    expect(ev({ add: [x(1), x(null)] }, []).value).toBeNull();
    expect(ev({ sub: [x(null), x(1)] }, []).value).toBeNull();
    expect(ev({ mul: [x(0), x(null)] }, []).value).toBeNull(); // not 0: unknown × 0 is unknown
    expect(ev({ div: [x(1), x(null)] }, []).value).toBeNull();
    expect(ev({ div: [x(1), x(0)] }, []).value).toBeNull();
    expect(ev({ div: [x(0), x(0)] }, []).value).toBeNull();
    expect(ev({ div: [x(0), x(5)] }, []).value).toBe(0);
  });

  it('a formula of constants only has 0 samples', () => {
    expect(ev({ mul: [x(2), x(3)] }, [{ a: 1 }])).toEqual({ value: 6, samples: 0 });
  });
});

describe('switch', () => {
  const expr: AggregateExpression = {
    switch: 'mode',
    default: 'mean',
    cases: { mean: { mean: 'csat' }, top2box: { mul: [{ const: 100 }, { share: { field: 'csat', gte: 4 }, of: 'csat' }] }, responses: { count: true } },
  };
  const xs: Payload[] = [{ csat: 5 }, { csat: 4 }, { csat: 3 }, { csat: 2 }, { nps: 10 }];

  it('uses the default case when the param is absent or null', () => {
    expect(ev(expr, xs)).toEqual({ value: 3.5, samples: 4 });
    expect(ev(expr, xs, { mode: null })).toEqual({ value: 3.5, samples: 4 });
  });

  it('picks the case named by the param; only that case gives the samples', () => {
    expect(ev(expr, xs, { mode: 'top2box' })).toEqual({ value: 50, samples: 4 });
    expect(ev(expr, xs, { mode: 'responses' })).toEqual({ value: 5, samples: 5 });
  });

  it('throws on a param that names no case (params are validated before evaluation)', () => {
    expect(() => ev(expr, xs, { mode: 'median' })).toThrow(/params\.mode is "median"; expected one of mean, top2box, responses/);
    expect(() => ev(expr, xs, { mode: 1 })).toThrow(AggregateExpressionError);
  });

  it('refuses a default that is not a case', () => {
    expect(() => compileAggregate({ switch: 'mode', default: 'median', cases: { mean: { mean: 'csat' } } })).toThrow(/default/);
  });
});

describe('where, recordKind, samples', () => {
  it('where keeps only the matching records, for every leaf', () => {
    const deals: Payload[] = [
      { stage: 'won', amount: 100 },
      { stage: 'won', amount: 300 },
      { stage: 'lost', amount: 1000 },
    ];
    const won = { field: 'stage', eq: 'won' } as const;
    expect(ev({ mean: 'amount', where: won }, deals)).toEqual({ value: 200, samples: 2 });
    expect(ev({ count: true, where: won }, deals)).toEqual({ value: 2, samples: 2 });
    expect(ev({ count: { field: 'amount', gt: 200 }, where: won }, deals)).toEqual({ value: 1, samples: 1 });
    // Among won deals (2), the share above 200 is 1/2.
    expect(ev({ share: { field: 'amount', gt: 200 }, of: 'amount', where: won }, deals)).toEqual({ value: 0.5, samples: 2 });
  });

  it('recordKind reads another kind of record', () => {
    const expr: AggregateExpression = { div: [{ sum: 'amount' }, { sum: 'amount', recordKind: 'quota' }] };
    // 300 / (100 + 200) = 1; the first leaf (deals, 2 values) gives the samples.
    expect(ev(expr, values('amount', [120, 180]), {}, { quota: values('amount', [100, 200]) })).toEqual({ value: 1, samples: 2 });
  });

  it('samples: true picks the leaf that gives the sample count, even after a null operand', () => {
    const expr: AggregateExpression = { div: [{ mean: 'a' }, { count: true, recordKind: 'other', samples: true }] };
    // mean of no values is null → null; the count of the 3 other records is still the samples.
    expect(ev(expr, [], {}, { other: [{}, {}, {}] })).toEqual({ value: null, samples: 3 });
    // Without the mark, the first leaf (mean, 0 values) would give them.
    expect(ev({ div: [{ mean: 'a' }, { count: true, recordKind: 'other' }] }, [], {}, { other: [{}, {}, {}] })).toEqual({ value: null, samples: 0 });
  });

  it('the first leaf marked samples wins when several are', () => {
    const expr: AggregateExpression = { add: [{ count: true }, { count: { exists: 'a' }, samples: true }, { count: { exists: 'b' }, samples: true }] };
    expect(ev(expr, [{ a: 1 }, { b: 1 }, { a: 1, b: 1 }, {}])).toEqual({ value: 8, samples: 2 });
  });
});

describe('what a formula reads', () => {
  const expr: AggregateExpression = {
    switch: 'mode',
    default: 'a',
    cases: {
      a: { mul: [{ const: 100 }, { div: [{ sum: 'amount', where: { field: 'stage', eq: 'won' } }, { sum: 'amount', recordKind: 'quota', samples: true }] }] },
      b: { quantile: { seconds: ['openedAt', 'firstResponseAt'] }, q: 0.5, where: { not: { or: [{ exists: 'spam' }, { field: 'channel', in: ['bot'] }] } } },
      c: { share: { field: 'contacts', eq: 1 }, of: { and: [{ exists: 'resolvedAt' }] } },
      d: { share: { field: 'csat', gte: 4 }, of: 'csat', recordKind: 'survey' },
      e: { count: { field: { seconds: ['x', 'y'] }, lt: 60 } },
    },
  };

  it('lists the record kinds of every case', () => {
    expect(aggregateRecordKinds(expr, 'deal')).toEqual(['deal', 'quota', 'survey']);
    expect(aggregateRecordKinds({ sum: 'amount', recordKind: 'quota' }, 'deal')).toEqual(['quota']);
  });

  it('lists the payload fields, all kinds together or per kind', () => {
    expect(aggregateFields(expr)).toEqual(['amount', 'stage', 'openedAt', 'firstResponseAt', 'spam', 'channel', 'contacts', 'resolvedAt', 'csat', 'x', 'y']);
    expect(aggregateFieldsByKind(expr, 'deal')).toEqual({
      deal: ['amount', 'stage', 'openedAt', 'firstResponseAt', 'spam', 'channel', 'contacts', 'resolvedAt', 'x', 'y'],
      quota: ['amount'],
      survey: ['csat'],
    });
    expect(aggregateFields({ count: true })).toEqual([]);
  });

  it('throws on a malformed formula, with the path of the problem', () => {
    try {
      aggregateFields({ add: [{ const: 1 }, { mean: 'x', where: { field: 'y', equals: 1 } }] } as never);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AggregateExpressionError);
      expect((e as AggregateExpressionError).path).toBe('/add/1/where');
    }
  });
});

describe('compileAggregate', () => {
  it('compiles a formula object once and reuses it', () => {
    const expr: AggregateExpression = { mean: 'csat' };
    expect(compileAggregate(expr)).toBe(compileAggregate(expr));
  });
});

describe('resolveMetric', () => {
  it('is ok with a value from at least minSamples samples', () => {
    expect(resolveMetric({ value: 4.2, samples: 20 }, 20)).toEqual({ status: 'ok', value: 4.2, samples: 20, minSamples: 20 });
    expect(resolveMetric({ value: 0, samples: 0 }, 0)).toEqual({ status: 'ok', value: 0, samples: 0, minSamples: 0 });
  });

  it('is insufficient below minSamples, saying how many of how many', () => {
    expect(resolveMetric({ value: 4.2, samples: 12 }, 20)).toEqual({ status: 'insufficient', samples: 12, minSamples: 20, message: '12 of the 20 samples required' });
    expect(resolveMetric({ value: null, samples: 0 }, 1)).toEqual({ status: 'insufficient', samples: 0, minSamples: 1, message: '0 of the 1 sample required' });
  });

  it('is insufficient without a value even with enough samples', () => {
    expect(resolveMetric({ value: null, samples: 0 }, 0)).toMatchObject({ status: 'insufficient', message: 'no samples in the window' });
    expect(resolveMetric({ value: null, samples: 3 }, 1)).toMatchObject({ status: 'insufficient', samples: 3, message: expect.stringContaining('from the 3 samples') });
  });

  it('refuses a minSamples that is not a whole number ≥ 0', () => {
    expect(() => resolveMetric({ value: 1, samples: 1 }, -1)).toThrow(RangeError);
    expect(() => resolveMetric({ value: 1, samples: 1 }, 1.5)).toThrow(RangeError);
  });
});
