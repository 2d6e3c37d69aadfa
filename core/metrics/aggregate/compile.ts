// Compilation of a formula into closures, once (the evaluator caches it per formula object), so
// evaluating it for each of 10k employees does no parsing and the per-record loops allocate
// nothing. Every malformed part throws AggregateExpressionError with its JSON-pointer path.
import { compareWith, isTimestamp, signedSecondsBetween, signedSecondsTo, type Instant } from './timestamps.ts';
import { AggregateExpressionError, type ParamRef, type Payload, type Scalar } from './types.ts';

type Getter = (p: Payload) => unknown; // undefined when missing
type NumGetter = (p: Payload) => number; // NaN when missing or not a finite number
export type Pred = (p: Payload) => boolean;

/**
 * The point in time of the evaluation in progress, read by the compiled getters: set by
 * evaluate.ts around each evaluation (synchronous, one at a time), `knownAt` per leaf's kind.
 * Module state rather than an argument, so that the per-record getters stay one-argument closures.
 */
export const clock: {
  /** The as-of instant, if any (open durations run to it). */
  at: Instant | undefined;
  /** Instants after `at` have not happened (the as-of view). */
  cut: boolean;
  knownAt: Readonly<Record<string, string>> | undefined;
  /** Why the last `{seconds: …}` read was missing: NEGATIVE, OPEN, or 0 for neither. */
  reason: number;
} = { at: undefined, cut: false, knownAt: undefined, reason: 0 };
export const NEGATIVE = 1;
export const OPEN = 2;

export type LeafOp = 'mean' | 'sum' | 'min' | 'max' | 'quantile' | 'count' | 'share';
export interface Leaf {
  op: LeafOp;
  kind: string | undefined;
  where: Pred | undefined;
  samples: boolean;
  /** mean, sum, min, max, quantile: the values. */
  num: NumGetter | undefined;
  /** The values are `{seconds: …}`: records left out are counted (clock.reason). */
  timed: boolean;
  q: number | ParamRef | undefined;
  /** count: the filter (undefined for `true`); share: the numerator filter. */
  filter: Pred | undefined;
  /** share: the denominator. */
  of: Pred | undefined;
  path: string;
}
export type Node =
  | { t: 'const'; value: number }
  | { t: 'leaf'; leaf: Leaf }
  | { t: 'add' | 'sub' | 'mul' | 'div'; args: Node[] }
  | { t: 'switch'; param: string; def: string; cases: Map<string, Node>; path: string };

export const LEAF_OPS: readonly LeafOp[] = ['mean', 'sum', 'min', 'max', 'quantile', 'count', 'share'];
const EXPRESSION_OPS = ['const', ...LEAF_OPS, 'add', 'sub', 'mul', 'div', 'switch'] as const;
const LEAF_OPTION_KEYS = ['where', 'recordKind', 'samples'];
const FILTER_OPS = ['field', 'exists', 'and', 'or', 'not'] as const;
const COMPARISON_OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in'] as const;

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function fail(message: string, path: string): never {
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

/** A formula (any JSON value) as a tree of compiled nodes; `path` locates it in the whole. */
export function compileNode(expr: unknown, path: string): Node {
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
    timed: false,
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
  const value = expr[op];
  leaf.timed = leaf.num !== undefined && isObject(value) && Object.hasOwn(value, 'seconds');
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

const own = (p: Payload, name: string): unknown => (Object.hasOwn(p, name) ? p[name] : undefined);

/**
 * A field as of the clock: in the as-of view a timestamp after the as-of instant has not
 * happened, and a field known at an instant field (x-knownAt) is missing until that has.
 */
function readAt(name: string): Getter {
  const raw = readField(name);
  return (p) => {
    const v = raw(p);
    if (!clock.cut || v === undefined) return v;
    const at = clock.at!;
    if (typeof v === 'string' && compareWith(v, at) > 0) return undefined;
    const k = clock.knownAt;
    if (k !== undefined && Object.hasOwn(k, name) && !(compareWith(own(p, k[name]), at) <= 0)) return undefined; // NaN: no instant
    return v;
  };
}

const SECONDS_KEYS = ['seconds', 'open', 'minus'];

function compileSeconds(field: Record<string, unknown>, path: string): Getter {
  onlyKeys(field, SECONDS_KEYS, path);
  const pair = field.seconds;
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((f) => typeof f === 'string' && f)) {
    fail('seconds takes two field names: [from, to]', `${path}/seconds`);
  }
  if (field.open !== undefined && field.open !== 'asOf') fail('open takes `asOf` (an open duration runs to the as-of instant)', `${path}/open`);
  if (field.minus !== undefined && (typeof field.minus !== 'string' || !field.minus)) fail('minus takes the name of a number field (seconds to subtract)', `${path}/minus`);
  const from = readAt(pair[0]);
  const to = readAt(pair[1]);
  const minus = field.minus === undefined ? undefined : readAt(field.minus);
  const open = field.open === 'asOf';
  return (p) => {
    clock.reason = 0;
    const a = from(p);
    const b = to(p);
    let less = 0;
    if (minus !== undefined) {
      const m = minus(p);
      if (typeof m === 'number') less = Math.round(m * 1e6); // whole microseconds, as durations are
    }
    if (b === undefined) {
      if (!isTimestamp(a)) return undefined;
      if (!open || clock.at === undefined) {
        clock.reason = OPEN;
        return undefined;
      }
      const s = signedSecondsTo(a, clock.at, less);
      return s >= 0 ? s : undefined;
    }
    const s = signedSecondsBetween(a, b, less);
    if (s !== s) return undefined; // NaN: not two timestamps
    if (s < 0) {
      clock.reason = NEGATIVE; // a data error: neither a value nor a sample, but counted
      return undefined;
    }
    return s;
  };
}

function compileGetter(field: unknown, path: string): Getter {
  if (typeof field === 'string') {
    if (!field) fail('a field name must not be empty', path);
    return readAt(field);
  }
  if (isObject(field)) return compileSeconds(field, path);
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

