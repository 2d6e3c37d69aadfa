// The bad rows of an import: every one is counted, the first hundred are kept for the message,
// and with --skip-invalid each is written (as it was in the file, plus its line, column and
// reason) to a rejects CSV that a person can open, fix and import again. That file is opened
// in spreadsheets, so a cell that a spreadsheet would run as a formula (`=HYPERLINK(…)`,
// `+cmd|…`) is written with a leading `'`, quoted (OWASP's CSV-injection rule).
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { stringify, type Options } from 'csv-stringify/sync';
import type { ErrorCode } from '../diagnostics/codes.ts';
import type { SourceRow } from './read-rows.ts';
import type { RowProblem } from './validate-rows.ts';

export interface RowError {
  line: number;
  column: string;
  code: ErrorCode;
  reason: string;
}

/** How many bad rows' errors an error message lists. */
export const SHOWN_ERRORS = 100;

export const REJECT_COLUMNS = ['reject_line', 'reject_column', 'reject_code', 'reject_reason'];

export class RejectLog {
  /** Bad rows. */
  rows = 0;
  /** Errors of the first SHOWN_ERRORS bad rows (several per row are possible). */
  readonly shown: RowError[] = [];
  private out?: WriteStream;

  private constructor(private readonly header: string[] | undefined) {}

  /** `file` is the rejects CSV (--skip-invalid) or undefined when bad rows reject the import. */
  static async open(file: string | undefined, header: string[] | undefined): Promise<RejectLog> {
    const log = new RejectLog(header);
    if (file) {
      log.out = createWriteStream(file);
      await once(log.out, 'open');
      await log.write([...(header ?? ['record']), ...REJECT_COLUMNS]);
    }
    return log;
  }

  /** Bad rows: one, or the rows of a folded group, which are refused together with the same problems. */
  async add(rows: SourceRow[], problems: RowProblem[]): Promise<void> {
    if (this.rows < SHOWN_ERRORS) for (const p of problems) this.shown.push({ line: rows[0].line, ...p });
    this.rows += rows.length;
    for (const row of rows) await this.write1(row, problems);
  }

  private async write1(row: SourceRow, problems: RowProblem[]): Promise<void> {
    if (!this.out) return;
    const original = this.header ? this.header.map((_, i) => row.cells?.[i] ?? '') : [row.text ?? JSON.stringify(row.values)];
    await this.write([
      ...original,
      String(row.line),
      [...new Set(problems.map((p) => p.column))].join('; '),
      [...new Set(problems.map((p) => p.code))].join('; '),
      problems.map((p) => (problems.length > 1 ? `${p.column}: ${p.reason}` : p.reason)).join('; '),
    ]);
  }

  async close(): Promise<void> {
    if (!this.out) return;
    this.out.end();
    await once(this.out, 'close');
  }

  private async write(cells: string[]): Promise<void> {
    if (!this.out!.write(csvLine(cells))) await once(this.out!, 'drain');
  }
}

/**
 * What a spreadsheet may run as a formula: a cell beginning with `=`, `+`, `-`, `@`, a tab or a
 * carriage return (OWASP), or their full-width forms, which some spreadsheets fold into them.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
/** A plain number (`-5`, `+1.5`, `-2e3`) is data in every spreadsheet, never a formula: kept as it is. */
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The cell as written to a rejects file: a leading `'` before anything a spreadsheet would run. */
export function neutralise(value: string): { value: string; quoted: boolean } {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? { value: `'${value}`, quoted: true } : { value, quoted: false };
}

const CSV: Options = {
  record_delimiter: 'windows',
  // Spaces at either end survive a spreadsheet only inside quotes.
  quoted_match: /^\s|\s$/,
  // With a record delimiter given, csv-stringify quotes a lone \r or \n only when asked.
  quote_record_delimiter: true,
  cast: {
    string: (value) => {
      const n = neutralise(value);
      return n.quoted ? { value: n.value, quoted: true } : n.value;
    },
  },
};

/** One line of a rejects file, CRLF-terminated as spreadsheets write CSV. */
export function csvLine(cells: string[]): string {
  return stringify([cells], CSV);
}

/** `file:line column `x`: reason` lines for the CLI, capped with "and N more". */
export function formatRowErrors(file: string, shown: readonly RowError[], badRows: number): string[] {
  const lines = shown.map((e) => `${file}:${e.line} error ${e.code} column \`${e.column}\`: ${e.reason}.`);
  if (badRows > SHOWN_ERRORS) lines.push(`… and ${badRows - SHOWN_ERRORS} more bad row(s) not listed.`);
  return lines;
}
