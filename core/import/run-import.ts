// What every import shares: one transaction from the first row to the `imports` row, rows
// streamed and written in batches inside it, bad rows collected (reject all, or set aside with
// --skip-invalid), counts, progress and a checkpoint after a large import. Killed midway, the
// transaction never commits and the store holds nothing of the file.
import type { ErrorCode } from '../diagnostics/codes.ts';
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import type { Queryable, Store } from '../store/store.ts';
import { DEFAULT_ZONE } from './datetime.ts';
import type { Mapping } from './mapping.ts';
import { formatOfFile, FORMATS, openRows, type FileFormat, type RowSource, type SourceRow } from './read-rows.ts';
import { RejectLog, type RowError } from './rejects.ts';
import type { RowProblem } from './validate-rows.ts';
import type { MappedRow, RowMapper } from './mapping-apply.ts';
import { Folder, type Group } from './fold.ts';
import type { CalendarsConfig } from '../calendar/index.ts';

export interface ImportRequest {
  file: string;
  /** How messages, the summary and the import log name the file (an upload's own name); `file` when absent. */
  name?: string;
  /** --format; else the mapping's format; else the file's extension. */
  format?: FileFormat;
  mapping?: Mapping;
  /** --timezone; else the mapping's; else UTC. */
  timezone?: string;
  /** --source; else the mapping's. */
  source?: string;
  /** --skip-invalid: import the good rows and write the bad ones here. */
  rejectsFile?: string;
  actor?: string;
  batchSize?: number;
  onProgress?: (bytesRead: number, size: number) => void;
  /** The business-hours calendars (appraise.config.yaml) that `businessSeconds()` in a mapping counts by. */
  calendars?: CalendarsConfig;
  /** Employees: which of several differing rows of one id to keep (--on-duplicate); else the mapping's, else error. */
  onDuplicate?: 'first' | 'last' | 'error';
}

export interface ImportCounts {
  /** Rows of the file. */
  read: number;
  /** Rows (or, folding, groups) that passed every check: what an import with --skip-invalid writes. */
  accepted: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows already in the store (same external id or content), or twice in the file. */
  duplicates: number;
  rejected: number;
}

export interface ImportSummary extends ImportCounts {
  importId: number;
  target: 'records' | 'employees';
  kind?: string;
  file: string;
  format: FileFormat;
  zone: string;
  /** Rows left out by the mapping's skip rules, by reason. */
  skipped: Record<string, number>;
  /** A folded import: how many groups its rows made, and how many of them were bad. */
  folded?: { by: string; groups: number; badGroups: number };
  /** What was imported but deserves a look (a manager id that names nobody). */
  warnings: string[];
  seconds: number;
  checkpointed: boolean;
  rejectsFile?: string;
}

/** The import was refused because of bad rows; nothing was written. */
export class ImportRejected extends AppraiseError {
  constructor(
    readonly file: string,
    readonly errors: RowError[],
    readonly badRows: number,
    readonly counts: ImportCounts & { skipped?: number; folded?: boolean },
  ) {
    // One kind of problem gives its own code (all unknown employees, all NULs); a mix is "invalid rows".
    const codes = new Set(errors.map((e) => e.code));
    const code: ErrorCode = codes.size === 1 ? [...codes][0] : 'APPRAISE_IMPORT_INVALID_ROW';
    const skipped = counts.skipped ? ` (${counts.skipped} more left out by the mapping's skip rules)` : '';
    const good = counts.folded ? `${counts.accepted} valid group(s) of rows` : `${counts.accepted} valid row(s)`;
    super(code, `Nothing was imported: ${badRows} of the ${counts.read} row(s) of ${file} ${badRows === 1 ? 'is' : 'are'} invalid${skipped}. Fix ${badRows === 1 ? 'it' : 'them'}, or run again with --skip-invalid <rejects.csv> to import the ${good} and write the bad ones to that file.`);
  }
}

/** What becomes of a mapped row: written (`item`), refused, already there, or held until the end (`held`). */
export type RowOutcome<T> = { problems: RowProblem[] } | { item: T } | { duplicate: true } | { held: true };

