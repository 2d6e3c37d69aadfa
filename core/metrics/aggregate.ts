// The declarative metric `aggregate` language (schemas/aggregate.schema.json): its types, and the
// reference evaluator over one employee's records. The engine runs these formulas as SQL; that
// translation must agree with this file, so every rule here has one plain SQL equivalent.
//
// Semantics (the contract the SQL translation follows):
//
// Values
// - A field is a top-level payload key. It is *missing* when absent, null, or a non-finite
//   number (JSON has none; they can only come from code). Field names are never looked up on
//   the prototype chain (`constructor` is a missing field, not a function).
// - `{seconds: [from, to]}` is (to − from) in seconds, at microsecond resolution. It is missing
//   unless both fields are strings matching TIMESTAMP_PATTERN that name real calendar instants
//   (no zone means UTC), and also when the duration is negative: a response before the ticket
//   was opened is a data error, so it is neither a value nor a sample, and matches no
//   comparison (only `not`). Zero is a valid duration.
// - mean/sum/min/max/quantile use only values that are finite numbers (no "5" → 5 coercion);
//   each value used is one sample. With none: mean/min/max/quantile are null, sum is 0.
// - quantile is PostgreSQL percentile_cont(q): sort the n values, p = q·(n − 1), result =
//   v[⌊p⌋] + (p − ⌊p⌋)·(v[⌈p⌉] − v[⌊p⌋]). q must be in [0, 1].
// - count counts records (after `where`); share is #(of ∧ filter) / #(of), null when #(of) = 0.
//   `of` as a field means "the field is present" (see missing above).
// - add/sub/mul/div: null if any operand is null; div by 0 is null; a non-finite result
//   (overflow) is null. null means "no value": the engine reports insufficient data.
// - switch reads the param as a string (absent or null: the `default` case) and evaluates only
//   that case. An unknown case, or a quantile param that is not a number in [0, 1], throws
//   AggregateExpressionError: params are validated against the metric's paramsSchema first,
//   so this is a plugin bug, never a data problem.
//
// Filters are two-valued, unlike raw SQL: a comparison on a missing field is false, and so
// `not` of it is true (the SQL translation wraps each comparison in COALESCE(…, false)).
// - eq/in: present and strictly equal to a value of the same JSON type (1 ≠ "1", 1 = 1.0).
// - ne: present and not equal (so `ne` ≡ exists ∧ ¬eq; a missing field is not "≠ x").
// - gt/gte/lt/lte: the field is a number (a string never compares).
// - exists: the field is present; and/or/not: the usual boolean logic.
//
// Samples: the record count of the first leaf aggregate (mean, sum, min, max, quantile, count,
// share) marked `samples: true`, else of the first leaf in depth-first order of the evaluated
// formula. For count it is the count; for share the denominator; for mean etc. the number of
// values used. A formula without leaves (only const) has 0 samples.

export type Scalar = string | number | boolean;
export interface SecondsField {
  seconds: readonly [string, string];
}
export type AggregateField = string | SecondsField;

export type AggregateFilter =
  | { field: AggregateField; eq: Scalar }
  | { field: AggregateField; ne: Scalar }
  | { field: AggregateField; gt: number }
  | { field: AggregateField; gte: number }
  | { field: AggregateField; lt: number }
  | { field: AggregateField; lte: number }
  | { field: AggregateField; in: readonly Scalar[] }
  | { exists: AggregateField }
  | { and: readonly AggregateFilter[] }
  | { or: readonly AggregateFilter[] }
  | { not: AggregateFilter };

/** A number read from a metric param, with the value used when the param is not given. */
export interface ParamRef {
  param: string;
  default: number;
}

/** Options every leaf aggregate takes. */
export interface LeafOptions {
  /** Only the records matching this filter. */
  where?: AggregateFilter;
  /** Records of this kind instead of the metric's own (quota records for quota attainment). */
  recordKind?: string;
  /** This leaf's record count is the metric's sample count. */
  samples?: boolean;
}

