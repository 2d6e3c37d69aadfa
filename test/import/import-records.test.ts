// Importing records behaves the same on PGlite and PostgreSQL: one bad row rejects the whole
// file with every bad row's line and column and writes nothing; --skip-invalid imports the rest
// and writes the bad rows to a rejects file; re-importing adds nothing; cells become the types
// of the kind's schema, an empty cell being absent; times without a zone are in the import zone.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importRecords } from '../../core/import/import-records.ts';
import { mappingFromText } from '../../core/import/mapping.ts';
import { ImportRejected, type ImportRequest } from '../../core/import/run-import.ts';
import type { RecordKindInfo } from '../../core/plugins/manifest.ts';
import type { Store } from '../../core/store/store.ts';
import { BACKENDS, postgresReachable } from '../store/backends.ts';
import { addEmployees, count, emptyStore, recordKind, tempDir } from './helpers.ts';

const tmp = tempDir();
afterAll(() => tmp.dispose());

const SURVEYS = [
  'employeeId,occurredAt,externalId,csat,nps,comment',
  'E1,2021-03-01T09:00:00Z,s1,5,,great',
  'E1,2021-03-01T10:00:00Z,s2,4,9,',
  'E2,2021-03-02T09:00:00Z,s3,,10,"slow, but ""fine"""',
].join('\r\n');