/** How an import reads its rows: the importer's checks around the mapping. */
export interface RowHandler<T> {
  /** Cells that cannot be read or stored, before anything is mapped. */
  cells(row: SourceRow): RowProblem[];
  /** The mapper; absent for NDJSON lines read without a mapping (which cannot fold). */
  mapper?: RowMapper;
  /** A file row as the target's row (skip rules first). */
  map(row: SourceRow): MappedRow;
  /** A mapped row, of a file row or of a folded group, as what to write, or why not. */
  accept(mapped: MappedRow, row: SourceRow): RowOutcome<T>;
}

export interface ImportPlan<T> {
  target: 'records' | 'employees';
  kind?: string;
  /** Called in the transaction once the file is open (header known); returns the row handler. */
  prepare(tx: Queryable, source: RowSource, zone: string): Promise<RowHandler<T>>;
  /** Writes a batch; returns how many were inserted, updated, unchanged, already there. */
  flush(tx: Queryable, importId: number, items: T[]): Promise<Partial<ImportCounts>>;
  /** After the last row: the items held back (an employee whose last row wins), to be flushed. */
  held?(): T[];
  /** After everything is written, in the transaction: what deserves a warning. */
  warnings?(tx: Queryable, importId: number): Promise<string[]>;
}

/** Above this many rows the store is checkpointed after the import, so its WAL does not pile up. */
export const CHECKPOINT_AFTER_ROWS = 100_000;
const DEFAULT_BATCH = 2000;

export function resolveFormat(req: ImportRequest): FileFormat {
  const format = req.format ?? req.mapping?.format ?? formatOfFile(fileName(req));
  if (!format) {
    throw new AppraiseError('APPRAISE_USAGE', `Cannot tell the format of ${fileName(req)} from its extension; name it with --format ${FORMATS.join('|')}.`);
  }
  return format;
}

/** The file as messages name it. */
export function fileName(req: ImportRequest): string {
  return req.name ?? req.file;
}

