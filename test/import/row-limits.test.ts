// Issue #14: one employee row with 200,000 attribute columns was accepted, and every employee
// list page holding it weighed 2.7 MB. Each row is now bounded (core/import/limits.ts): 1,000
// columns, 100 attributes per employee, 200 characters per attribute value, 10,000 per other
// value, 500 per externalId (PostgreSQL caps a unique index entry at ~2.7 kB: a longer one was
// a 500), nesting 16 deep, 4 MB a row. Past one, the user gets APPRAISE_IMPORT_OVER_LIMIT at
// the line and column, and nothing is written.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_LIMITS } from '../../core/import/limits.ts';
import { cliStoreForSuite } from './cli-store.ts';
import { serverForSuite } from './helpers.ts';

const { tmp, cli } = cliStoreForSuite();
beforeAll(() => {
  expect(cli.run(['employees', tmp.file('staff.csv', 'id,name\nE1,Ada\nE2,Grace\n')]).code).toBe(0);
});

const names = (n: number, prefix = 'a') => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

/** The file of the issue: one employee, `n` attribute columns. */
function wideEmployee(n: number): string {
  const attrs = names(n);
  return `id,name,${attrs.join(',')}\nW1,Wide,${attrs.map(() => 'x').join(',')}\n`;
}

describe('appraise import: bounded rows', () => {
  it('200,000 attribute columns: exit 1 at the header, nothing written', async () => {
    const file = join(tmp.dir, 'wide.csv');
    writeFileSync(file, wideEmployee(200_000));
    const r = cli.run(['employees', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error APPRAISE_IMPORT_OVER_LIMIT ${file}:1: the header has 200,002 columns; at most 1,000 are read (column 1,001 is \`a999\`). Remove the columns you do not import.`);
    expect(await cli.count('employees', `id = 'W1'`)).toBe(0);
    expect(await cli.count('imports', `target = 'employees'`)).toBe(1); // staff.csv only
  });

  it('more attribute columns than an employee may keep: exit 1 naming the first one too many', async () => {
    const file = tmp.file('many-attrs.csv', wideEmployee(150));
    const r = cli.run(['employees', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error APPRAISE_IMPORT_OVER_LIMIT ${file}:1: 150 columns of the header would become attributes (\`a101\` is number 101); at most 100 are kept per employee.`);
    expect(await cli.count('employees', `id = 'W1'`)).toBe(0);
  });

  it('exactly 100 attributes of 200 characters each are imported', async () => {
    const attrs = names(IMPORT_LIMITS.attributes);
    const value = 'v'.repeat(IMPORT_LIMITS.attributeChars);
    const r = cli.run(['employees', tmp.file('max-attrs.csv', `id,name,${attrs.join(',')}\nW2,Max,${attrs.map(() => value).join(',')}\n`)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [row] = await cli.query<{ n: number }>(`SELECT count(*)::int AS n FROM employees, jsonb_object_keys(attributes) WHERE id = 'W2'`);
    expect(Number(row.n)).toBe(100);
  });

  it('an attribute value over 200 characters, an externalId over 500, a comment over 10,000: each at its line and column', async () => {
    const attr = tmp.file('long-attr.csv', `id,name,note\nW3,Ok,short\nW4,Long,${'n'.repeat(201)}\n`);
    const a = cli.run(['employees', attr]);
    expect(a.code).toBe(1);
    expect(a.stderr).toContain(`${attr}:3 error APPRAISE_IMPORT_OVER_LIMIT column \`note\`: the value has 201 characters; at most 200 are kept.`);
    expect(await cli.count('employees', `id IN ('W3', 'W4')`)).toBe(0);

    // An id of 3,000 characters that do not compress used to reach PostgreSQL's unique index
    // ("index row size exceeds maximum") and end in a crash.
    const surveys = tmp.file('long-values.csv', [
      'employeeId,occurredAt,externalId,csat,comment',
      `E1,2021-03-01T09:00:00Z,${randomBytes(1500).toString('hex')},4,fine`,
      `E2,2021-03-01T09:00:00Z,s2,4,${'c'.repeat(10_001)}`,
    ].join('\n'));
    const s = cli.run(['records', 'survey', surveys]);
    expect(s.stderr).not.toMatch(/\n\s+at .+:\d+:\d+|index row size/);
    expect(s.code).toBe(1);
    expect(s.stderr).toContain(`${surveys}:2 error APPRAISE_IMPORT_OVER_LIMIT column \`externalId\`: the value has 3,000 characters; at most 500 are kept.`);
    expect(s.stderr).toContain(`${surveys}:3 error APPRAISE_IMPORT_OVER_LIMIT column \`comment\`: the value has 10,001 characters; at most 10,000 are kept.`);
    expect(await cli.count('records')).toBe(0);
  });

  it('NDJSON: too many attributes, too many keys, a value nested too deep, a line over 4 MB', async () => {
    const attributes = Object.fromEntries(names(150).map((n) => [n, 1]));
    const keys = Object.fromEntries(names(1001, 'k').map((n) => [n, 1]));
    let deep: unknown = 'bottom';
    for (let i = 0; i < 20; i++) deep = [deep];
    const file = tmp.file('bounds.ndjson', [
      JSON.stringify({ id: 'N1', name: 'Attrs', attributes }),
      JSON.stringify({ id: 'N2', name: 'Keys', ...keys }),
      JSON.stringify({ id: 'N3', name: 'Deep', attributes: { tags: deep } }),
      JSON.stringify({ id: 'N4', name: 'Big', attributes: { blob: 'b'.repeat(5 * 1024 * 1024) } }),
      JSON.stringify({ id: 'N5', name: 'Fine' }),
    ].join('\n'));
    const r = cli.run(['employees', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:1 error APPRAISE_IMPORT_OVER_LIMIT column \`attributes.a101\`: the row makes 150 attributes; at most 100 are kept per employee.`);
    expect(r.stderr).toContain(`${file}:2 error APPRAISE_IMPORT_OVER_LIMIT column \`(row)\`: the line has 1,003 keys; at most 1,000 are read.`);
    expect(r.stderr).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3 error APPRAISE_IMPORT_OVER_LIMIT column \`attributes\\.tags(\\[0\\])+\`: the value nests lists and objects more than 16 levels deep\\.`));
    expect(r.stderr).toContain(`${file}:4 error APPRAISE_IMPORT_OVER_LIMIT column \`(row)\`: the line is longer than 4 MB; one line is one row.`);
    expect(r.stderr).toMatch(/Nothing was imported: 4 of the 5 row\(s\)/);
    expect(await cli.count('employees', `id LIKE 'N%'`)).toBe(0);
  });
});

describe('POST /api/imports: bounded rows', () => {
  const { t } = serverForSuite();

  it('the 200,000-attribute employee of the issue is a 422 at the header, not a stored 2.7 MB row', async () => {
    const before = (await t.call('hr', 'GET', '/api/employees?pageSize=100')).body.length;
    const r = await t.server.inject({ method: 'POST', url: '/api/imports/employees', headers: { authorization: `Bearer ${t.tokens.hr}`, 'content-type': 'text/csv' }, payload: wideEmployee(200_000) });
    expect(r.statusCode).toBe(422);
    expect(JSON.parse(r.body).error).toMatchObject({ code: 'APPRAISE_IMPORT_OVER_LIMIT', message: expect.stringMatching(/^upload\.csv:1: the header has 200,002 columns; at most 1,000 are read/) });
    expect((await t.call('hr', 'GET', '/api/employees/W1')).statusCode).toBe(404);
    expect((await t.call('hr', 'GET', '/api/employees?pageSize=100')).body.length).toBe(before);
  });

  it('an NDJSON employee with 150 attributes is a 422 naming the line and the attribute', async () => {
    const line = JSON.stringify({ id: 'W5', name: 'Attrs', attributes: Object.fromEntries(names(150).map((n) => [n, 'x'])) });
    const r = await t.server.inject({ method: 'POST', url: '/api/imports/employees', headers: { authorization: `Bearer ${t.tokens.hr}`, 'content-type': 'application/x-ndjson' }, payload: line });
    expect(r.statusCode).toBe(422);
    const err = JSON.parse(r.body).error;
    expect(err.code).toBe('APPRAISE_IMPORT_OVER_LIMIT');
    expect(err.details.errors).toEqual([{ line: 1, column: 'attributes.a101', code: 'APPRAISE_IMPORT_OVER_LIMIT', reason: expect.stringMatching(/150 attributes; at most 100/) }]);
    expect((await t.call('hr', 'GET', '/api/employees/W5')).statusCode).toBe(404);
  });
});
