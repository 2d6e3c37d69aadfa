// Folding an event log: service desks export one row per state change of a ticket, and a
// mapping with `fold` makes one target row per group of rows (per ticket id). Each row is read
// once as it streams in: its key, its time and the values and tests the folding values need are
// computed and staged in a temporary table of the import's transaction; then the groups come
// back sorted by key and time, a page of keys at a time, so memory holds one page, never the
// file. A row that cannot be read (a bad time, no key) makes its whole group bad: folding the
// other rows would make a ticket that never existed. Rolled back with the import like all else.
import { copyText, type Queryable } from '../store/store.ts';
import { isoFromMillis } from './datetime.ts';
import type { FieldType } from './coerce.ts';
import type { FoldOp, Mapping, Section, ValueSpec } from './mapping.ts';
import type { CellError, MappedRow, Result, RowMapper } from './mapping-apply.ts';
import type { SourceRow } from './read-rows.ts';

/** One folding value of the mapping: where its result goes, and what each row contributes. */
interface Operand {
  spec: ValueSpec;
  fold: FoldOp;
  section: Section;
  name: string;
  /** The type each row's value is read as. */
  type: FieldType;
}

/** A row as staged: per operand, its value (or null) and whether `where` holds. */
interface StagedRow {
  line: number;
  time: number | null;
  cells: unknown[];
  problems: CellError[] | null;
  /** For the rejects file. */
  source: { cells?: string[]; text?: string; values?: Record<string, unknown> };
}

export interface Group {
  key: string;
  /** Its rows, in time order (ties in file order). */
  lines: number[];
  /** The target row; `errors` holds every bad row's errors, each naming its line. */
  mapped: MappedRow;
  /** Some of its rows could not be read: `mapped.errors` says which (each with its line); nothing else was mapped. */
  bad: boolean;
  /** The first row (its key columns, for fields that read them) and every row, for the rejects file. */
  first: SourceRow;
  rows: SourceRow[];
}

/** Keys per page when the groups are read back. */
const PAGE_KEYS = 2000;
const STAGE_BATCH = 2000;

export class Folder {
  private readonly operands: Operand[] = [];
  /** Staged rows not yet written: key, time, line, values, problems, the row as read. */
  private pending: Array<Array<string | null>> = [];
  private staged = 0;

  constructor(
    private readonly db: Queryable,
    private readonly mapping: Mapping,
    private readonly mapper: RowMapper,
    /** The header of a CSV file, to give staged rows their values by column again. */
    private readonly header: string[] | undefined,
  ) {
    const add = (spec: ValueSpec, section: Section, name: string): void => {
      if ('coalesce' in spec.source) spec.source.coalesce.forEach((item) => add(item, section, name));
      if (!('fold' in spec.source)) return;
      const fold = spec.source.fold;
      // A value passed through (first, last, min…) is read as the field's type; a value only
      // compared with its neighbours (distinct, changes) as text.
      const through = fold.op === 'first' || fold.op === 'last' || fold.op === 'final' || fold.op === 'min' || fold.op === 'max';
      const type = 'of' in fold && fold.of.type ? fold.of.type : through ? mapper.typesByName.get(name) ?? 'string' : 'string';
      this.operands.push({ spec, fold, section, name, type });
    };
    for (const section of ['fields', 'payload', 'attributes', 'let'] as const) {
      for (const [name, spec] of mapping[section]) add(spec, section, name);
    }
  }

  async open(): Promise<void> {
    await this.db.query('CREATE TEMP TABLE IF NOT EXISTS fold_stage (k text NOT NULL, t bigint, line integer NOT NULL, v text NOT NULL, bad text, raw text NOT NULL) ON COMMIT DROP');
    await this.db.query('TRUNCATE fold_stage');
  }

