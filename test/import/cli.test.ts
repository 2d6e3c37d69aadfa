// `appraise import` as a user runs it: counts and rows/s on success (exit 0), every bad row with
// its line and column when rows are rejected (exit 1), usage mistakes named (exit 2), and no
// progress bar when the output is not a terminal.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importCli, MAPPINGS, tempDir } from './helpers.ts';

const tmp = tempDir();
afterAll(() => tmp.dispose());
const store = join(tmp.dir, 'store');

describe('appraise import', () => {
  it('imports employees then records, printing counts and rows/s', () => {
    const staff = tmp.file('staff.csv', 'id,name,team\nE1,Ada,blue\nE2,Grace,red\n');
    const e = importCli(['employees', staff, '--data-dir', store]);
    expect(e.stderr).toBe('');
    expect(e.code).toBe(0);
    expect(e.stdout).toMatch(/Imported employees from .*staff\.csv \(import #1, csv, times in UTC\)/);
    expect(e.stdout).toMatch(/read 2, left out by skip rules 0, invalid 0\n.*employees: inserted 2, updated 0, unchanged 0, already there or repeated 0/);
    expect(e.stdout).toMatch(/\d+(\.\d)? s, [\d,]+ rows\/s/);
    expect(e.stderr).not.toMatch(/importing \|/); // no progress bar off a terminal

    // An unqualified kind is enough when only one plugin has it.
    const surveys = tmp.file('surveys.csv', 'employeeId,occurredAt,csat\nE1,2021-03-01 09:00,5\nE2,2021-03-01 09:00,4\n');
    const r = importCli(['records', 'survey', surveys, '--data-dir', store, '--timezone', 'Europe/Berlin', '--source', 'poll']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Imported customer-feedback\.survey records .* times in Europe\/Berlin/);
    expect(r.stdout).toMatch(/read 2, left out by skip rules 0, invalid 0\n.*records: inserted 2, already there or repeated 0/);
  });

  it('rejects a file with bad rows: exit 1, every bad row with its line and column, nothing written', () => {
    const bad = tmp.file('bad.csv', 'employeeId,occurredAt,csat\nE1,2021-03-01T09:00:00Z,5\nE7,2021-03-01T09:00:00Z,5\nE2,2021-03-01T09:00:00Z,6\n');
    const r = importCli(['records', 'customer-feedback.survey', bad, '--data-dir', store]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}:3 error APPRAISE_IMPORT_UNKNOWN_EMPLOYEE column \`employeeId\`: no employee \`E7\` in the store; import employees first`);
    expect(r.stderr).toContain(`${bad}:4 error APPRAISE_IMPORT_INVALID_ROW column \`csat\`: \`6\` is above the highest allowed value 5`);
    expect(r.stderr).toMatch(/Nothing was imported: 2 of the 3 row\(s\).*--skip-invalid/);

    const rejects = join(tmp.dir, 'rejects.csv');
    const s = importCli(['records', 'customer-feedback.survey', bad, '--data-dir', store, '--skip-invalid', rejects]);
    expect(s.code).toBe(1);
    expect(s.stdout).toMatch(/read 3, left out by skip rules 0, invalid 2\n.*records: inserted 1, already there or repeated 0/);
    expect(s.stderr).toMatch(/2 invalid row\(s\) were left out and written to .*rejects\.csv/);
    expect(readFileSync(rejects, 'utf8').trim().split('\r\n')).toHaveLength(3);
  });

  it('names usage mistakes with exit 2', () => {
    const f = tmp.file('x.csv', 'employeeId,occurredAt\n');
    const cases: Array<[string[], RegExp]> = [
      [['records', 'tikcet', f], /APPRAISE_IMPORT_UNKNOWN_KIND No enabled plugin contributes the record kind `tikcet`. Did you mean `support.ticket`\?/],
      [['records', 'ticket', join(tmp.dir, 'missing.csv')], /APPRAISE_FILE_UNREADABLE No such file/],
      [['records', 'ticket', f, '--format', 'xlsx'], /--format must be one of csv, tsv, ndjson/],
      [['records', 'ticket', f, '--timezone', 'Berlin'], /--timezone Berlin is not an IANA time zone/],
      [['records', f], /needs a record kind and a file/],
      [['employees', tmp.file('staff.txt', 'id,name\n')], /Cannot tell the format of .*staff\.txt.*--format csv\|tsv\|ndjson/],
      [['employees', f, '--map', join(MAPPINGS, 'pwc-call-centre-tickets.mapping.yaml')], /maps onto records \(support\.ticket\); run npx appraise import records/],
    ];
    for (const [args, message] of cases) {
      const r = importCli([...args, '--data-dir', store]);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.code, args.join(' ')).toBe(2);
    }
  });

  it('reports a mapping that does not fit the file at the mapping line and column, exit 1', () => {
    const map = tmp.file('m.mapping.yaml', 'apiVersion: appraise/v1\nkind: ImportMapping\nmetadata: { id: m, title: M }\nspec:\n  target: employees\n  fields:\n    id: EmpId\n    name: Name\n');
    const r = importCli(['employees', tmp.file('hr.csv', 'EmpID,Name\n1,Ada\n'), '--map', map, '--data-dir', store]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${map}:7:9 error APPRAISE_IMPORT_BAD_MAPPING The column \`EmpId\` is not in`);
    expect(r.stderr).toContain('Did you mean `EmpID`?');
  });
});
