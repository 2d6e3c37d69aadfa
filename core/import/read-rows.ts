// Streaming the rows of an import file, CSV/TSV (csv-parse) or NDJSON, one at a time with the
// line each starts on, so that a file of millions of rows never sits in memory and every error
// can name its line. The file's bytes are hashed and counted on the way (progress, audit).
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { extname } from 'node:path';
import { parse, type CsvError } from 'csv-parse';
import type { ErrorCode } from '../diagnostics/codes.ts';
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import { truncate } from './coerce.ts';
import { findUnstorable } from '../util/storable-text.ts';
import { count, IMPORT_LIMITS } from './limits.ts';
import { showName, unstorableReason } from './row-bounds.ts';

export type FileFormat = 'csv' | 'tsv' | 'ndjson';
export const FORMATS: readonly FileFormat[] = ['csv', 'tsv', 'ndjson'];

const BY_EXTENSION: Record<string, FileFormat> = { '.csv': 'csv', '.tsv': 'tsv', '.tab': 'tsv', '.ndjson': 'ndjson', '.jsonl': 'ndjson' };

export function formatOfFile(file: string): FileFormat | undefined {
  return BY_EXTENSION[extname(file).toLowerCase()];
}

export interface SourceRow {
  /** The line of the file the row starts on (1 is the header of a CSV file). */
  line: number;
  /** Cells by column name (CSV: text; NDJSON: the object's values). */
  values: Record<string, unknown>;
  /** The original cells in header order (CSV), for the rejects file. */
  cells?: string[];
  /** The original line (NDJSON), for the rejects file. */
  text?: string;
  /** Why the row cannot be read at all (wrong number of fields, not JSON). */
  problem?: string;
  /** The code of `problem`, when it is not APPRAISE_IMPORT_INVALID_ROW. */
  problemCode?: ErrorCode;
}

export interface RowSource {
  format: FileFormat;
  /** Column names of a CSV file; undefined for NDJSON (each line names its own keys). */
  header?: string[];
  /** The data rows, read as they are iterated. */
  rows: AsyncIterable<SourceRow>;
  /** Bytes read so far (for a progress bar). */
  bytesRead(): number;
  size: number;
  /** SHA-256 of the whole file; complete once `rows` is exhausted. */
  sha256(): string;
  /** Stops reading (after an error, or when the rows were not all needed). */
  close(): void;
}

/** The longest record accepted: far past any real row, short of an unclosed quote eating the file. */
const MAX_RECORD_BYTES = IMPORT_LIMITS.rowBytes;

/**
 * `path` is read; `options.name` is how messages name it (an upload's own name, never the
 * server's temporary path), `path` itself when absent.
 */
export async function openRows(path: string, format: FileFormat, options: { delimiter?: string; name?: string } = {}): Promise<RowSource> {
  const file = options.name ?? path;
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw new AppraiseError('APPRAISE_FILE_UNREADABLE', `Cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message.split(path).join(file)}.`);
  }
  const hash = createHash('sha256');
  let bytes = 0;
  const stream = createReadStream(path);
  // Node's own messages name the path it was given; messages name the file as the user knows it.
  if (file !== path) stream.on('error', (e) => void (e.message = e.message.split(path).join(file)));
  stream.on('data', (chunk) => {
    hash.update(chunk as Buffer);
    bytes += chunk.length;
  });
  let digest: string | undefined;
  const common = { format, size, bytesRead: () => bytes, sha256: () => (digest ??= hash.digest('hex')), close: () => stream.destroy() };
  if (format === 'ndjson') {
    // The line reader starts now: the stream already flows (hashing), and lines emitted before
    // anyone iterates would otherwise be lost. Its iterator buffers and pauses the stream.
    const lines = createInterface({ input: stream, crlfDelay: Infinity })[Symbol.asyncIterator]();
    return { ...common, rows: ndjsonRows(file, lines) };
  }

  const parser = stream.pipe(
    parse({
      bom: true,
      delimiter: options.delimiter ?? (format === 'tsv' ? '\t' : ','),
      relax_column_count: true,
      // `5" screen` inside an unquoted field is text, as spreadsheets write it.
      relax_quotes: true,
      skip_empty_lines: true,
      info: true,
      max_record_size: MAX_RECORD_BYTES,
    }),
  );
  stream.on('error', (e) => parser.destroy(e));
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; info: { empty_lines: number } }>;
  let first: IteratorResult<{ record: string[]; info: { empty_lines: number } }>;
  let header: string[];
  try {
    first = await next(records, file);
    if (first.done) throw new AppraiseError('APPRAISE_IMPORT_BAD_FILE', `${file} is empty: a CSV file needs a header line naming its columns.`);
    header = first.value.record.map((h) => h.trim());
    checkHeader(file, header, first.value.info.empty_lines + 1);
  } catch (e) {
    stream.destroy();
    throw e;
  }
  return { ...common, header, rows: csvRows(file, header, records, first.value) };
}

