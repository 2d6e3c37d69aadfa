// The BPI Challenge 2013 event log (one row per state change of an incident) imports through the
// shipped mappings alone: its people as employees, then one ticket per incident folded from its
// events. 20 incidents were recounted by hand from their events (opened = first event, first
// response = first `Accepted+In Progress` by a person, resolved = last `Completed+Resolved` or
// `Completed+In Call`, employee = the final resolver, hand-offs, customer-wait seconds). The
// sample fixture always runs; the whole log runs too where ../shared/data has it.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { importEmployees } from '../../core/import/import-employees.ts';
import { importRecords } from '../../core/import/import-records.ts';
import { loadMapping, type Mapping } from '../../core/import/mapping.ts';
import type { Store } from '../../core/store/store.ts';
import { BACKENDS, storeForSuite } from '../store/backends.ts';
import { count, emptyStore, MAPPINGS, recordKind, ROOT, sharedData } from './helpers.ts';

async function mapping(name: string): Promise<Mapping> {
  const { mapping, diagnostics } = await loadMapping(join(MAPPINGS, `${name}.mapping.yaml`));
  expect(diagnostics).toEqual([]);
  return mapping!;
}

async function importLog(store: Store, file: string) {
  const people = await importEmployees(store, { file, mapping: await mapping('bpi2013-resolvers') });
  const m = await mapping('bpi2013-tickets');
  const tickets = await importRecords(store, await recordKind(m.recordKind!), { file, mapping: m });
  return { people, tickets };
}

// caseid, employee (final resolver), opened, first response, resolved, hand-offs, on hold (s), reopened
const HAND_COUNTED: Array<[string, string, string, string | undefined, string | undefined, number, number, boolean]> = [
  ['426', 'Soma', '2012-04-10T06:12:08.000Z', '2012-04-10T06:12:08.000Z', '2012-05-04T08:32:01.000Z', 8, 190435, true],
  ['3374', 'Jeroen', '2012-05-02T09:06:41.000Z', '2012-05-02T09:06:41.000Z', '2012-05-04T06:09:48.000Z', 2, 153454, true],
  ['919', 'Archil', '2012-04-23T07:20:31.000Z', '2012-04-23T07:20:31.000Z', '2012-05-15T10:00:33.000Z', 5, 1711513, true],
  ['5637', 'Olga', '2012-05-03T12:02:14.000Z', '2012-05-03T12:02:14.000Z', '2012-05-07T12:25:21.000Z', 3, 263447, false],
  ['1748', 'Marcin', '2012-04-27T15:24:50.000Z', '2012-04-27T16:26:31.000Z', '2012-05-02T11:07:18.000Z', 2, 1075, false],
  ['3691', 'Cezary', '2012-05-03T06:02:53.000Z', '2012-05-03T07:39:31.000Z', '2012-05-14T12:39:19.000Z', 2, 960178, false],
  ['6561', 'Tomasz', '2012-05-04T08:30:50.000Z', '2012-05-04T08:30:50.000Z', undefined, 2, 0, false],
  ['6871', 'Laurent', '2012-05-04T09:53:10.000Z', '2012-05-04T09:53:10.000Z', undefined, 1, 0, false],
  ['7209', 'Vikash', '2012-05-04T14:01:59.000Z', '2012-05-10T11:03:33.000Z', undefined, 2, 0, false],
  ['3934', 'Rasmus', '2012-05-02T13:05:33.000Z', '2012-05-02T13:05:33.000Z', '2012-05-02T13:08:14.000Z', 0, 0, false],
  ['5363', 'Marc Stephane', '2012-05-03T10:19:07.000Z', '2012-05-03T10:19:07.000Z', '2012-05-03T10:45:26.000Z', 0, 0, false],
  ['671', 'Mats', '2012-04-18T09:02:59.000Z', '2012-04-18T09:02:59.000Z', '2012-05-07T13:49:22.000Z', 7, 1491361, true],
  ['2797', 'Azusa', '2012-05-02T00:55:13.000Z', '2012-05-02T00:55:13.000Z', '2012-05-02T02:32:09.000Z', 0, 5762, false],
  ['1341', 'Evy', '2012-04-25T09:03:51.000Z', '2012-04-25T09:03:51.000Z', '2012-05-07T15:19:21.000Z', 18, 434866, false],
  ['5077', 'Jan', '2012-05-03T11:43:56.000Z', '2012-05-03T11:43:56.000Z', '2012-05-10T09:13:32.000Z', 10, 500858, false],
  ['7003', 'Rudraya', '2012-05-04T12:41:20.000Z', '2012-05-04T12:45:14.000Z', '2012-05-04T15:30:11.000Z', 0, 0, false],
  ['2814', 'Malin', '2012-05-02T08:22:56.000Z', '2012-05-02T08:43:01.000Z', '2012-05-07T13:46:40.000Z', 2, 448447, false],
  ['2240', 'Agnieszka', '2012-04-30T12:09:01.000Z', '2012-04-30T12:09:01.000Z', '2012-05-04T13:48:11.000Z', 1, 320363, false],
  ['3009', 'Berit', '2012-05-02T06:00:28.000Z', '2012-05-02T06:00:28.000Z', '2012-05-02T06:13:08.000Z', 0, 0, false],
  ['1996', 'Piotr', '2012-05-02T09:36:45.000Z', '2012-05-02T12:32:52.000Z', '2012-05-07T13:31:15.000Z', 2, 427671, false],
];

