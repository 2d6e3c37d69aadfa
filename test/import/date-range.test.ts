// Found while closing issue #14's import edge ("no 500 on any input"): a hire date in year 0
// reached PostgreSQL's date column and answered 500; a record at `0001-01-01T00:00:00Z` was
// stored as 1901 (Date.UTC reads the years 0–99 as 19xx); a mapping that adds an absurd number
// of seconds to a time made JavaScript throw ("Invalid time value") out of the row handler.
// Dates and instants of an import now lie within 1900–9999, as everywhere else in Appraise;
// outside, the row is a bad row at its line and column.
import { describe, expect, it } from 'vitest';
import { cliStoreForSuite } from './cli-store.ts';
import { serverForSuite } from './helpers.ts';

describe('dates outside 1900–9999 in an import', () => {
  const { tmp, cli } = cliStoreForSuite();
  const { t, post } = serverForSuite();

  it('a hire date in year 0 (CSV or NDJSON) is a 422 at its line and column, not a 500', async () => {
    for (const [type, payload] of [['text/csv', 'id,name,hireDate\nd1,Ada,2020-01-01\nd2,Bob,0000-01-01\n'], ['application/x-ndjson', '{"id":"d1","name":"Ada"}\n{"id":"d2","name":"Bob","hireDate":"0000-01-01"}\n']]) {
      const r = await post('/api/imports/employees', type, payload);
      expect(r.statusCode, r.body).toBe(422);
      expect(JSON.parse(r.body).error.details.errors).toEqual([{ line: 3 - (type === 'text/csv' ? 0 : 1), column: 'hireDate', code: 'APPRAISE_IMPORT_INVALID_ROW', reason: '`0000-01-01` lies outside the years 1900 to 9999 that Appraise keeps' }]);
      expect((await t.call('hr', 'GET', '/api/employees/d1')).statusCode).toBe(404);
    }
  });

  it('a record time in year 1 is refused with the same reason, not stored as 1901', async () => {
    const r = await post('/api/imports/records/survey', 'text/csv', 'employeeId,occurredAt,csat\nw1,0001-01-01T00:00:00Z,4\nw1,2026-03-01T00:00:00Z,4\n');
    expect(r.statusCode).toBe(422);
    expect(JSON.parse(r.body).error.details.errors[0]).toMatchObject({ line: 2, column: 'occurredAt', reason: expect.stringMatching(/lies outside the years 1900 to 9999/) });
    expect((await t.app.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM records WHERE occurred_at < '1902-01-01'`)).rows[0].n).toBe(0);
  });

  it('a mapping that pushes a time past the year 9999: exit 1 at the line and column, no crash', async () => {
    expect(cli.run(['employees', tmp.file('staff.csv', 'id,name\nA1,Ada\n')]).code).toBe(0);
    const map = tmp.file('calls.mapping.yaml', [
      'apiVersion: appraise/v1', 'kind: ImportMapping', 'metadata: { id: calls, title: Calls }', 'spec:', '  target: records', '  recordKind: support.ticket',
      '  fields:', '    employeeId: Agent', '    occurredAt: { timestamp: { column: Start } }',
      '  payload:', '    openedAt: { timestamp: { column: Start } }',
      '    firstResponseAt: { timestamp: { column: Start, plus: [{ column: Wait, unit: seconds }] } }', '',
    ].join('\n'));
    const file = tmp.file('calls.csv', 'Agent,Start,Wait\nA1,2021-03-01T09:00:00Z,30\nA1,2021-03-01T10:00:00Z,1e20\n');
    const r = cli.run(['records', file, '--map', map]);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+|Invalid time value/);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:3 error APPRAISE_IMPORT_INVALID_ROW column \`Start+Wait\`: \`2021-03-01T10:00:00Z\` lies outside the years 1900 to 9999 that Appraise keeps.`);
    expect(await cli.count('records')).toBe(0);
  });
});
