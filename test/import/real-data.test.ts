// Each public data set of ../shared/data imports with the mapping shipped in rules/mappings, on
// both back-ends, with the data decisions the mappings document. The product never reads these
// files; the tests skip, saying so, where they are absent.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { importEmployees } from '../../core/import/import-employees.ts';
import { importRecords } from '../../core/import/import-records.ts';
import { loadMapping, type Mapping } from '../../core/import/mapping.ts';
import type { Store } from '../../core/store/store.ts';
import { BACKENDS, storeForSuite } from '../store/backends.ts';
import { count, MAPPINGS, recordKind, sharedData } from './helpers.ts';

async function mapping(name: string): Promise<Mapping> {
  const { mapping, diagnostics } = await loadMapping(join(MAPPINGS, `${name}.mapping.yaml`));
  expect(diagnostics).toEqual([]);
  return mapping!;
}

async function records(store: Store, file: string, name: string) {
  const m = await mapping(name);
  return importRecords(store, await recordKind(m.recordKind!), { file, mapping: m });
}

const technion = sharedData('technion_anonymous_bank_1999-02.tsv');
const pwc = sharedData('pwc_call_center_2021Q1.csv');
const hr = sharedData('HRDataset_v14.csv');
const mavenTeams = sharedData('maven_crm/sales_teams.csv');
const mavenPipeline = sharedData('maven_crm/sales_pipeline.csv');