export async function runImport<T>(store: Store, req: ImportRequest, plan: ImportPlan<T>): Promise<ImportSummary> {
  const started = performance.now();
  const format = resolveFormat(req);
  const zone = req.timezone ?? req.mapping?.timezone ?? DEFAULT_ZONE;
  const name = fileName(req);
  const source = await openRows(req.file, format, { name, ...(req.mapping?.delimiter ? { delimiter: req.mapping.delimiter } : {}) });
  const rejects = await RejectLog.open(req.rejectsFile, source.header);
  const counts: ImportCounts = { read: 0, accepted: 0, inserted: 0, updated: 0, unchanged: 0, duplicates: 0, rejected: 0 };
  const skipped: Record<string, number> = {};
  const warnings: string[] = [];
  let folded: ImportSummary['folded'];
  const batchSize = req.batchSize ?? DEFAULT_BATCH;
  let importId = 0;
  try {
    await store.transaction(async (tx) => {
      const handler = await plan.prepare(tx, source, zone);
      const started = await tx.query<{ id: number }>(
        `INSERT INTO imports (target, kind, file, file_hash, mapping, actor) VALUES ($1, $2, $3, '', $4, $5) RETURNING id`,
        [plan.target, plan.kind ?? null, name, req.mapping?.text ?? null, req.actor ?? null],
      );
      importId = Number(started.rows[0].id);
      let batch: T[] = [];
      // One batch is written while the next is read and checked: with PostgreSQL the server
      // works while this process parses. Never more than one in flight (bounded memory).
      let writing: Promise<void> = Promise.resolve();
      const flush = async () => {
        await writing;
        // Once a row is bad (without --skip-invalid) the transaction will be rolled back: stop
        // writing, keep reading to report every bad row.
        if (batch.length && (rejects.rows === 0 || req.rejectsFile)) {
          const items = batch;
          writing = plan.flush(tx, importId, items).then((r) => {
            counts.inserted += r.inserted ?? 0;
            counts.updated += r.updated ?? 0;
            counts.unchanged += r.unchanged ?? 0;
            counts.duplicates += r.duplicates ?? 0;
          });
          writing.catch(() => {}); // awaited at the next flush or the end; not unhandled meanwhile
        }
        batch = [];
        req.onProgress?.(source.bytesRead(), source.size);
      };
      const take = async (outcome: RowOutcome<T>, rows: SourceRow[]) => {
        if ('item' in outcome) {
          counts.accepted++;
          batch.push(outcome.item);
          if (batch.length >= batchSize) await flush();
        } else if ('duplicate' in outcome) counts.duplicates++;
        else if ('held' in outcome) counts.accepted++;
        else if ('problems' in outcome) await rejects.add(rows, outcome.problems);
      };
      const folder = req.mapping?.fold && handler.mapper ? new Folder(tx, req.mapping, handler.mapper, source.header) : undefined;
      await folder?.open();
      for await (const row of source.rows) {
        counts.read++;
        const problems: RowProblem[] = row.problem ? [{ code: row.problemCode ?? 'APPRAISE_IMPORT_INVALID_ROW', column: '(row)', reason: row.problem }] : handler.cells(row);
        if (problems.length) await rejects.add([row], problems);
        else if (folder) {
          const reason = handler.mapper!.skipReason(row);
          if (reason !== undefined) skipped[reason] = (skipped[reason] ?? 0) + 1;
          else {
            const errors = await folder.stage(row);
            if (errors) await rejects.add([row], errors.map((e) => ({ code: 'APPRAISE_IMPORT_INVALID_ROW', ...e })));
          }
        } else {
          const mapped = handler.map(row);
          if (mapped.skip !== undefined) skipped[mapped.skip] = (skipped[mapped.skip] ?? 0) + 1;
          else await take(handler.accept(mapped, row), [row]);
        }
        if (counts.read % batchSize === 0 && batch.length < batchSize) req.onProgress?.(source.bytesRead(), source.size);
      }
      if (folder) {
        folded = { by: handler.mapper!.columnLabel(req.mapping!.fold!.by), groups: 0, badGroups: 0 };
        for await (const group of folder.groups()) {
          folded.groups++;
          const outcome: RowOutcome<T> = group.bad
            ? { problems: group.mapped.errors.map((e) => ({ code: 'APPRAISE_IMPORT_INVALID_ROW', ...e })) }
            : handler.accept(group.mapped, group.first);
          if ('problems' in outcome) {
            folded.badGroups++;
            outcome.problems = outcome.problems.map((p) => ({ ...p, reason: inGroup(p.reason, group) }));
          }
          await take(outcome, group.rows);
        }
      }
      for (const item of plan.held?.() ?? []) {
        batch.push(item);
        if (batch.length >= batchSize) await flush();
      }
      await flush();
      await writing;
      counts.rejected = rejects.rows;
      if (rejects.rows && !req.rejectsFile) {
        throw new ImportRejected(name, rejects.shown, rejects.rows, { ...counts, skipped: sum(skipped), ...(folded ? { folded: true } : {}) });
      }
      warnings.push(...((await plan.warnings?.(tx, importId)) ?? []));
      // rows_unchanged also holds records that were already there (the table predates "duplicates").
      await tx.query(
        `UPDATE imports SET file_hash = $2, finished_at = now(), rows_read = $3, rows_inserted = $4, rows_updated = $5, rows_unchanged = $6, rows_rejected = $7 WHERE id = $1`,
        [importId, source.sha256(), counts.read, counts.inserted, counts.updated, counts.unchanged + counts.duplicates, counts.rejected],
      );
    });
  } finally {
    source.close();
    await rejects.close();
  }
  let checkpointed = false;
  if (counts.read > CHECKPOINT_AFTER_ROWS) {
    await store.checkpoint();
    checkpointed = true;
  }
  return {
    ...counts,
    importId,
    target: plan.target,
    ...(plan.kind ? { kind: plan.kind } : {}),
    file: name,
    format,
    zone,
    skipped,
    ...(folded ? { folded } : {}),
    warnings,
    seconds: (performance.now() - started) / 1000,
    checkpointed,
    ...(req.rejectsFile ? { rejectsFile: req.rejectsFile } : {}),
  };
}

const sum = (o: Record<string, number>): number => Object.values(o).reduce((a, b) => a + b, 0);

/** A problem of a folded row names its group and the group's lines, unless it names its line already. */
function inGroup(reason: string, group: Group): string {
  if (/\(line \d+; the \d+ rows of group/.test(reason)) return reason;
  const sorted = [...group.lines].sort((a, b) => a - b);
  const lines = sorted.length > 6 ? `${sorted.slice(0, 5).join(', ')} … ${sorted[sorted.length - 1]}` : sorted.join(', ');
  return `${reason} (group \`${group.key}\`: ${group.lines.length === 1 ? 'line' : 'lines'} ${lines})`;
}