export type AggregateExpression =
  | { const: number }
  | ({ mean: AggregateField } & LeafOptions)
  | ({ sum: AggregateField } & LeafOptions)
  | ({ min: AggregateField } & LeafOptions)
  | ({ max: AggregateField } & LeafOptions)
  | ({ quantile: AggregateField; q: number | ParamRef } & LeafOptions)
  | ({ count: true | AggregateFilter } & LeafOptions)
  | ({ share: AggregateFilter; of: AggregateField | AggregateFilter } & LeafOptions)
  | { add: readonly AggregateExpression[] }
  | { sub: readonly [AggregateExpression, AggregateExpression] }
  | { mul: readonly AggregateExpression[] }
  | { div: readonly [AggregateExpression, AggregateExpression] }
  | { switch: string; default: string; cases: Readonly<Record<string, AggregateExpression>> };

export type Payload = Readonly<Record<string, unknown>>;
export interface AggregateRecord {
  /** When the record happened; the engine has already cut the window, the formula ignores it. */
  readonly occurredAt: string;
  readonly payload: Payload;
}

/** One employee's records of the metric's window. */
export interface AggregateInput {
  /** The metric's own record kind, read by every leaf without `recordKind`. */
  kind: string;
  /** Records per kind; a kind that is not here has no records. */
  records: Readonly<Record<string, readonly AggregateRecord[]>>;
}

export type AggregateParams = Readonly<Record<string, unknown>>;

export interface AggregateResult {
  /** null: no value (empty window, division by zero); the engine reports insufficient data. */
  value: number | null;
  samples: number;
}

/** A malformed formula, or params it cannot use. `path` is a JSON pointer into the formula. */
export class AggregateExpressionError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(path ? `${message} (at aggregate${path})` : message);
    this.name = 'AggregateExpressionError';
  }
}

/**
 * The shape of the timestamps `{seconds: …}` accepts: `YYYY-MM-DD`, `T` (or `t`, or a space),
 * `hh:mm`, optional `:ss` and fraction, optional zone `Z` / `±hh[[:]mm]` (hours up to 15, as
 * PostgreSQL); no zone is UTC. Beyond the shape, the date must exist (no Feb 30, no year 0):
 * the SQL translation checks the shape with this and the date with pg_input_is_valid.
 */
export const TIMESTAMP_PATTERN =
  '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]+)?)?([Zz]|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?$';

// ---------------------------------------------------------------------------------------------
// Compilation: the formula becomes closures once (cached per formula object), so evaluating it
// for each of 10k employees does no parsing, and the per-record loops allocate nothing.

type Getter = (p: Payload) => unknown; // undefined when missing
type NumGetter = (p: Payload) => number; // NaN when missing or not a finite number
type Pred = (p: Payload) => boolean;

type LeafOp = 'mean' | 'sum' | 'min' | 'max' | 'quantile' | 'count' | 'share';
interface Leaf {
  op: LeafOp;
  kind: string | undefined;
  where: Pred | undefined;
  samples: boolean;
  /** mean, sum, min, max, quantile: the values. */
  num: NumGetter | undefined;
  q: number | ParamRef | undefined;
  /** count: the filter (undefined for `true`); share: the numerator filter. */
  filter: Pred | undefined;
  /** share: the denominator. */
  of: Pred | undefined;
  path: string;
}
type Node =
  | { t: 'const'; value: number }
  | { t: 'leaf'; leaf: Leaf }
  | { t: 'add' | 'sub' | 'mul' | 'div'; args: Node[] }
  | { t: 'switch'; param: string; def: string; cases: Map<string, Node>; path: string };

export interface CompiledAggregate {
  readonly expression: AggregateExpression;
  evaluate(input: AggregateInput, params?: AggregateParams): AggregateResult;
}

