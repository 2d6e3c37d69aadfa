// The reference evaluator: a compiled formula over one employee's records of the window, with its
// sample count. The SQL translation (../sql.ts) must give the same value and samples.
import { clock, compileNode, fail, NEGATIVE, OPEN, type Leaf, type Node } from './compile.ts';
import { instantOf } from './timestamps.ts';
import { ignoredOf, type AggregateExpression, type AggregateInput, type AggregateParams, type AggregateRecord, type AggregateResult, type ParamRef } from './types.ts';

export interface CompiledAggregate {
  readonly expression: AggregateExpression;
  evaluate(input: AggregateInput, params?: AggregateParams): AggregateResult;
}

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

interface Ctx {
  input: AggregateInput;
  params: AggregateParams;
  /** Samples of the first leaf evaluated, and of the first leaf marked `samples`; -1: none yet. */
  first: number;
  marked: number;
  /** The record count of the leaf just evaluated, and the records it left out (timed values). */
  count: number;
  negative: number;
  open: number;
  /** [negative, open] of the samples leaf: the first evaluated, or the first marked. */
  firstIgnored: [number, number];
  markedIgnored: [number, number];
}

const EMPTY: readonly AggregateRecord[] = [];

function run(root: Node, input: AggregateInput, params: AggregateParams): AggregateResult {
  const ctx: Ctx = { input, params, first: -1, marked: -1, count: 0, negative: 0, open: 0, firstIgnored: [0, 0], markedIgnored: [0, 0] };
  const pit = input.pointInTime;
  clock.at = pit ? instantOf(pit.asOf) : undefined;
  clock.cut = pit !== undefined && pit.view !== 'latest';
  let value: number | null;
  try {
    value = evalNode(root, ctx);
  } finally {
    clock.at = undefined;
    clock.cut = false;
    clock.knownAt = undefined;
  }
  const samples = ctx.marked >= 0 ? ctx.marked : ctx.first >= 0 ? ctx.first : 0;
  const [negative, open] = ctx.marked >= 0 ? ctx.markedIgnored : ctx.firstIgnored;
  const ignored = ignoredOf(negative, open);
  return ignored ? { value, samples, ignored } : { value, samples };
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

function evalNode(node: Node, ctx: Ctx): number | null {
  switch (node.t) {
    case 'const':
      return node.value;
    case 'leaf': {
      ctx.negative = 0;
      ctx.open = 0;
      const value = evalLeaf(node.leaf, ctx);
      if (ctx.first < 0) {
        ctx.first = ctx.count;
        ctx.firstIgnored = [ctx.negative, ctx.open];
      }
      if (node.leaf.samples && ctx.marked < 0) {
        ctx.marked = ctx.count;
        ctx.markedIgnored = [ctx.negative, ctx.open];
      }
      return value;
    }
    case 'switch':
      return evalNode(node.cases.get(switchCase(node.param, node.def, node.cases, ctx.params, node.path))!, ctx);
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
  const knownAt = ctx.input.pointInTime?.knownAt;
  clock.knownAt = knownAt !== undefined && Object.hasOwn(knownAt, kind) ? knownAt[kind] : undefined;
  const where = leaf.where;
  const timed = leaf.timed;
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
      const q = quantileLevel(leaf.q!, ctx.params, leaf.path);
      const get = leaf.num!;
      let c = 0;
      for (let i = 0; i < n; i++) {
        const p = records[i].payload;
        if (where !== undefined && !where(p)) continue;
        const x = get(p);
        if (x !== x) {
          if (timed) leftOut(ctx);
          continue;
        }
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
      // hi − lo overflows only between values near ±1.8e308: no value, as for sums.
      return finite(sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]));
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
        if (x !== x) {
          if (timed) leftOut(ctx);
          continue;
        }
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

/** Counts why the timed value just read was missing (negative, or not yet happened). */
function leftOut(ctx: Ctx): void {
  if (clock.reason === NEGATIVE) ctx.negative++;
  else if (clock.reason === OPEN) ctx.open++;
}

/**
 * The case a switch takes: the param's value, or `def` when it is absent or null. Throws for a
 * value that names no case (params are validated first, so that is a plugin bug).
 */
export function switchCase(param: string, def: string, cases: ReadonlyMap<string, unknown>, params: AggregateParams, path: string): string {
  const value = params[param];
  if (value === undefined || value === null) return def;
  const chosen = typeof value === 'boolean' ? String(value) : value; // a yes/no param picks `true` or `false`
  if (typeof chosen !== 'string' || !cases.has(chosen)) {
    fail(`params.${param} is ${JSON.stringify(value)}; expected one of ${[...cases.keys()].join(', ')}`, path);
  }
  return chosen;
}

/** A quantile's level: the number, or the param (its default when absent or null). */
export function quantileLevel(q: number | ParamRef, params: AggregateParams, leafPath: string): number {
  if (typeof q === 'number') return q;
  const v = params[q.param];
  if (v === undefined || v === null) return q.default;
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
    fail(`params.${q.param} is ${JSON.stringify(v)}; a quantile must be a number between 0 and 1`, `${leafPath}/q`);
  }
  return v;
}
