// The SQL translation of the aggregate language gives, on both store back-ends, exactly what the
// reference evaluator gives: every built-in metric formula (every switch case, several params)
// over hand-built records full of traps, the corners of the arithmetic, and one query per metric
// whatever the number of employees. The random counterpart is aggregate-sql.property.test.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateAggregate, ignoredOf, type AggregateExpression, type AggregateParams } from '../../core/metrics/aggregate.ts';
import { aggregateSql, runAggregateSql } from '../../core/metrics/sql.ts';
import type { Queryable, Store } from '../../core/store/store.ts';
import { BACKENDS, postgresReachable } from '../store/backends.ts';
import { evaluatorResults, expectSameResult, expectSqlMatchesEvaluator, putRecords, sqlOptions, type Case, type TestRecord } from './aggregate-sql-oracle.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
interface Metric {
  id: string;
  recordKind: string;
  aggregate?: AggregateExpression;
}
const builtIns = readdirSync(join(ROOT, 'plugins'), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .flatMap((e) => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'plugins', e.name, 'package.json'), 'utf8'));
    const plugin = manifest.name as string;
    return ((manifest.appraise?.contributes?.metrics ?? []) as Metric[])
      .filter((m) => m.aggregate)
      .map((m) => ({ id: `${plugin}.${m.id}`, expr: m.aggregate!, kind: `${plugin}.${m.recordKind}`, qualifyKind: (k: string) => `${plugin}.${k}` }));
  });

/** No params, every switch case, and several quantile levels (params are read when translating). */
function paramVariants(expr: AggregateExpression): AggregateParams[] {
  const variants: AggregateParams[] = [{}];
  const walk = (e: unknown): void => {
    if (e === null || typeof e !== 'object') return;
    const o = e as Record<string, unknown>;
    if (typeof o.switch === 'string') for (const name of Object.keys(o.cases as object)) variants.push({ [o.switch]: name });
    const q = o.q as { param?: string } | undefined;
    if (q?.param) for (const level of [0, 0.1, 0.9, 1]) variants.push({ [q.param]: level });
    for (const v of Object.values(o)) walk(v);
  };
  walk(expr);
  return variants;
}

const FROM = new Date('2026-01-01T00:00:00Z');
const TO = new Date('2026-04-01T00:00:00Z');
const AT = {
  in: '2026-02-01T10:00:00.000000Z',
  from: '2026-01-01T00:00:00.000000Z', // the window's first instant: inside
  last: '2026-03-31T23:59:59.999999Z', // inside
  to: '2026-04-01T00:00:00.000000Z', // the end is outside
  before: '2025-12-31T23:59:59.999999Z',
};
const WINDOWS: Array<[string, Date, Date]> = [
  ['the quarter', FROM, TO],
  ['an empty window', new Date('2030-01-01T00:00:00Z'), new Date('2030-02-01T00:00:00Z')],
  ['one instant', new Date('2026-02-01T10:00:00Z'), new Date('2026-02-01T10:00:00.001Z')],
];
const EMPLOYEES = ['ada', 'bob', 'cy', 'dee', 'eve'];

const r = (kind: string, employee: string, at: string, payload: TestRecord['payload']): TestRecord => ({ kind, employee, at, payload });
const survey = (employee: string, at: string, payload: TestRecord['payload']) => r('customer-feedback.survey', employee, at, payload);
const ticket = (employee: string, at: string, payload: Record<string, unknown>) => r('support.ticket', employee, at, payload);
const deal = (employee: string, at: string, payload: Record<string, unknown>) => r('sales.deal', employee, at, payload);
const quota = (employee: string, at: string, amount: unknown) => r('sales.quota', employee, at, { amount });
const opened = (openedAt: unknown, firstResponseAt?: unknown, resolvedAt?: unknown, more: Record<string, unknown> = {}) => ({ openedAt, firstResponseAt, resolvedAt, ...more });

