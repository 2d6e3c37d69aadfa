// The random formulas of the SQL translation's property tests (over payloads, and over typed
// tables): every operator, filter, `where`, `recordKind`, `samples`, switch and quantile param,
// over the fields below, in windows that overlap, touch or nest.
import fc from 'fast-check';
import type { AggregateExpression, AggregateField, AggregateFilter, AggregateParams, PointInTime, Scalar, SecondsField } from '../../core/metrics/aggregate.ts';

export const FROM = new Date('2026-01-01T00:00:00Z');
export const TO = new Date('2026-04-01T00:00:00Z');
export const EMPLOYEES = ['e1', 'e2', 'e3', 'e4'];
export const KIND = 'p.main';
export const qualifyKind = (local: string) => `p.${local}`;

export const NUMBER_FIELDS = ['a', 'b', 'c', 'constructor', 'odd "name\\'] as const;
export const TIME_FIELDS = ['t1', 't2', 't3'] as const;

// Values: numbers whose sums are exact in a double (as real scores and amounts nearly always
// are).
export const numberValue = fc.oneof(fc.integer({ min: -20, max: 20 }), fc.integer({ min: -400, max: 400 }).map((n) => n / 4));

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
// Instants a few hours apart (so that durations are positive or negative), written in every
// form the evaluator accepts, next to dates that do not exist and strings that are no instants.
const ZONES: Array<[string, number]> = [['Z', 0], ['', 0], ['z', 0], ['+01:00', 60], ['-05:30', -330], ['+0545', 345], ['+15', 900], ['-15:59', -959]];
export const timestamp = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .record({
        minutes: fc.integer({ min: -600, max: 600 }),
        second: fc.option(fc.integer({ min: 0, max: 59 }), { nil: undefined }),
        fraction: fc.constantFrom('', '.5', '.25', '.125', '.0000005', '.2500005', '.7500015', '.9999995', '.000000499'),
        sep: fc.constantFrom('T', 'T', 't', ' '),
        zone: fc.constantFrom(...ZONES),
      })
      .map(({ minutes, second, fraction, sep, zone: [zone, offset] }) => {
        const local = new Date(Date.UTC(2026, 1, 1, 12) + (minutes + offset) * 60000).toISOString();
        const time = `${local.slice(11, 16)}${second === undefined ? '' : `:${pad(second)}${fraction}`}`;
        return `${local.slice(0, 10)}${sep}${time}${zone}`;
      }),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom<unknown>(
      '2024-02-29T12:00:00Z', // a leap day
      '0001-01-01T00:00:00+15:00',
      '2026-02-30T12:00:00Z', // no such days
      '2025-02-29T12:00:00Z',
      '2026-04-31T12:00:00Z',
      '0000-06-01T12:00:00Z',
      '2026-02-01T12:00:00+16:00', // no such offset
      '2026-02-01',
      'yesterday',
      '2026-02-01T12:00:00.Z',
      1767603600000,
      null,
    ),
  },
);

// Formulas. Durations open to as-of or not, less a number field or not.
const seconds: fc.Arbitrary<SecondsField> = fc
  .record({
    ends: fc.tuple(fc.constantFrom(...TIME_FIELDS), fc.constantFrom(...TIME_FIELDS)),
    open: fc.option(fc.constant('asOf' as const), { nil: undefined, freq: 2 }),
    minus: fc.option(fc.constantFrom(...NUMBER_FIELDS), { nil: undefined, freq: 2 }),
  })
  .map(({ ends, open, minus }) => ({ seconds: ends, ...(open ? { open } : {}), ...(minus ? { minus } : {}) }));
const field: fc.Arbitrary<AggregateField> = fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...NUMBER_FIELDS) }, { weight: 1, arbitrary: seconds });
const scalar: fc.Arbitrary<Scalar> = fc.oneof(fc.integer({ min: -5, max: 20 }), fc.constantFrom<Scalar>(0.25, 1800, 3600, '5', 'won', 'lost', true, false));
const comparison: fc.Arbitrary<AggregateFilter> = fc.oneof(
  fc.tuple(field, fc.constantFrom('eq', 'ne'), scalar).map(([f, op, v]) => ({ field: f, [op]: v }) as AggregateFilter),
  fc.tuple(field, fc.constantFrom('gt', 'gte', 'lt', 'lte'), fc.oneof(fc.integer({ min: -5, max: 20 }), fc.constantFrom(0.25, 1800, 3600))).map(([f, op, v]) => ({ field: f, [op]: v }) as AggregateFilter),
  fc.tuple(field, fc.array(scalar, { minLength: 1, maxLength: 3 })).map(([f, vs]) => ({ field: f, in: vs })),
  field.map((f) => ({ exists: f })),
);

