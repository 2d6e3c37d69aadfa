// Random formulas over random records stored in typed tables (core/records/): the SQL over the
// typed columns equals the reference evaluator on both back-ends, exactly as over payloads.
// Each field has one type, as a plugin's schema gives it: a bounded integer (smallint), an
// unbounded one (numeric), a number, a boolean, a plain text, date-time texts; values of that
// type or null or absent, timestamps that exist and that do not, with and without the import's
// precomputed instants. The formulas read every field with every operator, so a number read
// from a text column, a duration of a text, an `eq` of a boolean with a number all occur.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BACKENDS, storeForSuite } from '../store/backends.ts';
import { aggregateSql } from '../../core/metrics/sql.ts';
import { ensureRecordLayouts, storedLayouts } from '../../core/records/typed-tables.ts';
import type { RecordKindInfo } from '../../core/plugins/manifest.ts';
import { expectCombinedMatchesEvaluator, expectSqlMatchesEvaluator, putRecords, sqlOptions, type Case, type TestRecord } from './aggregate-sql-oracle.ts';
import { EMPLOYEES, FROM, KIND, TO, formula, formulaInWindow, numberValue, params, pointInTime, qualifyKind, timestamp } from './aggregate-arbitraries.ts';

const RUNS = Number(process.env.APPRAISE_PROPERTY_RUNS ?? 200);

const SCHEMA = {
  type: 'object',
  properties: {
    a: { type: 'integer', minimum: -20, maximum: 20 },
    b: { type: 'number' },
    c: { type: 'boolean' },
    constructor: { type: 'integer' },
    'odd "name\\': { type: 'string' },
    t1: { type: 'string', format: 'date-time' },
    t2: { type: ['string', 'null'], format: 'date-time' },
    t3: { type: 'string' },
  },
};
const kindInfo = (id: string): RecordKindInfo => ({ id, localId: id.slice(2), title: id, schema: SCHEMA, plugin: 'p' });

const text = timestamp.filter((t) => typeof t === 'string' || t === null);
const orNull = <T>(a: fc.Arbitrary<T>) => fc.oneof({ weight: 6, arbitrary: a }, { weight: 1, arbitrary: fc.constant(null) });
const payload = fc.record(
  {
    a: orNull(fc.integer({ min: -20, max: 20 })),
    b: orNull(fc.oneof({ weight: 8, arbitrary: numberValue }, { weight: 1, arbitrary: fc.constantFrom(1e300, -1e-300) })),
    c: orNull(fc.boolean()),
    constructor: orNull(fc.integer({ min: -20, max: 20 })),
    'odd "name\\': orNull(fc.constantFrom('5', 'won', 'lost', '', '2026-02-01T12:00:00Z')),
    t1: text,
    t2: text,
    t3: text,
  },
  { requiredKeys: [] },
);
const record = fc.record({
  kind: fc.constantFrom(KIND, KIND, KIND, 'p.other'),
  employee: fc.constantFrom(...EMPLOYEES),
  at: fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 0, max: 89 * 86400 - 1 }).map((s) => new Date(FROM.getTime() + s * 1000).toISOString().replace(/\.\d+Z$/, '.000000Z')) },
    { weight: 1, arbitrary: fc.constantFrom('2026-01-01T00:00:00.000000Z', '2026-04-01T00:00:00.000000Z', '2025-12-31T23:59:59.999999Z') },
  ),
  payload,
  instants: fc.boolean(),
});

for (const backend of BACKENDS) {
  describe(`aggregate SQL over typed tables on ${backend.name}`, async () => {
    const suite = await storeForSuite(backend);
    const skip = suite.skip;
    const layouts = async () => {
      await ensureRecordLayouts(suite.store, [kindInfo(KIND), kindInfo('p.other')]);
      return storedLayouts(suite.store);
    };

    it.skipIf(skip)('reads the typed tables, not the payloads', async () => {
      const sql = aggregateSql({ mean: 'a', where: { field: 't3', eq: 'x' } }, { ...sqlOptions({ expr: { const: 0 }, kind: KIND, qualifyKind, params: {}, from: FROM, to: TO }), layouts: await layouts() }).sql;
      expect(sql).toMatch(/FROM "rk_p_main_[0-9a-f]+" WHERE/);
      expect(sql).not.toContain('payload');
    });

    it.skipIf(skip)(`equals the evaluator (${RUNS} runs)`, async () => {
      const typed = await layouts();
      await fc.assert(
        fc.asyncProperty(formula, params, pointInTime, fc.array(record, { maxLength: 24 }), async (expr, p, pit, records: TestRecord[]) => {
          await putRecords(suite.store, records);
          const c: Case = { expr, kind: KIND, qualifyKind, params: p, from: FROM, to: TO, ...(pit ? { pointInTime: pit } : {}) };
          await expectSqlMatchesEvaluator(suite.store, c, records, EMPLOYEES, JSON.stringify({ expr, params: p, pit }), { tolerance: 0, layouts: typed });
        }),
        { numRuns: RUNS },
      );
    }, 120_000);

    it.skipIf(skip)(`several formulas in one scan of several typed tables equal the evaluator (${RUNS} runs)`, async () => {
      const typed = await layouts();
      await fc.assert(
        fc.asyncProperty(fc.array(formulaInWindow, { minLength: 1, maxLength: 4 }), pointInTime, fc.array(record, { maxLength: 24 }), async (formulas, pit, records: TestRecord[]) => {
          await putRecords(suite.store, records);
          const cases: Case[] = formulas.map((f) => ({ expr: f.expr, kind: KIND, qualifyKind, params: f.params, from: f.window[0], to: f.window[1], ...(pit ? { pointInTime: pit } : {}) }));
          await expectCombinedMatchesEvaluator(suite.store, cases, records, EMPLOYEES, (i) => JSON.stringify({ ...formulas[i], pit }), typed);
        }),
        { numRuns: RUNS },
      );
    }, 120_000);
  });
}
