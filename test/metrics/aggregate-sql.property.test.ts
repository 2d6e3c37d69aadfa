// Random formulas over random records: the SQL translation equals the reference evaluator on
// both suite.store back-ends. Every operator, filter, `where`, `recordKind`, `samples`, switch and
// quantile param; values of every JSON type, durations with zones, fractions and bad dates;
// records of other kinds, other employees and on the window's edges.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { BACKENDS, storeForSuite } from '../store/backends.ts';
import { expectCombinedMatchesEvaluator, expectSqlMatchesEvaluator, putRecords, type Case, type TestRecord } from './aggregate-sql-oracle.ts';
import { EMPLOYEES, FROM, KIND, NUMBER_FIELDS, TIME_FIELDS, TO, formula, formulaInWindow, numberValue, params, pointInTime, qualifyKind, timestamp } from './aggregate-arbitraries.ts';

const RUNS = Number(process.env.APPRAISE_PROPERTY_RUNS ?? 200); // more for a deeper search

// Values: numbers whose sums are exact in a double (as real scores and amounts nearly always
// are), and everything that is not a number.
const jsonValue = fc.oneof(
  { weight: 6, arbitrary: numberValue },
  { weight: 3, arbitrary: fc.constantFrom<unknown>('5', 'won', 'lost', '', true, false, null, [1], { x: 1 }, 1e300, -1e-300) },
);

const payload = fc.record(
  Object.fromEntries([...NUMBER_FIELDS.map((f) => [f, jsonValue]), ...TIME_FIELDS.map((f) => [f, timestamp])]) as Record<string, fc.Arbitrary<unknown>>,
  { requiredKeys: [] },
);
const record = fc.record({
  kind: fc.constantFrom(KIND, KIND, KIND, 'p.other', 'p.noise'),
  employee: fc.constantFrom(...EMPLOYEES),
  at: fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 0, max: 89 * 86400 - 1 }).map((s) => new Date(FROM.getTime() + s * 1000).toISOString().replace(/\.\d+Z$/, '.000000Z')) },
    { weight: 1, arbitrary: fc.constantFrom('2026-01-01T00:00:00.000000Z', '2026-04-01T00:00:00.000000Z', '2025-12-31T23:59:59.999999Z', '2026-03-31T23:59:59.999999Z') },
  ),
  payload,
  // Stored as an import stores it (timestamps precomputed) or as before migration 004.
  instants: fc.boolean(),
});

for (const backend of BACKENDS) {
  describe(`aggregate SQL on ${backend.name}, random formulas and records`, async () => {
    const suite = await storeForSuite(backend);
    const skip = suite.skip;

    it.skipIf(skip)(`equals the evaluator (${RUNS} runs)`, async () => {
      await fc.assert(
        fc.asyncProperty(formula, params, pointInTime, fc.array(record, { maxLength: 24 }), async (expr, p, pit, records: TestRecord[]) => {
          await putRecords(suite.store, records);
          const c: Case = { expr, kind: KIND, qualifyKind, params: p, from: FROM, to: TO, ...(pit ? { pointInTime: pit } : {}) };
          await expectSqlMatchesEvaluator(suite.store, c, records, EMPLOYEES, JSON.stringify({ expr, params: p, pit }), { tolerance: 0 });
        }),
        { numRuns: RUNS },
      );
    }, 120_000);

    it.skipIf(skip)(`several formulas in one scan equal each formula alone (${RUNS} runs)`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(formulaInWindow, { minLength: 1, maxLength: 4 }), pointInTime, fc.array(record, { maxLength: 24 }), async (formulas, pit, records: TestRecord[]) => {
          await putRecords(suite.store, records);
          const cases: Case[] = formulas.map((f) => ({ expr: f.expr, kind: KIND, qualifyKind, params: f.params, from: f.window[0], to: f.window[1], ...(pit ? { pointInTime: pit } : {}) }));
          await expectCombinedMatchesEvaluator(suite.store, cases, records, EMPLOYEES, (i) => JSON.stringify({ ...formulas[i], pit }));
        }),
        { numRuns: RUNS },
      );
    }, 120_000);
  });
}
