// Column mappings (`--map <mapping.yaml>`): a foreign export's columns onto a record kind or
// onto employees. Loaded like a policy (located YAML, JSON Schema, then the checks a schema
// cannot express), so every mistake is reported at its line and column before a row is read.
import { readFile } from 'node:fs/promises';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import { validateAgainstSchema } from '../policy/schema-check.ts';
import { locate, parseYamlSource, type PathSegment, type YamlSource } from '../policy/yaml-source.ts';
import type { FieldType, NumberFormat } from './coerce.ts';
import { isValidFormat, isValidZone } from './datetime.ts';
import type { FileFormat } from './read-rows.ts';
import { findUnstorable, type UnstorableChar } from '../util/storable-text.ts';
import { showName, unstorableReason } from './row-bounds.ts';
import { checkTarget } from './mapping-structure.ts';

export { EMPLOYEE_FIELDS, RECORD_FIELDS, referencedColumns } from './mapping-structure.ts';
import { parseExpression, type CompiledExpression } from './expressions.ts';

export type Target = 'records' | 'employees';

export type Condition =
  | { column: string; op: 'equals' | 'notEquals' | 'in' | 'notIn'; values: string[]; at: PathSegment[] }
  | { column: string; op: 'empty'; empty: boolean; at: PathSegment[] }
  | { op: 'all' | 'any'; items: Condition[] };

export interface TimestampSpec {
  column?: string;
  date?: string;
  time?: string;
  formats?: string[];
  twoDigitYearStart?: number;
  /** Durations to add: seconds per unit of the column, or `H:MM:SS` text. */
  plus: Array<{ column: string; secondsPerUnit: number; hms: boolean }>;
  after?: string;
}

export type ValueSource =
  | { column: string }
  | { const: string | number | boolean }
  | { template: Array<string | { column: string }> }
  | { coalesce: ValueSpec[] }
  | { timestamp: TimestampSpec }
  | { expr: CompiledExpression }
  | { fold: FoldOp };

/**
 * How a folded mapping makes one value of a group of rows (./fold.ts). `of` is evaluated on
 * each row; `where` picks the rows that count. Rows are in time order (`fold.time`), ties in
 * file order.
 */
export type FoldOp =
  | { op: 'first' | 'last' | 'min' | 'max' | 'distinct' | 'changes' | 'final'; of: ValueSpec; where?: Condition }
  | { op: 'count' | 'firstTime' | 'lastTime'; where?: Condition }
  | { op: 'secondsWhile'; where: Condition };

export const FOLD_OPS = ['first', 'last', 'min', 'max', 'distinct', 'changes', 'final', 'count', 'firstTime', 'lastTime', 'secondsWhile'] as const;
const OF_OPS = new Set(['first', 'last', 'min', 'max', 'distinct', 'changes', 'final']);

/** An event log folded into one target row per group of rows (a ticket's events into the ticket). */
export interface FoldSpec {
  /** The group's key on each row (the ticket id). */
  by: ValueSpec;
  /** The instant of each row, which orders a group's rows. */
  time: ValueSpec;
}

/** What to do with an employee id on several rows that do not agree. */
export interface DuplicatesSpec {
  keep: 'first' | 'last' | 'error';
  /** `last`/`first` by this instant rather than by file order. */
  orderBy?: ValueSpec;
}

export interface ValueSpec {
  /** Where the spec is in the mapping file (empty for the built-in default shapes). */
  at: PathSegment[];
  source: ValueSource;
  when?: Condition;
  trim?: boolean;
  replace?: Array<{ re: RegExp; with: string }>;
  case?: 'lower' | 'upper' | 'title';
  map?: Map<string, string | number | boolean | null>;
  date?: { formats?: string[]; twoDigitYearStart?: number };
  ageBand?: { asOf: string; bounds: number[] };
  duration?: 'hms';
  number?: NumberFormat;
  type?: FieldType;
}

export interface Mapping {
  id: string;
  /** The mapping file and its text (recorded with the import); absent for default shapes. */
  file?: string;
  text?: string;
  yaml?: YamlSource;
  target: Target;
  recordKind?: string;
  format?: FileFormat;
  delimiter?: string;
  timezone?: string;
  source?: string;
  trim: boolean;
  skip: Array<{ when: Condition; reason: string }>;
  fold?: FoldSpec;
  duplicates?: DuplicatesSpec;
  fields: Map<string, ValueSpec>;
  payload: Map<string, ValueSpec>;
  attributes: Map<string, ValueSpec>;
  /** Named values that fields and expressions use but that are not stored themselves. */
  let: Map<string, ValueSpec>;
}

export type Section = 'fields' | 'payload' | 'attributes' | 'let';

