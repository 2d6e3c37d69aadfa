// What the store can hold, checked on every row before it is validated or written: no NUL
// character and no half of a surrogate pair in any text (PostgreSQL refuses both in text and
// jsonb: `\u0000` in an NDJSON line becomes a NUL once parsed; core/util/storable-text.ts
// finds them), and the limits of limits.ts
// (columns, attributes, payload fields, characters, nesting). A row that breaks one is a bad
// row like any other: its line, its column, a code and a reason, and nothing is written.
import type { ErrorCode } from '../diagnostics/codes.ts';
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import { locate } from '../policy/yaml-source.ts';
import { findUnstorable, type UnstorableChar } from '../util/storable-text.ts';
import { count, IMPORT_LIMITS } from './limits.ts';
import type { MappedRow } from './mapping-apply.ts';
import type { Mapping } from './mapping.ts';
import type { SourceRow } from './read-rows.ts';
import type { ColumnOf, RowProblem } from './validate-rows.ts';

/** "`subject` holds … at character 4, which the store cannot keep; what to do" (`where` replaces "at character 4"). */
export function unstorableReason(subject: string, u: UnstorableChar, where = `at character ${u.index + 1}`): string {
  const hint = u.what.startsWith('a NUL') ? 'remove it' : 'write the whole character, or remove the \\u escape';
  return `${subject ? `${subject} ` : ''}holds ${u.what} ${where}, which the store cannot keep; ${hint}`;
}

/** A key or column name as it can be shown: control characters and surrogate halves escaped. */
export function showName(name: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f\ud800-\udfff]/.test(name) ? JSON.stringify(name).slice(1, -1) : name;
}

/** At most this many problems per row: a row of a thousand bad cells is one bad row, not a thousand lines. */
const PER_ROW = 10;

export class RowBounds {
  /**
   * @param columns the columns (CSV) or keys (NDJSON) the import reads; undefined for all of
   *   them (an NDJSON line without a mapping). Other cells are never stored and not checked.
   */
  constructor(private readonly columns?: ReadonlySet<string>) {}

  /** Before the row is mapped: how many keys an NDJSON line has (a CSV row's width is bounded by its header). */
  shape(row: SourceRow): RowProblem[] {
    if (row.cells) return [];
    const keys = Object.keys(row.values);
    if (keys.length > IMPORT_LIMITS.columns) return [over('(row)', `the line has ${count(keys.length)} keys; at most ${count(IMPORT_LIMITS.columns)} are read`)];
    for (const k of keys) {
      const v = row.values[k];
      if (v && typeof v === 'object') {
        const n = Array.isArray(v) ? v.length : Object.keys(v).length;
        if (n > IMPORT_LIMITS.columns) return [over(showName(k), `\`${showName(k)}\` holds ${count(n)} ${Array.isArray(v) ? 'items' : 'keys'}; at most ${count(IMPORT_LIMITS.columns)} are read`)];
      }
    }
    return [];
  }

  /**
   * After the row is mapped (and not skipped): first the cells it was read from, so that a NUL
   * is named in the column where it is, then what the mapping made of them (a constant, a
   * value map), with the attribute and payload limits.
   */
  values(row: SourceRow, mapped: MappedRow, columnOf: ColumnOf): RowProblem[] {
    const out = this.cells(row);
    return out.length ? out : this.mapped(mapped, columnOf);
  }

  /** Before a row is mapped: its shape, then the cells it is read from. */
  unreadable(row: SourceRow): RowProblem[] {
    const shape = this.shape(row);
    return shape.length ? shape : this.cells(row);
  }

  /** The cells a row is read from (a folded row's, before its group is made). */
  cells(row: SourceRow): RowProblem[] {
    const out: RowProblem[] = [];
    for (const [k, v] of Object.entries(row.values)) {
      if (this.columns && !this.columns.has(k)) continue;
      // A CSV header's names were checked when the file was opened; an NDJSON line names its own.
      if (row.cells || key(k, showName(k), out)) walk(v, showName(k), IMPORT_LIMITS.valueChars, 0, out);
      if (out.length >= PER_ROW) break;
    }
    return out;
  }

  /** What the mapping made of a row or a group. */
  mapped(mapped: MappedRow, columnOf: ColumnOf): RowProblem[] {
    const out: RowProblem[] = [];

    const sized = (section: 'payload' | 'attributes', max: number, what: string) => {
      const names = Object.keys(mapped[section]);
      if (names.length > max) {
        out.push(over(columnOf(section, names[max]), `the row makes ${count(names.length)} ${what}; at most ${count(max)} are kept per ${section === 'attributes' ? 'employee' : 'record'}. Leave columns out, or pick the ones to keep with a mapping (--map)`));
      }
    };
    sized('attributes', IMPORT_LIMITS.attributes, 'attributes');
    sized('payload', IMPORT_LIMITS.payloadFields, 'payload fields');
    if (out.length) return out;

    for (const [name, v] of Object.entries(mapped.fields)) {
      const max = name === 'externalId' ? IMPORT_LIMITS.externalIdChars : name === 'source' ? IMPORT_LIMITS.sourceChars : IMPORT_LIMITS.valueChars;
      walk(v, columnOf('fields', name), max, 0, out);
    }
    for (const [name, v] of Object.entries(mapped.payload)) walk(v, columnOf('payload', name), IMPORT_LIMITS.valueChars, 0, out);
    for (const [name, v] of Object.entries(mapped.attributes)) walk(v, columnOf('attributes', name), IMPORT_LIMITS.attributeChars, 0, out);
    return out.slice(0, PER_ROW);
  }
}

