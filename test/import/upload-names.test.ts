// Issue #14: error messages for uploaded files showed the server's temp path
// (`…/appraise-import-XXXX/upload.csv:1`). Through the HTTP import routes, every message and
// detail names the file as the client does (`?filename=staff.csv`), else `upload.csv` /
// `upload.ndjson`, with line numbers; no response body holds the temp folder.
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../server/helpers.ts';

let t: TestServer;
beforeAll(async () => {
  t = await testServer();
});
afterAll(async () => {
  await t.close();
});

const TYPES = { csv: 'text/csv', ndjson: 'application/x-ndjson' } as const;

async function upload(url: string, format: keyof typeof TYPES, payload: string, who: 'hr' | 'admin' = 'hr') {
  const r = await t.server.inject({ method: 'POST', url, headers: { authorization: `Bearer ${t.tokens[who]}`, 'content-type': TYPES[format] }, payload });
  // Never the server's temporary copy, whatever happened.
  expect(r.body).not.toContain(tmpdir());
  expect(r.body).not.toContain('appraise-import-');
  expect(r.statusCode, r.body).toBeLessThan(500);
  return { status: r.statusCode, body: JSON.parse(r.body) };
}

// Files that fail in each way an upload can: a bad row, a header the importer cannot use,
// a file that is not CSV, an empty one, a line that is not JSON, too many columns, a NUL.
const FAILURES: Array<{ what: string; url: string; format: keyof typeof TYPES; payload: string; message: RegExp }> = [
  { what: 'a bad row', url: '/api/imports/employees', format: 'csv', payload: 'id,name,email\nu1,Ada,not-an-email\n', message: /^Nothing was imported: 1 of the 1 row\(s\) of NAME is invalid\. Fix it\.$/ },
  { what: 'a header without `name`', url: '/api/imports/employees', format: 'csv', payload: 'id,nmae\nu1,Ada\n', message: /^NAME:1: the header has no column `name`\./ },
  { what: 'an unclosed quote', url: '/api/imports/employees', format: 'csv', payload: 'id,name\nu1,"Ada\n', message: /^NAME:\d+: a double quote opened on or before this line is never closed/ },
  { what: 'an empty file', url: '/api/imports/employees', format: 'csv', payload: '', message: /^NAME is empty: a CSV file needs a header line/ },
  { what: 'a column of a record kind that does not exist', url: '/api/imports/records/survey', format: 'csv', payload: 'employeeId,occurredAt,csatt\nw1,2026-03-01T09:00:00Z,4\n', message: /^NAME:1: the column `csatt` is not a field of customer-feedback\.survey/ },
  { what: 'too many columns', url: '/api/imports/employees', format: 'csv', payload: `id,name,${Array.from({ length: 1000 }, (_, i) => `c${i}`).join(',')}\n`, message: /^NAME:1: the header has 1,002 columns; at most 1,000 are read/ },
  { what: 'a NUL in the header', url: '/api/imports/employees', format: 'csv', payload: 'id,name,te\0am\nu1,Ada,blue\n', message: /^NAME:1: column 3 of the header, `te\\u0000am`, holds a NUL character/ },
  { what: 'a line that is not JSON', url: '/api/imports/employees', format: 'ndjson', payload: '{"id":"u1","name":"Ada"}\n{"id":"u2",\n', message: /^Nothing was imported: 1 of the 2 row\(s\) of NAME is invalid\. Fix it\.$/ },
];

describe('uploaded files are named as the client names them, never by the temp path', () => {
  for (const f of FAILURES) {
    it(`${f.what}: the message names ?filename=, else upload.${f.format}`, async () => {
      const named = await upload(`${f.url}?filename=${encodeURIComponent(`C:\\Users\\hr\\Desktop\\staff.${f.format}`)}`, f.format, f.payload);
      expect(named.status).toBeGreaterThanOrEqual(400);
      expect(named.body.error.message).toMatch(new RegExp(f.message.source.replace('NAME', `staff\\.${f.format}`)));
      const anonymous = await upload(f.url, f.format, f.payload, 'admin');
      expect(anonymous.body.error.message).toMatch(new RegExp(f.message.source.replace('NAME', `upload\\.${f.format}`)));
    });
  }

  it('bad rows keep their line numbers, and the details name the file', async () => {
    const r = await upload('/api/imports/employees?filename=staff.csv', 'csv', 'id,name,email\nu1,Ada,ada@example.com\nu2,Bob,bob\nu3,,c@example.com\n');
    expect(r.status).toBe(422);
    expect(r.body.error.details.file).toBe('staff.csv');
    expect(r.body.error.details.errors.map((e: { line: number; column: string }) => [e.line, e.column])).toEqual([[3, 'email'], [4, 'name']]);
  });

  it('a successful import answers and records the client\'s name; control characters and folders are dropped', async () => {
    const ok = await upload(`/api/imports/employees?filename=${encodeURIComponent('../../etc/team\u0007 list.csv')}`, 'csv', 'id,name\nu9,Ivy\n');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ file: 'team list.csv', inserted: 1 });
    const logged = await t.app.store.query<{ file: string }>(`SELECT file FROM imports ORDER BY id DESC LIMIT 1`);
    expect(logged.rows[0].file).toBe('team list.csv');
    const plain = await upload('/api/imports/employees', 'csv', 'id,name\nu10,Jo\n', 'admin');
    expect(plain.body.file).toBe('upload.csv');
  });
});
