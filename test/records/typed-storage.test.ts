// Typed storage per record kind (core/records/): a store made before it is typed in place when
// opened with its plugins, nothing lost and every fact the same; a plugin's newer schema adds
// columns from the stored payloads; a field some stored record does not fit stays readable from
// the payload; a record written by hand that does not fit is refused by name; deletes follow.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BACKENDS, storeForSuite } from '../store/backends.ts';
import { openStore, type Store } from '../../core/store/store.ts';
import { migrate, migrationFiles, splitStatements } from '../../core/store/migrate.ts';
import { discoverPlugins } from '../../core/plugins/discovery.ts';
import { generateOrganisationSync } from '../../core/demo/generate.ts';
import { RECORD_KINDS } from '../../core/demo/types.ts';
import { payloadInstants } from '../../core/metrics/aggregate/instants.ts';
import { ensureRecordLayouts, storedLayouts } from '../../core/records/typed-tables.ts';
import { aggregateSql, runAggregatesSql, type FormulaOptions } from '../../core/metrics/sql.ts';
import type { AggregateExpression } from '../../core/metrics/aggregate.ts';
import type { RecordKindInfo } from '../../core/plugins/manifest.ts';

const MIGRATIONS = fileURLToPath(new URL('../../core/store/migrations/', import.meta.url));
const AS_OF = new Date('2026-10-01T00:00:00Z');