// ada has everything, traps included; bob plain data; cy only tickets; dee only records outside
// the window; eve only records of kinds no formula reads together with hers.
const RECORDS: TestRecord[] = [
  survey('ada', AT.in, { csat: 5, nps: 10, ces: 7 }),
  survey('ada', AT.from, { csat: 4, nps: 9, ces: 1 }),
  survey('ada', AT.in, { csat: 3, nps: 6 }),
  survey('ada', AT.last, { csat: 1, nps: 0, ces: 4.5 }),
  survey('ada', AT.in, { csat: '5', nps: '10', ces: '7' }), // strings are not numbers
  survey('ada', AT.in, { csat: null, nps: null }),
  survey('ada', AT.in, { csat: true, nps: [9], ces: { v: 1 } }),
  survey('ada', AT.in, '{"csat": 1e400, "nps": -1e400, "ces": 2}'), // beyond a double: missing, as JSON.parse reads it
  survey('ada', AT.in, { comment: 'no scores' }),
  survey('ada', AT.to, { csat: 2, nps: 2 }),
  survey('ada', AT.before, { csat: 2, nps: 2 }),
  survey('bob', AT.in, { csat: 4, nps: 7 }),
  survey('bob', AT.in, { csat: 4, nps: 8 }),
  survey('bob', AT.last, { csat: 5, nps: 9, ces: 6 }),
  survey('dee', AT.to, { csat: 5, nps: 10 }),
  survey('dee', AT.before, { csat: 5, nps: 10 }),
  ticket('ada', AT.in, opened('2026-02-01T09:00:00Z', '2026-02-01T09:30:00Z', '2026-02-02T09:00:00Z', { contactsToResolve: 1, reopened: false })),
  ticket('ada', AT.in, opened('2026-02-01T10:00:00+01:00', '2026-02-01T09:05:00Z', '2026-02-01T12:00:00-0200', { contactsToResolve: 1.0, reopened: true })),
  ticket('ada', AT.in, opened('2026-02-01 09:00', '2026-02-01t09:10:00z', '2026-02-01T09:00:00.0000025Z', { contactsToResolve: '1' })),
  ticket('ada', AT.in, opened('2026-02-01T09:00:00Z', '2026-02-01T09:00:01.0000005Z', '2026-02-01T09:00:00.2500005Z', { contactsToResolve: 2, reopened: 'true' })),
  ticket('ada', AT.in, opened('2026-02-01T09:00:00Z', '2026-02-01T08:00:00Z', '2026-02-01T08:59:59.999999Z')), // negative durations
  ticket('ada', AT.in, opened('2026-02-30T09:00:00Z', '2026-02-01T09:00:00Z', '2026-03-01T09:00:00Z', { reopened: null })), // no Feb 30
  ticket('ada', AT.in, opened('2025-02-29T09:00:00Z', '2025-03-01T09:00:00Z', '2025-03-01T09:00:00Z')), // 2025 is no leap year
  ticket('ada', AT.in, opened('2024-02-29T09:00:00Z', '2024-03-01T09:00:00Z', '2024-03-01T09:00:00+15:59', { contactsToResolve: 1 })),
  ticket('ada', AT.in, opened('2026-02-01T09:00:00+16:00', '2026-02-01T09:00:00Z', '2026-02-01T09:00:00+1530')), // +16:00 is no offset
  ticket('ada', AT.in, opened('0000-01-01T00:00:00Z', '2026-02-01T09:00:00Z', '0001-01-01T00:00:00+15:00')),
  ticket('ada', AT.in, opened(1767603600000, '2026-02-01T09:00:00Z', '2026-02-01')),
  ticket('ada', AT.in, opened('2026-02-01T09:00:00Z', null, null)),
  ticket('ada', AT.to, opened('2026-02-01T09:00:00Z', '2026-02-01T19:00:00Z', '2026-02-03T09:00:00Z', { contactsToResolve: 1 })),
  ticket('cy', AT.from, opened('2026-01-01T08:00:00Z', '2026-01-01T08:00:00Z', '2026-01-01T08:00:00Z', { contactsToResolve: 1, reopened: false })), // zero is a duration
  ticket('cy', AT.in, opened('2026-01-31T23:00:00-05:00', '2026-02-01T05:00:00.5Z', '2026-02-03T00:00:00Z', { contactsToResolve: 3, reopened: true })),
  ticket('cy', AT.last, opened('2026-03-31T22:00:00Z', '2026-03-31T23:59:59.123456789Z')),
  ticket('eve', AT.in, opened('not a date', 'nor this')),
  deal('ada', AT.in, { stage: 'won', amount: 1200 }),
  deal('ada', AT.in, { stage: 'won', amount: 800.5 }),
  deal('ada', AT.in, { stage: 'won', amount: '500' }),
  deal('ada', AT.in, { stage: 'lost', amount: 300 }),
  deal('ada', AT.in, { stage: 'open', amount: 999 }),
  deal('ada', AT.in, { stage: 'WON', amount: 5 }),
  deal('ada', AT.in, { stage: null, amount: 5 }),
  deal('ada', AT.to, { stage: 'won', amount: 100000 }),
  deal('bob', AT.in, { stage: 'lost', amount: 10 }),
  deal('bob', AT.last, { stage: 'won', amount: 40 }),
  deal('cy', AT.in, { stage: 'won', amount: 70 }),
  quota('ada', AT.from, 2000),
  quota('ada', AT.in, 1000.25),
  quota('ada', AT.to, 1e6),
  quota('bob', AT.in, 0), // quota zero: no value
  quota('dee', AT.before, 100),
  quota('eve', AT.in, 500), // a quota and no deals: 0 %
  r('training.training', 'ada', AT.in, { course: 'listening' }),
  r('training.training', 'ada', AT.to, { course: 'late' }),
  r('training.training', 'eve', AT.last, { course: 'closing' }),
  r('other.kind', 'ada', AT.in, { csat: 1, nps: 1, amount: 1, stage: 'won' }), // never read
];