const LEAF_OPS: readonly LeafOp[] = ['mean', 'sum', 'min', 'max', 'quantile', 'count', 'share'];
const EXPRESSION_OPS = ['const', ...LEAF_OPS, 'add', 'sub', 'mul', 'div', 'switch'] as const;
const LEAF_OPTION_KEYS = ['where', 'recordKind', 'samples'];
const FILTER_OPS = ['field', 'exists', 'and', 'or', 'not'] as const;
const COMPARISON_OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in'] as const;

const cache = new WeakMap<object, CompiledAggregate>();

/**
 * Checks a formula and prepares it for evaluation; throws AggregateExpressionError if malformed.
 * Cached per formula object: formulas (manifest data) are treated as immutable.
 */
export function compileAggregate(expr: AggregateExpression): CompiledAggregate {
  if (expr !== null && typeof expr === 'object') {
    const hit = cache.get(expr);
    if (hit) return hit;
  }
  const root = compileNode(expr, '');
  const compiled: CompiledAggregate = {
    expression: expr,
    evaluate: (input, params = {}) => run(root, input, params),
  };
  if (expr !== null && typeof expr === 'object') cache.set(expr, compiled);
  return compiled;
}

/**
 * The value and sample count of a formula for one employee. Pure: reads only its arguments.
 * Throws AggregateExpressionError for a malformed formula or unusable params.
 */
export function evaluateAggregate(expr: AggregateExpression, input: AggregateInput, params: AggregateParams = {}): AggregateResult {
  return compileAggregate(expr).evaluate(input, params);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function fail(message: string, path: string): never {
  throw new AggregateExpressionError(message, path);
}

/** The single operator key of an object among `ops`; other keys must be in `allowed`. */
function operatorOf<K extends string>(obj: Record<string, unknown>, ops: readonly K[], what: string, path: string): K {
  const present = ops.filter((k) => Object.hasOwn(obj, k));
  if (present.length === 0) fail(`${what} needs one of ${ops.join(', ')}; got keys ${Object.keys(obj).join(', ') || '(none)'}`, path);
  if (present.length > 1) fail(`${what} has more than one operator: ${present.join(', ')}`, path);
  return present[0];
}

function onlyKeys(obj: Record<string, unknown>, allowed: readonly string[], path: string): void {
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) fail(`unknown key \`${k}\``, `${path}/${k}`);
}

function compileNode(expr: unknown, path: string): Node {
  if (!isObject(expr)) fail('an expression must be an object', path);
  const op = operatorOf(expr, EXPRESSION_OPS, 'an expression', path);
  const at = `${path}/${op}`;
  switch (op) {
    case 'const': {
      onlyKeys(expr, ['const'], path);
      const value = expr.const;
      if (typeof value !== 'number' || !Number.isFinite(value)) fail('const must be a finite number', at);
      return { t: 'const', value };
    }
    case 'add':
    case 'mul':
    case 'sub':
    case 'div': {
      onlyKeys(expr, [op], path);
      const args = expr[op];
      const binary = op === 'sub' || op === 'div';
      if (!Array.isArray(args) || args.length < 2 || (binary && args.length !== 2)) {
        fail(binary ? `${op} takes exactly two expressions` : `${op} takes a list of two or more expressions`, at);
      }
      return { t: op, args: args.map((a, i) => compileNode(a, `${at}/${i}`)) };
    }
    case 'switch': {
      onlyKeys(expr, ['switch', 'default', 'cases'], path);
      const { switch: param, default: def, cases } = expr;
      if (typeof param !== 'string' || !param) fail('switch must name a param', at);
      if (!isObject(cases) || Object.keys(cases).length === 0) fail('switch needs `cases`: an object of expressions', `${path}/cases`);
      if (typeof def !== 'string' || !Object.hasOwn(cases, def)) {
        fail(`switch \`default\` must be one of its cases (${Object.keys(cases).join(', ')})`, `${path}/default`);
      }
      const compiled = new Map<string, Node>();
      for (const [name, c] of Object.entries(cases)) compiled.set(name, compileNode(c, `${path}/cases/${name}`));
      return { t: 'switch', param, def, cases: compiled, path };
    }
    default:
      return { t: 'leaf', leaf: compileLeaf(expr, op, path) };
  }
}

