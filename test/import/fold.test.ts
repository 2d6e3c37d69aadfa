// Folding event logs, on PGlite and PostgreSQL: every folding value over a small log whose
// answers were worked out by hand; a bad row refuses its whole group (and --skip-invalid writes
// all of its rows out); expressions and folded mappings refused at their line and column when
// they cannot work; employees from a log with first/last wins; dangling manager ids warned of;
// and summary counts that never call a skipped row "valid".
import { readFileSync } from 'node:fs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { importEmployees } from '../../core/import/import-employees.ts';
import { importRecords } from '../../core/import/import-records.ts';
import { mappingFromText, type Mapping } from '../../core/import/mapping.ts';
import { MappingMismatch } from '../../core/import/mapping-check.ts';
import { ImportRejected } from '../../core/import/run-import.ts';
import type { Store } from '../../core/store/store.ts';
import { BACKENDS, storeForSuite } from '../store/backends.ts';
import { addEmployees, emptyStore, recordKind, tempDir } from './helpers.ts';

const tmp = tempDir();
afterAll(() => tmp.dispose());

const HEAD = 'apiVersion: appraise/v1\nkind: ImportMapping\nmetadata:\n  id: test\n  title: Test\nspec:\n';

function mapping(spec: string): Mapping {
  const { mapping, diagnostics } = mappingFromText('m.yaml', HEAD + spec);
  expect(diagnostics).toEqual([]);
  return mapping!;
}

// A help desk's log: ticket, state, agent, queue, priority, time. Rows are out of time order
// within ticket T1 on purpose (the fold sorts by time, not by file order).
const LOG = [
  'ticket,state,agent,queue,prio,at',
  'T1,New,,L1,3,2026-03-02 09:00',
  'T1,Active,ana,L1,3,2026-03-02 09:20',
  'T1,On Hold,ana,L1,2,2026-03-02 10:00',
  'T1,Active,ben,L2,2,2026-03-02 12:30',
  'T1,Resolved,ben,L2,2,2026-03-02 15:00',
  'T2,New,,L1,4,2026-03-03 08:00',
  'T1,Active,ana,L1,2,2026-03-02 11:00',
  'T2,Active,cy,L1,4,2026-03-03 08:05',
  'T2,Active,cy,L1,4,2026-03-03 08:30',
  'T3,New,,L1,1,2026-03-04 08:00',
  'T3,Test,,L1,1,2026-03-04 08:01',
].join('\n');

// Per agent, from the log: every folding value as an attribute (attributes keep text).
const AGENT_SPEC = `  target: employees
  skip:
    - { reason: no agent on the row, when: { column: agent, empty: true } }
  fold:
    by: agent
    time: { timestamp: { column: at, formats: ["yyyy-MM-dd HH:mm"] } }
  fields:
    id: agent
    name: { template: "Agent {agent}" }
  attributes:
    firstQueue: { first: queue }
    lastQueue: { last: queue }
    finalState: { final: state }
    lowestPrio: { min: { column: prio, type: integer } }
    highestPrio: { max: { column: prio, type: integer } }
    tickets: { distinct: ticket }
    queueChanges: { changes: queue }
    activeRows: { count: true, where: { column: state, equals: Active } }
    firstSeen: { firstTime: true }
    lastActive: { lastTime: true, where: { column: state, equals: Active } }
    secondsOnHold: { secondsWhile: { column: state, equals: On Hold } }
`;

// One ticket per ticket id: the fields a service desk needs.
const TICKET_SPEC = `  target: records
  recordKind: support.ticket
  skip:
    - { reason: a test event, when: { column: state, equals: Test } }
  fold:
    by: ticket
    time: { timestamp: { column: at, formats: ["yyyy-MM-dd HH:mm"] } }
  let:
    actives: { count: true, where: { column: state, equals: Active } }
  fields:
    employeeId:
      coalesce:
        - { last: agent, where: { column: state, equals: Resolved } }
        - { last: agent }
        - { const: unassigned }
    occurredAt: { firstTime: true }
    externalId: { template: "log:{ticket}" }
  payload:
    openedAt: { firstTime: true }
    firstResponseAt: { firstTime: true, where: { column: state, equals: Active } }
    resolvedAt: { lastTime: true, where: { column: state, equals: Resolved } }
    reassignments: { changes: agent }
    onHoldSeconds: { secondsWhile: { column: state, equals: On Hold } }
    contactsToResolve: { expr: "actives + 1" }
`;

