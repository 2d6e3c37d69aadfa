// Issue #14: a NUL byte in a CSV cell (or `\u0000` in an NDJSON string, which JSON.parse turns
// into one) ended the import in a crash on the CLI and a 500 through the API: PostgreSQL refuses
// NUL in text and jsonb, and half a surrogate pair in jsonb. Now each is a bad row like any
// other: its line, its column, APPRAISE_IMPORT_UNSTORABLE_TEXT, and nothing written — or, with
// --skip-invalid, the row in the rejects file and the rest imported.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliStoreForSuite } from './cli-store.ts';
import { serverForSuite } from './helpers.ts';

const { tmp, cli } = cliStoreForSuite();

/** Whatever went wrong, it was said in Appraise's words: no stack trace, no driver error. */
function noCrash(r: { stderr: string }): void {
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(r.stderr).not.toMatch(/DatabaseError|invalid byte sequence|unsupported Unicode escape/);
}

describe('appraise import: text the store cannot keep', () => {
  it('a NUL in a CSV cell: exit 1, the line, the column and the code, nothing written', async () => {
    const file = tmp.file('nul.csv', 'id,name,team\nE1,Ada,blue\nE2,Gr\0ace,red\n');
    const r = cli.run(['employees', file]);
    noCrash(r);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:3 error APPRAISE_IMPORT_UNSTORABLE_TEXT column \`name\`: the value holds a NUL character (U+0000) at character 3, which the store cannot keep; remove it`);
    expect(r.stderr).toMatch(/error APPRAISE_IMPORT_UNSTORABLE_TEXT Nothing was imported: 1 of the 2 row\(s\)/);
    expect(await cli.count('employees')).toBe(0);
    expect(await cli.count('imports')).toBe(0);
  });

  it('a NUL in a cell of a number column is named as the NUL, not as a bad number', () => {
    const staff = cli.run(['employees', tmp.file('staff.csv', 'id,name\nE1,Ada\nE2,Grace\n')]);
    expect(staff.code).toBe(0);
    const file = tmp.file('csat.csv', 'employeeId,occurredAt,csat\nE1,2021-03-01T09:00:00Z,4\nE2,2021-03-01T09:00:00Z,5\0\n');
    const r = cli.run(['records', 'survey', file]);
    noCrash(r);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:3 error APPRAISE_IMPORT_UNSTORABLE_TEXT column \`csat\`: the value holds a NUL character (U+0000) at character 2`);
  });

  it('`\\u0000` inside an NDJSON string, and half a surrogate pair: exit 1 at the field, nothing written', async () => {
    const file = tmp.file('escaped.ndjson', [
      '{"employeeId":"E1","occurredAt":"2021-03-02T09:00:00Z","payload":{"csat":4,"comment":"fine"}}',
      '{"employeeId":"E1","occurredAt":"2021-03-02T10:00:00Z","payload":{"csat":4,"comment":"a\\u0000b"}}',
      '{"employeeId":"E2","occurredAt":"2021-03-02T11:00:00Z","payload":{"csat":5,"comment":"broken \\ud83d"}}',
    ].join('\n'));
    const r = cli.run(['records', 'survey', file]);
    noCrash(r);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:2 error APPRAISE_IMPORT_UNSTORABLE_TEXT column \`payload.comment\`: the value holds a NUL character (U+0000) at character 2`);
    expect(r.stderr).toContain(`${file}:3 error APPRAISE_IMPORT_UNSTORABLE_TEXT column \`payload.comment\`: the value holds a broken surrogate pair at character 8`);
    expect(await cli.count('records')).toBe(0);
  });

  it('a NUL in an NDJSON key and in an attribute value of an employee', async () => {
    const file = tmp.file('keys.ndjson', [
      '{"id":"E3","name":"Kim","attributes":{"a\\u0000b":"x"}}',
      '{"id":"E4","name":"Lee","attributes":{"nickname":"L\\u0000"}}',
    ].join('\n'));
    const r = cli.run(['employees', file]);
    noCrash(r);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:1 error APPRAISE_IMPORT_UNSTORABLE_TEXT column \`attributes.a\\u0000b\`: the key holds a NUL character`);
    expect(r.stderr).toContain(`${file}:2 error APPRAISE_IMPORT_UNSTORABLE_TEXT column \`attributes.nickname\`: the value holds a NUL character`);
    expect(await cli.count('employees', `id IN ('E3', 'E4')`)).toBe(0);
  });

  it('a NUL in a header name refuses the file at line 1 and names the column; UTF-16 without a byte order mark is told to be saved as UTF-8', async () => {
    const file = tmp.file('header.csv', 'id,na\0me\nE5,Ada\n');
    const r = cli.run(['employees', file]);
    noCrash(r);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error APPRAISE_IMPORT_UNSTORABLE_TEXT ${file}:1: column 2 of the header, \`na\\u0000me\`, holds a NUL character (U+0000) at character 3`);

    const utf16 = join(tmp.dir, 'excel-utf16.csv');
    writeFileSync(utf16, Buffer.from('id,name\r\nE6,Ada\r\n', 'utf16le'));
    const u = cli.run(['employees', utf16]);
    noCrash(u);
    expect(u.code).toBe(1);
    expect(u.stderr).toContain(`error APPRAISE_IMPORT_UNSTORABLE_TEXT ${utf16}:1: column 1 of the header, \`i\\u0000d\\u0000\`, holds a NUL character (U+0000) at character 2, which the store cannot keep; remove it. The file looks like UTF-16: save it as UTF-8.`);
    expect(await cli.count('employees', `id IN ('E5', 'E6')`)).toBe(0);
  });

  it('a NUL made by a mapping ("\\0" in a YAML constant) is refused at the mapping line and column', async () => {
    const map = tmp.file('nul.mapping.yaml', 'apiVersion: appraise/v1\nkind: ImportMapping\nmetadata: { id: m, title: M }\nspec:\n  target: employees\n  fields:\n    id: EmpID\n    name: Name\n    team: { const: "blue\\0" }\n');
    const r = cli.run(['employees', tmp.file('hr.csv', 'EmpID,Name\nE7,Ada\n'), '--map', map]);
    noCrash(r);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${map}:9:20 error APPRAISE_IMPORT_UNSTORABLE_TEXT \`spec.fields.team.const\` holds a NUL character (U+0000) at character 5, which the store cannot keep; remove it.`);
    expect(await cli.count('employees', `id = 'E7'`)).toBe(0);
  });

  it('with --skip-invalid the row goes to the rejects file with its reason and the rest is imported', async () => {
    const rejects = join(tmp.dir, 'nul-rejects.csv');
    const r = cli.run(['employees', tmp.file('nul-skip.csv', 'id,name\nE8,Ada\nE9,B\0b\n'), '--skip-invalid', rejects]);
    noCrash(r);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/read 2, left out by skip rules 0, invalid 1[\s\S]*inserted 1,/);
    const lines = readFileSync(rejects, 'utf8').split('\r\n');
    // The row as it was in the file, NUL included, so that nothing of it is lost.
    expect(lines[1]).toMatch(/^E9,B\0b,3,name,APPRAISE_IMPORT_UNSTORABLE_TEXT,"the value holds a NUL character \(U\+0000\) at character 2/);
    expect(await cli.count('employees', `id IN ('E8', 'E9')`)).toBe(1);
  });
});