function compileLeaf(expr: Record<string, unknown>, op: LeafOp, path: string): Leaf {
  const extra = op === 'quantile' ? ['q'] : op === 'share' ? ['of'] : [];
  onlyKeys(expr, [op, ...extra, ...LEAF_OPTION_KEYS], path);
  const { recordKind, samples, where } = expr;
  if (recordKind !== undefined && (typeof recordKind !== 'string' || !recordKind)) fail('recordKind must be a record kind id', `${path}/recordKind`);
  if (samples !== undefined && typeof samples !== 'boolean') fail('samples must be true or false', `${path}/samples`);
  const leaf: Leaf = {
    op,
    kind: recordKind as string | undefined,
    where: where === undefined ? undefined : compileFilter(where, `${path}/where`),
    samples: samples === true,
    num: undefined,
    q: undefined,
    filter: undefined,
    of: undefined,
    path,
  };
  const at = `${path}/${op}`;
  switch (op) {
    case 'count': {
      const c = expr.count;
      if (c !== true) leaf.filter = isObject(c) ? compileFilter(c, at) : fail('count takes `true` or a filter', at);
      break;
    }
    case 'share': {
      leaf.filter = compileFilter(expr.share, at);
      const of = expr.of;
      if (of === undefined) fail('share needs `of`: a field or a filter (the denominator)', path);
      const isField = typeof of === 'string' || (isObject(of) && Object.hasOwn(of, 'seconds'));
      if (isField) {
        const get = compileGetter(of, `${path}/of`);
        leaf.of = (p) => get(p) !== undefined;
      } else {
        leaf.of = compileFilter(of, `${path}/of`);
      }
      break;
    }
    case 'quantile': {
      const q = expr.q;
      if (typeof q === 'number') {
        if (!(q >= 0 && q <= 1)) fail('q must be between 0 and 1', `${path}/q`);
      } else if (isObject(q)) {
        onlyKeys(q, ['param', 'default'], `${path}/q`);
        if (typeof q.param !== 'string' || !q.param) fail('q.param must name a param', `${path}/q/param`);
        if (typeof q.default !== 'number' || !(q.default >= 0 && q.default <= 1)) fail('q.default must be a number between 0 and 1', `${path}/q/default`);
      } else {
        fail('quantile needs `q`: a number between 0 and 1 or {param, default}', path);
      }
      leaf.q = q as number | ParamRef;
      leaf.num = compileNumGetter(expr.quantile, at);
      break;
    }
    default:
      leaf.num = compileNumGetter(expr[op], at);
  }
  return leaf;
}

// Keys found on Object.prototype must be read as own properties only, or `{exists: constructor}`
// would match every record. Other names skip the (slower) own-property check.
function readField(name: string): Getter {
  const inherited = name in Object.prototype;
  return (p) => {
    const v = inherited ? (Object.hasOwn(p, name) ? p[name] : undefined) : p[name];
    if (v === null || (typeof v === 'number' && !Number.isFinite(v))) return undefined;
    return v;
  };
}

function compileGetter(field: unknown, path: string): Getter {
  if (typeof field === 'string') {
    if (!field) fail('a field name must not be empty', path);
    return readField(field);
  }
  if (isObject(field)) {
    onlyKeys(field, ['seconds'], path);
    const pair = field.seconds;
    if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((f) => typeof f === 'string' && f)) {
      fail('seconds takes two field names: [from, to]', `${path}/seconds`);
    }
    const from = readField(pair[0]);
    const to = readField(pair[1]);
    return (p) => {
      const s = secondsBetween(from(p), to(p));
      return s === s ? s : undefined; // NaN: missing
    };
  }
  return fail('a field is a payload field name or {seconds: [from, to]}', path);
}