async function ticket(store: Store, caseid: string) {
  const { rows } = await store.query<{ employee_id: string; occurred_at: Date | string; payload: Record<string, unknown> | string }>(
    `SELECT employee_id, occurred_at, payload FROM records WHERE kind = 'support.ticket' AND external_id = $1`,
    [`bpi2013:${caseid}`],
  );
  expect(rows).toHaveLength(1);
  const r = rows[0];
  const payload = (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>;
  for (const k of ['openedAt', 'firstResponseAt', 'resolvedAt']) if (typeof payload[k] === 'string') payload[k] = new Date(payload[k] as string).toISOString();
  return { employeeId: r.employee_id, occurredAt: new Date(r.occurred_at).toISOString(), payload };
}

async function expectHandCounted(store: Store) {
  for (const [caseid, employee, opened, firstResponse, resolved, handOffs, onHold, reopened] of HAND_COUNTED) {
    const t = await ticket(store, caseid);
    expect({ caseid, ...t }).toEqual({
      caseid,
      employeeId: employee,
      occurredAt: opened,
      payload: {
        openedAt: opened,
        ...(firstResponse ? { firstResponseAt: firstResponse } : {}),
        ...(resolved ? { resolvedAt: resolved } : {}),
        reopened,
        reassignments: handOffs,
        onHoldSeconds: onHold,
      },
    });
  }
}

const SAMPLE = join(ROOT, 'test/fixtures/bpi2013/incidents_events.sample.csv');
const fullLog = sharedData('bpi2013/incidents_events.csv');

for (const backend of BACKENDS) {
  describe(`BPI Challenge 2013 event log on ${backend.name}`, async () => {
    const suite = await storeForSuite(backend);

    it.skipIf(suite.skip)('the sample: 40 incidents folded from 403 events, 20 of them as counted by hand', async () => {
      await emptyStore(suite.store);
      const { people, tickets } = await importLog(suite.store, SAMPLE);
      expect(people).toMatchObject({ read: 403, rejected: 0 });
      expect(tickets).toMatchObject({ read: 403, rejected: 0, inserted: 40, folded: { groups: 40, badGroups: 0 } });
      expect(Object.values(tickets.skipped).reduce((a, b) => a + b, 0)).toBe(1); // one Unmatched event
      await expectHandCounted(suite.store);
      // Re-importing the same log adds nothing.
      const again = await importLog(suite.store, SAMPLE);
      expect(again.tickets).toMatchObject({ inserted: 0, duplicates: 40 });
      expect(await count(suite.store, 'records')).toBe(40);
    });

    it.skipIf(suite.skip || !fullLog)('the whole log: 1,439 people, 7,554 tickets, the same 20 incidents', async () => {
      await emptyStore(suite.store);
      const { people, tickets } = await importLog(suite.store, fullLog!);
      expect(people).toMatchObject({ read: 65_533, inserted: 1439, rejected: 0, skipped: { 'the ticketing system (user Siebel), not a person': 6162 } });
      expect(tickets).toMatchObject({ read: 65_533, inserted: 7554, rejected: 0, folded: { groups: 7554, badGroups: 0 } });
      await expectHandCounted(suite.store);
      expect(await count(suite.store, 'records', `payload ? 'resolvedAt'`)).toBe(7546);
    }, 120_000);
  });
}