/** The schema of the release before typed storage: migrations up to 006, applied as it applied them. */
async function previousReleaseStore(): Promise<Store> {
  const store = await openStore({ dataDir: 'memory://', databaseUrl: '', bare: true });
  await store.query('CREATE TABLE schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
  for (const f of migrationFiles().filter((f) => f < '007')) {
    for (const statement of splitStatements(readFileSync(MIGRATIONS + f, 'utf8'))) await store.query(statement);
    await store.query('INSERT INTO schema_migrations (name) VALUES ($1)', [f]);
  }
  return store;
}

/** A demo organisation's records, inserted as the previous release's import wrote them. */
async function insertDemoRecords(store: Store, employees: number): Promise<number> {
  const records: unknown[] = [];
  for (const batch of generateOrganisationSync({ employees, seed: 7, asOf: AS_OF })) {
    for (const kind of RECORD_KINDS) for (const r of batch.records[kind]) records.push({ kind, ...r, instants: payloadInstants(r.payload as Record<string, unknown>) });
  }
  await store.query(
    `INSERT INTO records (kind, employee_id, occurred_at, payload, external_id, instants)
     SELECT r->>'kind', r->>'employeeId', (r->>'occurredAt')::timestamptz, r->'payload', r->>'externalId', r->'instants' FROM jsonb_array_elements($1::jsonb) r`,
    [JSON.stringify(records)],
  );
  return records.length;
}

/** Every declarative metric of the plugins over the last quarter, per employee: what runs compute. */
function formulas(set: Awaited<ReturnType<typeof discoverPlugins>>): FormulaOptions[] {
  return [...set.metrics.values()]
    .filter((m) => m.aggregate !== undefined)
    .map((m) => ({ expr: m.aggregate as AggregateExpression, kind: m.recordKind, params: {}, from: new Date('2026-07-01T00:00:00Z'), to: AS_OF }));
}

describe('a store made before typed storage', () => {
  it('is typed in place when opened with its plugins: nothing lost, every metric the same, read from the typed tables', async () => {
    const store = await previousReleaseStore();
    try {
      const count = await insertDemoRecords(store, 40);
      const before = (await store.query<{ h: string; n: number }>(`SELECT md5(string_agg(id || kind || payload::text, ',' ORDER BY id)) AS h, count(*)::int AS n FROM records`)).rows[0];
      const set = await discoverPlugins();
      const fs = formulas(set);
      const overPayloads = await runAggregatesSql(store, fs, {});

      // Every later migration applies in order, typed storage's first.
      expect(await migrate(store)).toEqual(migrationFiles().filter((f) => f >= '007'));
      expect((await migrate(store))).toEqual([]);
      expect((await ensureRecordLayouts(store, [...set.recordKinds.values()])).sort()).toEqual([...set.recordKinds.keys()].sort());

      const after = (await store.query<{ h: string; n: number }>(`SELECT md5(string_agg(id || kind || payload::text, ',' ORDER BY id)) AS h, count(*)::int AS n FROM records`)).rows[0];
      expect(after).toEqual(before);
      expect(before.n).toBe(count);
      const layouts = await storedLayouts(store);
      for (const [kind, layout] of layouts) {
        const stored = (await store.query<{ n: number }>('SELECT count(*)::int AS n FROM records WHERE kind = $1', [kind])).rows[0].n;
        const typed = (await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${layout.table}"`)).rows[0].n;
        expect(typed, kind).toBe(stored);
      }
      for (const f of fs) expect(aggregateSql(f.expr, { ...f, layouts }).sql, f.kind).toContain('"rk_');
      expect(await runAggregatesSql(store, fs, { layouts })).toEqual(overPayloads);
      // Opening again does nothing.
      expect(await ensureRecordLayouts(store, [...set.recordKinds.values()])).toEqual([]);
    } finally {
      await store.close();
    }
  }, 120_000);
});

const kind = (schema: Record<string, unknown>): RecordKindInfo => ({ id: 'x.visit', localId: 'visit', title: 'Visit', schema: { type: 'object', ...schema }, plugin: 'x' });
const V1 = kind({ properties: { score: { type: 'integer', minimum: 0, maximum: 10 }, code: { type: 'string' } } });
const V2 = kind({ properties: { score: { type: 'integer', minimum: 0, maximum: 10 }, code: { type: 'integer' }, minutes: { type: 'number' } } });

for (const backend of BACKENDS) {
  describe(`typed tables on ${backend.name}`, async () => {
    const suite = await storeForSuite(backend);
    const put = (employee: string, payload: Record<string, unknown>, id: string) =>
      suite.store.query(`INSERT INTO records (kind, employee_id, occurred_at, payload, external_id) VALUES ('x.visit', $1, '2026-09-01T10:00:00Z', $2::jsonb, $3)`, [employee, JSON.stringify(payload), id]);
    const sum = async (field: string) => {
      const layouts = await storedLayouts(suite.store);
      const f: FormulaOptions = { expr: { sum: field }, kind: 'x.visit', params: {}, from: new Date('2026-08-01T00:00:00Z'), to: AS_OF };
      const [byEmployee] = await runAggregatesSql(suite.store, [f], { layouts });
      return { typed: aggregateSql(f.expr, { ...f, layouts }).sql.includes('"rk_'), values: Object.fromEntries([...byEmployee].map(([e, r]) => [e, r.value])) };
    };

    it.skipIf(suite.skip)("a plugin's newer schema: new fields typed from the stored payloads, a field old records do not fit left untyped, nothing refused", async () => {
      await ensureRecordLayouts(suite.store, [V1]);
      await put('e1', { score: 7, code: 'A', minutes: 12.5 }, 'v1');
      await put('e1', { score: 3, code: 'B', minutes: 2 }, 'v2');
      await put('e2', { score: 9 }, 'v3');
      expect(await sum('score')).toEqual({ typed: true, values: { e1: 10, e2: 9 } });
      expect((await sum('minutes')).typed).toBe(false); // not in V1: read from the payload
      expect(await ensureRecordLayouts(suite.store, [V2])).toEqual(['x.visit']);
      expect(await sum('minutes')).toEqual({ typed: true, values: { e1: 14.5, e2: 0 } });
      const code = await sum('code');
      expect(code.typed).toBe(false); // stored codes are texts: V2's integer column cannot hold them
      expect(code.values).toEqual({ e1: 0, e2: 0 });
      await put('e2', { score: 1, code: 5 }, 'v4'); // fits V2, and the untyped field is no obstacle
      expect(await sum('score')).toEqual({ typed: true, values: { e1: 10, e2: 10 } });
    });

    it.skipIf(suite.skip)('a record written by hand that does not fit its column is refused, naming the record and the field; deletes follow', async () => {
      await expect(put('e3', { score: 'high' }, 'bad')).rejects.toThrow(/APPRAISE_RECORD_TYPE: record \d+ of kind x\.visit has score = "high"/);
      await expect(put('e3', { score: 2.5 }, 'bad2')).rejects.toThrow(/APPRAISE_RECORD_TYPE/);
      expect((await suite.store.query('SELECT 1 FROM records WHERE external_id IN ($1, $2)', ['bad', 'bad2'])).rows).toEqual([]);
      await suite.store.query(`DELETE FROM records WHERE external_id = 'v1'`);
      expect((await sum('score')).values).toEqual({ e1: 3, e2: 10 });
    });
  });
}