export const { expr: formula } = fc.letrec<{ expr: AggregateExpression; filter: AggregateFilter }>((tie) => {
  const options = fc.record(
    { where: tie('filter'), recordKind: fc.constantFrom('other', 'main'), samples: fc.constant(true) },
    { requiredKeys: [] },
  );
  const leaf = fc
    .tuple(
      fc.oneof(
        fc.constantFrom('mean', 'sum', 'min', 'max').chain((op) => field.map((f) => ({ [op]: f }))),
        fc.tuple(field, fc.oneof(fc.constantFrom(0, 0.25, 0.5, 0.9, 1), fc.constant({ param: 'q', default: 0.5 }))).map(([f, q]) => ({ quantile: f, q })),
        fc.oneof(fc.constant(true as const), tie('filter')).map((c) => ({ count: c })),
        fc.tuple(tie('filter'), fc.oneof(field, tie('filter'))).map(([share, of]) => ({ share, of })),
      ),
      options,
    )
    .map(([l, o]) => ({ ...l, ...o }) as AggregateExpression);
  const pair = fc.tuple(tie('expr'), tie('expr'));
  return {
    filter: fc.oneof(
      { depthSize: 'small', maxDepth: 2 },
      comparison,
      fc.array(tie('filter'), { minLength: 1, maxLength: 3 }).map((and) => ({ and })),
      fc.array(tie('filter'), { minLength: 1, maxLength: 3 }).map((or) => ({ or })),
      tie('filter').map((not) => ({ not })),
    ),
    expr: fc.oneof(
      { depthSize: 'small', maxDepth: 3 },
      leaf,
      fc.constantFrom(0, 1, -2, 0.5, 100, 1e300, 1e-300).map((c) => ({ const: c })),
      fc.array(tie('expr'), { minLength: 2, maxLength: 3 }).map((add) => ({ add })),
      fc.array(tie('expr'), { minLength: 2, maxLength: 3 }).map((mul) => ({ mul })),
      pair.map((sub) => ({ sub })),
      pair.map((div) => ({ div })),
      pair.map(([x, y]) => ({ switch: 'mode', default: 'x', cases: { x, y } })),
    ),
  };
});
export const params: fc.Arbitrary<AggregateParams> = fc.record({ mode: fc.constantFrom('x', 'y', null), q: fc.constantFrom(0, 0.3, 0.75, 1, null) }, { requiredKeys: [] });

// Points in time among the timestamps (2026-02-01 12:00 ± 10 h, ± zones): as-of, or looking
// ahead, with fields known only at an instant field (of any column type, an instant among them).
const KNOWN_AT: Array<[string, string]> = [['a', 't1'], ['b', 't2'], ['c', 't3'], ['t2', 't1'], ['odd "name\\', 't3'], ['constructor', 't1']];
const knownAtMap = fc.subarray(KNOWN_AT).map((pairs) => Object.fromEntries(pairs));
export const pointInTime: fc.Arbitrary<PointInTime | undefined> = fc.option(
  fc.record(
    {
      asOf: fc.constantFrom('2026-02-01T06:00:00Z', '2026-02-01T12:00:00Z', '2026-02-01T12:00:00.250Z', '2026-02-01T15:30:00Z', '2026-01-31T20:00:00Z', '2026-02-02T00:00:00Z').map((t) => new Date(t)),
      view: fc.constantFrom<PointInTime['view']>('as-of', 'latest', undefined),
      knownAt: fc.record({ [KIND]: knownAtMap, 'p.other': knownAtMap }, { requiredKeys: [] }),
    },
    { requiredKeys: ['asOf'] },
  ),
  { nil: undefined, freq: 4 },
);

// Windows inside [FROM, TO) that overlap, touch or nest, as a run's requests do (this quarter,
// the last 30 days, the quarter before), so that a combined scan must filter each formula's own.
export const MID = new Date('2026-02-15T00:00:00Z');
export const windows: Array<[Date, Date]> = [[FROM, TO], [FROM, MID], [MID, TO], [new Date('2026-03-02T00:00:00Z'), TO], [new Date('2026-01-20T12:00:00Z'), new Date('2026-02-20T00:00:00Z')]];
export const formulaInWindow = fc.record({ expr: formula, params, window: fc.constantFrom(...windows) });