  /** Reads one row into the stage; the errors of a row that belongs to no group (no key). */
  async stage(row: SourceRow): Promise<CellError[] | undefined> {
    const key = this.mapper.evaluate(this.mapping.fold!.by, row, 'string');
    if (key.error) return [key.error];
    if (key.value === undefined) return [{ column: this.label(this.mapping.fold!.by), reason: 'the row has no group key, so it cannot be folded with others; every row needs one' }];
    const problems: CellError[] = [];
    const time = this.mapper.evaluate(this.mapping.fold!.time, row, 'date-time');
    if (time.error) problems.push(time.error);
    else if (time.value === undefined) problems.push({ column: this.label(this.mapping.fold!.time), reason: 'the row has no time, so its place among the rows of its group is unknown' });
    const cells: unknown[] = [];
    for (const o of this.operands) {
      const v: Result = 'of' in o.fold ? this.mapper.evaluate(o.fold.of, row, o.type) : {};
      if (v.error) problems.push(v.error);
      cells.push(v.value ?? null, o.fold.where ? this.mapper.holds(o.fold.where, row) : true);
    }
    const raw = row.cells ? { cells: row.cells } : row.text !== undefined ? { text: row.text } : { values: row.values };
    const staged: StagedRow = { line: row.line, time: typeof time.value === 'string' ? Date.parse(time.value) : null, cells, problems: problems.length ? problems : null, source: raw };
    this.pending.push([String(key.value), staged.time === null ? null : String(staged.time), String(row.line), JSON.stringify(cells), staged.problems && JSON.stringify(staged.problems), JSON.stringify(raw)]);
    if (this.pending.length >= STAGE_BATCH) await this.flush();
    return undefined;
  }

  private async flush(): Promise<void> {
    if (!this.pending.length) return;
    const rows = this.pending;
    this.staged += rows.length;
    this.pending = [];
    if (this.db.copyRows) {
      await this.db.copyRows('fold_stage', ['k', 't', 'line', 'v', 'bad', 'raw'], rows.map((r) => `${r.map(copyText).join('\t')}\n`).join(''));
      return;
    }
    await this.db.query(
      'INSERT INTO fold_stage (k, t, line, v, bad, raw) SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[], $4::text[], $5::text[], $6::text[])',
      [0, 1, 2, 3, 4, 5].map((i) => rows.map((r) => r[i])),
    );
  }

  /** The groups, sorted by key, each folded. */
  async *groups(): AsyncGenerator<Group> {
    await this.flush();
    if (!this.staged) return;
    await this.db.query('CREATE INDEX IF NOT EXISTS fold_stage_key ON fold_stage (k, t, line)');
    await this.db.query('ANALYZE fold_stage');
    let after: string | null = null;
    for (;;) {
      const keys: { rows: Array<{ k: string }> } = await this.db.query<{ k: string }>(
        `SELECT DISTINCT k FROM fold_stage ${after === null ? '' : 'WHERE k > $1'} ORDER BY k LIMIT ${PAGE_KEYS}`,
        after === null ? [] : [after],
      );
      if (!keys.rows.length) return;
      const first = keys.rows[0].k;
      const last: string = keys.rows[keys.rows.length - 1].k;
      const { rows } = await this.db.query<{ k: string; t: string | number | null; line: number; v: string; bad: string | null; raw: string }>(
        'SELECT k, t, line, v, bad, raw FROM fold_stage WHERE k >= $1 AND k <= $2 ORDER BY k, t NULLS LAST, line',
        [first, last],
      );
      let start = 0;
      for (let i = 1; i <= rows.length; i++) {
        if (i < rows.length && rows[i].k === rows[start].k) continue;
        const staged: StagedRow[] = rows.slice(start, i).map((r) => ({
          line: Number(r.line),
          time: r.t === null ? null : Number(r.t),
          cells: JSON.parse(r.v) as unknown[],
          problems: r.bad === null ? null : (JSON.parse(r.bad) as CellError[]),
          source: JSON.parse(r.raw) as StagedRow['source'],
        }));
        yield this.fold(rows[start].k, staged);
        start = i;
      }
      after = last;
    }
  }