const SOURCES = ['column', 'const', 'template', 'coalesce', 'timestamp', 'expr'] as const;


type Raw = Record<string, unknown>;

export async function loadMapping(file: string): Promise<{ mapping?: Mapping; diagnostics: Diagnostic[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    return { diagnostics: [{ code: 'APPRAISE_FILE_UNREADABLE', severity: 'error', message: `Cannot read the mapping: ${(e as Error).message}.`, file, line: 0, column: 0 }] };
  }
  return mappingFromText(file, text);
}

export function mappingFromText(file: string, text: string): { mapping?: Mapping; diagnostics: Diagnostic[] } {
  const { source, diagnostics } = parseYamlSource(file, text);
  if (!source || hasErrors(diagnostics)) return { diagnostics };
  // A YAML escape ("\0", "\ud800") makes a value the store cannot keep (a NUL byte in the text
  // itself is refused by parseYamlSource); constants, value maps and `source` end up in rows.
  const unstorable = unstorableValue(source.value, []);
  if (unstorable) {
    return { diagnostics: [{ code: 'APPRAISE_IMPORT_UNSTORABLE_TEXT', severity: 'error', message: `${unstorableReason(`\`${unstorable.shown}\``, unstorable.char)}.`, file, ...locate(source, unstorable.at, unstorable.key ? 'key' : 'value') }] };
  }
  const schema = validateAgainstSchema(source, 'mapping.schema.json');
  if (schema.length) return { diagnostics: [...diagnostics, ...schema] };
  const out: Diagnostic[] = [...diagnostics];
  const problem = (at: PathSegment[], message: string, which: 'key' | 'value' = 'value') =>
    out.push({ code: 'APPRAISE_IMPORT_BAD_MAPPING', severity: 'error', message, file, ...locate(source, at, which) });

  const doc = source.value as { metadata: { id: string }; spec: Raw };
  const spec = doc.spec;
  const target = spec.target as Target;
  const mapping: Mapping = {
    id: doc.metadata.id,
    file,
    text,
    yaml: source,
    target,
    trim: spec.trim !== false,
    skip: [],
    fields: new Map(),
    payload: new Map(),
    attributes: new Map(),
    let: new Map(),
  };
  if (spec.recordKind !== undefined) mapping.recordKind = spec.recordKind as string;
  if (spec.format !== undefined) mapping.format = spec.format as FileFormat;
  if (spec.delimiter !== undefined) mapping.delimiter = spec.delimiter as string;
  if (spec.source !== undefined) mapping.source = spec.source as string;
  if (spec.timezone !== undefined) {
    if (isValidZone(spec.timezone as string)) mapping.timezone = spec.timezone as string;
    else problem(['spec', 'timezone'], `\`${String(spec.timezone)}\` is not an IANA time zone; write e.g. \`Europe/Berlin\`, \`Asia/Jerusalem\` or \`UTC\`.`);
  }

  const folding = spec.fold !== undefined;
  const compileCondition = (raw: Raw, at: PathSegment[]): Condition | undefined => {
    const ops = ['equals', 'notEquals', 'in', 'notIn', 'empty'].filter((k) => raw[k] !== undefined);
    const groups = ['all', 'any'].filter((k) => raw[k] !== undefined);
    if (groups.length + (raw.column !== undefined ? 1 : 0) !== 1 || (raw.column !== undefined && ops.length !== 1) || (groups.length && ops.length)) {
      problem(at, 'A condition is either `column` with exactly one of equals, notEquals, in, notIn, empty — or `all`/`any` with a list of conditions.');
      return undefined;
    }
    if (groups.length) {
      const op = groups[0] as 'all' | 'any';
      const items = (raw[op] as Raw[]).map((c, i) => compileCondition(c, [...at, op, i]));
      return items.every(Boolean) ? { op, items: items as Condition[] } : undefined;
    }
    const column = raw.column as string;
    const op = ops[0] as 'equals' | 'notEquals' | 'in' | 'notIn' | 'empty';
    if (op === 'empty') return { column, op, empty: raw.empty as boolean, at };
    const list = op === 'in' || op === 'notIn' ? (raw[op] as unknown[]) : [raw[op]];
    return { column, op, values: list.map(String), at };
  };

  const compileFormats = (formats: unknown, at: PathSegment[]): string[] | undefined => {
    if (formats === undefined) return undefined;
    const list = formats as string[];
    list.forEach((f, i) => {
      if (!isValidFormat(f)) problem([...at, i], `\`${f}\` is not a date format that can be read back. Use Luxon tokens such as \`yyyy-MM-dd\`, \`M/d/yy\` or \`yyMMdd H:mm:ss\`.`);
    });
    return list;
  };

  const compileValue = (raw: unknown, at: PathSegment[]): ValueSpec | undefined => {
    if (typeof raw === 'string') return { at, source: { column: raw } };
    const r = raw as Raw;
    const sources = [...SOURCES, ...FOLD_OPS].filter((k) => r[k] !== undefined);
    if (sources.length !== 1) {
      problem(at, sources.length
        ? `A value takes exactly one of ${SOURCES.join(', ')} (or, folding rows, one of ${FOLD_OPS.join(', ')}); this one has ${sources.join(' and ')}.`
        : `A value needs a source: ${SOURCES.join(', ')} (or just a column name)${folding ? `, or, folding rows, one of ${FOLD_OPS.join(', ')}` : ''}.`);
      return undefined;
    }
    if (r.where !== undefined && !(FOLD_OPS as readonly string[]).includes(sources[0])) {
      problem([...at, 'where'], '`where` chooses the rows a folding value (first, last, count, …) reads; on a single row use `when`.', 'key');
      return undefined;
    }
    let source: ValueSource | undefined;
    if ((FOLD_OPS as readonly string[]).includes(sources[0])) source = compileFold(sources[0] as FoldOp['op'], r, at);
    else if (r.expr !== undefined) {
      const parsed = parseExpression(r.expr as string);
      if (parsed.error) problem([...at, 'expr'], `This expression cannot be read: ${parsed.error}`);
      else source = { expr: { text: r.expr as string, names: parsed.names! } };
    } else if (r.column !== undefined) source = { column: r.column as string };
    else if (r.const !== undefined) source = { const: r.const as string | number | boolean };
    else if (r.template !== undefined) source = compileTemplate(r.template as string, [...at, 'template']);
    else if (r.coalesce !== undefined) {
      const items = (r.coalesce as unknown[]).map((v, i) => compileValue(v, [...at, 'coalesce', i]));
      if (items.every(Boolean)) source = { coalesce: items as ValueSpec[] };
    } else source = compileTimestamp(r.timestamp as Raw, [...at, 'timestamp']);
    if (!source) return undefined;
    const spec: ValueSpec = { at, source };
    if (r.when !== undefined) spec.when = compileCondition(r.when as Raw, [...at, 'when']);
    if (r.trim !== undefined) spec.trim = r.trim as boolean;
    if (r.case !== undefined) spec.case = r.case as ValueSpec['case'];
    if (r.duration !== undefined) spec.duration = 'hms';
    if (r.number !== undefined) spec.number = r.number as NumberFormat;
    if (r.type !== undefined) spec.type = r.type as FieldType;
    if (r.map !== undefined) spec.map = new Map(Object.entries(r.map as Raw) as Array<[string, string | number | boolean | null]>);
    if (r.replace !== undefined) {
      spec.replace = [];
      (r.replace as Array<{ pattern: string; with: string }>).forEach((x, i) => {
        try {
          spec.replace!.push({ re: new RegExp(x.pattern, 'g'), with: x.with });
        } catch (e) {
          problem([...at, 'replace', i, 'pattern'], `This pattern is not a valid regular expression: ${(e as Error).message}.`);
        }
      });
    }
    if (r.date !== undefined) {
      const d = r.date as Raw;
      spec.date = {};
      const formats = compileFormats(d.formats, [...at, 'date', 'formats']);
      if (formats) spec.date.formats = formats;
      if (d.twoDigitYearStart !== undefined) spec.date.twoDigitYearStart = d.twoDigitYearStart as number;
    }
    if (r.ageBand !== undefined) spec.ageBand = r.ageBand as { asOf: string; bounds: number[] };
    return spec;
  };

  const compileFold = (op: FoldOp['op'], r: Raw, at: PathSegment[]): ValueSource | undefined => {
    if (!folding) {
      problem([...at, op], `\`${op}\` folds several rows into one; it needs \`spec.fold\` (which rows form a group, and their time).`, 'key');
      return undefined;
    }
    const where = r.where === undefined ? undefined : compileCondition(r.where as Raw, [...at, 'where']);
    if (r.where !== undefined && !where) return undefined;
    if (op === 'secondsWhile') {
      const w = compileCondition(r.secondsWhile as Raw, [...at, op]);
      return w ? { fold: { op, where: w } } : undefined;
    }
    if (!OF_OPS.has(op)) {
      if (r[op] !== true) {
        problem([...at, op], `Write \`${op}: true\`, with \`where\` to choose the rows.`);
        return undefined;
      }
      return { fold: { op: op as 'count', ...(where ? { where } : {}) } };
    }
    const of = compileValue(r[op], [...at, op]);
    if (!of) return undefined;
    if (of.source && 'fold' in of.source) {
      problem([...at, op], `A folding value reads each row; \`${op}\` cannot take another folding value.`);
      return undefined;
    }
    return { fold: { op: op as 'first', of, ...(where ? { where } : {}) } };
  };

  const compileTemplate = (text: string, at: PathSegment[]): ValueSource | undefined => {
    const parts: Array<string | { column: string }> = [];
    const re = /\{([^{}]+)\}/g;
    let last = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m.index > last) parts.push(text.slice(last, m.index));
      parts.push({ column: m[1] });
      last = m.index + m[0].length;
    }
    if (last < text.length) parts.push(text.slice(last));
    if (parts.some((p) => typeof p === 'string' && /[{}]/.test(p))) {
      problem(at, 'A `{` or `}` in this template is unbalanced; write each column as `{column name}`.');
      return undefined;
    }
    if (!parts.some((p) => typeof p !== 'string')) {
      problem(at, 'This template names no column; write columns as `{column name}`, or use `const` for fixed text.');
      return undefined;
    }
    return { template: parts };
  };

  const compileTimestamp = (r: Raw, at: PathSegment[]): ValueSource | undefined => {
    if ((r.column === undefined) === (r.date === undefined) || (r.time !== undefined && r.date === undefined)) {
      problem(at, 'A timestamp reads either `column` (date and time in one column) or `date` with an optional `time` column.');
      return undefined;
    }
    const ts: TimestampSpec = { plus: [] };
    for (const k of ['column', 'date', 'time', 'after'] as const) if (r[k] !== undefined) ts[k] = r[k] as string;
    const formats = compileFormats(r.formats, [...at, 'formats']);
    if (formats) ts.formats = formats;
    if (r.twoDigitYearStart !== undefined) ts.twoDigitYearStart = r.twoDigitYearStart as number;
    const units = { seconds: 1, minutes: 60, hours: 3600 };
    for (const p of (r.plus ?? []) as Array<{ column: string; unit?: keyof typeof units; duration?: string }>) {
      ts.plus.push({ column: p.column, secondsPerUnit: units[p.unit ?? 'seconds'], hms: p.duration === 'hms' });
    }
    return { timestamp: ts };
  };

  if (spec.fold !== undefined) {
    const f = spec.fold as Raw;
    const by = compileValue(f.by, ['spec', 'fold', 'by']);
    const time = compileValue(f.time, ['spec', 'fold', 'time']);
    if (by && time) mapping.fold = { by, time };
  }
  if (spec.duplicates !== undefined) {
    const d = spec.duplicates as Raw;
    mapping.duplicates = { keep: d.keep as DuplicatesSpec['keep'] };
    if (d.orderBy !== undefined) {
      const orderBy = compileValue(d.orderBy, ['spec', 'duplicates', 'orderBy']);
      if (orderBy) mapping.duplicates.orderBy = orderBy;
    }
  }
  (spec.skip as Array<{ when: Raw; reason: string }> | undefined)?.forEach((s, i) => {
    const when = compileCondition(s.when, ['spec', 'skip', i, 'when']);
    if (when) mapping.skip.push({ when, reason: s.reason });
  });
  const section = (name: Section, into: Map<string, ValueSpec>) => {
    for (const [key, raw] of Object.entries((spec[name] ?? {}) as Raw)) {
      const v = compileValue(raw, ['spec', name, key]);
      if (v) into.set(key, v);
    }
  };
  section('fields', mapping.fields);
  section('payload', mapping.payload);
  section('attributes', mapping.attributes);
  section('let', mapping.let);
  for (const name of mapping.let.keys()) {
    if (mapping.fields.has(name) || mapping.payload.has(name) || mapping.attributes.has(name)) problem(['spec', 'let', name], `\`${name}\` is also a field of this mapping; give the value in \`let\` another name.`, 'key');
  }
  checkTarget(mapping, spec, problem);
  return { mapping: hasErrors(out) ? undefined : mapping, diagnostics: out };
}

/** The first string (value or key) of a parsed mapping that the store could not keep. */
function unstorableValue(value: unknown, at: PathSegment[]): { at: PathSegment[]; shown: string; char: UnstorableChar; key?: boolean } | undefined {
  if (typeof value === 'string') {
    const char = findUnstorable(value);
    return char ? { at, shown: at.join('.') || 'the value', char } : undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  for (const [k, v] of Object.entries(value)) {
    const path = [...at, Array.isArray(value) ? Number(k) : k];
    const char = findUnstorable(k);
    if (char) return { at: path, shown: `the key ${showName(k)}`, char, key: true };
    const hit = unstorableValue(v, path);
    if (hit) return hit;
  }
  return undefined;
}