for (const backend of BACKENDS) {
  describe(`import records on ${backend.name}`, async () => {
    const skip = backend.name === 'postgres' && !(await postgresReachable());
    let store: Store & { dispose(): Promise<void> };
    let survey: RecordKindInfo;
    let ticket: RecordKindInfo;
    const run = (kind: RecordKindInfo, name: string, text: string, req: Partial<ImportRequest> = {}) =>
      importRecords(store, kind, { file: tmp.file(`${backend.name}-${name}`, text), actor: 'test', ...req });
    const rejected = async (p: Promise<unknown>): Promise<ImportRejected> => {
      const e = await p.then(() => undefined, (x: unknown) => x);
      expect(e).toBeInstanceOf(ImportRejected);
      return e as ImportRejected;
    };

    beforeAll(async () => {
      if (skip) return;
      store = await backend.open();
      survey = await recordKind('customer-feedback.survey');
      ticket = await recordKind('support.ticket');
    });
    afterAll(async () => {
      if (!skip) await store.dispose();
    });
    beforeEach(async () => {
      if (skip) return;
      await emptyStore(store);
      await addEmployees(store, ['E1', 'E2']);
    });

    it.skipIf(skip)("a large import refreshes the planner's statistics, so that the next queries plan for the rows there are", async () => {
      const lines = ['employeeId,occurredAt,csat'];
      for (let i = 0; i < 2000; i++) lines.push(`E${(i % 2) + 1},${new Date(Date.UTC(2021, 2, 1) + i * 60_000).toISOString()},${(i % 5) + 1}`);
      await run(survey, 'many.csv', lines.join('\n'));
      const estimate = async (table: string) => {
        const plan = (await store.query<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }>(`EXPLAIN (FORMAT JSON) SELECT * FROM ${table} WHERE occurred_at >= '2021-01-01' AND occurred_at < '2022-01-01'`)).rows[0]['QUERY PLAN'];
        return plan[0].Plan['Plan Rows'];
      };
      const typed = (await store.query<{ table_name: string }>(`SELECT table_name FROM record_layouts WHERE kind = 'customer-feedback.survey'`)).rows[0].table_name;
      expect(await estimate(`"${typed}"`)).toBeGreaterThan(1000);
      expect(await estimate('records')).toBeGreaterThan(1000);
    });

    it.skipIf(skip)('imports a CSV of the default shape, typed by the kind schema; an empty cell is absent', async () => {
      const s = await run(survey, 'surveys.csv', SURVEYS, { source: 'test-survey-tool' });
      expect(s).toMatchObject({ read: 3, inserted: 3, duplicates: 0, rejected: 0 });
      const rows = (await store.query<{ external_id: string; payload: Record<string, unknown>; source: string; occurred_at: unknown }>('SELECT external_id, payload, source, occurred_at FROM records ORDER BY external_id')).rows;
      expect(rows.map((r) => r.payload)).toEqual([{ csat: 5, comment: 'great' }, { csat: 4, nps: 9 }, { nps: 10, comment: 'slow, but "fine"' }]);
      expect(rows.every((r) => r.source === 'test-survey-tool')).toBe(true);
      expect(new Date(rows[0].occurred_at as string).toISOString()).toBe('2021-03-01T09:00:00.000Z');
      const imports = (await store.query<Record<string, unknown>>('SELECT target, kind, actor, rows_read, rows_inserted, file_hash, finished_at FROM imports')).rows;
      expect(imports).toEqual([expect.objectContaining({ target: 'records', kind: 'customer-feedback.survey', actor: 'test', rows_read: 3, rows_inserted: 3, file_hash: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
      expect(imports[0].finished_at).toBeTruthy();
    });

    it.skipIf(skip)('rejects the whole file for bad rows, listing every bad row with its line and column, and writes nothing', async () => {
      const text = [
        'employeeId,occurredAt,csat,nps',
        'E1,2021-03-01T09:00:00Z,5,', // fine
        'E1,2021-03-01T09:00:00Z,6,', // line 3: csat above 5
        'E9,2021-03-01T09:00:00Z,4,', // line 4: unknown employee
        'E2,yesterday,4,', //            line 5: not a time
        'E2,2021-03-01T09:00:00Z,4.5,', // line 6: not a whole number
        'E2,2021-03-01T09:00:00Z,,', // line 7: no score at all
        'E2,2021-03-01T09:00:00Z,3,7', // fine
      ].join('\n');
      const e = await rejected(run(survey, 'bad.csv', text));
      expect(e.code).toBe('APPRAISE_IMPORT_INVALID_ROW');
      expect(e.badRows).toBe(5);
      expect(e.message).toMatch(/Nothing was imported: 5 of the 7 row\(s\).*--skip-invalid/);
      expect(e.errors.map((x) => [x.line, x.column, x.code])).toEqual([
        [3, 'csat', 'APPRAISE_IMPORT_INVALID_ROW'],
        [4, 'employeeId', 'APPRAISE_IMPORT_UNKNOWN_EMPLOYEE'],
        [5, 'occurredAt', 'APPRAISE_IMPORT_INVALID_ROW'],
        [6, 'csat', 'APPRAISE_IMPORT_INVALID_ROW'],
        [7, '(row)', 'APPRAISE_IMPORT_INVALID_ROW'],
      ]);
      expect(e.errors[0].reason).toMatch(/`6` is above the highest allowed value 5 of `csat`/);
      expect(e.errors[1].reason).toMatch(/no employee `E9`.*import employees first/);
      expect(e.errors[2].reason).toMatch(/`yesterday` is not a date and time in ISO 8601/);
      expect(e.errors[3].reason).toMatch(/`4.5` is not a whole number/);
      expect(e.errors[4].reason).toMatch(/at least one of `csat`, `nps`, `ces`/);
      expect(await count(store, 'records')).toBe(0);
      expect(await count(store, 'imports')).toBe(0);
    });

    it.skipIf(skip)('lists the first 100 bad rows and counts the rest', async () => {
      const lines = ['employeeId,occurredAt,csat'];
      for (let i = 0; i < 250; i++) lines.push(`E1,2021-03-01T09:00:00Z,${i % 2 ? 9 : 3}`);
      const e = await rejected(run(survey, 'many-bad.csv', lines.join('\n'), { batchSize: 10 }));
      expect(e.badRows).toBe(125);
      expect(new Set(e.errors.map((x) => x.line)).size).toBe(100);
      expect(await count(store, 'records')).toBe(0);
    });

    it.skipIf(skip)('with --skip-invalid imports the good rows and writes the bad ones, as they were, to a rejects CSV', async () => {
      const rejects = tmp.file(`${backend.name}-rejects.csv`);
      const text = 'employeeId,occurredAt,csat,comment\nE1,2021-03-01T09:00:00Z,5,ok\nE9,2021-03-01T09:00:00Z,4,"who, me?"\nE2,2021-03-01T09:00:00Z,7,  spaced  \nE2,2021-03-02T09:00:00Z,4,\n';
      const s = await run(survey, 'skip.csv', text, { rejectsFile: rejects });
      expect(s).toMatchObject({ read: 4, inserted: 2, rejected: 2 });
      expect(await count(store, 'records')).toBe(2);
      const out = readFileSync(rejects, 'utf8').split('\r\n');
      expect(out[0]).toBe('employeeId,occurredAt,csat,comment,reject_line,reject_column,reject_code,reject_reason');
      expect(out[1]).toMatch(/^E9,2021-03-01T09:00:00Z,4,"who, me\?",3,employeeId,APPRAISE_IMPORT_UNKNOWN_EMPLOYEE,no employee `E9`/);
      expect(out[2]).toMatch(/^E2,2021-03-01T09:00:00Z,7,"  spaced  ",4,csat,APPRAISE_IMPORT_INVALID_ROW,`7` is above/);
      expect((await store.query<{ rows_rejected: number }>('SELECT rows_rejected FROM imports')).rows[0].rows_rejected).toBe(2);
    });

    it.skipIf(skip)('re-importing the same file adds nothing, by external id or by content when there is none', async () => {
      expect((await run(survey, 'again.csv', SURVEYS)).inserted).toBe(3);
      expect(await run(survey, 'again.csv', SURVEYS)).toMatchObject({ inserted: 0, duplicates: 3 });
      const noIds = 'employeeId,occurredAt,csat\nE1,2021-03-01T09:00:00Z,5\nE1,2021-03-01T10:00:00+01:00,5\nE2,2021-03-01T09:00:00Z,5\n';
      expect((await run(survey, 'no-ids.csv', noIds)).inserted).toBe(2); // rows 2 and 3 are the same instant and content
      // Same content written differently (column order, offset) is the same record.
      const reordered = 'csat,occurredAt,employeeId\n5,2021-03-01T11:00:00+02:00,E1\n5,2021-03-01T09:00:00Z,E2\n';
      expect(await run(survey, 'no-ids-reordered.csv', reordered)).toMatchObject({ inserted: 0, duplicates: 2 });
      expect(await count(store, 'records')).toBe(5);
    });

    it.skipIf(skip)('reads times without a zone in --timezone, and payload instants too', async () => {
      const text = 'employeeId,occurredAt,openedAt,firstResponseAt\nE1,2021-07-01 09:00:00,2021-07-01T09:00,2021-07-01T09:05:00Z\n';
      await run(ticket, 'tz.csv', text, { timezone: 'America/New_York' });
      const r = (await store.query<{ occurred_at: unknown; payload: Record<string, string> }>('SELECT occurred_at, payload FROM records')).rows[0];
      expect(new Date(r.occurred_at as string).toISOString()).toBe('2021-07-01T13:00:00.000Z');
      expect(r.payload).toEqual({ openedAt: '2021-07-01T13:00:00Z', firstResponseAt: '2021-07-01T09:05:00Z' });
      // Stored typed too, as exact epoch microseconds, so that durations need not parse texts.
      const { instants } = (await store.query<{ instants: Record<string, string> }>('SELECT instants FROM records')).rows[0];
      expect(instants).toEqual({ openedAt: String(Date.parse('2021-07-01T13:00:00Z') * 1000), firstResponseAt: String(Date.parse('2021-07-01T09:05:00Z') * 1000) });
    });

    it.skipIf(skip)("reads a mapping's times in its timezone, unless --timezone names another", async () => {
      const { mapping } = mappingFromText('m.yaml', [
        'apiVersion: appraise/v1', 'kind: ImportMapping', 'metadata: { id: tz, title: Tz }', 'spec:',
        '  target: records', '  recordKind: support.ticket', '  timezone: Asia/Jerusalem',
        '  fields: { employeeId: Agent, occurredAt: { timestamp: { date: Day, time: Time, formats: ["dd.MM.yyyy H:mm"] } } }',
        '  payload: { openedAt: { timestamp: { date: Day, time: Time, formats: ["dd.MM.yyyy H:mm"] } } }',
      ].join('\n') + '\n');
      const text = 'Agent,Day,Time\nE1,01.02.2021,9:30\n';
      expect((await run(ticket, 'tz-map.csv', text, { mapping: mapping! })).zone).toBe('Asia/Jerusalem');
      expect((await run(ticket, 'tz-map.csv', text, { mapping: mapping!, timezone: 'UTC' })).inserted).toBe(1);
      const opened = (await store.query<{ o: string }>(`SELECT payload->>'openedAt' AS o FROM records ORDER BY o`)).rows.map((r) => r.o);
      expect(opened).toEqual(['2021-02-01T07:30:00Z', '2021-02-01T09:30:00Z']);
    });

    it.skipIf(skip)('handles the CSV traps: BOM, CRLF, quoted line breaks, blank numeric cells, trailing spaces', async () => {
      const text = '\uFEFFemployeeId,occurredAt,externalId,csat,nps,comment\r\nE1 ,2021-03-01T09:00:00Z ,t1, 4 ,,"line one\r\nline two, with comma"\r\nE2,2021-03-01T09:00:00Z,t2,,  ,\r\n\r\nE2,2021-03-01T09:00:00Z,t3,x,,\r\n';
      const e = await rejected(run(survey, 'traps.csv', text));
      // Line 4 has no score (both blank), line 6 (after the quoted break and a blank line) a bad one.
      expect(e.errors.map((x) => [x.line, x.column])).toEqual([[4, '(row)'], [6, 'csat']]);
      const rejects = tmp.file(`${backend.name}-traps-rejects.csv`);
      expect((await run(survey, 'traps.csv', text, { rejectsFile: rejects })).inserted).toBe(1);
      const r = (await store.query<{ employee_id: string; payload: unknown }>('SELECT employee_id, payload FROM records')).rows;
      expect(r).toEqual([{ employee_id: 'E1', payload: { csat: 4, comment: 'line one\r\nline two, with comma' } }]);
    });

    it.skipIf(skip)('imports NDJSON records, reading payload instants in the import zone', async () => {
      const text = [
        '{"employeeId":"E1","occurredAt":"2021-02-01T08:00:00","externalId":"n1","payload":{"openedAt":"2021-02-01T08:00:00","resolvedAt":"2021-02-01T09:00:00Z","reopened":false}}',
        '',
        '{"employeeId":"E1","occurredAt":"2021-02-01T08:00:00Z","payload":{"openedAt":"2021-02-01T08:00:00Z","contactsToResolve":0}}',
        '{"employeeId":"E2","occurredAt":"2021-02-01T08:00:00Z","payloads":{}}',
      ].join('\n');
      const e = await rejected(run(ticket, 'tickets.ndjson', text, { timezone: 'Asia/Jerusalem' }));
      expect(e.errors.map((x) => [x.line, x.column])).toEqual([[3, 'payload.contactsToResolve'], [4, 'payloads'], [4, 'payload']]);
      await run(ticket, 'tickets-good.ndjson', text.split('\n').slice(0, 1).join('\n'), { timezone: 'Asia/Jerusalem' });
      const r = (await store.query<{ payload: Record<string, unknown> }>('SELECT payload FROM records')).rows[0];
      expect(r.payload).toEqual({ openedAt: '2021-02-01T06:00:00Z', resolvedAt: '2021-02-01T09:00:00Z', reopened: false });
    });

    it.skipIf(skip)('refuses a header that does not fit the kind before reading a row', async () => {
      await expect(run(survey, 'header.csv', 'employeeId,occurredAt,csat,commnet\nE1,2021-03-01T09:00:00Z,5,hi\n')).rejects.toMatchObject({
        code: 'APPRAISE_IMPORT_BAD_FILE',
        message: expect.stringMatching(/the column `commnet` is not a field of customer-feedback.survey. Did you mean `comment`\?/),
      });
      await expect(run(survey, 'no-time.csv', 'employeeId,when,csat\nE1,2021-03-01T09:00:00Z,5\n')).rejects.toMatchObject({ message: expect.stringMatching(/no column `occurredAt`/) });
      expect(await count(store, 'imports')).toBe(0);
    });
  });
}