for (const backend of BACKENDS) {
  describe(`aggregate SQL on ${backend.name}`, async () => {
    const skip = backend.name === 'postgres' && !(await postgresReachable());
    let store: Store & { dispose(): Promise<void> };
    beforeAll(async () => {
      if (skip) return;
      store = await backend.open();
      await putRecords(store, RECORDS);
    });
    afterAll(async () => {
      if (!skip) await store.dispose();
    });

    it.skipIf(skip).each(builtIns)('$id equals the evaluator: every param variant, every window, both fences', async (m) => {
      for (const params of paramVariants(m.expr)) {
        for (const [name, from, to] of WINDOWS) {
          for (const parallel of [false, true]) {
            const c: Case = { expr: m.expr, kind: m.kind, qualifyKind: m.qualifyKind, params, from, to };
            await expectSqlMatchesEvaluator(store, c, RECORDS, EMPLOYEES, `${m.id} ${JSON.stringify(params)} over ${name}, parallel ${parallel}`, { parallel });
          }
        }
      }
    });

    it.skipIf(skip)('computes the hand-checked figures (NPS, first response time, quota attainment)', async () => {
      const metric = (id: string) => builtIns.find((m) => m.id === id)!;
      const run = async (id: string, params: AggregateParams = {}) => {
        const m = metric(id);
        return runAggregateSql(store, m.expr, { kind: m.kind, qualifyKind: m.qualifyKind, params, from: FROM, to: TO });
      };
      // ada's NPS answers in the window: 10, 9, 6, 0, and "10" and [9], present but not numbers
      // → 2 promoters and 2 detractors of 6 answers → 0.
      expect((await run('customer-feedback.nps')).get('ada')).toEqual({ value: 0, samples: 6 });
      // bob: 7, 8, 9 → (1 − 0) / 3.
      expect((await run('customer-feedback.nps')).get('bob')!.value).toBeCloseTo(100 / 3, 12);
      // cy's first responses: 0 s, 1 h 0.5 s (23:00−05:00 is 04:00Z), 1 h 59 min 59.123457 s
      // (nine fraction digits round to microseconds); median 3600.5 s.
      expect((await run('support.first-response-time')).get('cy')).toEqual({ value: 3600.5, samples: 3 });
      expect((await run('support.first-response-time', { quantile: 1 })).get('cy')!.value).toBe(7199.123457);
      // ada: won 1200 + 800.5 against quotas 2000 + 1000.25 → 66.65…%; bob's quota is 0: no value.
      const attainment = await run('sales.quota-attainment');
      expect(attainment.get('ada')!.value).toBeCloseTo((100 * 2000.5) / 3000.25, 10);
      expect(attainment.get('bob')).toEqual({ value: null, samples: 1 });
      expect(attainment.get('eve')).toEqual({ value: 0, samples: 1 });
    });

    it.skipIf(skip)('does not depend on the session time zone (a timestamp without a zone is UTC)', async () => {
      const frt = builtIns.find((m) => m.id === 'support.first-response-time')!;
      const c: Case = { expr: frt.expr, kind: frt.kind, qualifyKind: frt.qualifyKind, params: { quantile: 1 }, from: FROM, to: TO };
      const { sql, params } = aggregateSql(c.expr, sqlOptions(c));
      const expected = evaluatorResults(c, RECORDS, EMPLOYEES);
      for (const zone of ['Asia/Kathmandu', 'America/St_Johns', 'UTC']) {
        const rows = await store.transaction(async (tx) => {
          await tx.query(`SET LOCAL TIME ZONE '${zone}'`);
          return (await tx.query<{ employee_id: string; value: number | null; samples: number; negative: number; open: number }>(sql, params)).rows;
        });
        for (const row of rows) {
          const ignored = ignoredOf(row.negative, row.open);
          expectSameResult({ value: row.value, samples: row.samples, ...(ignored ? { ignored } : {}) }, expected.get(row.employee_id)!, `${zone} / ${row.employee_id}`);
        }
      }
    });

    it.skipIf(skip)('restricts to the given employees', async () => {
      const nps = builtIns.find((m) => m.id === 'customer-feedback.nps')!;
      const rows = await runAggregateSql(store, nps.expr, { kind: nps.kind, from: FROM, to: TO, employees: ['bob', 'nobody'] });
      expect([...rows.keys()]).toEqual(['bob']);
      expect(await runAggregateSql(store, nps.expr, { kind: nps.kind, from: FROM, to: TO, employees: [] })).toEqual(new Map());
    });

    it.skipIf(skip)('gives JavaScript\'s answer where float8 arithmetic would raise an error', async () => {
      // Overflow is "no value"; underflow is 0; PostgreSQL's operators would raise instead.
      const records = [
        r('t.k', 'big', AT.in, { x: 1e200, y: 1e200, z: 1.7e308, w: -1.7e308 }),
        r('t.k', 'big', AT.in, { x: 1e-200, y: 1e-200, z: 1.7e308, w: 1e-320 }),
        r('t.k', 'edge', AT.in, { x: 2 ** 511, y: 2 ** 512, z: Number.MAX_VALUE, w: -Number.MAX_VALUE }),
        r('t.k', 'edge', AT.in, { x: 2 ** -537, y: 2 ** -538, z: 2 ** -1074, w: 3 }),
        r('t.k', 'small', AT.in, { x: 5e-324, y: 0.5, z: 0.75, w: 1e-310 }),
      ];
      const formulas: AggregateExpression[] = [
        { mul: [{ max: 'x' }, { max: 'y' }] },
        { mul: [{ min: 'x' }, { min: 'y' }] },
        { mul: [{ min: 'x' }, { min: 'y' }, { const: 1e300 }] },
        { div: [{ max: 'x' }, { min: 'y' }] },
        { div: [{ min: 'x' }, { max: 'y' }] },
        { div: [{ min: 'w' }, { max: 'w' }] },
        { add: [{ max: 'z' }, { max: 'z' }] },
        { sub: [{ min: 'w' }, { max: 'z' }] },
        { add: [{ max: 'z' }, { min: 'w' }, { max: 'z' }] },
        { sum: 'z' },
        { mean: 'z' },
        { mean: 'w' },
        { quantile: 'w', q: 0.5 },
        { quantile: { seconds: ['a', 'b'] }, q: 0.5 },
        { mul: [{ min: 'x' }, { const: 0.5 }] },
        { div: [{ min: 'z' }, { const: 3 }] },
      ];
      await putRecords(store, records);
      try {
        for (const expr of formulas) {
          const c: Case = { expr, kind: 't.k', qualifyKind: (k) => k, params: {}, from: FROM, to: TO };
          await expectSqlMatchesEvaluator(store, c, records, ['big', 'edge', 'small'], JSON.stringify(expr));
        }
      } finally {
        await putRecords(store, RECORDS);
      }
    });

    it.skipIf(skip)('throws what the evaluator throws for unusable params', () => {
      const csat = builtIns.find((m) => m.id === 'customer-feedback.csat')!;
      const frt = builtIns.find((m) => m.id === 'support.first-response-time')!;
      expect(() => aggregateSql(csat.expr, { kind: csat.kind, params: { mode: 'median' }, from: FROM, to: TO })).toThrow(/params\.mode is "median"/);
      expect(() => aggregateSql(frt.expr, { kind: frt.kind, params: { quantile: 2 }, from: FROM, to: TO })).toThrow(/params\.quantile is 2/);
      expect(() => aggregateSql({ mean: 'x', where: { field: 'y', equals: 1 } } as never, { kind: 'k', from: FROM, to: TO })).toThrow(/at aggregate\/where/);
    });

    it.skipIf(skip)('uses one query per metric, the same SQL text for 1 or 1,000 employees', async () => {
      let queries = 0;
      const counting: Queryable = {
        query: (sql, params) => {
          queries++;
          return store.query(sql, params);
        },
      };
      for (const m of builtIns) {
        const one = aggregateSql(m.expr, { kind: m.kind, qualifyKind: m.qualifyKind, from: FROM, to: TO, employees: ['ada'] });
        const many = Array.from({ length: 1000 }, (_, i) => `e${i}`);
        const thousand = aggregateSql(m.expr, { kind: m.kind, qualifyKind: m.qualifyKind, from: FROM, to: TO, employees: many });
        expect(thousand.sql, m.id).toBe(one.sql);
        expect(thousand.params.length, m.id).toBe(one.params.length);
        expect(one.sql, m.id).not.toContain(';');
        for (const employees of [undefined, ['ada'], EMPLOYEES, many]) {
          queries = 0;
          await runAggregateSql(counting, m.expr, { kind: m.kind, qualifyKind: m.qualifyKind, from: FROM, to: TO, employees });
          expect(queries, `${m.id} for ${employees?.length ?? 'all'} employees`).toBe(1);
        }
      }
    });
  });
}