  private fold(key: string, staged: StagedRow[]): Group {
    const rows: SourceRow[] = staged.map((s) => ({ line: s.line, values: sourceValues(s.source, this.header), ...(s.source.cells ? { cells: s.source.cells } : {}), ...(s.source.text !== undefined ? { text: s.source.text } : {}) }));
    const group: Group = { key, lines: staged.map((s) => s.line), mapped: { fields: {}, payload: {}, attributes: {}, errors: [] }, bad: false, first: rows[0], rows };
    const bad = staged.filter((s) => s.problems);
    if (bad.length) {
      group.bad = true;
      group.mapped.errors = bad.flatMap((s) => s.problems!.map((p) => ({ column: p.column, line: s.line, reason: `${p.reason} (line ${s.line}; the ${staged.length} rows of group \`${key}\` are left out with it)` })));
      return group;
    }
    const results = new Map<ValueSpec, Result>();
    this.operands.forEach((o, i) => {
      const value = foldValue(o.fold, staged, i);
      results.set(o.spec, value === undefined ? {} : this.mapper.transform(o.spec, value, o.section, o.name));
    });
    group.mapped = this.mapper.map(rows[0], (spec) => results.get(spec) ?? {});
    return group;
  }

  private label(spec: ValueSpec): string {
    return this.mapper.columnLabel(spec);
  }
}

function sourceValues(source: StagedRow['source'], header: string[] | undefined): Record<string, unknown> {
  if (source.values) return source.values;
  if (source.cells && header) return Object.fromEntries(header.map((h, i) => [h, source.cells![i]]));
  if (source.text !== undefined) {
    try {
      return JSON.parse(source.text) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  return {};
}

/**
 * One folding value over a group's rows (in time order). `i` is the operand's index: each row
 * holds its value at 2i and whether its `where` holds at 2i + 1. Undefined: no value.
 */
export function foldValue(fold: FoldOp, rows: ReadonlyArray<{ time: number | null; cells: unknown[] }>, i: number): unknown {
  const value = (r: { cells: unknown[] }) => r.cells[2 * i] ?? undefined;
  const matching = rows.filter((r) => r.cells[2 * i + 1] === true);
  const present = matching.filter((r) => value(r) !== undefined);
  switch (fold.op) {
    case 'first':
      return present.length ? value(present[0]) : undefined;
    case 'last':
      return present.length ? value(present[present.length - 1]) : undefined;
    case 'final':
      return matching.length ? value(matching[matching.length - 1]) : undefined;
    case 'min':
    case 'max': {
      let best: unknown;
      for (const r of present) {
        const v = value(r);
        if (best === undefined || (fold.op === 'min' ? compare(v, best) < 0 : compare(v, best) > 0)) best = v;
      }
      return best;
    }
    case 'distinct':
      return new Set(present.map((r) => JSON.stringify(value(r)))).size;
    case 'changes': {
      let n = 0;
      for (let k = 1; k < present.length; k++) if (JSON.stringify(value(present[k])) !== JSON.stringify(value(present[k - 1]))) n++;
      return n;
    }
    case 'count':
      return matching.length;
    case 'firstTime':
    case 'lastTime': {
      const r = fold.op === 'firstTime' ? matching[0] : matching[matching.length - 1];
      return r && r.time !== null ? isoFromMillis(r.time) : undefined;
    }
    case 'secondsWhile': {
      // Each matching row's state lasts until the next row; the group's last row starts a state
      // whose end the log does not show, so it adds nothing.
      let ms = 0;
      for (let k = 0; k + 1 < rows.length; k++) {
        if (rows[k].cells[2 * i + 1] === true && rows[k].time !== null && rows[k + 1].time !== null) ms += rows[k + 1].time! - rows[k].time!;
      }
      return ms / 1000;
    }
  }
}

/** Numbers by value, everything else (ISO instants in UTC, text) as text. */
function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