const UNSAFE_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

function checkHeader(file: string, header: string[], line: number): void {
  if (header.length > IMPORT_LIMITS.columns) {
    throw new AppraiseError('APPRAISE_IMPORT_OVER_LIMIT', `${file}:${line}: the header has ${count(header.length)} columns; at most ${count(IMPORT_LIMITS.columns)} are read (column ${count(IMPORT_LIMITS.columns + 1)} is \`${truncate(showName(header[IMPORT_LIMITS.columns]))}\`). Remove the columns you do not import.`);
  }
  const seen = new Map<string, number>();
  header.forEach((name, i) => {
    const char = findUnstorable(name);
    if (char) {
      // NULs between the letters of the header: the file is UTF-16 without a byte order mark.
      const utf16 = name.length > 1 && 2 * (name.split('\0').length - 1) >= name.length - 1 ? ' The file looks like UTF-16: save it as UTF-8.' : '';
      throw new AppraiseError('APPRAISE_IMPORT_UNSTORABLE_TEXT', `${file}:${line}: column ${i + 1} of the header, \`${truncate(showName(name))}\`, ${unstorableReason('', char)}.${utf16}`);
    }
    if (name.length > IMPORT_LIMITS.columnNameChars) throw new AppraiseError('APPRAISE_IMPORT_OVER_LIMIT', `${file}:${line}: the name of column ${i + 1} of the header has ${count(name.length)} characters; at most ${count(IMPORT_LIMITS.columnNameChars)} are allowed. Shorten it.`);
    if (!name) throw new AppraiseError('APPRAISE_IMPORT_BAD_FILE', `${file}:${line}: column ${i + 1} of the header has no name. Name it, or remove the empty column.`);
    // A column named like this would become a key that alters objects built from the row.
    if (UNSAFE_NAMES.has(name)) throw new AppraiseError('APPRAISE_IMPORT_BAD_FILE', `${file}:${line}: a column cannot be named \`${name}\`. Rename it.`);
    if (seen.has(name)) throw new AppraiseError('APPRAISE_IMPORT_BAD_FILE', `${file}:${line}: two columns are named \`${name}\` (columns ${seen.get(name)! + 1} and ${i + 1}). Rename one of them.`);
    seen.set(name, i);
  });
}

async function* csvRows(
  file: string,
  header: string[],
  records: AsyncIterator<{ record: string[]; info: { empty_lines: number } }>,
  first: { record: string[]; info: { empty_lines: number } },
): AsyncGenerator<SourceRow> {
  // csv-parse's own line count drifts after a quoted CRLF, so lines are counted here: a record
  // starts after the previous one's last line and the empty lines skipped in between.
  let nextLine = first.info.empty_lines + 1 + breaks(first.record) + 1;
  let emptySoFar = first.info.empty_lines;
  for (;;) {
    const r = await next(records, file);
    if (r.done) return;
    const { record, info } = r.value;
    const line = nextLine + (info.empty_lines - emptySoFar);
    emptySoFar = info.empty_lines;
    nextLine = line + breaks(record) + 1;
    // A line of separators only (`,,,,` from a spreadsheet) is a blank line, not a row.
    if (record.every((c) => c.trim() === '')) continue;
    const values: Record<string, unknown> = {};
    const n = Math.min(record.length, header.length);
    for (let i = 0; i < n; i++) values[header[i]] = record[i];
    const row: SourceRow = { line, values, cells: record };
    if (record.length !== header.length) {
      row.problem = `this row has ${record.length} field(s) but the header has ${header.length}; a value with a ${record.length > header.length ? 'delimiter in it needs double quotes around it' : 'missing delimiter or a line break needs double quotes around it'}`;
    }
    yield row;
  }
}