/**
 * Before the first row: a mapping (the default one: every other column of the header) that
 * would make more attributes or payload fields than a row may keep is refused whole, rather
 * than every row of the file.
 */
export function checkMappedCount(mapping: Mapping, section: 'attributes' | 'payload', file: string): void {
  const max = section === 'attributes' ? IMPORT_LIMITS.attributes : IMPORT_LIMITS.payloadFields;
  const names = [...mapping[section].keys()];
  if (names.length <= max) return;
  const what = section === 'attributes' ? 'attributes' : 'payload fields';
  const per = section === 'attributes' ? 'employee' : 'record';
  if (mapping.yaml && mapping.file) {
    const at = locate(mapping.yaml, ['spec', section, names[max]], 'key');
    throw new AppraiseError('APPRAISE_IMPORT_OVER_LIMIT', `${mapping.file}:${at.line}:${at.column}: the mapping makes ${count(names.length)} ${what}; at most ${count(max)} are kept per ${per}. Keep the ones you need.`);
  }
  throw new AppraiseError('APPRAISE_IMPORT_OVER_LIMIT', `${file}:1: ${count(names.length)} columns of the header would become ${what} (\`${names[max]}\` is number ${count(max + 1)}); at most ${count(max)} are kept per ${per}. Leave the other columns out of the file, or pick the ones to keep with --map <mapping.yaml>.`);
}

/** The source given for every row (--source, the mapping's `source`), checked once. */
export function checkDefaultSource(source: string | null): void {
  if (source === null) return;
  const char = findUnstorable(source);
  if (char) throw new AppraiseError('APPRAISE_IMPORT_UNSTORABLE_TEXT', `The source \`${showName(source)}\` ${unstorableReason('', char)}.`);
  if (source.length > IMPORT_LIMITS.sourceChars) throw new AppraiseError('APPRAISE_IMPORT_OVER_LIMIT', `The source has ${count(source.length)} characters; at most ${count(IMPORT_LIMITS.sourceChars)} are kept.`);
}

function over(column: string, reason: string): RowProblem {
  return { code: 'APPRAISE_IMPORT_OVER_LIMIT', column, reason };
}

function problem(code: ErrorCode, column: string, reason: string): RowProblem {
  return { code, column, reason };
}

/** Checks one value (a cell, an NDJSON value, a mapped value) and everything inside it. */
function walk(value: unknown, column: string, maxChars: number, depth: number, out: RowProblem[]): void {
  if (out.length >= PER_ROW) return;
  if (typeof value === 'string') {
    const char = findUnstorable(value);
    if (char) out.push(problem('APPRAISE_IMPORT_UNSTORABLE_TEXT', column, unstorableReason('the value', char)));
    else if (value.length > maxChars) out.push(over(column, `the value has ${count(value.length)} characters; at most ${count(maxChars)} are kept`));
    return;
  }
  if (!value || typeof value !== 'object') return;
  if (depth >= IMPORT_LIMITS.depth) {
    out.push(over(column, `the value nests lists and objects more than ${IMPORT_LIMITS.depth} levels deep`));
    return;
  }
  if (Array.isArray(value)) {
    if (value.length > IMPORT_LIMITS.columns) out.push(over(column, `the list has ${count(value.length)} items; at most ${count(IMPORT_LIMITS.columns)} are kept`));
    else value.forEach((item, i) => walk(item, `${column}[${i}]`, IMPORT_LIMITS.valueChars, depth + 1, out));
    return;
  }
  const keys = Object.keys(value);
  if (keys.length > IMPORT_LIMITS.columns) {
    out.push(over(column, `the object has ${count(keys.length)} keys; at most ${count(IMPORT_LIMITS.columns)} are kept`));
    return;
  }
  for (const k of keys) {
    const at = `${column}.${showName(k)}`;
    if (key(k, at, out)) walk((value as Record<string, unknown>)[k], at, IMPORT_LIMITS.valueChars, depth + 1, out);
    if (out.length >= PER_ROW) return;
  }
}

/** Checks a key of an object; false (and a problem) when it cannot be stored. */
function key(k: string, at: string, out: RowProblem[]): boolean {
  const char = findUnstorable(k);
  if (char) out.push(problem('APPRAISE_IMPORT_UNSTORABLE_TEXT', at, unstorableReason('the key', char)));
  else if (k.length > IMPORT_LIMITS.columnNameChars) out.push(over(at, `the key has ${count(k.length)} characters; at most ${count(IMPORT_LIMITS.columnNameChars)} are kept`));
  else return true;
  return false;
}