for (const backend of BACKENDS) {
  describe(`real data sets on ${backend.name}`, async () => {
    const suite = await storeForSuite(backend);
    const skip = suite.skip;

    it.skipIf(skip || !technion)('Technion call log: its 24 agents, then one ticket per served call', async () => {
      const agents = await importEmployees(suite.store, { file: technion!, mapping: await mapping('technion-bank-agents') });
      expect(agents).toMatchObject({ read: 33_344, inserted: 24, rejected: 0, skipped: { 'not an agent (server NO_SERVER)': 6673 } });
      const s = await records(suite.store, technion!, 'technion-bank-tickets');
      expect(s).toMatchObject({
        read: 33_344,
        inserted: 26_621,
        rejected: 0,
        skipped: {
          'phantom call (outcome PHANTOM)': 278,
          'no agent served the call (server NO_SERVER)': 6395,
          'served by an agent but no service times recorded (ser_start 0:00:00, ser_time 0)': 50,
        },
      });
      const one = async (externalId: string) =>
        (await suite.store.query<{ employee_id: string; payload: Record<string, string> }>(`SELECT employee_id, payload FROM records WHERE external_id = $1`, [externalId])).rows[0];
      // The first call of the log, 7:02:47 Israel time (UTC+2 in February).
      expect(await one('technion-bank:990201:AA0101:34536')).toEqual({
        employee_id: 'DORIT',
        payload: { openedAt: '1999-02-01T05:02:47Z', firstResponseAt: '1999-02-01T05:02:55Z', resolvedAt: '1999-02-01T05:05:41Z', channel: 'phone' },
      });
      // Service that ran past midnight ends on the next day; so does an answer after midnight.
      expect(await one('technion-bank:990220:AA0102:31307')).toMatchObject({
        employee_id: 'DARMON',
        payload: { openedAt: '1999-02-20T21:59:32Z', firstResponseAt: '1999-02-20T21:59:43Z', resolvedAt: '1999-02-20T22:01:28Z' },
      });
      expect((await one('technion-bank:990215:AA0102:31056')).payload).toMatchObject({ openedAt: '1999-02-15T21:59:54Z', firstResponseAt: '1999-02-15T22:00:26Z', resolvedAt: '1999-02-15T22:01:33Z' });
      // Negative IVR time: kept with openedAt = vru_entry as logged, still before the answer.
      expect(await one('technion-bank:990207:AA0102:30456')).toMatchObject({ employee_id: 'KAZAV', payload: { openedAt: '1999-02-07T07:48:14Z', firstResponseAt: '1999-02-07T07:50:11Z' } });
      const inverted = await suite.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM records WHERE kind = 'support.ticket' AND ((payload->>'firstResponseAt')::timestamptz < (payload->>'openedAt')::timestamptz OR (payload->>'resolvedAt')::timestamptz < (payload->>'firstResponseAt')::timestamptz)`);
      expect(Number(inverted.rows[0].n)).toBe(0);
    }, 120_000);

    it.skipIf(skip || !pwc)('PwC call centre: 8 agents, answered calls as tickets, ratings as surveys', async () => {
      expect(await importEmployees(suite.store, { file: pwc!, mapping: await mapping('pwc-call-centre-agents') })).toMatchObject({ inserted: 8, duplicates: 4992 });
      expect(await records(suite.store, pwc!, 'pwc-call-centre-tickets')).toMatchObject({ inserted: 4054, skipped: { 'the call was never answered (Answered N)': 946 }, rejected: 0 });
      expect(await records(suite.store, pwc!, 'pwc-call-centre-surveys')).toMatchObject({ inserted: 4054, skipped: { 'no satisfaction rating given': 946 }, rejected: 0 });
      const t = (await suite.store.query<{ payload: Record<string, string> }>(`SELECT payload FROM records WHERE external_id = 'pwc-phonenow:ID0001'`)).rows[0];
      // 9:12:58 + 109 s to answer + 0:02:23 talk.
      expect(t.payload).toEqual({ openedAt: '2021-01-01T09:12:58Z', firstResponseAt: '2021-01-01T09:14:47Z', resolvedAt: '2021-01-01T09:17:10Z', channel: 'phone' });
      expect(await count(suite.store, 'records', `kind = 'support.ticket' AND external_id LIKE 'pwc-%' AND payload ? 'resolvedAt'`)).toBe(3646);
      const csat = await suite.store.query<{ c: string; n: number }>(`SELECT payload->>'csat' AS c, count(*)::int AS n FROM records WHERE kind = 'customer-feedback.survey' GROUP BY 1 ORDER BY 1`);
      expect(csat.rows.map((r) => [r.c, Number(r.n)])).toEqual([['1', 417], ['2', 396], ['3', 1218], ['4', 1180], ['5', 843]]);
      // Re-importing adds nothing.
      expect(await records(suite.store, pwc!, 'pwc-call-centre-surveys')).toMatchObject({ inserted: 0, duplicates: 4054 });
    }, 60_000);

    it.skipIf(skip || !hr)('HRDataset_v14: 311 employees with protected attributes, trimmed, dates read', async () => {
      expect(await importEmployees(suite.store, { file: hr!, mapping: await mapping('hr-dataset-employees') })).toMatchObject({ read: 311, inserted: 311, rejected: 0 });
      const e = (await suite.store.query<Record<string, unknown>>(`SELECT name, department, hire_date, attributes FROM employees WHERE id = '10026'`)).rows[0];
      expect(e.name).toBe('Adinolfi, Wilson K');
      expect(e.department).toBe('Production');
      expect(new Date(e.hire_date as string).toISOString().slice(0, 10)).toBe('2011-07-05');
      // DOB 07/10/83 → 35 on 2019-03-01.
      expect(e.attributes).toMatchObject({ sex: 'M', race: 'White', hispanicLatino: false, ageBand: '30-39', managerName: 'Michael Albert', engagementSurvey: 4.6 });
      const sexes = await suite.store.query<{ s: string; n: number }>(`SELECT attributes->>'sex' AS s, count(*)::int AS n FROM employees WHERE source = 'hr-dataset-v14' GROUP BY 1 ORDER BY 1`);
      expect(sexes.rows.map((r) => [r.s, Number(r.n)])).toEqual([['F', 176], ['M', 135]]);
      expect(await count(suite.store, 'employees', `source = 'hr-dataset-v14' AND attributes->>'hispanicLatino' = 'true'`)).toBe(28);
      // A 1951 birth (two-digit year) is 60+ (not a child born in 2051).
      expect(await count(suite.store, 'employees', `source = 'hr-dataset-v14' AND NOT attributes ? 'ageBand'`)).toBe(0);
      expect(await importEmployees(suite.store, { file: hr!, mapping: await mapping('hr-dataset-employees') })).toMatchObject({ inserted: 0, updated: 0, unchanged: 311 });
    }, 60_000);

    it.skipIf(skip || !mavenTeams || !mavenPipeline)('Maven CRM: managers and agents from sales_teams, deals from the pipeline', async () => {
      expect(await importEmployees(suite.store, { file: mavenTeams!, mapping: await mapping('maven-crm-sales-managers') })).toMatchObject({ inserted: 6, duplicates: 29 });
      expect(await importEmployees(suite.store, { file: mavenTeams!, mapping: await mapping('maven-crm-sales-agents') })).toMatchObject({ inserted: 35 });
      expect(await count(suite.store, 'employees', `source = 'maven-crm' AND manager_id IS NOT NULL AND manager_id NOT IN (SELECT id FROM employees)`)).toBe(0);
      expect(await records(suite.store, mavenPipeline!, 'maven-crm-deals')).toMatchObject({ read: 8800, inserted: 8300, rejected: 0, skipped: { 'a prospect with no engage or close date (stage Prospecting)': 500 } });
      const stages = await suite.store.query<{ s: string; n: number; amounts: number }>(`SELECT payload->>'stage' AS s, count(*)::int AS n, count(payload->'amount')::int AS amounts FROM records WHERE kind = 'sales.deal' GROUP BY 1 ORDER BY 1`);
      expect(stages.rows.map((r) => [r.s, Number(r.n), Number(r.amounts)])).toEqual([['lost', 2473, 0], ['open', 1589, 0], ['won', 4238, 4238]]);
      expect(await count(suite.store, 'records', `kind = 'sales.deal' AND payload->>'product' = 'GTXPro'`)).toBe(0);
      const d = (await suite.store.query<{ occurred_at: unknown; payload: Record<string, unknown> }>(`SELECT occurred_at, payload FROM records WHERE external_id = 'maven-crm:Z063OYW0'`)).rows[0];
      expect(new Date(d.occurred_at as string).toISOString()).toBe('2017-03-11T00:00:00.000Z');
      expect(d.payload).toEqual({ stage: 'won', amount: 4514, product: 'GTX Pro', account: 'Isdom', engagedAt: '2016-10-25T00:00:00Z', closedAt: '2017-03-11T00:00:00Z' });
    }, 60_000);
  });
}