async function attributes(store: Store): Promise<Record<string, Record<string, string>>> {
  const { rows } = await store.query<{ id: string; attributes: Record<string, string> | string }>('SELECT id, attributes FROM employees ORDER BY id');
  return Object.fromEntries(rows.map((r) => [r.id, typeof r.attributes === 'string' ? JSON.parse(r.attributes) : r.attributes]));
}

for (const backend of BACKENDS) {
  describe(`folding event logs on ${backend.name}`, async () => {
    const suite = await storeForSuite(backend);
    const skip = suite.skip;
    let store: Store;
    const file = (name: string, text: string) => tmp.file(`${backend.name}-${name}`, text);
    beforeEach(async () => {
      if (skip) return;
      store = suite.store;
      await emptyStore(store);
    });

    it.skipIf(skip)('every folding value, per agent, as counted by hand', async () => {
      const s = await importEmployees(store, { file: file('log.csv', LOG), mapping: mapping(AGENT_SPEC) });
      expect(s).toMatchObject({ read: 11, inserted: 3, rejected: 0, skipped: { 'no agent on the row': 4 }, folded: { groups: 3, badGroups: 0 } });
      expect(await attributes(store)).toEqual({
        // ana: 09:20 Active L1 p3, 10:00 On Hold L1 p2, 11:00 Active L1 p2 (file order differs).
        // On hold from 10:00 until her next row at 11:00: 3600 s.
        ana: { firstQueue: 'L1', lastQueue: 'L1', finalState: 'Active', lowestPrio: '2', highestPrio: '3', tickets: '1', queueChanges: '0', activeRows: '2', firstSeen: '2026-03-02T09:20:00Z', lastActive: '2026-03-02T11:00:00Z', secondsOnHold: '3600' },
        // ben: 12:30 Active L2, 15:00 Resolved L2.
        ben: { firstQueue: 'L2', lastQueue: 'L2', finalState: 'Resolved', lowestPrio: '2', highestPrio: '2', tickets: '1', queueChanges: '0', activeRows: '1', firstSeen: '2026-03-02T12:30:00Z', lastActive: '2026-03-02T12:30:00Z', secondsOnHold: '0' },
        cy: { firstQueue: 'L1', lastQueue: 'L1', finalState: 'Active', lowestPrio: '4', highestPrio: '4', tickets: '1', queueChanges: '0', activeRows: '2', firstSeen: '2026-03-03T08:05:00Z', lastActive: '2026-03-03T08:30:00Z', secondsOnHold: '0' },
      });
    });

    it.skipIf(skip)('one ticket per ticket id: response, resolution, hand-offs, hold time and an expression', async () => {
      await addEmployees(store, ['ana', 'ben', 'cy', 'unassigned']);
      const kind = await recordKind('support.ticket');
      const s = await importRecords(store, kind, { file: file('log.csv', LOG), mapping: mapping(TICKET_SPEC) });
      expect(s).toMatchObject({ read: 11, inserted: 3, rejected: 0, skipped: { 'a test event': 1 }, folded: { groups: 3, badGroups: 0 } });
      const { rows } = await store.query<{ external_id: string; employee_id: string; payload: Record<string, unknown> | string }>('SELECT external_id, employee_id, payload FROM records ORDER BY external_id');
      const got = rows.map((r) => [r.external_id, r.employee_id, typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload]);
      expect(got).toEqual([
        // T1: opened 09:00, first Active 09:20, resolved 15:00 by ben; agents ana, ana, ana, ben, ben
        // in time order: one hand-off; on hold 10:00–11:00; 3 Active rows.
        ['log:T1', 'ben', { openedAt: '2026-03-02T09:00:00Z', firstResponseAt: '2026-03-02T09:20:00Z', resolvedAt: '2026-03-02T15:00:00Z', reassignments: 1, onHoldSeconds: 3600, contactsToResolve: 4 }],
        // T2: never resolved: the last agent holds it.
        ['log:T2', 'cy', { openedAt: '2026-03-03T08:00:00Z', firstResponseAt: '2026-03-03T08:05:00Z', reassignments: 0, onHoldSeconds: 0, contactsToResolve: 3 }],
        // T3: nobody touched it: the constant of the coalesce.
        ['log:T3', 'unassigned', { openedAt: '2026-03-04T08:00:00Z', reassignments: 0, onHoldSeconds: 0, contactsToResolve: 1 }],
      ]);
    });

    it.skipIf(skip)('a row that cannot be read refuses its whole group; --skip-invalid writes every row of it', async () => {
      await addEmployees(store, ['ana', 'ben', 'cy', 'unassigned']);
      const kind = await recordKind('support.ticket');
      const bad = LOG.replace('T1,On Hold,ana,L1,2,2026-03-02 10:00', 'T1,On Hold,ana,L1,2,yesterday');
      const err = await importRecords(store, kind, { file: file('bad.csv', bad), mapping: mapping(TICKET_SPEC) }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImportRejected);
      const rejected = err as ImportRejected;
      // The 6 rows of T1 are invalid; 1 row is skipped by a rule; 2 tickets would be imported.
      expect(rejected.message).toMatch(/6 of the 11 row\(s\) of .* are invalid \(1 more left out by the mapping's skip rules\).* import the 2 valid group\(s\) of rows/);
      expect(rejected.errors).toEqual([expect.objectContaining({ line: 4, column: 'at', reason: expect.stringMatching(/`yesterday` is not a date and time .*\(line 4; the 6 rows of group `T1` are left out with it\)/) })]);
      expect((await store.query('SELECT 1 FROM records')).rows).toEqual([]);

      const rejects = tmp.file(`${backend.name}-rejects.csv`);
      const s = await importRecords(store, kind, { file: file('bad.csv', bad), mapping: mapping(TICKET_SPEC), rejectsFile: rejects });
      expect(s).toMatchObject({ inserted: 2, rejected: 6, folded: { groups: 3, badGroups: 1 } });
      const lines = readFileSync(rejects, 'utf8').trim().split(/\r?\n/);
      expect(lines).toHaveLength(7); // the header and T1's six rows
      expect(lines.slice(1).every((l) => l.startsWith('T1,'))).toBe(true);
    });

    it.skipIf(skip)('employees from a log: the last row of an id wins (by file order or by time), or the first', async () => {
      const log = 'agent,team,at\nana,blue,2026-03-02 10:00\nana,green,2026-03-02 09:00\nben,red,2026-03-01 08:00\n';
      const spec = (extra = '') => `  target: employees\n${extra}  fields:\n    id: agent\n    name: agent\n    team: team\n`;
      const refused = await importEmployees(store, { file: file('people.csv', log), mapping: mapping(spec()) }).catch((e: unknown) => e);
      expect((refused as ImportRejected).errors[0].reason).toMatch(/also on line 2 with different values; .* --on-duplicate first\|last/);

      await importEmployees(store, { file: file('people.csv', log), mapping: mapping(spec()), onDuplicate: 'last' });
      expect((await store.query<{ team: string }>(`SELECT team FROM employees WHERE id = 'ana'`)).rows[0].team).toBe('green');
      await importEmployees(store, { file: file('people.csv', log), mapping: mapping(spec()), onDuplicate: 'first' });
      expect((await store.query<{ team: string }>(`SELECT team FROM employees WHERE id = 'ana'`)).rows[0].team).toBe('blue');
      const byTime = spec(`  duplicates:\n    keep: last\n    orderBy: { timestamp: { column: at, formats: ["yyyy-MM-dd HH:mm"] } }\n`);
      const s = await importEmployees(store, { file: file('people.csv', log), mapping: mapping(byTime) });
      expect(s).toMatchObject({ read: 3, rejected: 0, duplicates: 1 });
      // Latest by time is line 2 (10:00), though line 3 comes later in the file.
      expect((await store.query<{ team: string }>(`SELECT team FROM employees WHERE id = 'ana'`)).rows[0].team).toBe('blue');
    });

    it.skipIf(skip)('an event log read row by row: the rows that repeat an id with other values are named, not silently dropped', async () => {
      await addEmployees(store, ['ana', 'ben']);
      const flat = `  target: records\n  recordKind: support.ticket\n  fields:\n    employeeId: agent\n    occurredAt: { timestamp: { column: at, formats: ["yyyy-MM-dd HH:mm"] } }\n    externalId: ticket\n  payload:\n    openedAt: { timestamp: { column: at, formats: ["yyyy-MM-dd HH:mm"] } }\n`;
      const log = 'ticket,agent,at\nT1,ana,2026-03-02 09:00\nT1,ana,2026-03-02 09:00\nT1,ben,2026-03-02 12:00\nT2,ben,2026-03-03 08:00\n';
      const s = await importRecords(store, await recordKind('support.ticket'), { file: file('flat.csv', log), mapping: mapping(flat) });
      expect(s).toMatchObject({ inserted: 2, duplicates: 2 });
      expect(s.warnings).toEqual([expect.stringMatching(/^1 row\(s\) repeat the external id of an earlier row of the file with other values \(line 4 repeats `T1` of line 2\); the earlier row was kept\. .*`fold`/)]);
    });

    it.skipIf(skip)('a manager id that names nobody is imported with a warning that says so', async () => {
      const staff = 'id,name,managerId\nE1,Ada,M1\nE2,Ben,M9\nM1,Grace,\n';
      const s = await importEmployees(store, { file: file('staff.csv', staff) });
      expect(s.warnings).toEqual([expect.stringMatching(/^1 employee\(s\) name a manager who is not in the store: E2 \(manager M9\)\. .*import the managers too/)]);
    });
  });
}

describe('mistakes in a folded mapping or an expression, at their line and column', () => {
  it('a folding value without spec.fold, a column that differs between rows, where on a single row', () => {
    const r = mappingFromText('m.yaml', HEAD + [
      '  target: records',
      '  recordKind: support.ticket',
      '  fields:',
      '    employeeId: { last: agent }',
      '    occurredAt: { column: at, where: { column: state, equals: New } }',
    ].join('\n') + '\n');
    expect(r.diagnostics.map((d) => [d.line, d.column, d.message])).toEqual([
      [10, 19, expect.stringMatching(/`last` folds several rows into one; it needs `spec.fold`/)],
      [11, 31, expect.stringMatching(/`where` chooses the rows a folding value .* on a single row use `when`/)],
    ]);
    const loose = mappingFromText('m.yaml', HEAD + TICKET_SPEC.replace('externalId: { template: "log:{ticket}" }', 'externalId: { template: "log:{ticket}:{queue}" }'));
    expect(loose.diagnostics).toEqual([expect.objectContaining({ line: 23, message: expect.stringMatching(/`externalId` reads the column `queue`, which may differ between the rows of a group\. .*`externalId: \{ last: queue \}`/) })]);
  });

  it('an expression naming an unknown field, and one whose types do not fit, before any row is read', async () => {
    const unknown = mappingFromText('m.yaml', HEAD + TICKET_SPEC.replace('"actives + 1"', '"activs + 1"'));
    expect(unknown.diagnostics).toEqual([expect.objectContaining({ line: 30, message: expect.stringMatching(/reads `activs`, which is not a field of this mapping\. Did you mean `actives`\?/) })]);
    const m = mapping(TICKET_SPEC.replace('"actives + 1"', '"actives + 1.5"'));
    const kind = await recordKind('support.ticket');
    const store = await BACKENDS[0].open();
    try {
      const err = await importRecords(store, kind, { file: tmp.file('types.csv', LOG), mapping: m }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MappingMismatch);
      expect((err as MappingMismatch).diagnostics).toEqual([expect.objectContaining({ line: 30, message: expect.stringMatching(/actives: integer.*no such overload: int \+ double.*write 2\.0 instead of 2, or convert with double\(x\)/s) })]);
    } finally {
      await store.dispose();
    }
  });
});