function compileNumGetter(field: unknown, path: string): NumGetter {
  const get = compileGetter(field, path);
  return (p) => {
    const v = get(p);
    return typeof v === 'number' ? v : NaN; // the getter already dropped non-finite numbers
  };
}

function isScalar(v: unknown): v is Scalar {
  return typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

function compileFilter(filter: unknown, path: string): Pred {
  if (!isObject(filter)) fail('a filter must be an object', path);
  const op = operatorOf(filter, FILTER_OPS, 'a filter', path);
  switch (op) {
    case 'exists': {
      onlyKeys(filter, ['exists'], path);
      const get = compileGetter(filter.exists, `${path}/exists`);
      return (p) => get(p) !== undefined;
    }
    case 'not': {
      onlyKeys(filter, ['not'], path);
      const inner = compileFilter(filter.not, `${path}/not`);
      return (p) => !inner(p);
    }
    case 'and':
    case 'or': {
      onlyKeys(filter, [op], path);
      const list = filter[op];
      if (!Array.isArray(list) || list.length === 0) fail(`${op} takes a non-empty list of filters`, `${path}/${op}`);
      const preds = list.map((f, i) => compileFilter(f, `${path}/${op}/${i}`));
      const n = preds.length;
      if (op === 'and') {
        return (p) => {
          for (let i = 0; i < n; i++) if (!preds[i](p)) return false;
          return true;
        };
      }
      return (p) => {
        for (let i = 0; i < n; i++) if (preds[i](p)) return true;
        return false;
      };
    }
    case 'field':
      return compileComparison(filter, path);
  }
}

function compileComparison(filter: Record<string, unknown>, path: string): Pred {
  const cmp = operatorOf(filter, COMPARISON_OPS, 'a comparison', path);
  onlyKeys(filter, ['field', cmp], path);
  const get = compileGetter(filter.field, `${path}/field`);
  const target = filter[cmp];
  const at = `${path}/${cmp}`;
  switch (cmp) {
    case 'eq':
    case 'ne': {
      if (!isScalar(target)) fail(`${cmp} takes a string, a finite number or a boolean`, at);
      // Strict equality is typed equality: 1 === 1.0, 1 !== "1".
      if (cmp === 'eq') return (p) => get(p) === target;
      return (p) => {
        const v = get(p);
        return v !== undefined && v !== target;
      };
    }
    case 'in': {
      if (!Array.isArray(target) || target.length === 0 || !target.every(isScalar)) fail('in takes a non-empty list of strings, numbers or booleans', at);
      const set = new Set<unknown>(target);
      return (p) => {
        const v = get(p);
        return v !== undefined && set.has(v);
      };
    }
    default: {
      if (typeof target !== 'number' || !Number.isFinite(target)) fail(`${cmp} takes a finite number`, at);
      const t = target;
      const num = (p: Payload): number => {
        const v = get(p);
        return typeof v === 'number' ? v : NaN; // NaN compares false with everything
      };
      if (cmp === 'gt') return (p) => num(p) > t;
      if (cmp === 'gte') return (p) => num(p) >= t;
      if (cmp === 'lt') return (p) => num(p) < t;
      return (p) => num(p) <= t;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Timestamps: parsed by hand into whole seconds + microseconds (two numbers, so year 9999 stays
// exact), into module-level slots rather than a fresh object per record.

let tsSeconds = 0;
let tsMicros = 0;

const digit = (s: string, i: number): number => s.charCodeAt(i) - 48;
const two = (s: string, i: number): number => digit(s, i) * 10 + digit(s, i + 1);

function daysInMonth(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const isDigitAt = (s: string, i: number): boolean => {
  const c = s.charCodeAt(i); // NaN past the end
  return c >= 48 && c <= 57;
};

/**
 * Parses a timestamp into tsSeconds/tsMicros; false when it is not one. A scanner, because
 * testing TIMESTAMP_PATTERN alone costs as much as the rest of a duration; the tests fuzz the
 * two against each other.
 */
function parseTimestamp(s: unknown): boolean {
  if (typeof s !== 'string' || s.length < 16) return false;
  const n = s.length;
  // YYYY-MM-DDThh:mm
  for (let k = 0; k < FIXED_DIGITS.length; k++) if (!isDigitAt(s, FIXED_DIGITS[k])) return false;
  const sep = s.charCodeAt(10);
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58) return false;
  if (sep !== 84 /* T */ && sep !== 116 /* t */ && sep !== 32) return false;
  const y = digit(s, 0) * 1000 + digit(s, 1) * 100 + two(s, 2);
  const mo = two(s, 5);
  const d = two(s, 8);
  const h = two(s, 11);
  const mi = two(s, 14);
  // PostgreSQL has no year 0; the day must exist in that month.
  if (y === 0 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59) return false;
  let secs = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60;
  let micros = 0;
  let i = 16;
  if (i < n && s.charCodeAt(i) === 58 /* : */) {
    if (!isDigitAt(s, i + 1) || !isDigitAt(s, i + 2)) return false;
    const sec = two(s, i + 1);
    if (sec > 59) return false;
    secs += sec;
    i += 3;
    if (i < n && s.charCodeAt(i) === 46 /* . */) {
      i++;
      if (!isDigitAt(s, i)) return false;
      let scale = 100000;
      let frac = 0;
      for (; isDigitAt(s, i); i++) {
        frac += digit(s, i) * scale; // microseconds, rounded below as PostgreSQL does
        scale /= 10;
      }
      micros = Math.round(frac);
    }
  }
  if (i < n) {
    const c = s.charCodeAt(i);
    if (c === 90 /* Z */ || c === 122 /* z */) {
      i++;
    } else if (c === 43 /* + */ || c === 45 /* - */) {
      if (!isDigitAt(s, i + 1) || !isDigitAt(s, i + 2)) return false;
      const oh = two(s, i + 1);
      if (oh > 15) return false; // PostgreSQL's limit
      let offset = oh * 3600;
      i += 3;
      if (i < n) {
        if (s.charCodeAt(i) === 58) i++;
        if (!isDigitAt(s, i) || !isDigitAt(s, i + 1)) return false;
        const om = two(s, i);
        if (om > 59) return false;
        offset += om * 60;
        i += 2;
      }
      secs -= c === 43 ? offset : -offset;
    } else {
      return false;
    }
  }
  if (i !== n) return false;
  tsSeconds = secs;
  tsMicros = micros;
  return true;
}
const FIXED_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15];

/** Seconds from `from` to `to`; NaN when either is not a timestamp or the duration is negative. */
function secondsBetween(from: unknown, to: unknown): number {
  if (!parseTimestamp(from)) return NaN;
  const s0 = tsSeconds;
  const u0 = tsMicros;
  if (!parseTimestamp(to)) return NaN;
  // Whole seconds and microseconds apart, so the difference is exact; |micros| < 1e6 keeps
  // the sign of the sum right.
  const s = tsSeconds - s0 + (tsMicros - u0) / 1e6;
  return s < 0 ? NaN : s;
}

/** Seconds between two timestamps as `{seconds: [from, to]}` reads them; null when missing. */
export function timestampSeconds(from: unknown, to: unknown): number | null {
  const s = secondsBetween(from, to);
  return s === s ? s : null;
}

// ---------------------------------------------------------------------------------------------
// Evaluation.

interface Ctx {
  input: AggregateInput;
  params: AggregateParams;
  /** Samples of the first leaf evaluated, and of the first leaf marked `samples`; -1: none yet. */
  first: number;
  marked: number;
  /** The record count of the leaf just evaluated. */
  count: number;
}

const EMPTY: readonly AggregateRecord[] = [];

function run(root: Node, input: AggregateInput, params: AggregateParams): AggregateResult {
  const ctx: Ctx = { input, params, first: -1, marked: -1, count: 0 };
  const value = evalNode(root, ctx);
  const samples = ctx.marked >= 0 ? ctx.marked : ctx.first >= 0 ? ctx.first : 0;
  return { value, samples };
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

function evalNode(node: Node, ctx: Ctx): number | null {
  switch (node.t) {
    case 'const':
      return node.value;
    case 'leaf': {
      const value = evalLeaf(node.leaf, ctx);
      if (ctx.first < 0) ctx.first = ctx.count;
      if (node.leaf.samples && ctx.marked < 0) ctx.marked = ctx.count;
      return value;
    }
    case 'switch': {
      const chosen = ctx.params[node.param];
      let name = node.def;
      if (chosen !== undefined && chosen !== null) {
        if (typeof chosen !== 'string' || !node.cases.has(chosen)) {
          fail(`params.${node.param} is ${JSON.stringify(chosen)}; expected one of ${[...node.cases.keys()].join(', ')}`, node.path);
        }
        name = chosen;
      }
      return evalNode(node.cases.get(name)!, ctx);
    }
    default: {
      // Every operand is evaluated even after a null, so the sample count does not depend on it.
      const values = node.args.map((a) => evalNode(a, ctx));
      if (values.some((v) => v === null)) return null;
      const xs = values as number[];
      switch (node.t) {
        case 'add':
          return finite(xs.reduce((a, b) => a + b, 0));
        case 'mul':
          return finite(xs.reduce((a, b) => a * b, 1));
        case 'sub':
          return finite(xs[0] - xs[1]);
        case 'div':
          return xs[1] === 0 ? null : finite(xs[0] / xs[1]);
      }
    }
  }
}

// Reused between quantile leaves (evaluation is synchronous and one leaf at a time).
let scratch = new Float64Array(1024);

function evalLeaf(leaf: Leaf, ctx: Ctx): number | null {
  const kind = leaf.kind ?? ctx.input.kind;
  const records = Object.hasOwn(ctx.input.records, kind) ? ctx.input.records[kind] : EMPTY;
  const where = leaf.where;
  const n = records.length;
  switch (leaf.op) {
    case 'count': {
      const filter = leaf.filter;
      let c = 0;
      for (let i = 0; i < n; i++) {
        const p = records[i].payload;
        if ((where === undefined || where(p)) && (filter === undefined || filter(p))) c++;
      }
      ctx.count = c;
      return c;
    }
    case 'share': {
      const of = leaf.of!;
      const filter = leaf.filter!;
      let den = 0;
      let num = 0;
      for (let i = 0; i < n; i++) {
        const p = records[i].payload;
        if ((where === undefined || where(p)) && of(p)) {
          den++;
          if (filter(p)) num++;
        }
      }
      ctx.count = den;
      return den === 0 ? null : num / den;
    }
    case 'quantile': {
      const q = quantileLevel(leaf, ctx.params);
      const get = leaf.num!;
      let c = 0;
      for (let i = 0; i < n; i++) {
        const p = records[i].payload;
        if (where !== undefined && !where(p)) continue;
        const x = get(p);
        if (x !== x) continue;
        if (c === scratch.length) {
          const bigger = new Float64Array(c * 2);
          bigger.set(scratch);
          scratch = bigger;
        }
        scratch[c++] = x;
      }
      ctx.count = c;
      if (c === 0) return null;
      const sorted = scratch.subarray(0, c).sort(); // typed arrays sort numerically
      // PostgreSQL percentile_cont, same arithmetic: lo + proportion·(hi − lo).
      const pos = q * (c - 1);
      const lo = Math.floor(pos);
      const hi = Math.ceil(pos);
      if (lo === hi) return sorted[lo];
      return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
    default: {
      const get = leaf.num!;
      let c = 0;
      let acc = 0;
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < n; i++) {
        const p = records[i].payload;
        if (where !== undefined && !where(p)) continue;
        const x = get(p);
        if (x !== x) continue;
        c++;
        acc += x;
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
      ctx.count = c;
      if (leaf.op === 'sum') return finite(acc);
      if (c === 0) return null;
      if (leaf.op === 'mean') return finite(acc / c);
      return leaf.op === 'min' ? lo : hi;
    }
  }
}

function quantileLevel(leaf: Leaf, params: AggregateParams): number {
  const q = leaf.q!;
  if (typeof q === 'number') return q;
  const v = params[q.param];
  if (v === undefined || v === null) return q.default;
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
    fail(`params.${q.param} is ${JSON.stringify(v)}; a quantile must be a number between 0 and 1`, `${leaf.path}/q`);
  }
  return v;
}

// ---------------------------------------------------------------------------------------------
// What a formula reads, so the engine fetches only that. Every switch case counts: the params
// are not known when the data is planned.

function visitLeaves(expr: AggregateExpression, visit: (leaf: Record<string, unknown>, op: LeafOp) => void): void {
  compileAggregate(expr); // malformed formulas throw here, with a path
  const walk = (e: Record<string, unknown>): void => {
    for (const op of LEAF_OPS) if (Object.hasOwn(e, op)) return visit(e, op);
    if (Object.hasOwn(e, 'switch')) {
      for (const c of Object.values(e.cases as Record<string, Record<string, unknown>>)) walk(c);
      return;
    }
    for (const op of ['add', 'sub', 'mul', 'div']) {
      if (Object.hasOwn(e, op)) for (const a of e[op] as Record<string, unknown>[]) walk(a);
    }
  };
  walk(expr as Record<string, unknown>);
}

function fieldNames(field: unknown, out: Set<string>): void {
  if (typeof field === 'string') out.add(field);
  else if (isObject(field) && Array.isArray(field.seconds)) for (const f of field.seconds) out.add(f as string);
}

function filterFields(filter: unknown, out: Set<string>): void {
  if (!isObject(filter)) return;
  if (Object.hasOwn(filter, 'field')) fieldNames(filter.field, out);
  else if (Object.hasOwn(filter, 'exists')) fieldNames(filter.exists, out);
  else if (Object.hasOwn(filter, 'not')) filterFields(filter.not, out);
  else for (const f of (filter.and ?? filter.or ?? []) as unknown[]) filterFields(f, out);
}

function leafFields(leaf: Record<string, unknown>, op: LeafOp, out: Set<string>): void {
  if (op === 'count') filterFields(leaf.count, out);
  else if (op === 'share') {
    filterFields(leaf.share, out);
    const of = leaf.of;
    if (typeof of === 'string' || (isObject(of) && Object.hasOwn(of, 'seconds'))) fieldNames(of, out);
    else filterFields(of, out);
  } else fieldNames(leaf[op], out);
  filterFields(leaf.where, out);
}

/** The record kinds a formula reads, in order of first use (`defaultKind` for leaves without recordKind). */
export function aggregateRecordKinds(expr: AggregateExpression, defaultKind: string): string[] {
  const kinds = new Set<string>();
  visitLeaves(expr, (leaf) => kinds.add((leaf.recordKind as string | undefined) ?? defaultKind));
  return [...kinds];
}

/** The payload fields a formula reads (of any kind), in order of first use. */
export function aggregateFields(expr: AggregateExpression): string[] {
  const out = new Set<string>();
  visitLeaves(expr, (leaf, op) => leafFields(leaf, op, out));
  return [...out];
}

/** The payload fields a formula reads per record kind. */
export function aggregateFieldsByKind(expr: AggregateExpression, defaultKind: string): Record<string, string[]> {
  const byKind = new Map<string, Set<string>>();
  visitLeaves(expr, (leaf, op) => {
    const kind = (leaf.recordKind as string | undefined) ?? defaultKind;
    let set = byKind.get(kind);
    if (!set) byKind.set(kind, (set = new Set()));
    leafFields(leaf, op, set);
  });
  return Object.fromEntries([...byKind].map(([k, s]) => [k, [...s]]));
}