describe('aggregateSql without a database', () => {
  it('a formula of constants reads no records: no rows, the caller evaluates it on none', () => {
    const expr: AggregateExpression = { mul: [{ const: 2 }, { const: 3 }] };
    expect(aggregateSql(expr, { kind: 'k', from: FROM, to: TO })).toEqual({ sql: expect.stringContaining('WHERE false'), params: [], readsRecords: [false] });
    expect(evaluateAggregate(expr, { kind: 'k', records: {} })).toEqual({ value: 6, samples: 0 });
  });

  it('never puts a field name, a value or a kind in the SQL text', () => {
    const expr: AggregateExpression = {
      div: [{ sum: "amount'; DROP TABLE records; --", where: { field: 'stage"x', in: ["won'", 'x\\y'] } }, { count: true, recordKind: "quota'" }],
    };
    const { sql, params } = aggregateSql(expr, { kind: "deal'", qualifyKind: (k) => `sales.${k}`, from: FROM, to: TO, employees: ["o'brien"] });
    for (const s of ['DROP', 'stage', 'won', 'quota', 'deal', 'brien', 'x\\y']) expect(sql).not.toContain(s);
    expect(params).toEqual(expect.arrayContaining(["amount'; DROP TABLE records; --", '"won\'"', "sales.quota'", "deal'", ["o'brien"]]));
  });
});