function breaks(record: string[]): number {
  let n = 0;
  for (const cell of record) {
    if (cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) continue;
    n += (cell.match(/\r\n|\r|\n/g) ?? []).length;
  }
  return n;
}

async function next<T>(it: AsyncIterator<T>, file: string): Promise<IteratorResult<T>> {
  try {
    return await it.next();
  } catch (e) {
    throw csvError(file, e as CsvError);
  }
}

function csvError(file: string, e: CsvError & { lines?: number }): AppraiseError {
  if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'EISDIR') {
    return new AppraiseError('APPRAISE_FILE_UNREADABLE', `Cannot read ${file}: ${e.message}.`);
  }
  const at = e.lines ? `${file}:${e.lines}` : file;
  switch (e.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new AppraiseError('APPRAISE_IMPORT_BAD_FILE', `${at}: a double quote opened on or before this line is never closed, so the rest of the file would be one value. Close the quote, or double it ("") inside a quoted value.`);
    case 'CSV_MAX_RECORD_SIZE':
      return new AppraiseError('APPRAISE_IMPORT_BAD_FILE', `${at}: a row longer than ${MAX_RECORD_BYTES / 1024 / 1024} MB — most likely a double quote that is never closed. Check the quotes before this line.`);
    case 'CSV_INVALID_CLOSING_QUOTE':
      return new AppraiseError('APPRAISE_IMPORT_BAD_FILE', `${at}: text follows a closing double quote. Put the whole value inside the quotes and double any quote inside it ("").`);
    default:
      return new AppraiseError('APPRAISE_IMPORT_BAD_FILE', `${at}: the file cannot be read as CSV (${e.message}). Check its delimiter and quotes, or name the format with --format.`);
  }
}

const UNSAFE_KEY = /"(__proto__|constructor|prototype)"\s*:/;

async function* ndjsonRows(file: string, lines: AsyncIterator<string>): AsyncGenerator<SourceRow> {
  let line = 0;
  try {
    for (let r = await lines.next(); !r.done; r = await lines.next()) {
      const raw = r.value;
      line++;
      const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (text.trim() === '') continue;
      if (text.length > MAX_RECORD_BYTES / 4 && Buffer.byteLength(text) > MAX_RECORD_BYTES) {
        yield { line, values: {}, text, problem: `the line is longer than ${MAX_RECORD_BYTES / 1024 / 1024} MB; one line is one row`, problemCode: 'APPRAISE_IMPORT_OVER_LIMIT' };
        continue;
      }
      // Keys that would alter the objects built from the line are refused before parsing.
      const unsafe = UNSAFE_KEY.exec(text);
      if (unsafe) {
        yield { line, values: {}, text, problem: `the key "${unsafe[1]}" is not allowed; rename it` };
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        yield { line, values: {}, text, problem: `the line is not JSON (${(e as Error).message}): \`${truncate(text)}\`; each line must be one JSON object` };
        continue;
      }
      if (!value || typeof value !== 'object' || Array.isArray(value)) {
        yield { line, values: {}, text, problem: `the line is JSON but not an object: \`${truncate(text)}\`; each line must be one JSON object` };
        continue;
      }
      yield { line, values: value as Record<string, unknown>, text };
    }
  } catch (e) {
    throw new AppraiseError('APPRAISE_FILE_UNREADABLE', `Cannot read ${file}: ${(e as Error).message}.`);
  }
}