describe('POST /api/imports: text the store cannot keep', () => {
  const { t, post } = serverForSuite();

  it('a NUL in a CSV cell is a 422 naming the line and column, not a 500; nothing is written', async () => {
    const r = await post('/api/imports/employees', 'text/csv', 'id,name,team\nz1,Ada,blue\nz2,Gr\0ace,red\n');
    expect(r.statusCode).toBe(422);
    const err = JSON.parse(r.body).error;
    expect(err.code).toBe('APPRAISE_IMPORT_UNSTORABLE_TEXT');
    expect(err.message).toMatch(/^Nothing was imported: 1 of the 2 row\(s\) of upload\.csv is invalid/);
    expect(err.details.errors).toEqual([{ line: 3, column: 'name', code: 'APPRAISE_IMPORT_UNSTORABLE_TEXT', reason: expect.stringMatching(/NUL character \(U\+0000\) at character 3/) }]);
    for (const id of ['z1', 'z2']) expect((await t.call('hr', 'GET', `/api/employees/${id}`)).statusCode).toBe(404);
  });

  it('`\\u0000` and half a surrogate pair in NDJSON are a 422 naming the field, not a 500', async () => {
    const r = await post('/api/imports/records/survey', 'application/x-ndjson', [
      '{"employeeId":"w1","occurredAt":"2026-03-10T10:00:00Z","payload":{"csat":4,"comment":"ok\\u0000"}}',
      '{"employeeId":"w1","occurredAt":"2026-03-11T10:00:00Z","payload":{"csat":4,"channel":"\\udc00"}}',
    ].join('\n'));
    expect(r.statusCode).toBe(422);
    const err = JSON.parse(r.body).error;
    expect(err.code).toBe('APPRAISE_IMPORT_UNSTORABLE_TEXT');
    expect(err.details.errors.map((e: { line: number; column: string }) => [e.line, e.column])).toEqual([[1, 'payload.comment'], [2, 'payload.channel']]);
    const employees = await post('/api/imports/employees', 'application/x-ndjson', '{"id":"z3","name":"Zed","attributes":{"shift":"\\ud800late"}}');
    expect(employees.statusCode).toBe(422);
    expect(JSON.parse(employees.body).error.details.errors[0]).toMatchObject({ line: 1, column: 'attributes.shift', code: 'APPRAISE_IMPORT_UNSTORABLE_TEXT' });
    expect((await t.call('hr', 'GET', '/api/employees/z3')).statusCode).toBe(404);
    expect((await t.call(null, 'GET', '/api/health')).statusCode).toBe(200);
  });
});
