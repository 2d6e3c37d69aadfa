// The bad rows of an import: every one is counted, the first hundred are kept for the message,
// and with --skip-invalid each is written (as it was in the file, plus its line, column and
// reason) to a rejects CSV that a person can open, fix and import again.
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
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

  async add(row: SourceRow, problems: RowProblem[]): Promise<void> {
    this.rows++;
    if (this.rows <= SHOWN_ERRORS) for (const p of problems) this.shown.push({ line: row.line, ...p });
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
    if (!this.out!.write(cells.map(csvCell).join(',') + '\r\n')) await once(this.out!, 'drain');
  }
}

export function csvCell(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** `file:line column `x`: reason` lines for the CLI, capped with "and N more". */
export function formatRowErrors(file: string, shown: readonly RowError[], badRows: number): string[] {
  const lines = shown.map((e) => `${file}:${e.line} error ${e.code} column \`${e.column}\`: ${e.reason}.`);
  if (badRows > SHOWN_ERRORS) lines.push(`… and ${badRows - SHOWN_ERRORS} more bad row(s) not listed.`);
  return lines;
}
